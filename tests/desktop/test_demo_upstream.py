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
from sync.values import Delivery, ReplyKind
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
    qtbot: QtBot, tmp_path: Path, demo: Demo
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
    workspace.close()
