"""The office change feed: allocating seqs, paging by cursor, the digest.

Every change to a record an office sees moves that record's row in
``change_log`` to a fresh seq. Seqs are allocated on the ``feed_state`` row,
whose lock (PostgreSQL) or the database write lock (SQLite) is held until
the writing transaction commits, so seqs become visible in order and a
reader never passes one that commits later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, not_, or_, select, text, update
from sqlalchemy.orm import Session

from server.db import (
    NATIONAL,
    ChangeLog,
    Complaint,
    Database,
    FeedState,
    Review,
    Template,
    User,
    rows_changed,
    upsert_insert,
)
from server.db import Category as CategoryRow
from server.errors import ApiError
from sync.protocol import ErrorCode, scope_digest

KINDS = ("complaint", "user", "category", "template", "review")


@dataclass(frozen=True)
class ChangeRef:
    office_id: str
    kind: str
    entity_id: str
    op: str = "upsert"


def ensure_state(session: Session) -> FeedState:
    state = session.get(FeedState, 1)
    if state is None:
        state = FeedState(id=1, last_seq=0, purged_seq=0, cursor_key=secrets.token_hex(32))
        session.add(state)
        session.flush()
    return state


def allocate(session: Session, count: int) -> int:
    """Reserve ``count`` seqs; returns the first. Holds the feed lock until commit."""
    last = session.execute(
        update(FeedState)
        .where(FeedState.id == 1)
        .values(last_seq=FeedState.last_seq + count)
        .returning(FeedState.last_seq)
    ).scalar_one()
    return int(last) - count + 1


def publish(session: Session, now: datetime, *changes: ChangeRef) -> None:
    """Move each record to a fresh seq. Call last in the writing transaction.

    The seqs are taken and the rows moved in two statements, so the feed
    lock is held for two round trips and the commit: every writer of every
    office waits on it (docs/PERFORMANCE.md, issue 14 item 15).
    """
    if not changes:
        return
    session.flush()
    latest: dict[tuple[str, str, str], str] = {}
    for change in changes:  # a record changed twice here moves once, to its last place
        key = (change.office_id, change.kind, change.entity_id)
        latest.pop(key, None)
        latest[key] = change.op
    if session.get_bind().dialect.name == "postgresql":
        _publish_in_one_statement(session, now, latest)
        return
    first = allocate(session, len(latest))
    rows = [
        {"office_id": office, "kind": kind, "entity_id": entity, "seq": first + n, "op": op,
         "at": now}
        for n, ((office, kind, entity), op) in enumerate(latest.items())
    ]
    statement = upsert_insert(session)(ChangeLog).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=[ChangeLog.office_id, ChangeLog.kind, ChangeLog.entity_id],
        set_={"seq": statement.excluded.seq, "op": statement.excluded.op,
              "at": statement.excluded.at},
    ))


def _publish_in_one_statement(
    session: Session, now: datetime, latest: dict[tuple[str, str, str], str]
) -> None:
    """PostgreSQL: take the seqs and move the rows in one statement, so the feed lock
    is held for that statement and the commit, with no Python in between."""
    params: dict[str, Any] = {"count": len(latest), "at": now.astimezone(UTC).replace(tzinfo=None)}
    values = []
    for n, ((office, kind, entity), op) in enumerate(latest.items()):
        values.append(f"(:o{n}, :k{n}, :e{n}, {n}, :p{n})")
        params.update({f"o{n}": office, f"k{n}": kind, f"e{n}": entity, f"p{n}": op})
    session.execute(text(
        "WITH taken AS (UPDATE feed_state SET last_seq = last_seq + :count WHERE id = 1"
        " RETURNING last_seq - :count + 1 AS first)"
        " INSERT INTO change_log (office_id, kind, entity_id, seq, op, at)"
        " SELECT v.office_id, v.kind, v.entity_id, taken.first + v.n, v.op, CAST(:at AS timestamp)"
        f" FROM taken, (VALUES {', '.join(values)}) AS v(office_id, kind, entity_id, n, op)"
        " ON CONFLICT (office_id, kind, entity_id)"
        " DO UPDATE SET seq = excluded.seq, op = excluded.op, at = excluded.at"
    ), params)


def purge_removes(session: Session, before: datetime) -> int:
    """Forget removes older than ``before``; cursors from before them then get 410."""
    newest = session.execute(
        select(func.max(ChangeLog.seq)).where(ChangeLog.op == "remove", ChangeLog.at < before)
    ).scalar_one_or_none()
    if newest is None:
        return 0
    allocate(session, 0)  # take the feed lock like any writer
    gone = rows_changed(
        session, delete(ChangeLog).where(ChangeLog.op == "remove", ChangeLog.seq <= newest)
    )
    state = ensure_state(session)
    state.purged_seq = max(state.purged_seq, int(newest))
    return gone


# --- cursors ----------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    office_id: str
    seq: int  # everything up to here was delivered
    snapshot_seq: int  # removes at or below this were before the pull began
    issued_at: int  # unix seconds


class CursorCodec:
    """Opaque, tamper-evident cursors: base64 JSON plus an HMAC."""

    def __init__(self, key: str, retention_s: int) -> None:
        self._key = key.encode()
        self._retention_s = retention_s

    def encode(self, cursor: Cursor) -> str:
        raw = json.dumps(
            [cursor.office_id, cursor.seq, cursor.snapshot_seq, cursor.issued_at],
            separators=(",", ":"),
        ).encode()
        body = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return f"{body}.{self._sign(body)}"

    def decode(self, text: str, office_id: str, now: datetime, purged_seq: int) -> Cursor:
        expired = ApiError(410, ErrorCode.CURSOR_EXPIRED, "the feed no longer reaches this cursor")
        body, _, mac = text.partition(".")
        if not hmac.compare_digest(mac, self._sign(body)):
            raise expired
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            office, seq, snap, issued = json.loads(raw)
            cursor = Cursor(str(office), int(seq), int(snap), int(issued))
        except (ValueError, TypeError):
            raise expired from None
        too_old = now.timestamp() - cursor.issued_at > self._retention_s
        # A reader still needs the removes after both its place and its snapshot's
        # start (those before the snapshot are hidden from it): expired only if some
        # of those were purged. A snapshot's pages sit below a purge it needs nothing of.
        needs_from = max(cursor.seq, cursor.snapshot_seq)
        if cursor.office_id != office_id or too_old or needs_from < purged_seq:
            raise expired
        return cursor

    def _sign(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()[:32]


# --- reading ----------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursor: Cursor
    has_more: bool


def read_page(
    session: Session, office_id: str, cursor: Cursor | None, limit: int, now: datetime
) -> Page:
    state = ensure_state(session)
    if cursor is None:
        after, snap = 0, state.last_seq
        visible = ChangeLog.op == "upsert"  # a snapshot: what is in scope now
    else:
        after, snap = cursor.seq, cursor.snapshot_seq
        visible = not_(and_(ChangeLog.op == "remove", ChangeLog.seq <= snap))
    # One scope at a time, each read in seq order from ix_change_log_office_seq, then
    # merged: with both scopes in one IN, SQLite sorted every later row of the office
    # for every page, and a 100,000-complaint snapshot took minutes (bench 4).
    rows = sorted(
        (row for scope in dict.fromkeys((office_id, NATIONAL)) for row in session.scalars(
            select(ChangeLog)
            .where(ChangeLog.office_id == scope, ChangeLog.seq > after, visible)
            .order_by(ChangeLog.seq)
            .limit(limit + 1)
        )),
        key=lambda row: row.seq,
    )[:limit + 1]
    has_more = len(rows) > limit
    rows = list(rows[:limit])
    last = rows[-1].seq if rows else after
    if cursor is None:
        snap = max(snap, last)  # removes up to here were hidden from this pull too
    if not has_more:
        last = max(last, snap)  # only hidden removes lie between the two
    items = _with_data(session, office_id, rows)
    return Page(items, Cursor(office_id, last, snap, int(now.timestamp())), has_more)


def _with_data(session: Session, office_id: str, rows: list[ChangeLog]) -> list[dict[str, Any]]:
    wanted: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for row in rows:
        if row.op == "upsert":
            wanted[row.kind].append(row.entity_id)
    data = _load(session, office_id, wanted)
    items = []
    for row in rows:
        payload = data.get((row.kind, row.entity_id)) if row.op == "upsert" else None
        if row.op == "upsert" and payload is None:
            continue  # it just left the scope; its remove follows on a later page
        items.append(
            {"seq": row.seq, "kind": row.kind, "id": row.entity_id, "op": row.op, "data": payload}
        )
    return items


def office_view(data: dict[str, Any]) -> dict[str, Any]:
    """A complaint as an office may see it: never an anonim reporter's identity."""
    if data.get("anonymous") and data.get("reporter") is not None:
        return {**data, "reporter": None}
    return data


def _load(
    session: Session, office_id: str, wanted: dict[str, list[str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    # Rows are looked up by key and their office checked here: given the office in SQL
    # too, SQLite chose the office's index and read the whole office for every page
    # (200 ms a page at 100,000 complaints, bench 4).
    found: dict[tuple[str, str], dict[str, Any]] = {}
    if wanted["complaint"]:
        for c in session.scalars(select(Complaint).where(Complaint.id.in_(wanted["complaint"]))):
            if c.office_id == office_id:
                found[("complaint", c.id)] = office_view(c.data)
    if wanted["user"]:
        for u in session.scalars(select(User).where(User.id.in_(wanted["user"]))):
            if u.office_id == office_id:
                found[("user", u.id)] = u.wire()
    if wanted["category"]:
        for cat in session.scalars(
            select(CategoryRow).where(CategoryRow.id.in_(wanted["category"]))
        ):
            found[("category", cat.id)] = {"id": cat.id, "name": cat.name}
    if wanted["template"]:
        for t in session.scalars(
            select(Template).where(
                Template.id.in_(wanted["template"]),
                or_(Template.office_id == office_id, Template.office_id == NATIONAL),
            )
        ):
            found[("template", t.id)] = t.wire()
    if wanted["review"]:
        for r in session.scalars(select(Review).where(Review.id.in_(wanted["review"]))):
            if r.office_id == office_id:
                found[("review", r.id)] = r.wire()
    return found


def digest(session: Session, office_id: str) -> dict[str, Any]:
    versions = {
        complaint_id: version
        for complaint_id, version in session.execute(
            select(Complaint.id, Complaint.version).where(Complaint.office_id == office_id)
        )
    }
    as_of = ensure_state(session).last_seq
    return {"complaints": len(versions), "digest": scope_digest(versions), "as_of_seq": as_of}


@dataclass(frozen=True)
class _Kept:
    key: tuple[int, int, int]  # (the feed's last seq, complaints, the sum of their versions)
    at: float  # time.monotonic() when computed
    answer: dict[str, Any]


class DigestCache:
    """Each office's digest, kept until the feed or the office's versions move.

    Hashing every complaint costs ~8 ms per 1,000 and a sync with nothing to
    do asks every cycle (docs/PERFORMANCE.md, finding 15). Every announced
    change moves the feed's ``last_seq``; a write the feed never announces (an
    operator's SQL, another process, a bug) still moves the count or the sum of
    the office's versions, read from an index in a few milliseconds. Anything
    subtler (a restore that lands on the same three numbers) is caught after at
    most ``max_age_s``.
    """

    def __init__(self, db: Database, max_age_s: float = 300.0) -> None:
        self._db = db
        self._max_age_s = max_age_s
        self._kept: dict[str, _Kept] = {}
        self._lock = threading.Lock()

    def digest(self, office_id: str) -> dict[str, Any]:
        with self._db.snapshot() as session:
            count, total = session.execute(
                select(func.count(), func.coalesce(func.sum(Complaint.version), 0))
                .where(Complaint.office_id == office_id)
            ).one()
            key = (ensure_state(session).last_seq, int(count), int(total))
            with self._lock:
                kept = self._kept.get(office_id)
            if kept is not None and kept.key == key \
                    and time.monotonic() - kept.at < self._max_age_s:
                return kept.answer
            answer = digest(session, office_id)
        with self._lock:
            self._kept[office_id] = _Kept(key, time.monotonic(), answer)
        return answer


def retention_horizon(now: datetime, retention_s: int) -> datetime:
    return now - timedelta(seconds=retention_s)


class Purger:
    """Forgets removes past the retention horizon: at start, then at most hourly."""

    def __init__(self, db: Database, retention_s: int, every_s: int = 3600) -> None:
        self.db = db
        self.retention_s = retention_s
        self.every = timedelta(seconds=every_s)
        self.last: datetime | None = None
        self._lock = threading.Lock()

    def maybe(self, now: datetime) -> None:
        with self._lock:
            if self.last is not None and now - self.last < self.every:
                return
            self.last = now
        with self.db.writing() as session:
            purge_removes(session, retention_horizon(now, self.retention_s))
