"""Failed logins: locked per (username, address), slowed per username, never the officer's PCs.

Decision 0011. Every attempt that reaches the password check is first
counted as a failure, in the same transaction that judged it, and a correct
password takes it back: parallel guesses cannot slip past the count while
their hashes run, and every worker sees the same rows.
"""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_
from sqlalchemy.orm import Session

from server.config import Lockout
from server.counters import Counters
from server.db import Database, LoginAccount, LoginSource, upsert_insert
from server.errors import ApiError, come_back_later
from sync.protocol import ErrorCode

_SWEEP_EVERY = timedelta(minutes=10)


def _wait_s(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


def locked(wait: int) -> ApiError:
    return come_back_later(
        423, ErrorCode.ACCOUNT_LOCKED, "too many failed logins: try again later", wait
    )


def slowed(wait: int) -> ApiError:
    message = "too many failed logins for this name or from here: slow down"
    return come_back_later(429, ErrorCode.RATE_LIMITED, message, wait)


class LoginGuard:
    def __init__(self, db: Database, counters: Counters, policy: Lockout) -> None:
        self.db = db
        self.counters = counters
        self.policy = policy
        self._swept: datetime | None = None
        self._lock = threading.Lock()

    def admit(
        self, session: Session, username: str, address: str, known_device: bool, now: datetime
    ) -> None:
        """Refuse (423, 429) or let the attempt's password be checked, counted as failed."""
        p = self.policy
        source = self._row(session, LoginSource, (username, address), username=username,
                           address=address, failures=0, window_start=now, locked_until=None,
                           last_success_at=None)
        account = self._row(session, LoginAccount, username, username=username, failures=0,
                            window_start=now, next_try_at=None)
        if source.locked_until is not None and source.locked_until > now:
            raise locked(_wait_s(source.locked_until, now))
        seen = source.last_success_at
        known = known_device or (seen is not None and now - seen < timedelta(seconds=p.known_for_s))
        failures_here = "login-failures:" + address
        ts = now.timestamp()
        if not known:
            here = self.counters.hit(failures_here, p.window_s, ts, 0, session=session)
            if here.hits >= p.address_failures:
                raise slowed(max(1, math.ceil(here.window_ends - ts)))
            if account.next_try_at is not None and account.next_try_at > now:
                raise slowed(_wait_s(account.next_try_at, now))
        if now - source.window_start >= timedelta(seconds=p.window_s):
            source.failures, source.window_start = 0, now
        source.failures += 1
        if source.failures >= p.failures:
            source.locked_until = now + timedelta(seconds=p.duration_s)
            source.failures, source.window_start = 0, now
        if now - account.window_start >= timedelta(seconds=p.account_window_s):
            account.failures, account.window_start = 0, now
        account.failures += 1
        excess = account.failures - p.account_failures
        if excess > 0 and not known:  # 2, 4, 8 ... seconds, up to the cap
            delay = min(p.delay_cap_s, 2 ** min(excess, 30))
            account.next_try_at = now + timedelta(seconds=delay)
        self.counters.hit(failures_here, p.window_s, ts, 1, session=session)

    def succeeded(self, session: Session, username: str, address: str, now: datetime) -> None:
        """The password was right: take back its failure, unlock this source, know it."""
        source = session.get(LoginSource, (username, address), with_for_update=True)
        if source is not None:
            source.failures, source.locked_until = 0, None
            source.window_start, source.last_success_at = now, now
        account = session.get(LoginAccount, username, with_for_update=True)
        if account is not None and account.failures > 0:
            account.failures -= 1
        ts = now.timestamp()
        self.counters.hit("login-failures:" + address, self.policy.window_s, ts, -1,
                          session=session)

    def maybe_sweep(self, now: datetime) -> None:
        """Forget sources and names with nothing left to remember, at most every 10 minutes."""
        with self._lock:
            if self._swept is not None and now - self._swept < _SWEEP_EVERY:
                return
            self._swept = now
        p = self.policy
        window_ago = now - timedelta(seconds=p.window_s)
        with self.db.writing() as session:
            session.execute(delete(LoginSource).where(
                LoginSource.window_start < window_ago,
                or_(LoginSource.locked_until.is_(None), LoginSource.locked_until < now),
                or_(LoginSource.last_success_at.is_(None),
                    LoginSource.last_success_at < now - timedelta(seconds=p.known_for_s)),
            ))
            session.execute(delete(LoginAccount).where(and_(
                LoginAccount.window_start < now - timedelta(seconds=p.account_window_s),
                or_(LoginAccount.next_try_at.is_(None), LoginAccount.next_try_at < now),
            )))

    def _row(self, session: Session, model: Any, key: Any, **fresh: Any) -> Any:
        """The row, locked for this transaction; made first where it is missing."""
        row = session.get(model, key, with_for_update=True)
        if row is None:
            session.execute(upsert_insert(session)(model).values(**fresh).on_conflict_do_nothing())
            row = session.get(model, key, with_for_update=True, populate_existing=True)
        return row

