"""Write the server's records (validated wire models) into the replica.

The sync cycle calls these inside the transaction that applies a page;
tests call them to fill a replica without a server. Each function is an
idempotent upsert or remove keyed by the record's id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, exists, insert, select
from sqlalchemy.orm import Session

from sync import protocol
from sync.deadlines import Rules, deadline_for
from sync.store import search_index
from sync.store.base import Base
from sync.store.local import OutboxItem, Reply
from sync.store.models import Attachment, Category, Complaint, Event, Review, Template, User
from sync.values import OutboxState, ReplyState

# The tables themselves, for inserts that skip the ORM's unit of work.
_COMPLAINTS, _EVENTS, _ATTACHMENTS = (
    Base.metadata.tables[name] for name in ("complaints", "events", "attachments"))

# Reply states that hold work not yet accepted by the server.
SETTLED_REPLY_STATES = frozenset({ReplyState.SENT.value})


def upsert_complaint(
    session: Session, wire: protocol.Complaint, rules: Rules | None = None,
    *, known_new: bool = False,
) -> Complaint:
    """Insert or replace one complaint with its events and attachments.

    With ``rules``, the office's own due date is computed too (else it stays
    unset until ``refresh_local_due``). ``known_new``: the caller has just seen
    that the replica lacks it, so it is not looked up again.
    """
    # Its search row is built once, not once per event written (finding 6).
    with search_index.held(session) as stale:
        row = None if known_new else session.scalar(
            select(Complaint).where(Complaint.id == wire.id))
        new = row is None
        if row is None:
            row = Complaint(id=wire.id)
            session.add(row)
        if new or (row.title, row.body) != (wire.title, wire.body):
            stale.add(wire.id)
        for name, value in complaint_values(wire, rules).items():
            setattr(row, name, value)
        if _replace_events(session, row, wire, new=new):
            stale.add(wire.id)
        _merge_attachments(session, row, wire, new=new)
    return row


def apply_complaint(session: Session, wire: protocol.Complaint, rules: Rules) -> None:
    """Upsert unless the replica already holds a newer version (server order decides)."""
    local_version = session.scalar(select(Complaint.version).where(Complaint.id == wire.id))
    if local_version is not None and local_version > wire.version:
        return
    upsert_complaint(session, wire, rules)


def insert_new_complaints(
    session: Session, wires: Sequence[protocol.Complaint], rules: Rules | None = None
) -> None:
    """Insert complaints the replica lacks: one statement per table, one index build.

    What an initial sync spends most of its time on (finding 7): the rows go
    in without the ORM's unit of work. Any row the replica refuses (an id
    taken, two events with one id) fails the whole call; the caller then
    rolls back and writes them one by one to find the culprit.
    """
    if not wires:
        return
    with search_index.held(session) as stale:
        _insert_many(session, _COMPLAINTS,
                     [{"id": w.id, **complaint_values(w, rules)} for w in wires])
        _insert_many(session, _EVENTS, [row for wire in wires for row in _event_values(wire)])
        files = [(wire.id, att_id, meta, event_id) for wire in wires
                 for att_id, (meta, event_id) in _wanted_attachments(wire).items()]
        kept = _kept_files(session, {att_id for _c, att_id, _m, _e in files})
        _insert_many(session, _ATTACHMENTS, [
            {"id": att_id, "complaint_id": complaint_id,
             **_attachment_values(meta, event_id), **_download_of(kept, att_id, meta)}
            for complaint_id, att_id, meta, event_id in files
        ])
        stale.update(wire.id for wire in wires)


def _insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """One ``executemany`` of ``rows`` (all with the same keys), converted as the columns say.

    Through the driver, as bench 1's floor inserts: SQLAlchemy's per-row
    parameter handling cost about as much as SQLite's own work.
    """
    if not rows:
        return
    connection = session.connection()
    columns = [(name, table.c[name].type.bind_processor(connection.dialect)) for name in rows[0]]
    names = ", ".join(name for name, _to in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(row[name] if to is None else to(row[name]) for name, to in columns)
         for row in rows],
    )


def local_due(row: Complaint, rules: Rules) -> date:
    """The due date of the deadline that runs in this status (it does not depend on now)."""
    return _due(row.status, row.type, row.assigned_at, rules)


def _due(status: str, complaint_type: str, assigned_at: datetime, rules: Rules) -> date:
    return deadline_for(status=status, complaint_type=complaint_type, assigned_at=assigned_at,
                        now=assigned_at, rules=rules).due


def refresh_local_due(session: Session, rules: Rules) -> int:
    """Recompute every stored due date (after the rules changed); returns how many."""
    rows = session.scalars(select(Complaint)).all()
    for row in rows:
        row.local_due = local_due(row, rules)
    return len(rows)


def complaint_values(wire: protocol.Complaint, rules: Rules | None) -> dict[str, Any]:
    """The complaint row's columns (all but ``pk`` and ``id``) for a wire complaint."""
    # An anonymous reporter is never written, whatever the server sent.
    reporter = None if wire.anonymous else wire.reporter
    location = wire.location
    return {
        "version": wire.version,
        "type": wire.type,
        "title": wire.title,
        "body": wire.body,
        "category_id": wire.category.id,
        "category_name": wire.category.name,
        "channel": wire.channel,
        "anonymous": wire.anonymous,
        "confidential": wire.confidential,
        "reporter_name": reporter.name if reporter else None,
        "reporter_phone": reporter.phone if reporter else None,
        "reporter_email": reporter.email if reporter else None,
        "address": location.address if location else None,
        "district": location.district if location else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "status": wire.status,
        "submitted_at": wire.submitted_at,
        "verified_at": wire.verified_at,
        "assigned_at": wire.assigned_at,
        "due_at": wire.due_at,
        "updated_at": wire.updated_at,
        "rating_score": wire.rating.score if wire.rating else None,
        "rating_comment": wire.rating.comment if wire.rating else None,
        "removed": False,  # back in scope
        "local_due": (_due(wire.status, wire.type, wire.assigned_at, rules)
                      if rules is not None else None),
    }


_EVENT_COLUMNS = ("id", "position", "at", "type", "actor_id", "actor_name", "actor_role",
                  "text", "attachment_ids", "upstream")


def _event_values(wire: protocol.Complaint) -> list[dict[str, Any]]:
    return [
        {
            "complaint_id": wire.id,
            "id": event.id,
            "position": position,
            "at": event.at,
            "type": event.type,
            "actor_id": event.actor.id if event.actor else None,
            "actor_name": event.actor.name if event.actor else None,
            "actor_role": event.actor.role if event.actor else None,
            "text": event.text,
            "attachment_ids": [meta.id for meta in event.attachments],
            "upstream": event.upstream.model_dump() if event.upstream else None,
        }
        for position, event in enumerate(wire.events)
    ]


def _replace_events(
    session: Session, row: Complaint, wire: protocol.Complaint, *, new: bool = False
) -> bool:
    """Rewrite the timeline only when it changed (then the search row is stale): True if so.

    A ``new`` complaint has no timeline yet: nothing to read or delete first
    (two statements fewer per complaint in an initial sync).
    """
    wanted = _event_values(wire)
    session.flush()  # the complaint row must exist before its events point at it
    if not new:
        stored = session.execute(
            select(Event.complaint_id, *(getattr(Event, name) for name in _EVENT_COLUMNS))
            .where(Event.complaint_id == wire.id)
            .order_by(Event.position)
        )
        if [dict(r._mapping) for r in stored] == wanted:
            return False
        session.execute(delete(Event).where(Event.complaint_id == wire.id))
    if wanted:
        session.execute(insert(_EVENTS), wanted)
    session.expire(row, ["events"])
    return True


def _wanted_attachments(
    wire: protocol.Complaint,
) -> dict[str, tuple[protocol.AttachmentMeta, str | None]]:
    """Every file of the complaint by id, with the event it came with (None: the report)."""
    wanted: dict[str, tuple[protocol.AttachmentMeta, str | None]] = {
        meta.id: (meta, None) for meta in wire.attachments
    }
    for event in wire.events:
        for meta in event.attachments:
            wanted.setdefault(meta.id, (meta, event.id))
    return wanted


def _attachment_values(meta: protocol.AttachmentMeta, event_id: str | None) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "filename": protocol.safe_filename(meta.filename),  # shown and offered to save
        "mime": meta.mime,
        "size": meta.size,
        "sha256": meta.sha256,
    }


def _merge_attachments(
    session: Session, row: Complaint, wire: protocol.Complaint, *, new: bool = False
) -> None:
    """Keep download progress of attachments that are still there; drop the rest."""
    wanted = _wanted_attachments(wire)
    if new and not wanted:
        return  # nothing stored, nothing to store
    existing = {} if new else {
        att.id: att
        for att in session.scalars(select(Attachment).where(Attachment.complaint_id == wire.id))
    }
    for att_id, stale in existing.items():
        if att_id not in wanted:
            session.delete(stale)
    kept = _kept_files(session, set(wanted) - set(existing))
    for att_id, (meta, event_id) in wanted.items():
        att = existing.get(att_id)
        if att is None:
            att = Attachment(id=att_id, complaint_id=wire.id, **_download_of(kept, att_id, meta))
            session.add(att)
        _describe_attachment(att, meta, event_id)


_NOT_DOWNLOADED: dict[str, Any] = {"download_state": "missing", "downloaded_bytes": 0,
                                   "local_path": None}


def _kept_files(session: Session, att_ids: set[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Files already downloaded for another complaint, by id: their content hash and where."""
    if not att_ids:
        return {}
    rows = session.execute(
        select(Attachment.id, Attachment.sha256, Attachment.local_path, Attachment.size)
        .where(Attachment.id.in_(att_ids), Attachment.download_state == "done")
    )
    return {att_id: (sha256, {"download_state": "done", "downloaded_bytes": size,
                              "local_path": local_path})
            for att_id, sha256, local_path, size in rows}


def _download_of(
    kept: dict[str, tuple[str, dict[str, Any]]], att_id: str, meta: protocol.AttachmentMeta
) -> dict[str, Any]:
    """A new row of a file shares the download of the same content, else it is to fetch."""
    sha256, download = kept.get(att_id, ("", _NOT_DOWNLOADED))
    return download if sha256 == meta.sha256 else _NOT_DOWNLOADED


def _describe_attachment(
    att: Attachment, meta: protocol.AttachmentMeta, event_id: str | None
) -> None:
    """Give a complaint's file row the record's description of the file."""
    if att.sha256 is not None and att.sha256 != meta.sha256:
        # Different content under the same id: the old download is worthless.
        att.local_path, att.download_state, att.downloaded_bytes = None, "missing", 0
    for name, value in _attachment_values(meta, event_id).items():
        setattr(att, name, value)


def has_unsent_work(session: Session, complaint_id: str) -> bool:
    """True while a reply or outbox item on this complaint is not settled."""
    open_reply = exists().where(
        Reply.complaint_id == complaint_id, Reply.state.not_in(SETTLED_REPLY_STATES)
    )
    open_mutation = exists().where(
        OutboxItem.complaint_id == complaint_id, OutboxItem.state != OutboxState.SENT.value
    )
    return bool(session.scalar(select(open_reply | open_mutation)))


def remove_complaint(session: Session, complaint_id: str) -> bool:
    """Drop a complaint that left scope; keep it flagged if work hangs on it.

    Returns True when the row was deleted, False when it was kept (or absent).
    """
    row = session.scalar(select(Complaint).where(Complaint.id == complaint_id))
    if row is None:
        return False
    if has_unsent_work(session, complaint_id):
        row.removed = True
        return False
    session.execute(delete(OutboxItem).where(OutboxItem.complaint_id == complaint_id))
    session.delete(row)
    session.flush()
    return True


def upsert_user(session: Session, wire: protocol.User) -> None:
    # A username may move to a new id on the server: the newest record wins.
    session.execute(delete(User).where(User.username == wire.username, User.id != wire.id))
    session.merge(
        User(
            id=wire.id,
            username=wire.username,
            full_name=wire.full_name,
            role=wire.role,
            office_id=wire.office_id,
            active=wire.active,
        )
    )


def upsert_category(session: Session, wire: protocol.Category) -> None:
    session.merge(Category(id=wire.id, name=wire.name))


def upsert_template(session: Session, wire: protocol.Template) -> None:
    session.merge(Template(id=wire.id, title=wire.title, type=wire.type, body=wire.body))


def upsert_review(session: Session, wire: protocol.Review) -> None:
    session.merge(
        Review(
            id=wire.id,
            complaint_id=wire.complaint_id,
            author_id=wire.author_id,
            mutation_type=wire.mutation_type,
            payload=dict(wire.payload),
            base_version=wire.base_version,
            submitted_at=wire.submitted_at,
            state=wire.state,
            decision=wire.decision.model_dump(mode="json") if wire.decision else None,
        )
    )


def remove_record(session: Session, kind: str, record_id: str) -> bool:
    """Apply a change-feed ``remove`` of any kind; True when a row went away."""
    if kind == "complaint":
        return remove_complaint(session, record_id)
    tables: dict[str, type[User | Category | Template | Review]] = {
        "user": User,
        "category": Category,
        "template": Template,
        "review": Review,
    }
    table = tables[kind]
    result = session.execute(delete(table).where(table.id == record_id))
    return bool(getattr(result, "rowcount", 0))
