"""Tables only this office's computer holds: replies, outbox, sync state, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from sync.store.base import Base


class Reply(Base):
    """A follow-up (or note, or reassignment request) as it moves through the office."""

    __tablename__ = "replies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str]  # sync.values.ReplyKind
    text: Mapped[str]
    suggested_agency: Mapped[str] = mapped_column(default="")
    attachment_ids: Mapped[list[str]] = mapped_column(default=list)
    state: Mapped[str] = mapped_column(index=True)  # sync.values.ReplyState
    author_id: Mapped[str]
    base_version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    approval: Mapped[dict[str, Any] | None]  # the contract's Approval, as signed
    approved_by: Mapped[str | None]
    approved_at: Mapped[datetime | None]
    return_comment: Mapped[str | None]
    refusal: Mapped[str | None]  # the server's reason, in its words
    conflict_record: Mapped[dict[str, Any] | None]  # the server's record at conflict
    conflict_changes: Mapped[list[str]] = mapped_column(default=list)
    review_id: Mapped[str | None]
    mutation_id: Mapped[str | None]  # the outbox item that carries it, once queued

    history: Mapped[list[ReplyHistory]] = relationship(
        back_populates="reply",
        order_by="ReplyHistory.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


CORRECTED = "corrected_by_supervisor"  # a history line's comment: a supervisor's correction


class ReplyHistory(Base):
    __tablename__ = "reply_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[str] = mapped_column(
        ForeignKey("replies.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    from_state: Mapped[str | None]
    to_state: Mapped[str]
    actor_id: Mapped[str | None]  # None: the sync cycle, on the server's word
    comment: Mapped[str | None]
    text: Mapped[str]  # the text as it stood, so an edit after a return is visible

    reply: Mapped[Reply] = relationship(back_populates="history")


class OutboxItem(Base):
    """A mutation waiting for the server, written with the change that made it."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4: idempotency key
    sequence: Mapped[int] = mapped_column(unique=True)  # send order
    type: Mapped[str]
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    reply_id: Mapped[str | None] = mapped_column(
        ForeignKey("replies.id", ondelete="SET NULL"), index=True
    )
    base_version: Mapped[int]
    payload: Mapped[dict[str, Any]]
    approval: Mapped[dict[str, Any] | None]
    state: Mapped[str] = mapped_column(index=True)  # sync.values.OutboxState
    attempts: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str | None]  # sync.errors.ErrorCode: why it stopped
    last_error: Mapped[str | None]  # the server's own words, if it gave any
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SyncState(Base):
    """One row: where the change feed stands and how the last cycle went."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    cursor: Mapped[str | None]
    server_offset_s: Mapped[float] = mapped_column(default=0.0)  # server clock minus ours
    last_success: Mapped[datetime | None]
    last_error: Mapped[str | None]
    last_error_at: Mapped[datetime | None]
    rules_fingerprint: Mapped[str | None] = mapped_column(String(64))  # of complaints.local_due
    # Bumped by triggers on every complaint write that can move the digest (migration
    # 0005); the replica's digest is kept with the count it was computed at.
    complaint_writes: Mapped[int] = mapped_column(default=0, server_default="0")
    kept_digest: Mapped[str | None] = mapped_column(String(64))
    kept_digest_writes: Mapped[int | None]

    @classmethod
    def of(cls, session: Session) -> SyncState:
        """The one row, made on first use."""
        state = session.get(cls, 1)
        if state is None:
            state = cls(id=1, server_offset_s=0.0)
            session.add(state)
            session.flush()
        return state


class Quarantine(Base):
    """A server record that failed validation, kept with the reason."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str]
    record_id: Mapped[str]
    raw: Mapped[str]
    reason: Mapped[str]
    at: Mapped[datetime]
    # Fetches by id since that still failed, and when the next is due by the server's
    # clock (None: at the next cycle); sync.cycle.refetch keeps both across restarts.
    tries: Mapped[int] = mapped_column(default=0, server_default="0")
    next_try_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEntry(Base):
    """One line of the hash-chained audit log (see sync/audit.py)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[str | None]
    action: Mapped[str]
    subject_kind: Mapped[str]
    subject_id: Mapped[str]
    details: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the chain's length and last hash, so a cut tail shows."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    count: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
