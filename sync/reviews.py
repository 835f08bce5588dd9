"""The office's approval queue: a draft decided by a supervisor on another computer.

An officer sends a draft to the queue (a ``submit_review`` mutation); the
supervisor's computer receives it through the feed (kind ``review``) and
decides (``decide_review``), signing the review's own mutation, so the
server sends an approved reply even while the officer's PC is off. The
decision comes back to the officer through the feed and moves the local
reply: returned with the comment, or approved and sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import audit, delivery, protocol, workflow
from sync.errors import ErrorCode, WorkspaceError
from sync.store.local import OutboxItem, Reply, ReplyHistory
from sync.store.models import Review
from sync.values import OutboxState, ReplyKind, ReplyState

SUBMIT = "submit_review"
DECIDE = "decide_review"


@dataclass(frozen=True)
class ReviewInfo:
    """A draft waiting in the office's queue, as a supervisor sees it."""

    id: str
    complaint_id: str
    author_id: str
    kind: str  # respond | complete | request_reassignment
    text: str
    suggested_agency: str
    base_version: int
    submitted_at: datetime
    state: str  # pending | returned | approved
    decision_sent: bool  # a decision of this PC waits in the outbox


def submit(session: Session, reply_id: str, *, actor: workflow.Actor, now: datetime) -> str:
    """Send a draft to the office's queue; returns the review id."""
    reply = workflow.get_reply(session, reply_id)
    if ReplyKind(reply.kind) is ReplyKind.NOTE:
        raise WorkspaceError(ErrorCode.VALIDATION, "a note needs no approval", fields=["kind"])
    workflow.submit(session, reply_id, actor=actor, now=now)
    # A draft sent again after a return keeps its review: the server replaces it.
    reply.review_id = reply.review_id or str(uuid.uuid4())
    reply.refusal = None
    payload = {
        "review_id": reply.review_id,
        "mutation_type": reply.kind,
        "payload": workflow.payload_for(reply),
    }
    workflow.add_to_outbox(
        session, mutation_type=SUBMIT, complaint_id=reply.complaint_id,
        base_version=reply.base_version, payload=payload, approval=None, reply_id=reply.id,
        now=now,
    )
    return reply.review_id


def decide(
    session: Session,
    review_id: str,
    *,
    supervisor: workflow.Actor,
    approve: bool,
    comment: str,
    signing_key: Ed25519PrivateKey | None,
    device_id: str,
    now: datetime,
) -> None:
    """Queue a supervisor's decision; an approval signs the review's own mutation."""
    review = session.get(Review, review_id)
    if review is None:
        raise WorkspaceError(ErrorCode.NOT_FOUND, f"no review {review_id}")
    if review.state != "pending":
        raise WorkspaceError(ErrorCode.ILLEGAL_TRANSITION, f"the review is already {review.state}")
    if review_id in _decided_here(session, [review.complaint_id]):
        raise WorkspaceError(ErrorCode.ILLEGAL_TRANSITION, "this review was already decided here")
    workflow.check_may_decide(review.author_id, supervisor, approve=approve, comment=comment)
    approval = None
    if approve:
        if signing_key is None:
            raise WorkspaceError(ErrorCode.NOT_ALLOWED, "no signing key on this device")
        approval = protocol.sign_approval(
            signing_key, supervisor_id=supervisor.user_id, device_id=device_id,
            mutation_type=review.mutation_type, complaint_id=review.complaint_id,
            base_version=review.base_version, payload=review.payload, approved_at=now,
        )
    payload = {
        "review_id": review.id,
        "decision": "approve" if approve else "return",
        "comment": comment or None,
    }
    workflow.add_to_outbox(
        session, mutation_type=DECIDE, complaint_id=review.complaint_id,
        base_version=review.base_version, payload=payload, approval=approval, reply_id=None,
        now=now,
    )
    audit.record(
        session, at=now, actor_id=supervisor.user_id, action=f"review.{payload['decision']}",
        subject_kind="review", subject_id=review.id,
        details={"complaint_id": review.complaint_id},
    )


def _decided_here(session: Session, complaint_ids: Iterable[str]) -> set[str]:
    """Reviews this PC's supervisor decided: waiting in the outbox, or approved and sent.

    A sent approval counts until the feed brings the review's new state: a
    second signature of the same review in the same second would be the same
    statement, which the server refuses as an approval used twice. An approved
    review never returns to the queue; a returned one may, resubmitted, so a
    sent return stops counting once it is sent. Only the outbox of the pending
    reviews' complaints is read: sent decisions pile up over the years.
    """
    items = session.scalars(
        select(OutboxItem).where(
            OutboxItem.type == DECIDE,
            OutboxItem.complaint_id.in_(set(complaint_ids)),
            OutboxItem.state.in_((OutboxState.PENDING.value, OutboxState.SENT.value)),
        )
    )
    return {
        str(item.payload.get("review_id"))
        for item in items
        if item.state == OutboxState.PENDING.value or item.payload.get("decision") == "approve"
    }


def queue(session: Session) -> list[ReviewInfo]:
    """Pending reviews of the office, oldest first."""
    rows = list(session.scalars(
        select(Review).where(Review.state == "pending").order_by(Review.submitted_at)
    ))
    deciding = _decided_here(session, (row.complaint_id for row in rows))
    return [
        ReviewInfo(
            id=row.id, complaint_id=row.complaint_id, author_id=row.author_id,
            kind=row.mutation_type,
            text=str(row.payload.get("text") or row.payload.get("reason") or ""),
            suggested_agency=str(row.payload.get("suggested_agency") or ""),
            base_version=row.base_version, submitted_at=row.submitted_at, state=row.state,
            decision_sent=row.id in deciding,
        )
        for row in rows
    ]


def apply_decision(session: Session, wire: protocol.Review, now: datetime) -> None:
    """Move the officer's local reply once the feed brings a supervisor's decision."""
    if wire.state == "pending" or wire.decision is None:
        return
    reply = session.scalar(select(Reply).where(Reply.review_id == wire.id))
    if reply is None or reply.state == ReplyState.SENT.value:
        return  # not ours, or settled already
    by, comment = wire.decision.by, wire.decision.comment
    if reply.state != ReplyState.AWAITING_APPROVAL.value:
        if wire.state == "approved" and _approved_here_too(reply, wire):
            workflow.sent_from_queue(session, reply, by=by, approved_at=wire.decision.at,
                                     now=now)
        elif wire.state == "approved":
            _approved_while_edited(session, reply, wire, now)
        return  # a returned version that was edited since is simply the new draft
    if wire.state == "returned":
        workflow.returned(session, reply, by=by, comment=comment or "", now=now)
        return
    # Approved: the server applied the reply in the same transaction.
    workflow.approved_and_sent(session, reply, by=by, approved_at=wire.decision.at, now=now)
    # A hub may already have said what SP4N-LAPOR! made of it (the complaint came first).
    delivery.settle_refusals(session, reply.complaint_id, now)


def _approved_here_too(reply: Reply, wire: protocol.Review) -> bool:
    """This very version was also approved on this PC (queued, or turned away as a conflict)."""
    settling = {ReplyState.QUEUED.value, ReplyState.CONFLICT.value}
    return reply.state in settling and workflow.payload_for(reply) == dict(wire.payload)


def _approved_while_edited(
    session: Session, reply: Reply, wire: protocol.Review, now: datetime
) -> None:
    """The queue's earlier version went out while the officer edited it here.

    Said in the reply's history (with the text that was sent), and the draft
    leaves that review: sent again, it is a new review, judged on the record
    as it is now (which then holds the sent response).
    """
    assert wire.decision is not None
    sent_text = str(wire.payload.get("text") or wire.payload.get("reason") or "")
    session.add(
        ReplyHistory(reply_id=reply.id, at=now, from_state=reply.state, to_state=reply.state,
                     actor_id=wire.decision.by, comment="approved_and_sent_from_queue",
                     text=sent_text)
    )
    audit.record(
        session, at=now, actor_id=wire.decision.by, action="review.approved_elsewhere",
        subject_kind="reply", subject_id=reply.id,
        details={"complaint_id": reply.complaint_id, "review_id": wire.id},
    )
    reply.review_id = None


def after_refusal(session: Session, item: OutboxItem, reason: str) -> None:
    """A refused submission leaves the queue: the officer sees why."""
    if item.type != SUBMIT or item.reply_id is None:
        return
    reply = session.get(Reply, item.reply_id)
    if reply is not None and reply.review_id == item.payload.get("review_id"):
        reply.review_id = None
        reply.refusal = reason
