"""Quarantined complaints asked for again by id (SYNC-API 1.1) until readable or gone.

The feed sends a record again only when its version moves, so one fixed on
the server in place, or one this client version could not read, would stay
hidden from the office for good: a complaint nobody answers (issue 14, item
3). Each cycle asks ``GET /offices/{office}/complaints/{id}`` for the
quarantined complaints that are due. A record that comes readable enters the
replica like any other and leaves the quarantine; one the server says is not
the office's (404 ``not_found``, 403 ``forbidden``) leaves it as a remove
would. Anything else and the record waits longer: 2 minutes, 4, 8... at most
6 hours, by the server's clock, kept in the replica so a restart does not
start the count again.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import pydantic
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sync import delivery, protocol
from sync.cycle.context import CycleContext
from sync.cycle.pull import check_digest, remove_complaint
from sync.errors import ErrorCode
from sync.http.urls import api_path
from sync.quarantine import kept_raw, release, validation_reason
from sync.store.database import write_session
from sync.store.local import Quarantine
from sync.store.records import apply_complaint
from sync.transport import ApiError, OfflineError, TransportError

log = logging.getLogger(__name__)

FIRST_WAIT = timedelta(minutes=2)
WAIT_CAP = timedelta(hours=6)
# One request each: an office with hundreds of bad records asks for some per cycle.
PER_CYCLE = 50
UNKNOWN_ID = "?"  # a change whose id could not be read: nothing to ask for


class Refetch(StrEnum):
    """How one fetch by id of a quarantined complaint ended."""

    READABLE = "readable"  # in the replica now, out of the quarantine
    LEFT_SCOPE = "left_scope"  # not the office's any more: out of the quarantine
    UNREADABLE = "unreadable"  # came again, still unreadable: waits longer
    UNANSWERED = "unanswered"  # no usable answer (5xx, 429, a 4xx, a bad body): waits longer


def wait_after(tries: int) -> timedelta:
    """The wait after ``tries`` failed fetches: 2 min doubling, capped at 6 h."""
    doublings = min(max(tries - 1, 0), 20)  # past 20 the cap holds anyway; no huge ints
    wait: timedelta = FIRST_WAIT * (2**doublings)
    return min(wait, WAIT_CAP)


def is_due(next_try_at: datetime | None, now: datetime) -> bool:
    # Past the cap means the clock moved back (a corrected server offset): ask now.
    return next_try_at is None or next_try_at <= now or next_try_at > now + WAIT_CAP


def refetch_quarantined(ctx: CycleContext) -> None:
    """Ask again for the due quarantined complaints; then say how the replica stands."""
    due = _due(ctx)
    ended: Counter[Refetch] = Counter()
    for complaint_id in due:
        try:
            outcome = _refetch_one(ctx, complaint_id)
        except OfflineError as exc:
            if exc.status is None:
                raise  # the link is down: the cycle ends offline, no record is charged
            _waits_longer(ctx, complaint_id)  # 429 or 5xx until the transport gave up
            ended[Refetch.UNANSWERED] += 1
            break  # a busy server is not asked for the rest this cycle
        ended[outcome] += 1
    resolved = ended[Refetch.READABLE] + ended[Refetch.LEFT_SCOPE]
    if ended:
        log.info("quarantined complaints asked for again: %s", dict(ended))
    if resolved:
        ctx.tally.note(f"{resolved} quarantined complaint(s) fetched again and resolved")
        check_digest(ctx)  # the report says how the replica stands now, not before


def _due(ctx: CycleContext) -> list[str]:
    now = ctx.now()
    with write_session(ctx.db) as session:
        rows = session.scalars(
            select(Quarantine).where(Quarantine.kind == "complaint").order_by(Quarantine.id)
        )
        return [
            row.record_id for row in rows
            # One set aside in this very cycle was just read: it waits for the next.
            if ("complaint", row.record_id) not in ctx.tally.quarantined
            and row.record_id != UNKNOWN_ID and is_due(row.next_try_at, now)
        ][:PER_CYCLE]


class _OneComplaint(protocol.Wire):
    complaint: Any  # validated on its own, so a bad record is told from a bad answer


def _refetch_one(ctx: CycleContext, complaint_id: str) -> Refetch:
    raw: Any = None
    try:
        path = api_path("offices", ctx.office_id, "complaints", complaint_id)
        raw = _OneComplaint.model_validate(ctx.transport.get_json(path)).complaint
        wire = protocol.Complaint.model_validate(raw)
        if wire.id != complaint_id:
            raise ValueError(f"data id {wire.id!r} is not the complaint asked for")
    except ApiError as exc:
        if (exc.status, exc.code) in ((404, ErrorCode.NOT_FOUND), (403, ErrorCode.FORBIDDEN)):
            _left_scope(ctx, complaint_id)
            return Refetch.LEFT_SCOPE
        if exc.status == 401:
            raise  # refused credentials: the cycle's own answer (log in again)
        log.warning("quarantined complaint %s: the server answered %s", complaint_id, exc.code)
        _waits_longer(ctx, complaint_id)
        return Refetch.UNANSWERED
    except OfflineError:
        raise
    except (pydantic.ValidationError, ValueError) as exc:
        if raw is None:  # the envelope itself was wrong: the record's reason still holds
            _waits_longer(ctx, complaint_id)
            return Refetch.UNANSWERED
        _waits_longer(ctx, complaint_id, raw, exc)
        return Refetch.UNREADABLE
    except TransportError as exc:  # malformed, too large, nested too deep, a bad id
        log.warning("quarantined complaint %s: no readable answer: %s", complaint_id, exc)
        _waits_longer(ctx, complaint_id)
        return Refetch.UNANSWERED
    try:
        with write_session(ctx.db) as session:
            apply_complaint(session, wire, ctx.rules)
            if any(event.upstream for event in wire.events):
                delivery.settle_refusals(session, wire.id, ctx.now())
            release(session, "complaint", complaint_id)
    except IntegrityError as exc:
        # exc.orig names the constraint only; str(exc) would carry the row's values.
        _waits_longer(ctx, complaint_id, raw,
                      ValueError(f"the replica cannot hold it: {exc.orig}"))
        return Refetch.UNREADABLE
    log.info("quarantined complaint %s fetched again: readable", complaint_id)
    ctx.tally.so_far = replace(ctx.tally.so_far, pulled=ctx.tally.so_far.pulled + 1)
    return Refetch.READABLE


def _left_scope(ctx: CycleContext, complaint_id: str) -> None:
    log.info("quarantined complaint %s is no longer in the office's scope", complaint_id)
    now = ctx.now()
    with write_session(ctx.db) as session:
        release(session, "complaint", complaint_id)
        # An older readable copy goes as a remove would take it: kept while work hangs on it.
        if remove_complaint(session, complaint_id, now):
            so_far = ctx.tally.so_far
            ctx.tally.so_far = replace(so_far, removed=so_far.removed + 1)


def _waits_longer(
    ctx: CycleContext, complaint_id: str, raw: Any = None, error: Exception | None = None
) -> None:
    """One more failed try: the next after a longer wait; a new reason where one came."""
    now = ctx.now()
    with write_session(ctx.db) as session:
        row = session.scalars(select(Quarantine).where(
            Quarantine.kind == "complaint", Quarantine.record_id == complaint_id
        )).first()
        if row is None:
            return
        ctx.tally.quarantined.add(("complaint", complaint_id))
        row.tries += 1
        row.next_try_at = now + wait_after(row.tries)
        if error is not None:
            row.reason = validation_reason(error)
            row.raw = kept_raw(raw)
            log.warning("quarantined complaint %s still unreadable: %s", complaint_id, row.reason)
