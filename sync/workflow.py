"""The reply workflow of DOMAIN.md as an explicit state machine.

    draft -> awaiting_approval -> approved -> queued -> sent
    awaiting_approval -> returned (with a comment) -> draft (on edit)
    queued -> conflict | refused (the server's word) -> draft (revise)
    draft -> queued (a note: internal, needs no approval)

Every function here runs inside the caller's write transaction and does its
whole step there: the state change, its history line, its audit entry and,
where something must reach the server, its outbox item. So a crash leaves
either all of a step or none of it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pydantic
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync import audit, protocol
from sync.errors import ErrorCode, WorkspaceError
from sync.store.local import CORRECTED, OutboxItem, Reply, ReplyHistory
from sync.store.models import Complaint
from sync.values import OutboxState, ReplyKind, ReplyState

S = ReplyState
TRANSITIONS: dict[ReplyState, frozenset[ReplyState]] = {
    S.DRAFT: frozenset({S.AWAITING_APPROVAL, S.QUEUED}),
    # Editing while waiting, or after a decision, takes the reply back to draft.
    S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.RETURNED, S.DRAFT}),
    S.APPROVED: frozenset({S.QUEUED, S.DRAFT}),
    # Back to draft only while nothing was tried yet (see ``edit``).
    S.QUEUED: frozenset({S.SENT, S.CONFLICT, S.REFUSED, S.DRAFT}),
    S.RETURNED: frozenset({S.DRAFT}),
    # Or sent after all: the office queue sent this very text (``sent_from_queue``).
    S.CONFLICT: frozenset({S.DRAFT, S.SENT}),
    S.REFUSED: frozenset({S.DRAFT}),
    # A hub took it, then SP4N-LAPOR! refused it (``refused_upstream``).
    S.SENT: frozenset({S.REFUSED}),
}

WITHDRAWN = "withdrawn"  # the officer took a submission back before anyone decided

# States in which the text may change (after which it is a draft again);
# a queued one only while its mutation was never handed to the network.
EDITABLE = frozenset({S.DRAFT, S.AWAITING_APPROVAL, S.APPROVED, S.RETURNED, S.QUEUED})


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str  # "officer" | "supervisor"


def get_reply(session: Session, reply_id: str) -> Reply:
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise WorkspaceError(ErrorCode.NOT_FOUND, f"no reply {reply_id}")
    return reply


def _complaint(session: Session, complaint_id: str) -> Complaint:
    row = session.scalar(select(Complaint).where(Complaint.id == complaint_id))
    if row is None:
        raise WorkspaceError(ErrorCode.NOT_FOUND, f"no complaint {complaint_id}")
    return row


def move(
    session: Session,
    reply: Reply,
    to: ReplyState,
    *,
    actor_id: str | None,
    now: datetime,
    comment: str | None = None,
) -> None:
    """The one place a reply's state changes: checked, written to history and audit."""
    current = ReplyState(reply.state)
    if to not in TRANSITIONS[current]:
        raise WorkspaceError(
            ErrorCode.ILLEGAL_TRANSITION, f"a reply cannot go from {current} to {to}",
            reply_id=reply.id, state=current.value, to=to.value,
        )
    reply.state = to.value
    reply.updated_at = now
    session.add(
        ReplyHistory(reply_id=reply.id, at=now, from_state=current.value, to_state=to.value,
                     actor_id=actor_id, comment=comment, text=reply.text)
    )
    audit.record(
        session, at=now, actor_id=actor_id, action=f"reply.{to.value}",
        subject_kind="reply", subject_id=reply.id,
        details={"from": current.value, "complaint_id": reply.complaint_id},
    )


def payload_for(reply: Reply) -> dict[str, Any]:
    """The mutation payload of the contract for this reply's kind."""
    kind = ReplyKind(reply.kind)
    if kind is ReplyKind.NOTE:
        return {"text": reply.text}
    if kind is ReplyKind.REQUEST_REASSIGNMENT:
        return {"reason": reply.text, "suggested_agency": reply.suggested_agency}
    return {"text": reply.text, "attachment_ids": list(reply.attachment_ids)}


def _checked_payload(session: Session, reply: Reply) -> dict[str, Any]:
    payload = payload_for(reply)
    try:
        protocol.validate_payload(reply.kind, payload)
    except pydantic.ValidationError as exc:
        fields = [".".join(str(p) for p in err["loc"]) for err in exc.errors()]
        raise WorkspaceError(
            ErrorCode.VALIDATION, "the reply is not ready to send", fields=fields
        ) from exc
    _refuse_if_closed(_complaint(session, reply.complaint_id), ReplyKind(reply.kind))
    return payload


def _refuse_if_closed(complaint: Complaint, kind: ReplyKind) -> None:
    if kind is not ReplyKind.NOTE and complaint.status in protocol.CLOSED_STATUSES:
        raise WorkspaceError(
            ErrorCode.VALIDATION, "the complaint is closed", fields=["complaint.status"]
        )


def create_draft(
    session: Session,
    *,
    complaint_id: str,
    author: Actor,
    kind: ReplyKind,
    text: str,
    suggested_agency: str = "",
    now: datetime,
) -> Reply:
    complaint = _complaint(session, complaint_id)
    _refuse_if_closed(complaint, kind)
    reply = Reply(
        id=str(uuid.uuid4()), complaint_id=complaint_id, kind=kind.value, text=text,
        suggested_agency=suggested_agency, attachment_ids=[], state=S.DRAFT.value,
        author_id=author.user_id, base_version=complaint.version, created_at=now,
        updated_at=now, conflict_changes=[],
    )
    session.add(reply)
    session.add(ReplyHistory(reply_id=reply.id, at=now, from_state=None,
                             to_state=S.DRAFT.value, actor_id=author.user_id, text=text))
    audit.record(session, at=now, actor_id=author.user_id, action="reply.created",
                 subject_kind="reply", subject_id=reply.id,
                 details={"complaint_id": complaint_id, "kind": kind.value})
    return reply


def open_draft(session: Session, complaint_id: str, kind: ReplyKind) -> Reply | None:
    """The complaint's unsubmitted reply of ``kind`` (a draft, or one returned), if any."""
    return session.scalar(
        select(Reply)
        .where(Reply.complaint_id == complaint_id, Reply.kind == kind.value,
               Reply.state.in_((S.DRAFT.value, S.RETURNED.value)))
        .order_by(Reply.created_at)
        .limit(1)
    )


def edit(
    session: Session,
    reply_id: str,
    *,
    actor: Actor,
    text: str,
    suggested_agency: str | None = None,
    now: datetime,
) -> Reply:
    """Autosave. Any edit after submitting makes it a draft again and voids an approval."""
    reply = get_reply(session, reply_id)
    state = ReplyState(reply.state)
    if state not in EDITABLE:
        raise WorkspaceError(ErrorCode.ILLEGAL_TRANSITION, f"a {state} reply cannot be edited",
                             reply_id=reply_id, state=state.value)
    if state is S.QUEUED:
        _withdraw(session, reply)
    reply.text = text
    if suggested_agency is not None:
        reply.suggested_agency = suggested_agency
    reply.updated_at = now
    if state is not S.DRAFT:
        _void_approval(reply)
        move(session, reply, S.DRAFT, actor_id=actor.user_id, now=now, comment="edited")
    return reply


def _withdraw(session: Session, reply: Reply) -> None:
    """Take an untried mutation back out of the outbox.

    The sync cycle counts an attempt, in its own committed transaction,
    before a mutation goes on the wire; so ``attempts == 0`` here (under the
    write lock) means the server cannot have it.
    """
    item = session.get(OutboxItem, reply.mutation_id) if reply.mutation_id else None
    if item is None or item.state != OutboxState.PENDING.value or item.attempts > 0:
        raise WorkspaceError(ErrorCode.ILLEGAL_TRANSITION, "the reply may already be on its way",
                             reply_id=reply.id, state=reply.state)
    session.delete(item)
    reply.mutation_id = None


def _void_approval(reply: Reply) -> None:
    reply.approval = None
    reply.approved_by = None
    reply.approved_at = None


def submit(session: Session, reply_id: str, *, actor: Actor, now: datetime) -> Reply:
    """Send a draft to the supervisor; a note needs none and is queued at once."""
    reply = get_reply(session, reply_id)
    payload = _checked_payload(session, reply)
    if ReplyKind(reply.kind) is ReplyKind.NOTE:
        _queue(session, reply, payload, None, actor_id=actor.user_id, now=now)
    else:
        move(session, reply, S.AWAITING_APPROVAL, actor_id=actor.user_id, now=now)
    reply.return_comment = None
    return reply


def approve(
    session: Session,
    reply_id: str,
    *,
    supervisor: Actor,
    signing_key: Ed25519PrivateKey,
    device_id: str,
    now: datetime,
    corrected_text: str | None = None,
) -> Reply:
    """Sign the exact content and queue it, in the caller's one transaction.

    ``corrected_text``: the supervisor's small correction, written to the
    history as theirs before the text is signed.
    """
    reply = get_reply(session, reply_id)
    check_may_decide(reply.author_id, supervisor, approve=True, comment="")
    if corrected_text is not None and corrected_text != reply.text:
        _correct(session, reply, supervisor, corrected_text, now)
    payload = _checked_payload(session, reply)
    approval = protocol.sign_approval(
        signing_key, supervisor_id=supervisor.user_id, device_id=device_id,
        mutation_type=reply.kind, complaint_id=reply.complaint_id,
        base_version=reply.base_version, payload=payload, approved_at=now,
    )
    move(session, reply, S.APPROVED, actor_id=supervisor.user_id, now=now)
    reply.approval = approval
    reply.approved_by = supervisor.user_id
    reply.approved_at = now
    _queue(session, reply, payload, approval, actor_id=supervisor.user_id, now=now)
    return reply


def _correct(session: Session, reply: Reply, supervisor: Actor, text: str, now: datetime) -> None:
    # The text is checked with the rest by _checked_payload, in the same transaction.
    reply.text = text
    session.add(
        ReplyHistory(reply_id=reply.id, at=now, from_state=reply.state, to_state=reply.state,
                     actor_id=supervisor.user_id, comment=CORRECTED, text=text)
    )
    audit.record(
        session, at=now, actor_id=supervisor.user_id, action="reply.corrected",
        subject_kind="reply", subject_id=reply.id,
        details={"complaint_id": reply.complaint_id},
    )


def return_draft(
    session: Session, reply_id: str, *, supervisor: Actor, comment: str, now: datetime
) -> Reply:
    reply = get_reply(session, reply_id)
    check_may_decide(reply.author_id, supervisor, approve=False, comment=comment)
    returned(session, reply, by=supervisor.user_id, comment=comment, now=now)
    return reply


def check_may_decide(author_id: str, supervisor: Actor, *, approve: bool, comment: str) -> None:
    """Whether ``supervisor`` may approve (or return, with ``comment``) a draft of ``author_id``.

    The same rules for a reply decided on this PC and for one in the office's queue.
    """
    if supervisor.role != "supervisor":
        raise WorkspaceError(ErrorCode.NOT_ALLOWED, "only a supervisor may decide on a reply")
    if approve and author_id == supervisor.user_id:
        raise WorkspaceError(ErrorCode.NOT_ALLOWED, "a supervisor cannot approve their own reply")
    if not approve and not comment.strip():
        raise WorkspaceError(ErrorCode.VALIDATION, "say what to change", fields=["comment"])


def returned(session: Session, reply: Reply, *, by: str, comment: str, now: datetime) -> None:
    """A supervisor (here or in the office's queue) sent the reply back with ``comment``."""
    move(session, reply, S.RETURNED, actor_id=by, now=now, comment=comment or None)
    reply.return_comment = comment


def approved_and_sent(
    session: Session, reply: Reply, *, by: str, approved_at: datetime, now: datetime
) -> None:
    """The server sent the reply on a supervisor's approval from the office's queue.

    Every step is still written (approved, queued, sent), so its history reads
    as one decided and sent on this PC.
    """
    move(session, reply, S.APPROVED, actor_id=by, now=now)
    reply.approved_by, reply.approved_at = by, approved_at
    move(session, reply, S.QUEUED, actor_id=by, now=now)
    move(session, reply, S.SENT, actor_id=None, now=now)


def sent_from_queue(
    session: Session, reply: Reply, *, by: str, approved_at: datetime, now: datetime
) -> None:
    """Approved here and in the office's queue too, and the queue's went out: the same text.

    Only one of the two could apply on the server (both are based on one
    version), so the reply is sent, once; this PC's own mutation, queued or
    turned away as a conflict by the queue's, is settled without being sent.
    """
    if reply.mutation_id is not None:
        _settle(session, reply.mutation_id, OutboxState.SENT, now)
    reply.approved_by, reply.approved_at = by, approved_at
    reply.conflict_record, reply.conflict_changes = None, []
    move(session, reply, S.SENT, actor_id=by, now=now, comment="sent_from_office_queue")


def withdraw(session: Session, reply_id: str, *, actor: Actor, now: datetime) -> Reply:
    """Undo "submit for approval" while no supervisor has decided: a draft again."""
    reply = get_reply(session, reply_id)
    if ReplyState(reply.state) is not S.AWAITING_APPROVAL or reply.review_id is not None:
        # A queued review lives on the server; taking it back is a decision of its own.
        raise WorkspaceError(ErrorCode.ILLEGAL_TRANSITION,
                             "only a submission waiting here can be undone",
                             reply_id=reply_id, state=reply.state)
    if reply.author_id != actor.user_id:
        raise WorkspaceError(ErrorCode.NOT_ALLOWED, "only the author can take a submission back")
    move(session, reply, S.DRAFT, actor_id=actor.user_id, now=now, comment=WITHDRAWN)
    return reply


def revise(session: Session, reply_id: str, *, actor: Actor, now: datetime) -> Reply:
    """After a conflict or refusal: a draft again, based on the record as it is now."""
    reply = get_reply(session, reply_id)
    move(session, reply, S.DRAFT, actor_id=actor.user_id, now=now, comment="revise")
    reply.base_version = _complaint(session, reply.complaint_id).version
    _void_approval(reply)
    reply.mutation_id = None  # the old mutation stays in the outbox's record as it ended
    reply.refusal = None
    reply.conflict_record = None
    reply.conflict_changes = []
    return reply


def _queue(
    session: Session,
    reply: Reply,
    payload: dict[str, Any],
    approval: dict[str, str] | None,
    *,
    actor_id: str,
    now: datetime,
) -> None:
    item = add_to_outbox(
        session, mutation_type=reply.kind, complaint_id=reply.complaint_id,
        base_version=reply.base_version, payload=payload, approval=approval,
        reply_id=reply.id, now=now,
    )
    reply.mutation_id = item.id
    move(session, reply, S.QUEUED, actor_id=actor_id, now=now)


def add_to_outbox(
    session: Session,
    *,
    mutation_type: str,
    complaint_id: str,
    base_version: int,
    payload: dict[str, Any],
    approval: dict[str, str] | None,
    reply_id: str | None,
    now: datetime,
) -> OutboxItem:
    """A pending mutation, after every one already queued (the outbox sends in order).

    Its payload is checked against the contract: one the server would refuse is a bug here.
    """
    protocol.validate_payload(mutation_type, payload)
    item = OutboxItem(
        id=str(uuid.uuid4()),
        sequence=(session.scalar(select(func.max(OutboxItem.sequence))) or 0) + 1,
        type=mutation_type, complaint_id=complaint_id, reply_id=reply_id,
        base_version=base_version, payload=payload,
        approval=dict(approval) if approval else None,
        state=OutboxState.PENDING.value, attempts=0, created_at=now,
    )
    session.add(item)
    return item


# --- the sync cycle reports the server's answer ---------------------------


def _settle(
    session: Session, mutation_id: str, outbox_state: OutboxState, now: datetime
) -> tuple[OutboxItem, Reply | None]:
    item = session.get(OutboxItem, mutation_id)
    if item is None:
        raise WorkspaceError(ErrorCode.NOT_FOUND, f"no outbox item {mutation_id}")
    item.state = outbox_state.value
    if outbox_state is OutboxState.SENT:
        item.sent_at, item.last_error, item.error_code = now, None, None
    reply = session.get(Reply, item.reply_id) if item.reply_id else None
    if reply is not None and reply.mutation_id != mutation_id:
        reply = None  # revised since: the answer concerns an older version
    return item, reply


def mark_sent(session: Session, mutation_id: str, *, now: datetime) -> None:
    """The server applied it (or had already: a duplicate)."""
    _, reply = _settle(session, mutation_id, OutboxState.SENT, now)
    if reply is not None and reply.state != S.SENT.value:
        move(session, reply, S.SENT, actor_id=None, now=now)


def mark_conflict(
    session: Session,
    mutation_id: str,
    *,
    server_record: dict[str, Any] | None,
    changes: list[str],
    now: datetime,
) -> None:
    """The record changed under the reply; keep the text, show what changed."""
    item, reply = _settle(session, mutation_id, OutboxState.CONFLICT, now)
    item.error_code, item.last_error = ErrorCode.CONFLICT, None  # what changed is on the reply
    if reply is not None:
        move(session, reply, S.CONFLICT, actor_id=None, now=now)
        reply.conflict_record = server_record
        reply.conflict_changes = list(changes)


def refused_upstream(session: Session, reply: Reply, *, reason: str, now: datetime) -> None:
    """The hub sent it on and SP4N-LAPOR! said no: refused, in SP4N-LAPOR!'s words."""
    move(session, reply, S.REFUSED, actor_id=None, now=now, comment=reason)
    reply.refusal = reason


def mark_refused(
    session: Session, mutation_id: str, *, code: ErrorCode, said: str, reason: str, now: datetime
) -> None:
    """The server rejected it for good: its code and words on the item, ``reason`` on the reply."""
    item, reply = _settle(session, mutation_id, OutboxState.REJECTED, now)
    item.error_code, item.last_error = code, said or None
    if reply is not None:
        move(session, reply, S.REFUSED, actor_id=None, now=now, comment=reason)
        reply.refusal = reason
