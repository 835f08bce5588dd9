"""Tables that mirror the server's records (the contract's Complaint, User...).

The sync cycle fills them from validated wire models (see ``records.py``);
nothing else writes them. The whole file is SQLCipher-encrypted, which is
what keeps the reporter's contact data encrypted at rest.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.store.base import Base


class Complaint(Base):
    __tablename__ = "complaints"
    # Covers the inbox's sort columns (migration 0004): pages sort without reading bodies.
    # Migration 0008 adds ix_complaints_deadline, on the default order's expressions: plain
    # SQL, as SQLAlchemy cannot reflect it (sync.store.queries walks it).
    # ix_complaints_when (0012): the office's memory's window checked from the key alone.
    __table_args__ = (Index("ix_complaints_inbox", "status", "local_due", "assigned_at", "id"),
                      Index("ix_complaints_when", "pk", "submitted_at", "removed"))

    # An integer key that VACUUM never renumbers: the FTS index points at it.
    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    version: Mapped[int]
    type: Mapped[str]
    title: Mapped[str]
    body: Mapped[str]
    category_id: Mapped[str] = mapped_column(index=True)
    category_name: Mapped[str]
    channel: Mapped[str]
    anonymous: Mapped[bool]
    confidential: Mapped[bool]
    # Never set while anonymous: the identity must not reach this office's disk.
    reporter_name: Mapped[str | None]
    reporter_phone: Mapped[str | None]
    reporter_email: Mapped[str | None]
    address: Mapped[str | None]
    district: Mapped[str | None]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    status: Mapped[str] = mapped_column(index=True)
    submitted_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]
    assigned_at: Mapped[datetime]
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    rating_score: Mapped[int | None]
    rating_comment: Mapped[str | None]
    # Left the office's scope but kept because unsent work hangs on it.
    removed: Mapped[bool] = mapped_column(default=False)
    # The office's own deadline by its rules (revision 0003), for sorting in SQL.
    local_due: Mapped[date | None] = mapped_column(index=True)

    events: Mapped[list[Event]] = relationship(
        back_populates="complaint",
        order_by="Event.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="complaint",
        order_by="Attachment.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Event(Base):
    __tablename__ = "events"

    complaint_id: Mapped[str] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int]  # order on the server's timeline
    at: Mapped[datetime]
    type: Mapped[str]
    actor_id: Mapped[str | None]
    actor_name: Mapped[str | None]
    actor_role: Mapped[str | None]
    text: Mapped[str | None]
    attachment_ids: Mapped[list[str]] = mapped_column(default=list)
    # A hub's word on an office action's delivery to SP4N-LAPOR! (protocol.UpstreamDelivery).
    upstream: Mapped[dict[str, Any] | None] = mapped_column(default=None)

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class Attachment(Base):
    __tablename__ = "attachments"

    # One file of one complaint: an upload may be attached to several (revision 0007).
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    event_id: Mapped[str | None]  # None: attached to the report itself
    filename: Mapped[str]
    mime: Mapped[str]
    size: Mapped[int]
    sha256: Mapped[str]
    local_path: Mapped[str | None]  # set once downloaded and its hash checked
    download_state: Mapped[str] = mapped_column(default="missing")  # missing|partial|done|failed
    downloaded_bytes: Mapped[int] = mapped_column(default=0)

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    username: Mapped[str] = mapped_column(unique=True)
    full_name: Mapped[str]
    role: Mapped[str]
    office_id: Mapped[str]
    active: Mapped[bool]


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str]


class Template(Base):
    __tablename__ = "templates"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str]
    type: Mapped[str]
    body: Mapped[str]


class Review(Base):
    """A draft in the office's shared approval queue (from any computer)."""

    __tablename__ = "reviews"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    # No foreign key: a review may arrive before, or outlive, its complaint.
    complaint_id: Mapped[str] = mapped_column(index=True)
    author_id: Mapped[str]
    mutation_type: Mapped[str]
    payload: Mapped[dict[str, Any]]
    base_version: Mapped[int]
    submitted_at: Mapped[datetime]
    state: Mapped[str]
    decision: Mapped[dict[str, Any] | None]
