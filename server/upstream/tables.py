"""The hub's own tables for the road to SP4N-LAPOR!: what it saw upstream, and what it owes.

Created with the rest of the schema (``Database.create_all``); empty and
unused on a server without an upstream. No upstream credential is stored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class UpstreamComplaint(Base):
    """One upstream complaint the hub follows, and what it last saw of it.

    ``status_name`` is the upstream status as last read: the hub applies a
    status only when upstream's changes, so its own reply's new status is
    not undone by a poll that ran before the reply was delivered.
    """

    __tablename__ = "upstream_complaints"
    upstream_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    complaint_id: Mapped[str] = mapped_column(String(64), unique=True)
    marker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status_name: Mapped[str] = mapped_column(String(100), default="")
    disposition_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Fingerprints of the status logs and follow-ups already turned into events.
    seen: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    read_at: Mapped[datetime]


class UpstreamQuarantine(Base):
    """An upstream record the hub could not read, with why; tried again at every read."""

    __tablename__ = "upstream_quarantine"
    upstream_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(Text)
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class JobKind(StrEnum):
    FOLLOWUP = "followup"  # a reply (respond)
    COMPLETE = "complete"  # a closing reply
    REJECT = "reject"  # bukan wewenang: ask to move it to another agency


class JobState(StrEnum):
    PENDING = "pending"  # nothing sent yet
    SENDING = "sending"  # a post may be on its way: look before posting again
    DELIVERED = "delivered"
    REFUSED = "refused"  # upstream said no, in words; the office is told
    FAILED = "failed"  # attempts used up: the operator decides, nothing is dropped


OPEN_STATES = (JobState.PENDING, JobState.SENDING)


class UpstreamJob(Base):
    """An approved action the hub owes SP4N-LAPOR!, written with the action itself."""

    __tablename__ = "upstream_jobs"
    __table_args__ = (Index("ix_upstream_jobs_open", "state", "next_at"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=JobState.PENDING)
    complaint_id: Mapped[str] = mapped_column(String(64), index=True)
    upstream_id: Mapped[int] = mapped_column(BigInteger)
    office_id: Mapped[str] = mapped_column(String(64))
    # Who the office sees it from: the mutation that applied it, and its review if any.
    mutation_id: Mapped[str] = mapped_column(String(200))
    review_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    event_id: Mapped[str] = mapped_column(String(64))
    user_ids: Mapped[list[Any]] = mapped_column(JSON)  # hub users, first mapped one posts
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    attachment_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    target: Mapped[str] = mapped_column(Text, default="")  # a move's agency, as the office named it
    confidential: Mapped[bool] = mapped_column(default=False)
    # Follow-ups upstream with this text before the first post (None until read).
    baseline: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class UpstreamLease(Base):
    """Who runs the poller or the pusher, on SQLite (PostgreSQL uses an advisory lock)."""

    __tablename__ = "upstream_leases"
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime]


class UpstreamAgency(Base):
    """An agency SP4N-LAPOR! knows (a move's target), reloaded daily."""

    __tablename__ = "upstream_agencies"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(300))
