"""Pulling the office change feed, reconciling after a fresh snapshot, the digest check.

Each page is validated item by item with the wire models of
``sync.protocol``; a bad record is quarantined (``sync.quarantine``) and the rest
of the page goes in. A page and its ``next_cursor`` commit in one
transaction, so a crash between pages repeats at most one page.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any

import pydantic
from pydantic import StringConstraints
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync import delivery, protocol, reviews, workflow
from sync.cycle.context import CycleContext
from sync.http.urls import api_path
from sync.quarantine import quarantine, raw_name, release, validated, validation_reason
from sync.store import records
from sync.store.database import read_session, write_session
from sync.store.local import OutboxItem, Quarantine, SyncState
from sync.store.models import Complaint
from sync.transport import ApiError, TransportError
from sync.values import OutboxState

log = logging.getLogger(__name__)

# Small enough that a page (~65 KB gzipped with 1.5 KB bodies) fits between the
# cuts of a bad link: a page is not resumable, and at 500 a link cut every 256 KB
# never finished a pull (bench/sync_bad_link.py, docs/PERFORMANCE.md).
PAGE_LIMIT = 100
# A snapshot that would remove more than this share of the local complaints asks first.
MASS_REMOVAL_SHARE = 0.9
MAX_PAGES = 100_000  # a feed that never ends is a broken server, not a big office
DIGEST_OK, QUARANTINED, MISMATCH = "ok", "quarantined", "mismatch"
# The server's cursors are ~200 characters; a longer one could not go back in a URL
# and would block the feed for good once stored.
MAX_CURSOR_CHARS = 4096

class MassRemovalRefused(Exception):
    """The snapshot would empty the replica and nobody agreed: nothing was removed."""

    def __init__(self, removing: int, total: int) -> None:
        super().__init__(f"the server's snapshot would remove {removing} of {total} complaints")
        self.removing = removing
        self.total = total


class _Envelope(protocol.Wire):
    """A page with its items still raw: one bad item must not block the whole feed."""

    items: list[Any]
    next_cursor: Annotated[str, StringConstraints(max_length=MAX_CURSOR_CHARS)]
    has_more: bool
    server_time: datetime


@dataclass(frozen=True)
class Page:
    items: list[protocol.Change]
    next_cursor: str
    has_more: bool
    malformed: list[Any]  # items whose envelope (seq, kind, id, op) is unreadable
    clock_offset_s: float  # the page's server_time minus this PC's clock when it came


def pull_and_check(ctx: CycleContext) -> None:
    """Pull to the end of the feed, then compare digests; on a mismatch pull afresh once."""
    pull(ctx)
    if check_digest(ctx) != MISMATCH:
        return
    ctx.tally.note("digest mismatch: pulled again from the start")
    ctx.tally.so_far = replace(ctx.tally.so_far, full_resync=True)
    pull(ctx, from_start=True)
    if check_digest(ctx) == MISMATCH:
        ctx.tally.note("digest still differs after a fresh pull")


def pull(ctx: CycleContext, *, from_start: bool = False) -> None:
    """Pull pages to the end of the feed, each applied and committed with its cursor.

    The next page is fetched while this one is applied (one request in flight,
    never two): on a slow link the office waits for the network or the disk,
    not for both one after the other.
    """
    cursor = None if from_start else _stored_cursor(ctx)
    snapshot = cursor is None
    seen: set[str] = set()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead") as ahead:
        coming = ahead.submit(_fetch_page, ctx, cursor)
        for _ in range(MAX_PAGES):
            try:
                page = coming.result()
            except ApiError as exc:
                if exc.status != 410 or snapshot:
                    raise
                log.info("the feed no longer reaches our cursor: pulling from the start")
                ctx.tally.so_far = replace(ctx.tally.so_far, full_resync=True)
                cursor, snapshot, seen = None, True, set()
                coming = ahead.submit(_fetch_page, ctx, cursor)
                continue
            if page.has_more and page.next_cursor == cursor:
                raise TransportError("the change feed does not move on: the same cursor again")
            if page.has_more:
                coming = ahead.submit(_fetch_page, ctx, page.next_cursor)
            with write_session(ctx.db) as session:
                seen |= apply_page(session, ctx, page)
                SyncState.of(session).cursor = page.next_cursor
            so_far = ctx.tally.so_far
            ctx.tally.so_far = replace(so_far, pulled=so_far.pulled + len(page.items))
            ctx.tally.feed_offset_s = page.clock_offset_s
            ctx.progress(2, 4, f"pull {ctx.tally.so_far.pulled}")
            cursor = page.next_cursor
            if not page.has_more:
                break
        else:
            raise TransportError("the change feed did not end")
    if snapshot:
        reconcile(ctx, seen)


def _fetch_page(ctx: CycleContext, cursor: str | None) -> Page:
    params: dict[str, str | int] = {"limit": PAGE_LIMIT}
    if cursor is not None:
        params["cursor"] = cursor
    raw = ctx.transport.get_json(api_path("offices", ctx.office_id, "changes"), params=params)
    return _page(raw, received=datetime.now(UTC))


def _stored_cursor(ctx: CycleContext) -> str | None:
    with read_session(ctx.db) as session:
        state = session.get(SyncState, 1)
        return state.cursor if state is not None else None


def _page(raw: Any, received: datetime) -> Page:
    try:
        envelope = _Envelope.model_validate(raw)
    except pydantic.ValidationError as exc:
        # Without a trustworthy envelope no item can be placed: stop, keep the cursor.
        raise TransportError(f"a change page is malformed: {validation_reason(exc)}") from exc
    items: list[protocol.Change] = []
    malformed: list[Any] = []
    for item in envelope.items:
        try:
            items.append(protocol.Change.model_validate(item))
        except pydantic.ValidationError:
            malformed.append(item)
    offset = (envelope.server_time - received).total_seconds()
    return Page(items, envelope.next_cursor, envelope.has_more, malformed, offset)


def apply_page(session: Session, ctx: CycleContext, page: Page) -> set[str]:
    """Apply every item; returns the ids of complaints the page says are in scope."""
    in_scope: set[str] = set()
    now = ctx.now()
    # Read once per page what each item would otherwise ask alone (finding 7).
    known = _PageLookups.read(session, page)
    for item in page.malformed:
        kind, record_id = raw_name(item)
        quarantine(session, kind, record_id, item, ValueError("not a readable change"), now)
        ctx.tally.quarantined.add((kind, record_id))
    # Complaints new to the replica go in together, in the page's order with the rest.
    once = Counter(change.id for change in page.items if change.kind == "complaint")
    new: list[tuple[protocol.Complaint, protocol.Change]] = []
    for change in page.items:
        if change.op == "remove":
            _insert_new(session, ctx, new, now, known)
            _remove(session, ctx, change, now)
            continue
        if change.kind == "complaint":
            in_scope.add(change.id)
        wire = validated(session, change, now, held=known.quarantined,
                         quarantined=ctx.tally.quarantined)
        if wire is None:
            continue
        if (isinstance(wire, protocol.Complaint) and wire.id not in known.versions
                and once[wire.id] == 1):
            new.append((wire, change))
            continue
        _insert_new(session, ctx, new, now, known)
        _apply_alone(session, ctx, wire, change, now, known)
    _insert_new(session, ctx, new, now, known)
    return in_scope


def _insert_new(
    session: Session, ctx: CycleContext, new: list[tuple[protocol.Complaint, protocol.Change]],
    now: datetime, known: _PageLookups,
) -> None:
    """Insert the complaints gathered in ``new`` at once (then empty it); one by one if refused."""
    if not new:
        return
    wires = [wire for wire, _change in new]
    try:
        with session.begin_nested():
            records.insert_new_complaints(session, wires, ctx.rules)
        known.versions.update((wire.id, wire.version) for wire in wires)
    except IntegrityError:
        for wire, change in new:  # find the one the replica refuses, the rest go in
            _apply_alone(session, ctx, wire, change, now, known)
    new.clear()


def _apply_alone(
    session: Session, ctx: CycleContext, wire: protocol.Record, change: protocol.Change,
    now: datetime, known: _PageLookups,
) -> None:
    try:
        # A record the schema takes but the replica cannot (two events with one
        # id...) is set aside alone; the rest of the page still goes in.
        with session.begin_nested():
            _apply(session, ctx, wire, now, known)
    except IntegrityError as exc:
        # exc.orig names the constraint only; str(exc) would carry the row's values.
        refused = ValueError(f"the replica cannot hold it: {exc.orig}")
        quarantine(session, change.kind, change.id, change.data, refused, now)
        ctx.tally.quarantined.add((change.kind, change.id))


@dataclass
class _PageLookups:
    """The page's complaints already held (with their versions) and its quarantined records."""

    versions: dict[str, int]
    quarantined: set[tuple[str, str]]

    @classmethod
    def read(cls, session: Session, page: Page) -> _PageLookups:
        ids = {change.id for change in page.items}
        complaint_ids = [c.id for c in page.items if c.kind == "complaint"]
        versions = {complaint_id: version for complaint_id, version in session.execute(
            select(Complaint.id, Complaint.version).where(Complaint.id.in_(complaint_ids))
        )} if complaint_ids else {}
        held = {(kind, record_id) for kind, record_id in session.execute(
            select(Quarantine.kind, Quarantine.record_id).where(Quarantine.record_id.in_(ids))
        )} if ids else set()
        return cls(versions, held)


def _apply(
    session: Session, ctx: CycleContext, wire: protocol.Record, now: datetime, known: _PageLookups
) -> None:
    if isinstance(wire, protocol.Complaint):
        held = wire.id in known.versions
        if held and known.versions[wire.id] > wire.version:
            return  # the replica already holds a newer version (server order decides)
        records.upsert_complaint(session, wire, ctx.rules, known_new=not held)
        known.versions[wire.id] = wire.version
        if any(event.upstream for event in wire.events):
            delivery.settle_refusals(session, wire.id, now)
    elif isinstance(wire, protocol.Review):
        records.upsert_review(session, wire)
        reviews.apply_decision(session, wire, now)
    elif isinstance(wire, protocol.User):
        records.upsert_user(session, wire)
    elif isinstance(wire, protocol.Template):
        records.upsert_template(session, wire)
    elif isinstance(wire, protocol.Category):
        records.upsert_category(session, wire)


def _remove(session: Session, ctx: CycleContext, change: protocol.Change, now: datetime) -> None:
    release(session, change.kind, change.id)  # gone: no longer held against the digest
    if change.kind == "complaint":
        if remove_complaint(session, change.id, now):
            _count_removed(ctx)
    elif records.remove_record(session, change.kind, change.id):
        _count_removed(ctx)


def _count_removed(ctx: CycleContext) -> None:
    ctx.tally.so_far = replace(ctx.tally.so_far, removed=ctx.tally.so_far.removed + 1)


def remove_complaint(session: Session, complaint_id: str, now: datetime) -> bool:
    """Remove a complaint that left scope; with unsent work it stays, flagged, in conflict.

    Only mutations never tried go to conflict here: one that was tried may
    have been applied, and the server's answer to the next push decides it.
    """
    if records.remove_complaint(session, complaint_id):
        return True
    untried = session.scalars(
        select(OutboxItem.id).where(
            OutboxItem.complaint_id == complaint_id,
            OutboxItem.state == OutboxState.PENDING.value,
            OutboxItem.attempts == 0,
        )
    ).all()
    for mutation_id in untried:
        workflow.mark_conflict(
            session, mutation_id, server_record=None,
            changes=["the complaint left this office"], now=now,
        )
    return False


def reconcile(ctx: CycleContext, in_scope: set[str]) -> None:
    """After a snapshot: complaints it did not carry are gone, unless work hangs on them."""
    with read_session(ctx.db) as session:
        local = set(session.scalars(select(Complaint.id).where(Complaint.removed.is_(False))))
    missing = sorted(local - in_scope)
    if not missing:
        return
    if len(missing) > MASS_REMOVAL_SHARE * len(local):
        agreed = ctx.confirm_mass_removal is not None and ctx.confirm_mass_removal(
            len(missing), len(local)
        )
        if not agreed:
            raise MassRemovalRefused(len(missing), len(local))
    now = ctx.now()
    with write_session(ctx.db) as session:
        for complaint_id in missing:
            release(session, "complaint", complaint_id)
            if remove_complaint(session, complaint_id, now):
                _count_removed(ctx)


def _local_versions(session: Session) -> dict[str, int]:
    return {
        complaint_id: version
        for complaint_id, version in session.execute(
            select(Complaint.id, Complaint.version).where(Complaint.removed.is_(False))
        )
    }


def replica_digest(session: Session) -> str:
    """The digest of what the replica holds now, recomputed (``kept_local_digest`` keeps it)."""
    return protocol.scope_digest(_local_versions(session))


def _quarantined_versions(session: Session) -> dict[str, int]:
    """The versions the server sent in complaints we could not take."""
    found = {}
    for row in session.scalars(select(Quarantine).where(Quarantine.kind == "complaint")):
        try:
            version = json.loads(row.raw).get("version")
        except (ValueError, AttributeError):
            continue
        if isinstance(version, int):
            found[row.record_id] = version
    return found


def kept_local_digest(db: Engine) -> str:
    """The replica's digest, recomputed only when a complaint write moved it since."""
    with read_session(db) as session:
        state = session.get(SyncState, 1)
        writes = state.complaint_writes if state is not None else None
        if state is not None and state.kept_digest is not None \
                and state.kept_digest_writes == writes:
            return state.kept_digest
        digest = replica_digest(session)
    if writes is not None:
        # Kept with the count read beside the versions: a write since moves the count on.
        with write_session(db) as session:
            state = SyncState.of(session)
            state.kept_digest, state.kept_digest_writes = digest, writes
    return digest


def check_digest(ctx: CycleContext) -> str:
    """``ok``, ``quarantined`` (differs only by records we refused) or ``mismatch``."""
    raw = ctx.transport.get_json(api_path("offices", ctx.office_id, "digest"))
    try:
        server = protocol.Digest.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise TransportError(f"the digest answer is malformed: {validation_reason(exc)}") from exc
    digest_ok = kept_local_digest(ctx.db) == server.digest
    ctx.tally.so_far = replace(ctx.tally.so_far, digest_ok=digest_ok)
    if digest_ok:
        return DIGEST_OK
    with read_session(ctx.db) as session:
        versions = _local_versions(session)
        quarantined = _quarantined_versions(session)
    if quarantined and protocol.scope_digest({**versions, **quarantined}) == server.digest:
        # Pulling again would bring the same bad records: say so instead.
        ctx.tally.note(f"digest differs by {len(quarantined)} quarantined record(s)")
        return QUARANTINED
    log.warning("digest mismatch: %d complaints here, %d on the server", len(versions),
                server.complaints)
    return MISMATCH

