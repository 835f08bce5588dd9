"""Read the replica into the plain values the GUI and scripts get (sync.values).

Filtering, sorting and paging happen in SQL so the inbox stays quick with
many thousands of complaints; only the page asked for becomes Python values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, get_args

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from sync import protocol
from sync.deadlines import Rules, deadline_state
from sync.delivery import delivery_of
from sync.errors import ErrorCode, WorkspaceError
from sync.store import search
from sync.store.local import CORRECTED, OutboxItem, Quarantine, Reply
from sync.store.models import Category, Complaint, Template, User
from sync.store.records import SETTLED_REPLY_STATES, local_due
from sync.values import (
    AttachmentInfo,
    CategoryInfo,
    ComplaintDetail,
    ComplaintSummary,
    Deadline,
    DeadlineState,
    EventInfo,
    OutboxEntry,
    OutboxState,
    ReplyInfo,
    ReplyKind,
    ReplyState,
    ReporterInfo,
    TemplateInfo,
    UnreadableInfo,
)

_CLOSED = sorted(protocol.CLOSED_STATUSES)
# Named rather than "not closed": SQLite then counts from the inbox index
# (status, local_due) instead of reading every row whose due date qualifies
# (1.5 s to 26 ms for "overdue" at 100,000 complaints).
_OPEN = sorted(set(get_args(protocol.ComplaintStatus)) - protocol.CLOSED_STATUSES)
# "relevance": the best match first while searching (the deadline order otherwise).
SORT_KEYS = ("deadline", "relevance", "id", "title", "category", "type", "status", "flags",
             "reply_state", "submitted_at", "assigned_at", "updated_at")
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class ComplaintFilter:
    """What the inbox shows; every field None means no filter on it."""

    search: str | None = None
    status: str | None = None
    deadline_state: DeadlineState | None = None
    category_id: str | None = None
    reply_state: ReplyState | None = None  # complaints with a reply in this state
    complaint_id: str | None = None  # this one alone: "is it still listed?"


# The reply a list shows for a complaint: the newest one still in the office's
# hands (a reassignment waiting for approval), else the newest sent one. A sent
# note after it must not make the complaint look done.
_SHOWN_REPLY_ORDER = (
    case((Reply.state == ReplyState.SENT.value, 1), else_=0),
    Reply.updated_at.desc(),
)
_shown_reply_state = (
    select(Reply.state)
    .where(Reply.complaint_id == Complaint.id)
    .order_by(*_SHOWN_REPLY_ORDER)
    .limit(1)
    .scalar_subquery()
)
_shown_reply_kind = (
    select(Reply.kind)
    .where(Reply.complaint_id == Complaint.id)
    .order_by(*_SHOWN_REPLY_ORDER)
    .limit(1)
    .scalar_subquery()
)
_has_local_changes = exists().where(
    Reply.complaint_id == Complaint.id, Reply.state.not_in(SETTLED_REPLY_STATES)
)


def _deadline_condition(state: DeadlineState, rules: Rules, now: datetime) -> ColumnElement[bool]:
    """The SQL twin of ``deadlines.deadline_state`` over the stored due dates."""
    if state is DeadlineState.DONE:
        return Complaint.status.in_(_CLOSED)
    cal = rules.calendar
    today = cal.local_date(now)
    soon = cal.add_working_days(today, rules.due_soon_working_days)
    due = Complaint.local_due
    window = {
        DeadlineState.OVERDUE: due < today,
        DeadlineState.DUE_TODAY: due == today,
        DeadlineState.DUE_SOON: and_(due > today, due <= soon),
        DeadlineState.ON_TIME: due > soon,
    }[state]
    return and_(Complaint.status.in_(_OPEN), window)


def _deadline_state_column(rules: Rules, now: datetime) -> ColumnElement[str | None]:
    """Each complaint's ``DeadlineState`` value in SQL, as ``_deadline_condition`` draws them."""
    cal = rules.calendar
    today = cal.local_date(now)
    soon = cal.add_working_days(today, rules.due_soon_working_days)
    due = Complaint.local_due
    return case(
        (Complaint.status.in_(_CLOSED), DeadlineState.DONE.value),
        (Complaint.status.not_in(_OPEN), None),
        (due < today, DeadlineState.OVERDUE.value),
        (due == today, DeadlineState.DUE_TODAY.value),
        (due <= soon, DeadlineState.DUE_SOON.value),
        (due > soon, DeadlineState.ON_TIME.value),
        else_=None,
    )


def _filtered(
    statement: AnySelect, flt: ComplaintFilter, rules: Rules, now: datetime,
    *, ranked: Subquery | None = None, walk: bool = False,
) -> AnySelect:
    """``statement`` narrowed by ``flt``.

    ``ranked``: the search's ranked hits, joined (their rank orders the page);
    else a search narrows by key alone. ``walk``: by a key SQLite must not look
    up row by row, so it walks the default order's index instead (see
    ``_page_keys``).
    """
    if ranked is not None:
        statement = statement.join(ranked, ranked.c.pk == Complaint.pk)
    elif flt.search:
        hits = search.matching_pks(flt.search)
        if hits is not None:
            # "+pk": no rowid look-ups for the hits, which would read whole rows.
            key = literal_column("+complaints.pk") if walk else Complaint.pk
            statement = statement.where(key.in_(hits))
    if flt.complaint_id is not None:
        statement = statement.where(Complaint.id == flt.complaint_id)
    if flt.status is not None:
        statement = statement.where(Complaint.status == flt.status)
    if flt.category_id is not None:
        statement = statement.where(Complaint.category_id == flt.category_id)
    if flt.deadline_state is not None:
        statement = statement.where(_deadline_condition(flt.deadline_state, rules, now))
    if flt.reply_state is not None:
        statement = statement.where(
            exists().where(Reply.complaint_id == Complaint.id,
                           Reply.state == flt.reply_state.value)
        )
    return statement


# The default order exactly as migration 0008's index spells it: SQLite uses an
# index on expressions only for the same expressions, literals and all (a bound
# parameter in their place would not match). Closed ones last, then by due date.
_CLOSED_LAST: ColumnElement[int] = literal_column(
    "CASE WHEN complaints.status IN (" + ", ".join(f"'{s}'" for s in _CLOSED)
    + ") THEN 1 ELSE 0 END")
DEADLINE_ORDER: tuple[Any, ...] = (
    _CLOSED_LAST, Complaint.local_due.is_(None), Complaint.local_due, Complaint.assigned_at,
    Complaint.id)
# Below this many hits looking each one up and sorting them is quicker than walking
# the order's index for them (a walk past 100,000 keys that find none: 25 ms).
_WALK_FROM_HITS = 1000


def _sort_columns(sort: str | None) -> list[Any]:
    if sort is None or sort in ("deadline", "relevance"):
        return list(DEADLINE_ORDER)
    columns: dict[str, list[Any]] = {
        "id": [Complaint.id],
        "title": [func.lower(Complaint.title), Complaint.id],
        "category": [func.lower(Complaint.category_name), Complaint.id],
        "type": [Complaint.type, Complaint.id],
        "status": [Complaint.status, Complaint.id],
        "flags": [Complaint.confidential, Complaint.anonymous, Complaint.id],
        "reply_state": [_shown_reply_state, Complaint.id],
        "submitted_at": [Complaint.submitted_at, Complaint.id],
        "assigned_at": [Complaint.assigned_at, Complaint.id],
        "updated_at": [Complaint.updated_at, Complaint.id],
    }
    if sort not in columns:
        raise WorkspaceError(ErrorCode.VALIDATION, f"cannot sort by {sort!r}", fields=["sort"])
    return columns[sort]


def summaries(
    session: Session,
    flt: ComplaintFilter,
    *,
    rules: Rules,
    now: datetime,
    sort: str | None = None,
    descending: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[ComplaintSummary]:
    """One page of the inbox.

    By default open ones first, most urgent deadline first, searching or not;
    ``sort`` names a column instead (``SORT_KEYS``), or "relevance" for the
    best match first while searching; ``descending`` turns it round. A
    complaint whose number was typed comes first of all.
    """
    pinned = _numbered(session, flt, rules, now)
    head = pinned[offset:] if limit is None else pinned[offset:offset + limit]
    rest = None if limit is None else limit - len(head)
    page = head
    if rest is None or rest > 0:
        page = head + _page_keys(session, flt, rules, now, sort, descending,
                                 max(0, offset - len(pinned)), rest, pinned)
    if not page:
        return []
    # Two steps: the page's keys, sorted on the sort columns alone (which the
    # inbox indexes cover), then the shown columns for that page only. In one
    # query SQLite reads every whole row (1.5 KB bodies, decrypted) to sort:
    # 0.7 s a page at 100,000 complaints (bench/gui_inbox.py).
    statement: AnySelect = select(
        Complaint.pk, Complaint.id, Complaint.title, Complaint.category_name, Complaint.type,
        Complaint.status, Complaint.anonymous, Complaint.confidential, Complaint.submitted_at,
        Complaint.assigned_at, Complaint.updated_at, Complaint.due_at, Complaint.local_due,
        _shown_reply_state.label("reply_state"), _shown_reply_kind.label("reply_kind"),
        _has_local_changes.label("changed"),
    ).where(Complaint.pk.in_(page))
    rows = {row.pk: row._mapping for row in session.execute(statement)}
    return [_summary(rows[pk], rules, now) for pk in page if pk in rows]


def _numbered(session: Session, flt: ComplaintFilter, rules: Rules, now: datetime) -> list[int]:
    """Keys of the complaints whose number was typed (and the other criteria allow).

    Newest number first: a tail alone ("61") names one number of each year.
    """
    ids = search.numbered_ids(session, flt.search) if flt.search else []
    if not ids:
        return []
    statement = _filtered(select(Complaint.pk).where(Complaint.id.in_(ids)),
                          replace(flt, search=None), rules, now)
    return list(session.scalars(statement.order_by(Complaint.id.desc())))


def _page_keys(
    session: Session, flt: ComplaintFilter, rules: Rules, now: datetime, sort: str | None,
    descending: bool, offset: int, limit: int | None, pinned: list[int],
) -> list[int]:
    """The keys of one page in ``sort``'s order, the ``pinned`` ones left out."""
    ranked = None
    if sort == "relevance" and flt.search:
        # With nothing else narrowing, only the best hits (and ties) can be on the page.
        alone = limit is not None and not descending and replace(flt, search=None) == (
            ComplaintFilter())
        # The pinned ones may be among the best: left out below, so rank past them.
        ranked = (search.best_matches(session, flt.search, offset + limit + len(pinned))
                  if alone and limit is not None else search.matches(flt.search))
    # The default order is an index (0008): walked, a page of a search's many hits
    # needs no whole row and no sort (95,000 hits: 300 ms to 10 ms).
    walk = ranked is None and bool(flt.search) and _sort_columns(sort) == list(
        DEADLINE_ORDER) and _many_hits(session, flt.search)
    keys = _filtered(select(Complaint.pk), flt, rules, now, ranked=ranked, walk=walk)
    if pinned:
        keys = keys.where(Complaint.pk.not_in(pinned))
    order = ([ranked.c.rank] if ranked is not None else []) + _sort_columns(sort)
    if descending:
        order = [column.desc() for column in order]
    keys = keys.order_by(*order).offset(offset)
    if limit is not None:
        keys = keys.limit(limit)
    return list(session.scalars(keys))


def _many_hits(session: Session, typed: str | None) -> bool:
    hits = search.matching_pks(typed or "")
    if hits is None:
        return False
    counted = select(func.count()).select_from(hits.limit(_WALK_FROM_HITS).subquery())
    return int(session.scalar(counted) or 0) >= _WALK_FROM_HITS


def _search_pks(session: Session, typed: str) -> AnySelect | None:
    """Keys of every complaint ``typed`` finds: its words' hits and the number it names."""
    hits = search.matching_pks(typed)
    ids = search.numbered_ids(session, typed)
    if not ids:
        return hits
    numbered = select(Complaint.pk).where(Complaint.id.in_(ids))
    return numbered if hits is None else numbered.union(hits)  # type: ignore[return-value]


def count(session: Session, flt: ComplaintFilter, *, rules: Rules, now: datetime) -> int:
    others = replace(flt, search=None)
    if flt.search and others == ComplaintFilter():
        # A count needs no rank: from the index alone when only the search
        # narrows (one FTS row per complaint).
        hits = _search_pks(session, flt.search)
        if hits is not None:
            return int(session.scalar(select(func.count()).select_from(hits.subquery())) or 0)
    statement = _counted(session, select(func.count(Complaint.pk)), flt, rules, now)
    return int(session.scalar(statement) or 0)


def _counted(
    session: Session, statement: AnySelect, flt: ComplaintFilter, rules: Rules, now: datetime
) -> AnySelect:
    """``statement`` narrowed by ``flt``, a search by key: counting needs no rank."""
    statement = _filtered(statement, replace(flt, search=None), rules, now)
    hits = _search_pks(session, flt.search) if flt.search else None
    return statement if hits is None else statement.where(Complaint.pk.in_(hits))


FACETS = ("status", "deadline_state", "category_id", "reply_state")


def count_by(
    session: Session, flt: ComplaintFilter, facet: str, *, rules: Rules, now: datetime
) -> dict[str, int]:
    """For each value of ``facet`` (one of ``FACETS``), how many complaints it would show
    if chosen, the other criteria of ``flt`` kept; values nothing has are left out.

    One grouped query instead of a COUNT per value: the inbox's filters show
    these beside every choice.
    """
    if facet not in FACETS:
        raise WorkspaceError(ErrorCode.VALIDATION, f"cannot count by {facet!r}", fields=["facet"])
    others = replace(flt, **{facet: None})
    if facet == "reply_state":
        # A complaint with replies in two states counts under both, once each.
        key: Any = Reply.state
        statement: AnySelect = select(key, func.count(func.distinct(Reply.complaint_id))).join(
            Complaint, Complaint.id == Reply.complaint_id)
    else:
        key = {
            "status": Complaint.status,
            "deadline_state": _deadline_state_column(rules, now),
            "category_id": Complaint.category_id,
        }[facet]
        statement = select(key, func.count(Complaint.pk))
    statement = _counted(session, statement, others, rules, now).group_by(key)
    return {value: int(n) for value, n in session.execute(statement) if value is not None}


def _deadline(status: str, due: Any, rules: Rules, now: datetime) -> Deadline | None:
    if due is None:
        return None
    if status in protocol.CLOSED_STATUSES:
        return Deadline(due, DeadlineState.DONE, 0)
    return deadline_state(due, now, rules)


def _summary(row: Any, rules: Rules, now: datetime) -> ComplaintSummary:
    return ComplaintSummary(
        id=row["id"], title=row["title"], category=row["category_name"], type=row["type"],
        status=row["status"], anonymous=row["anonymous"], confidential=row["confidential"],
        submitted_at=row["submitted_at"], assigned_at=row["assigned_at"],
        updated_at=row["updated_at"], server_due_at=row["due_at"],
        deadline=_deadline(row["status"], row["local_due"], rules, now),
        reply_state=ReplyState(row["reply_state"]) if row["reply_state"] else None,
        has_local_changes=bool(row["changed"]),
        reply_kind=ReplyKind(row["reply_kind"]) if row["reply_kind"] else None,
    )


def detail(session: Session, complaint_id: str, *, rules: Rules, now: datetime) -> ComplaintDetail:
    row = session.scalar(select(Complaint).where(Complaint.id == complaint_id))
    if row is None:
        raise WorkspaceError(ErrorCode.NOT_FOUND, f"no complaint {complaint_id}")
    replies = session.scalars(
        select(Reply).where(Reply.complaint_id == complaint_id).order_by(Reply.created_at)
    ).all()
    shown = min(  # as _SHOWN_REPLY_ORDER
        replies,
        key=lambda r: (r.state == ReplyState.SENT.value, -r.updated_at.timestamp()),
        default=None,
    )
    summary = ComplaintSummary(
        id=row.id, title=row.title, category=row.category_name, type=row.type,
        status=row.status, anonymous=row.anonymous, confidential=row.confidential,
        submitted_at=row.submitted_at, assigned_at=row.assigned_at, updated_at=row.updated_at,
        server_due_at=row.due_at,
        deadline=_deadline(row.status, row.local_due or local_due(row, rules), rules, now),
        reply_state=ReplyState(shown.state) if shown else None,
        has_local_changes=any(r.state not in SETTLED_REPLY_STATES for r in replies),
        reply_kind=ReplyKind(shown.kind) if shown else None,
    )
    reporter = None
    if not row.anonymous and row.reporter_name is not None:
        reporter = ReporterInfo(row.reporter_name, row.reporter_phone, row.reporter_email)
    return ComplaintDetail(
        summary=summary, version=row.version, body=row.body, channel=row.channel,
        reporter=reporter, address=row.address, district=row.district, lat=row.lat,
        lon=row.lon, verified_at=row.verified_at, rating_score=row.rating_score,
        rating_comment=row.rating_comment,
        events=_credited(
            [EventInfo(e.id, e.at, e.type, e.actor_name, e.actor_role, e.text,
                       tuple(e.attachment_ids))
             for e in row.events],
            [r for r in replies if r.state == ReplyState.SENT.value],
            session,
        ),
        attachments=tuple(
            AttachmentInfo(a.id, a.filename, a.mime, a.size, a.sha256, a.local_path,
                           a.download_state, a.downloaded_bytes)
            for a in row.attachments
        ),
        replies=tuple(reply_info(r, [e.upstream for e in row.events]) for r in replies),
        removed=row.removed,
    )


def _credited(
    events: list[EventInfo], sent: list[Reply], session: Session
) -> tuple[EventInfo, ...]:
    """Each event that carries a reply sent from this office names its author and approver.

    Matched on the text the server shows (a reassignment request's event
    begins with its reason); the event itself names only the sender.
    """
    if not sent:
        return tuple(events)
    names = people(session)

    def sent_as(event: EventInfo) -> Reply | None:
        if event.type not in ("response", "note") or not event.text:
            return None
        for reply in sent:
            if event.text == reply.text or (
                reply.kind == ReplyKind.REQUEST_REASSIGNMENT.value
                and event.text.startswith(reply.text)
            ):
                return reply
        return None

    credited = []
    for event in events:
        reply = sent_as(event)
        if reply is not None:
            event = replace(
                event,
                written_by=names.get(reply.author_id),
                approved_by=names.get(reply.approved_by) if reply.approved_by else None,
                corrected=any(h.comment == CORRECTED for h in reply.history),
            )
        credited.append(event)
    return tuple(credited)


def sent_replies_by_kind(session: Session) -> dict[ReplyKind, int]:
    statement = (
        select(Reply.kind, func.count())
        .where(Reply.state == ReplyState.SENT.value)
        .group_by(Reply.kind)
    )
    return {ReplyKind(kind): int(n) for kind, n in session.execute(statement)}


def people(session: Session) -> dict[str, str]:
    return {u.id: u.full_name for u in session.scalars(select(User))}


def reply_info(reply: Reply, upstream: Iterable[dict[str, Any] | None] = ()) -> ReplyInfo:
    """A reply as the screens show it; ``upstream``: its complaint's events' hub words."""
    corrected_by = next(
        (h.actor_id for h in reversed(reply.history) if h.comment == CORRECTED), None
    )
    return ReplyInfo(
        id=reply.id, complaint_id=reply.complaint_id, kind=ReplyKind(reply.kind),
        text=reply.text, state=ReplyState(reply.state), author_id=reply.author_id,
        base_version=reply.base_version, created_at=reply.created_at,
        updated_at=reply.updated_at, suggested_agency=reply.suggested_agency,
        attachment_ids=tuple(reply.attachment_ids), approved_by=reply.approved_by,
        approved_at=reply.approved_at, return_comment=reply.return_comment,
        refusal=reply.refusal, conflict_changes=tuple(reply.conflict_changes),
        review_id=reply.review_id, corrected_by=corrected_by,
        delivery=delivery_of(reply, upstream),
    )


def outbox(session: Session) -> list[OutboxEntry]:
    """What waits to be sent, and what the server turned away that is not yet revised."""
    current = or_(
        OutboxItem.reply_id.is_(None),
        exists().where(Reply.id == OutboxItem.reply_id, Reply.mutation_id == OutboxItem.id),
    )
    items = session.scalars(
        select(OutboxItem)
        .where(OutboxItem.state != OutboxState.SENT.value, current)
        .order_by(OutboxItem.sequence)
    )
    return [
        OutboxEntry(
            mutation_id=item.id, reply_id=item.reply_id, type=item.type,
            complaint_id=item.complaint_id, state=OutboxState(item.state),
            created_at=item.created_at, attempts=item.attempts, last_error=item.last_error,
            error_code=ErrorCode.parse(item.error_code) if item.error_code else None,
        )
        for item in items
    ]


def unreadable(session: Session) -> list[UnreadableInfo]:
    """The office's complaints held in quarantine, oldest first (sync.cycle.refetch asks again)."""
    rows = session.scalars(
        select(Quarantine).where(Quarantine.kind == "complaint").order_by(Quarantine.at)
    )
    return [UnreadableInfo(row.record_id, row.reason, row.at, row.tries, row.next_try_at)
            for row in rows]


def categories(session: Session) -> list[CategoryInfo]:
    """The server's categories plus any a stored complaint names, by name.

    A complaint can carry a category whose own record has not arrived (yet):
    the inbox must still be able to filter by it.
    """
    names = {row.id: row.name for row in session.scalars(select(Category))}
    # The ids from their index alone; a name read only for an id with no record.
    # DISTINCT over (id, name) read every whole row: 1.4 s at 100,000 complaints.
    for category_id in session.scalars(select(Complaint.category_id).distinct()):
        if category_id not in names:
            names[category_id] = session.scalar(
                select(Complaint.category_name).where(Complaint.category_id == category_id)
                .limit(1)) or category_id
    listed = [CategoryInfo(category_id, name) for category_id, name in names.items()]
    return sorted(listed, key=lambda c: (c.name.casefold(), c.id))


def templates(session: Session) -> list[TemplateInfo]:
    """Reply templates, by title."""
    rows = session.scalars(select(Template).order_by(func.lower(Template.title), Template.id))
    return [TemplateInfo(row.id, row.title, row.type, row.body) for row in rows]
