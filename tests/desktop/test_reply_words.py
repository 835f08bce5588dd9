"""Each kind of reply has its own words: a note is no reply, a pending request is not sent.

Against the real reference server: a Bukan Wewenang request waits for
approval while an internal note on the same complaint goes out.
"""

from __future__ import annotations

from desktop import words
from desktop.notifier import messages, take_snapshot
from server.inprocess import RunningServer
from sync.values import ReplyKind
from sync.workspace import Workspace
from tests.desktop.online import office_pc, server  # noqa: F401 - fixtures
from tests.integration import peers


def test_a_sent_note_is_announced_as_a_note_and_a_waiting_request_is_not_shown_as_sent(
    office_pc: Workspace, server: RunningServer  # noqa: F811
) -> None:
    ws = office_pc
    complaint_id = peers.open_complaints(server)[0]
    request = ws.draft_reply(
        complaint_id, "Jalan provinsi, bukan jalan kabupaten.", kind="request_reassignment"
    )
    ws.submit_for_approval(request)
    note = ws.draft_reply(complaint_id, "Sudah ditelepon Dinas PU.", kind="note")
    ws.submit_for_approval(note)  # a note needs no approval: straight to the outbox
    before = take_snapshot(ws)
    assert ws.sync().ok

    assert messages(before, take_snapshot(ws)) == ["1 Catatan Internal tercatat di server"]
    [summary] = [s for s in ws.complaints() if s.id == complaint_id]
    assert summary.reply_kind is ReplyKind.REQUEST_REASSIGNMENT
    shown = words.reply_status_text(summary.reply_kind, summary.reply_state)
    assert shown == "Bukan Wewenang: Menunggu Persetujuan"
    detail = ws.complaint(complaint_id)
    assert words.reply_status_text(detail.summary.reply_kind, detail.summary.reply_state) == shown
