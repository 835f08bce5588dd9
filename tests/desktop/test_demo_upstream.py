"""`lapor-desk --demo --upstream`: simulator, hub and app, the whole road to SP4N-LAPOR!.

A complaint filed on the simulator (the Demo menu's "Laporan baru") reaches
the officer's inbox; the approved reply appears on the simulator, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import build_parser
from desktop.demo import Demo, start_demo
from desktop.session import Session
from desktop.settings import Settings
from desktop.views.complaint import ComplaintView
from desktop.views.reply_editor import ReplyEditor
from desktop.workers import TaskRunner
from sync.values import Delivery, ReplyKind, ReplyState
from tests.desktop.conftest import open_editor
from tests.integration.peers import OFFICER, SUPERVISOR, log_in, open_profile, password


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = start_demo(tmp_path / "demo", upstream=True)
    yield running
    running.stop()


def test_the_flag_is_understood() -> None:
    args = build_parser().parse_args(["--demo", "--upstream"])
    assert args.demo and args.upstream


def test_a_complaint_filed_upstream_reaches_the_office_and_its_reply_goes_back_once(
    qtbot: QtBot, tmp_path: Path, demo: Demo, settings: Settings, runner: TaskRunner
) -> None:
    workspace = open_profile(tmp_path / "pc", demo.url)
    log_in(workspace, SUPERVISOR)
    log_in(workspace, OFFICER)
    before = {c.id for c in demo.upstream.state.complaints()}
    demo.on_new_upstream_complaint_triggered()
    (filed,) = [c for c in demo.upstream.state.complaints() if c.id not in before]
    complaint_id = f"LAPOR-{filed.id}"

    def arrived() -> bool:
        workspace.sync()
        return complaint_id in {c.id for c in workspace.complaints()}

    qtbot.wait_until(arrived, timeout=30_000)
    text = "Terima kasih. Tim kami akan menambal jalan tersebut pekan ini."
    draft = workspace.draft_reply(complaint_id, text, kind=ReplyKind.RESPOND)
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, password(SUPERVISOR))
    assert workspace.sync().ok

    def delivered() -> bool:
        workspace.sync()
        reply = next(r for r in workspace.complaint(complaint_id).replies if r.id == draft)
        return reply.delivery == Delivery.DELIVERED

    qtbot.wait_until(delivered, timeout=30_000)
    posted = [f for f in demo.upstream.state.followups(filed.id) if f.content == text]
    assert len(posted) == 1
    # The officer reads where it stands, in the complaint's list of replies.
    view = ComplaintView(Session(workspace, workspace.current_user, settings, runner))
    qtbot.addWidget(view)
    view.show_detail(workspace.complaint(complaint_id))
    assert [view.replies.item(i).text() for i in range(view.replies.count())] == [
        "Tindak Lanjut · Terkirim ke SP4N-LAPOR!"
    ]
    workspace.close()


def test_a_reply_sp4n_lapor_refuses_reads_so_in_the_editor(
    qtbot: QtBot, tmp_path: Path, demo: Demo, settings: Settings, runner: TaskRunner
) -> None:
    workspace = open_profile(tmp_path / "pc", demo.url)
    log_in(workspace, SUPERVISOR)
    log_in(workspace, OFFICER)
    demo.upstream.state.set_faults(refuse_next_post="Lampiran wajib untuk laporan ini")
    before = {c.id for c in demo.upstream.state.complaints()}
    demo.on_new_upstream_complaint_triggered()
    (filed,) = [c for c in demo.upstream.state.complaints() if c.id not in before]
    complaint_id = f"LAPOR-{filed.id}"

    def arrived() -> bool:
        workspace.sync()
        return complaint_id in {c.id for c in workspace.complaints()}

    qtbot.wait_until(arrived, timeout=30_000)
    draft = workspace.draft_reply(complaint_id, "Sedang kami periksa.", kind=ReplyKind.RESPOND)
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, password(SUPERVISOR))

    def refused() -> bool:
        workspace.sync()
        return workspace.reply(draft).state == ReplyState.REFUSED

    qtbot.wait_until(refused, timeout=30_000)
    editor = ReplyEditor(Session(workspace, workspace.current_user, settings, runner))
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, complaint_id, draft, ReplyKind.RESPOND)
    qtbot.wait_until(lambda: editor.returned_banner.text() != "", timeout=10_000)
    assert editor.returned_banner.text() == (
        "Ditolak SP4N-LAPOR!: Lampiran wajib untuk laporan ini. Perbaiki lalu ajukan lagi."
    )
    assert "Ditolak SP4N-LAPOR!" in editor.state_label.text()
    workspace.close()
