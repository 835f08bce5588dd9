"""Write the server's records (validated wire models) into the replica.

The sync engine calls these inside the transaction that applies a page;
tests call them to fill a replica without a server. Each function is an
idempotent upsert or remove keyed by the record's id.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from sync import protocol
from sync.deadlines import Rules, deadline_for
from sync.store import search_index
from sync.store.local import OutboxItem, Reply
from sync.store.models import Attachment, Category, Complaint, Event, Review, Template, User
from sync.values import OutboxState, ReplyState

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
        _copy_fields(row, wire)
        row.removed = False  # back in scope
        row.local_due = local_due(row, rules) if rules is not None else None
        if _replace_events(session, row, wire, new=new):
            stale.add(wire.id)
        _merge_attachments(session, row, wire, new=new)
    return row


def local_due(row: Complaint, rules: Rules) -> date:
    """The due date of the deadline that runs in this status (it does not depend on now)."""
    return deadline_for(
        status=row.status, complaint_type=row.type, assigned_at=row.assigned_at,
        now=row.assigned_at, rules=rules,
    ).due


def refresh_local_due(session: Session, rules: Rules) -> int:
    """Recompute every stored due date (after the rules changed); returns how many."""
    rows = session.scalars(select(Complaint)).all()
    for row in rows:
        row.local_due = local_due(row, rules)
    return len(rows)


def _copy_fields(row: Complaint, wire: protocol.Complaint) -> None:
    row.version = wire.version
    row.type = wire.type
    row.title = wire.title
    row.body = wire.body
    row.category_id = wire.category.id
    row.category_name = wire.category.name
    row.channel = wire.channel
    row.anonymous = wire.anonymous
    row.confidential = wire.confidential
    # An anonymous reporter is never written, whatever the server sent.
    reporter = None if wire.anonymous else wire.reporter
    row.reporter_name = reporter.name if reporter else None
    row.reporter_phone = reporter.phone if reporter else None
    row.reporter_email = reporter.email if reporter else None
    location = wire.location
    row.address = location.address if location else None
    row.district = location.district if location else None
    row.lat = location.lat if location else None
    row.lon = location.lon if location else None
    row.status = wire.status
    row.submitted_at = wire.submitted_at
    row.verified_at = wire.verified_at
    row.assigned_at = wire.assigned_at
    row.due_at = wire.due_at
    row.updated_at = wire.updated_at
    row.rating_score = wire.rating.score if wire.rating else None
    row.rating_comment = wire.rating.comment if wire.rating else None


_EVENT_COLUMNS = ("id", "position", "at", "type", "actor_id", "actor_name", "actor_role",
                  "text", "attachment_ids")


def _replace_events(
    session: Session, row: Complaint, wire: protocol.Complaint, *, new: bool = False
) -> bool:
    """Rewrite the timeline only when it changed (then the search row is stale): True if so.

    A ``new`` complaint has no timeline yet: nothing to read or delete first
    (two statements fewer per complaint in an initial sync).
    """
    wanted = [
        {
            "id": event.id,
            "position": position,
            "at": event.at,
            "type": event.type,
            "actor_id": event.actor.id if event.actor else None,
            "actor_name": event.actor.name if event.actor else None,
            "actor_role": event.actor.role if event.actor else None,
            "text": event.text,
            "attachment_ids": [meta.id for meta in event.attachments],
        }
        for position, event in enumerate(wire.events)
    ]
    session.flush()  # the complaint row must exist before its events point at it
    if not new:
        stored = session.execute(
            select(*(getattr(Event, name) for name in _EVENT_COLUMNS))
            .where(Event.complaint_id == wire.id)
            .order_by(Event.position)
        )
        if [dict(r._mapping) for r in stored] == wanted:
            return False
        session.execute(delete(Event).where(Event.complaint_id == wire.id))
    if wanted:
        session.execute(insert(Event), [{"complaint_id": wire.id, **event} for event in wanted])
    session.expire(row, ["events"])
    return True


def _merge_attachments(
    session: Session, row: Complaint, wire: protocol.Complaint, *, new: bool = False
) -> None:
    """Keep download progress of attachments that are still there; drop the rest."""
    wanted: dict[str, tuple[protocol.AttachmentMeta, str | None]] = {
        meta.id: (meta, None) for meta in wire.attachments
    }
    for event in wire.events:
        for meta in event.attachments:
            wanted.setdefault(meta.id, (meta, event.id))
    if new and not wanted:
        return  # nothing stored, nothing to store
    existing = {} if new else {
        att.id: att
        for att in session.scalars(select(Attachment).where(Attachment.complaint_id == wire.id))
    }
    for att_id, stale in existing.items():
        if att_id not in wanted:
            session.delete(stale)
    for att_id, (meta, event_id) in wanted.items():
        att: Attachment | None = existing.get(att_id) or session.get(Attachment, att_id)
        if att is None:
            att = Attachment(id=att_id, complaint_id=wire.id)
            session.add(att)
        if att.sha256 is not None and att.sha256 != meta.sha256:
            # Different content under the same id: the old download is worthless.
            att.local_path, att.download_state, att.downloaded_bytes = None, "missing", 0
        att.complaint_id = wire.id
        att.event_id = event_id
        att.filename = protocol.safe_filename(meta.filename)  # shown and offered to save
        att.mime = meta.mime
        att.size = meta.size
        att.sha256 = meta.sha256


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
