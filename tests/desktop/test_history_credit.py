"""The complaint's history credits a sent reply to the officer who wrote it and the supervisor.

Against the real reference server: the supervisor's session sends the reply,
so the server's event names the supervisor; the history still says who wrote it.
"""

from __future__ import annotations

from desktop.views.report import event_lines
from server.inprocess import RunningServer
from sync.workspace import Workspace
from tests.desktop.online import office_pc, server  # noqa: F401 - fixtures
from tests.integration import peers
from tests.integration.peers import SUPERVISOR


def test_a_sent_reply_is_credited_to_its_writer_and_its_approver(
    office_pc: Workspace, server: RunningServer  # noqa: F811
) -> None:
    ws = office_pc
    complaint_id = peers.open_complaints(server)[0]
    draft = ws.draft_reply(complaint_id, "Jalan sudah kami perbaiki. Terima kasih.")
    ws.submit_for_approval(draft)
    peers.log_in(ws, SUPERVISOR)  # the supervisor approves on the officer's PC, and syncs
    ws.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
    assert ws.sync().ok
    people = ws.people()
    officer = people[ws.reply(draft).author_id]
    supervisor = people[ws.current_user.id]  # type: ignore[union-attr]

    [line] = [
        line for line in event_lines(ws.complaint(complaint_id)) if "Jalan sudah kami" in line
    ]
    head = line.splitlines()[0]
    assert f"ditulis oleh {officer}, disetujui oleh {supervisor}" in head


def test_a_supervisors_correction_is_credited_to_the_supervisor(
    office_pc: Workspace, server: RunningServer  # noqa: F811
) -> None:
    ws = office_pc
    complaint_id = peers.open_complaints(server)[1]
    draft = ws.draft_reply(complaint_id, "Jalan sudah kami perbaiki kemarin")
    ws.submit_for_approval(draft)
    peers.log_in(ws, SUPERVISOR)
    ws.approve(
        draft, SUPERVISOR, peers.password(SUPERVISOR),
        corrected_text="Jalan sudah kami perbaiki kemarin. Terima kasih.",
    )
    assert ws.sync().ok
    supervisor = ws.people()[ws.current_user.id]  # type: ignore[union-attr]
    [line] = [
        line for line in event_lines(ws.complaint(complaint_id)) if "kemarin. Terima" in line
    ]
    assert line.splitlines()[0].endswith(f"diperbaiki dan disetujui oleh {supervisor}")
