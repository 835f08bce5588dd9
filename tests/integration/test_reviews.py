"""The office approval queue between two PCs, through the real server's feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.inprocess import RunningServer
from sync.values import ReplyState
from sync.workspace import Workspace
from tests.integration import peers
from tests.integration.peers import OFFICER, SUPERVISOR


@pytest.fixture
def officer_pc(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    workspace = peers.open_profile(tmp_path / "officer", server.url)
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    yield workspace
    workspace.close()


@pytest.fixture
def supervisor_pc(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    workspace = peers.open_profile(tmp_path / "supervisor", server.url)
    peers.log_in(workspace, SUPERVISOR)
    assert workspace.sync().ok
    yield workspace
    workspace.close()


def queued_review(officer_pc: Workspace, complaint_id: str, text: str) -> tuple[str, str]:
    draft = officer_pc.draft_reply(complaint_id, text)
    review_id = officer_pc.submit_for_office_review(draft)
    report = officer_pc.sync()
    assert report.ok and report.applied == 1
    return draft, review_id


def test_a_supervisor_on_another_pc_approves_and_the_reply_is_sent_once(
    officer_pc: Workspace, supervisor_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    draft, review_id = queued_review(officer_pc, complaint_id, "Disetujui dari PC atasan.")
    assert officer_pc.reply(draft).state is ReplyState.AWAITING_APPROVAL
    assert officer_pc.reply(draft).review_id == review_id

    assert supervisor_pc.sync().ok
    pending = {review.id: review for review in supervisor_pc.office_reviews()}
    assert pending[review_id].text == "Disetujui dari PC atasan."
    supervisor_pc.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR), approve=True)
    assert supervisor_pc.sync().applied == 1

    # The server sent it while the officer's PC was away.
    assert peers.events_with_text(server, "Disetujui dari PC atasan.") == 1
    assert peers.review_state(server, review_id) == "approved"
    assert review_id not in {r.id for r in supervisor_pc.office_reviews()}

    assert officer_pc.sync().ok
    reply = officer_pc.reply(draft)
    assert reply.state is ReplyState.SENT and reply.approved_by == "u-atasan1"
    assert officer_pc.outbox() == []
    assert officer_pc.sync().pushed == 0
    assert peers.events_with_text(server, "Disetujui dari PC atasan.") == 1


def test_a_returned_draft_comes_back_with_the_comment_and_can_be_sent_again(
    officer_pc: Workspace, supervisor_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    draft, review_id = queued_review(officer_pc, complaint_id, "Versi pertama")
    assert supervisor_pc.sync().ok
    supervisor_pc.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR),
                                approve=False, comment="Sebutkan tanggal perbaikan.")
    assert supervisor_pc.sync().applied == 1

    assert officer_pc.sync().ok
    reply = officer_pc.reply(draft)
    assert reply.state is ReplyState.RETURNED
    assert reply.return_comment == "Sebutkan tanggal perbaikan."
    assert peers.events_with_text(server, "Versi pertama") == 0

    officer_pc.update_draft(draft, "Versi kedua: diperbaiki tanggal 3 Desember")
    assert officer_pc.submit_for_office_review(draft) == review_id
    assert officer_pc.sync().applied == 1
    assert supervisor_pc.sync().ok
    supervisor_pc.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR), approve=True)
    assert supervisor_pc.sync().applied == 1
    assert officer_pc.sync().ok
    assert officer_pc.reply(draft).state is ReplyState.SENT
    assert peers.events_with_text(server, "Versi kedua: diperbaiki tanggal 3 Desember") == 1


def test_an_approval_of_a_review_voided_by_the_reporter_is_a_conflict_and_stays_pending(
    officer_pc: Workspace, supervisor_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    _draft, review_id = queued_review(officer_pc, complaint_id, "Sudah usang")
    assert supervisor_pc.sync().ok
    peers.reporter_replies(server, complaint_id, "Ada kabar?")
    supervisor_pc.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR), approve=True)

    report = supervisor_pc.sync()

    assert report.conflicts == 1
    assert peers.review_state(server, review_id) == "pending"
    assert peers.events_with_text(server, "Sudah usang") == 0


def test_a_version_approved_from_the_queue_while_edited_here_is_said_not_hidden(
    officer_pc: Workspace, supervisor_pc: Workspace, server: RunningServer
) -> None:
    from sqlalchemy import select

    from sync.store.database import read_session
    from sync.store.local import ReplyHistory

    complaint_id = peers.open_complaints(server)[0]
    draft, review_id = queued_review(officer_pc, complaint_id, "Versi di antrean")
    officer_pc.update_draft(draft, "Versi yang sedang diubah")  # a draft again, here only
    assert supervisor_pc.sync().ok
    supervisor_pc.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR), approve=True)
    assert supervisor_pc.sync().applied == 1

    assert officer_pc.sync().ok

    reply = officer_pc.reply(draft)
    assert reply.state is ReplyState.DRAFT and reply.text == "Versi yang sedang diubah"
    assert reply.review_id is None  # sent again, it is a new review
    with read_session(officer_pc.database) as session:
        notes = session.scalars(
            select(ReplyHistory).where(ReplyHistory.reply_id == draft,
                                       ReplyHistory.comment == "approved_and_sent_from_queue")
        ).all()
        assert [n.text for n in notes] == ["Versi di antrean"]
    assert peers.events_with_text(server, "Versi di antrean") == 1
    assert officer_pc.verify_audit_log().ok


def test_a_queued_draft_approved_here_and_in_the_queue_goes_out_once_and_reads_sent(
    officer_pc: Workspace, supervisor_pc: Workspace, server: RunningServer
) -> None:
    """Two supervisors decide the same draft: one at the officer's PC, one from the queue."""
    complaint_id = peers.open_complaints(server)[0]
    peers.log_in(officer_pc, SUPERVISOR)  # she has worked at this PC before
    peers.log_in(officer_pc, OFFICER)
    draft, review_id = queued_review(officer_pc, complaint_id, "Diputuskan dua kali")
    officer_pc.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))  # here, offline
    assert supervisor_pc.sync().ok
    supervisor_pc.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR), approve=True)
    assert supervisor_pc.sync().ok

    report = officer_pc.sync()

    assert report.ok, report
    assert peers.events_with_text(server, "Diputuskan dua kali") == 1
    reply = officer_pc.reply(draft)
    assert reply.state is ReplyState.SENT, reply
    assert officer_pc.outbox() == []
    assert officer_pc.sync().pushed == 0  # this PC's own approval is never sent after
    assert peers.events_with_text(server, "Diputuskan dua kali") == 1
    assert officer_pc.verify_audit_log().ok
