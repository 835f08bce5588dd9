"""The reply workflow: legal moves only, each one whole, approvals signed for real."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from sync import protocol, reviews, workflow
from sync.errors import ErrorCode, WorkspaceError
from sync.store import records
from sync.store.database import read_session, write_session
from sync.store.local import AuditEntry, OutboxItem, Reply
from sync.store.models import Review
from sync.values import OutboxState, ReplyState
from sync.workspace import Workspace
from tests.helpers.replica import PASSWORDS, T0, complaint, office, write_transactions

LAP = "LAP-2026-0000001"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = office(tmp_path / "profile", complaint(LAP))
    yield workspace
    workspace.close()


def code_of(call: object, *args: object) -> str:
    with pytest.raises(WorkspaceError) as raised:
        call(*args)  # type: ignore[operator]
    return raised.value.code


def history(ws: Workspace, reply_id: str) -> list[tuple[str | None, str]]:
    with read_session(ws.database) as session:
        reply = session.get(Reply, reply_id)
        assert reply is not None
        return [(h.from_state, h.to_state) for h in reply.history]


def test_draft_submit_approve_queues_a_signed_mutation(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Tim kami akan memperbaiki jalan pada 10 November.")
    ws.submit_for_approval(draft)
    assert ws.reply(draft).state is ReplyState.AWAITING_APPROVAL
    assert ws.outbox() == []

    ws.approve(draft, "siti", PASSWORDS["siti"])

    reply = ws.reply(draft)
    assert reply.state is ReplyState.QUEUED
    assert reply.approved_by == "siti"
    assert history(ws, draft) == [
        (None, "draft"), ("draft", "awaiting_approval"),
        ("awaiting_approval", "approved"), ("approved", "queued"),
    ]
    [entry] = ws.outbox()
    assert (entry.type, entry.complaint_id, entry.state, entry.reply_id) == (
        "respond", LAP, OutboxState.PENDING, draft)
    with read_session(ws.database) as session:
        item = session.get(OutboxItem, entry.mutation_id)
        assert item is not None and item.approval is not None
        approval = protocol.Approval.model_validate(item.approval)
        payload, base_version = item.payload, item.base_version
    assert payload == {"text": "Tim kami akan memperbaiki jalan pada 10 November.",
                       "attachment_ids": []}
    # The server would accept it: the signature checks out with siti's device key.
    key = protocol.load_public_key(ws.profile.accounts["siti"].signing_public_key or "")
    assert approval.device_id == ws.profile.device_id
    assert protocol.verify_approval(key, approval, mutation_type="respond", complaint_id=LAP,
                                    base_version=base_version, payload=payload)
    assert ws.verify_audit_log().ok


def test_an_officer_cannot_approve(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Sudah kami teruskan.")
    ws.submit_for_approval(draft)
    assert code_of(ws.approve, draft, "ani", PASSWORDS["ani"]) == ErrorCode.NOT_ALLOWED
    assert ws.reply(draft).state is ReplyState.AWAITING_APPROVAL


def test_a_supervisor_cannot_approve_their_own_reply(ws: Workspace) -> None:
    ws.login("siti", PASSWORDS["siti"])
    draft = ws.draft_reply(LAP, "Jawaban atasan sendiri.")
    ws.submit_for_approval(draft)
    assert code_of(ws.approve, draft, "siti", PASSWORDS["siti"]) == ErrorCode.NOT_ALLOWED
    ws.approve(draft, "bayu", PASSWORDS["bayu"])
    assert ws.reply(draft).state is ReplyState.QUEUED


def test_a_wrong_password_signs_nothing(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Teks")
    ws.submit_for_approval(draft)
    assert code_of(ws.approve, draft, "siti", "tebakan") == ErrorCode.INVALID_CREDENTIALS
    assert ws.reply(draft).state is ReplyState.AWAITING_APPROVAL
    assert ws.outbox() == []


def test_return_with_comment_then_edit_and_resubmit(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Terima kasih.")
    ws.submit_for_approval(draft)
    assert code_of(ws.return_draft, draft, "siti", PASSWORDS["siti"], "  ") == ErrorCode.VALIDATION
    ws.return_draft(draft, "siti", PASSWORDS["siti"], "Sebutkan tanggal perbaikan.")
    returned = ws.reply(draft)
    assert (returned.state, returned.return_comment) == (
        ReplyState.RETURNED, "Sebutkan tanggal perbaikan.")
    ws.update_draft(draft, "Terima kasih. Perbaikan pada 10 November.")
    assert ws.reply(draft).state is ReplyState.DRAFT
    ws.submit_for_approval(draft)
    assert ws.reply(draft).return_comment is None
    ws.approve(draft, "siti", PASSWORDS["siti"])
    with read_session(ws.database) as session:
        item = session.scalars(select(OutboxItem)).one()
        assert item.payload["text"] == "Terima kasih. Perbaikan pada 10 November."


def test_a_note_needs_no_approval(ws: Workspace) -> None:
    note = ws.draft_reply(LAP, "Sudah ditelepon, pelapor setuju jadwal.", kind="note")
    ws.submit_for_approval(note)
    assert ws.reply(note).state is ReplyState.QUEUED
    with read_session(ws.database) as session:
        item = session.scalars(select(OutboxItem)).one()
        assert (item.type, item.payload, item.approval) == (
            "note", {"text": "Sudah ditelepon, pelapor setuju jadwal."}, None)


def test_reassignment_request_carries_reason_and_agency(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Jalan provinsi, bukan wewenang kami.",
                           kind="request_reassignment", suggested_agency="Dinas PUPR Provinsi")
    ws.submit_for_approval(draft)
    ws.approve(draft, "bayu", PASSWORDS["bayu"])
    with read_session(ws.database) as session:
        item = session.scalars(select(OutboxItem)).one()
        assert item.payload == {"reason": "Jalan provinsi, bukan wewenang kami.",
                                "suggested_agency": "Dinas PUPR Provinsi"}


def test_a_new_reassignment_request_is_one_write_with_its_agency(ws: Workspace) -> None:
    with write_transactions(ws.database) as writes:
        draft = ws.draft_reply(LAP, "Jalan provinsi, bukan wewenang kami.",
                               kind="request_reassignment", suggested_agency="Dinas PUPR Provinsi")
    assert len(writes) == 1
    assert ws.reply(draft).suggested_agency == "Dinas PUPR Provinsi"
    assert history(ws, draft) == [(None, "draft")]
    with read_session(ws.database) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == draft))
        assert list(actions) == ["reply.created"]


def test_only_legal_transitions(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Teks")
    assert code_of(ws.approve, draft, "siti", PASSWORDS["siti"]) == ErrorCode.ILLEGAL_TRANSITION
    assert code_of(ws.return_draft, draft, "siti", PASSWORDS["siti"], "x") == (
        ErrorCode.ILLEGAL_TRANSITION
    )
    assert code_of(ws.revise, draft) == ErrorCode.ILLEGAL_TRANSITION
    ws.submit_for_approval(draft)
    assert code_of(ws.submit_for_approval, draft) == ErrorCode.ILLEGAL_TRANSITION
    ws.approve(draft, "siti", PASSWORDS["siti"])
    assert code_of(ws.approve, draft, "bayu", PASSWORDS["bayu"]) == ErrorCode.ILLEGAL_TRANSITION
    with write_session(ws.database) as session:
        mutation_id = session.scalars(select(OutboxItem.id)).one()
        workflow.mark_sent(session, mutation_id, now=T0)
    assert code_of(ws.update_draft, draft, "lagi") == ErrorCode.ILLEGAL_TRANSITION
    assert ws.reply(draft).state is ReplyState.SENT


def test_an_empty_reply_is_not_submitted(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "")
    assert code_of(ws.submit_for_approval, draft) == ErrorCode.VALIDATION
    assert ws.reply(draft).state is ReplyState.DRAFT


def test_no_reply_on_a_closed_complaint_but_notes_are_fine(tmp_path: Path) -> None:
    ws = office(tmp_path / "p", complaint(LAP, status="completed"))
    assert code_of(ws.draft_reply, LAP, "Teks") == ErrorCode.VALIDATION
    ws.submit_for_approval(ws.draft_reply(LAP, "Arsip internal", kind="note"))
    ws.close()


def test_editing_an_approved_reply_voids_the_approval(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Versi pertama")
    ws.submit_for_approval(draft)
    ws.approve(draft, "siti", PASSWORDS["siti"])
    ws.update_draft(draft, "Versi kedua")
    reply = ws.reply(draft)
    assert (reply.state, reply.approved_by, reply.approved_at) == (ReplyState.DRAFT, None, None)
    assert ws.outbox() == []  # the signed first version will never be sent


def test_a_reply_already_tried_cannot_be_pulled_back(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Versi pertama")
    ws.submit_for_approval(draft)
    ws.approve(draft, "siti", PASSWORDS["siti"])
    with write_session(ws.database) as session:  # what the sync engine does before sending
        session.scalars(select(OutboxItem)).one().attempts = 1
    assert code_of(ws.update_draft, draft, "Versi kedua") == ErrorCode.ILLEGAL_TRANSITION
    assert ws.reply(draft).text == "Versi pertama"


def test_conflict_then_revise_on_the_new_version(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Akan kami cek.")
    ws.submit_for_approval(draft)
    ws.approve(draft, "siti", PASSWORDS["siti"])
    [sent] = ws.outbox()
    newer = complaint(LAP, version=2)
    with write_session(ws.database) as session:
        records.upsert_complaint(session, newer, ws.rules)
        workflow.mark_conflict(session, sent.mutation_id, server_record=newer.model_dump(
            mode="json"), changes=["reporter_reply"], now=T0)
    reply = ws.reply(draft)
    assert (reply.state, reply.conflict_changes, reply.text) == (
        ReplyState.CONFLICT, ("reporter_reply",), "Akan kami cek.")
    assert [(e.state, e.error_code, e.last_error) for e in ws.outbox()] == [
        (OutboxState.CONFLICT, ErrorCode.CONFLICT, None)
    ]

    ws.revise(draft)
    reply = ws.reply(draft)
    assert (reply.state, reply.base_version, reply.conflict_changes) == (ReplyState.DRAFT, 2, ())
    assert ws.outbox() == []
    ws.submit_for_approval(draft)
    ws.approve(draft, "siti", PASSWORDS["siti"])
    [again] = ws.outbox()
    assert again.mutation_id != sent.mutation_id  # a revised action is a new mutation


def test_refused_keeps_the_servers_reason(ws: Workspace) -> None:
    note = ws.draft_reply(LAP, "Catatan", kind="note")
    ws.submit_for_approval(note)
    [item] = ws.outbox()
    with write_session(ws.database) as session:
        workflow.mark_refused(
            session, item.mutation_id, code=ErrorCode.VALIDATION, said="text",
            reason="validation_error: text", now=T0,
        )
    reply = ws.reply(note)
    assert (reply.state, reply.refusal) == (ReplyState.REFUSED, "validation_error: text")
    assert ws.outbox()[0].state is OutboxState.REJECTED
    ws.revise(note)
    assert ws.reply(note).state is ReplyState.DRAFT


def test_a_step_that_fails_half_way_leaves_nothing(ws: Workspace) -> None:
    draft = ws.draft_reply(LAP, "Teks")
    ws.submit_for_approval(draft)
    with write_session(ws.database) as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
        session.execute(text("CREATE TRIGGER no_room BEFORE INSERT ON outbox "
                             "BEGIN SELECT RAISE(ABORT, 'disk full'); END"))
    with pytest.raises(Exception, match="disk full"):
        ws.approve(draft, "siti", PASSWORDS["siti"])
    assert ws.reply(draft).state is ReplyState.AWAITING_APPROVAL
    assert ws.reply(draft).approved_by is None
    with read_session(ws.database) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
    assert len(history(ws, draft)) == 2


def test_drafting_needs_a_logged_in_user(ws: Workspace) -> None:
    ws.logout()
    assert code_of(ws.draft_reply, LAP, "Teks") == ErrorCode.NOT_LOGGED_IN


# --- the office's queue (sync.reviews) follows the same rules and history ------


def in_the_queue(ws: Workspace, author_id: str) -> None:
    """A pending review by ``author_id``, as the feed brings it from another PC."""
    with write_session(ws.database) as session:
        session.add(Review(
            id="rev-1", complaint_id=LAP, author_id=author_id, mutation_type="respond",
            payload={"text": "Sudah diperbaiki.", "attachment_ids": []}, base_version=1,
            submitted_at=T0, state="pending", decision=None,
        ))


def outbox_size(ws: Workspace) -> int:
    with read_session(ws.database) as session:
        return session.scalar(select(func.count()).select_from(OutboxItem)) or 0


def test_a_supervisor_cannot_approve_their_own_draft_from_the_queue(ws: Workspace) -> None:
    in_the_queue(ws, author_id="siti")
    decide = ws.decide_review
    with pytest.raises(WorkspaceError) as raised:
        decide("rev-1", "siti", PASSWORDS["siti"], approve=True)
    assert raised.value.code == ErrorCode.NOT_ALLOWED
    assert outbox_size(ws) == 0
    decide("rev-1", "bayu", PASSWORDS["bayu"], approve=True)
    assert outbox_size(ws) == 1


def test_a_draft_goes_back_from_the_queue_only_with_what_to_change(ws: Workspace) -> None:
    in_the_queue(ws, author_id="ani")
    with pytest.raises(WorkspaceError) as raised:
        ws.decide_review("rev-1", "siti", PASSWORDS["siti"], approve=False, comment="  ")
    assert raised.value.code == ErrorCode.VALIDATION
    assert outbox_size(ws) == 0


@pytest.mark.parametrize(
    ("decided", "expected"),
    [
        ("returned", [("awaiting_approval", "returned")]),
        ("approved", [("awaiting_approval", "approved"), ("approved", "queued"),
                      ("queued", "sent")]),
    ],
)
def test_a_decision_from_the_queue_reads_in_the_history_as_one_made_here(
    ws: Workspace, decided: str, expected: list[tuple[str, str]]
) -> None:
    draft = ws.draft_reply(LAP, "Sudah diperbaiki.")
    review_id = ws.submit_for_office_review(draft)
    comment = "Tambahkan tanggal." if decided == "returned" else None
    wire = protocol.Review(
        id=review_id, complaint_id=LAP, author_id="ani", mutation_type="respond",
        payload={"text": "Sudah diperbaiki.", "attachment_ids": []}, base_version=1,
        submitted_at=T0, state=decided,
        decision=protocol.Decision(by="siti", at=T0 + timedelta(hours=2), comment=comment),
    )
    with write_session(ws.database) as session:
        reviews.apply_decision(session, wire, T0 + timedelta(hours=3))

    assert history(ws, draft)[2:] == expected
    reply = ws.reply(draft)
    if decided == "returned":
        assert reply.state is ReplyState.RETURNED and reply.return_comment == comment
    else:
        assert reply.state is ReplyState.SENT and reply.approved_by == "siti"
