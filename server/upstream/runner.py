"""The hub's two workers (poller and pusher), and who may run them.

Every server worker process starts both loops, but each loop does work
only while it holds its role's leadership: a PostgreSQL advisory lock held
on a connection of its own (gone the moment the process dies, even by
SIGKILL), or on SQLite a lease row renewed while it works.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text, update

from server.config import utc_now
from server.db import Database, rows_changed
from server.uploads import Uploads
from server.upstream.connector import Connector, UpstreamError
from server.upstream.outbox import UpstreamOutbox
from server.upstream.poller import Poller
from server.upstream.profile import Profile
from server.upstream.pusher import Pusher
from server.upstream.tables import UpstreamLease

log = logging.getLogger(__name__)

POLLER, PUSHER = "poller", "pusher"
PUSH_IDLE_S = 1.0  # how often an idle pusher looks for new jobs (one indexed query)


class Leadership:
    """One holder of a role at a time, across processes."""

    def __init__(
        self,
        db: Database,
        role: str,
        *,
        lease_s: float = 30.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db, self.role, self.lease_s, self.clock = db, role, lease_s, clock
        self.holder = uuid.uuid4().hex
        self._key = zlib.crc32(f"lapor-upstream-{role}".encode())
        self._connection: Any = None

    def hold(self) -> bool:
        """Take or keep the role; False while another process has it."""
        try:
            return self._pg_hold() if self.db.is_postgres else self._lease_hold()
        except Exception:  # a lost database connection loses the role, not the loop
            log.exception("upstream %s: leadership check failed", self.role)
            self.release()
            return False

    def release(self) -> None:
        if self._connection is not None:
            # Back in the pool the session would keep the lock: unlock, or drop the connection.
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                self._connection.commit()
                self._connection.close()
            except Exception:
                with contextlib.suppress(Exception):
                    self._connection.invalidate()
            self._connection = None
        elif not self.db.is_postgres:
            with self.db.writing() as session:
                session.execute(
                    update(UpstreamLease)
                    .where(UpstreamLease.role == self.role, UpstreamLease.holder == self.holder)
                    .values(until=self.clock() - timedelta(seconds=1))
                )

    def _pg_hold(self) -> bool:
        if self._connection is not None:
            self._connection.exec_driver_sql("SELECT 1")  # still alive, so still held
            return True
        connection = self.db.engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}).scalar()
        connection.commit()
        if got:
            self._connection = connection
            return True
        connection.close()
        return False

    def _lease_hold(self) -> bool:
        now = self.clock()
        until = now + timedelta(seconds=self.lease_s)
        with self.db.writing() as session:
            taken = rows_changed(
                session,
                update(UpstreamLease)
                .where(
                    UpstreamLease.role == self.role,
                    (UpstreamLease.holder == self.holder) | (UpstreamLease.until < now),
                )
                .values(holder=self.holder, until=until),
            )
            if taken:
                return True
            if session.get(UpstreamLease, self.role) is None:
                session.add(UpstreamLease(role=self.role, holder=self.holder, until=until))
                return True
        return False


class UpstreamRunner:
    """Polls and pushes in two daemon threads until ``stop``."""

    def __init__(
        self,
        db: Database,
        profile: Profile,
        connector: Connector,
        outbox: UpstreamOutbox,
        uploads: Uploads,
        *,
        lease_s: float = 30.0,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.profile, self.clock = profile, clock
        self.rng = rng or random.Random()
        self.poller = Poller(db, connector, profile, clock=clock)
        self.pusher = Pusher(db, connector, profile, outbox, uploads, clock=clock, rng=self.rng)
        self.leads = {
            role: Leadership(db, role, lease_s=lease_s, clock=clock) for role in (POLLER, PUSHER)
        }
        self._stop = threading.Event()
        self._poll_now = threading.Event()
        self._threads: list[threading.Thread] = []
        self.polls = 0  # finished polls, for tests and the log

    def start(self) -> None:
        for name, loop in ((POLLER, self._poll_loop), (PUSHER, self._push_loop)):
            thread = threading.Thread(target=loop, name=f"upstream-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self._poll_now.set()
        for thread in self._threads:
            thread.join(timeout=30)
        for lead in self.leads.values():
            lead.release()

    def poll_soon(self) -> None:
        """Start the next poll now (a test, or an operator's command)."""
        self._poll_now.set()

    def _poll_loop(self) -> None:
        poll = self.profile.doc.poll
        failures = 0
        masters_due = self.clock()
        while not self._stop.is_set():
            delay = min(poll.interval_s, self.leads[POLLER].lease_s / 3)
            if self.leads[POLLER].hold():
                try:
                    if self.clock() >= masters_due:
                        self.poller.refresh_masters()
                        masters_due = self.clock() + timedelta(seconds=poll.templates_every_s)
                    report = self.poller.poll()
                    log.info("upstream %s", report.line())
                    failures = 0
                    delay = poll.interval_s
                except UpstreamError as exc:
                    failures += 1
                    ceiling = min(poll.backoff_cap_s, poll.backoff_base_s * 2 ** (failures - 1))
                    delay = self.rng.uniform(0, ceiling)  # full jitter
                    if exc.credentials_refused:  # the operator's to fix: say it loudly
                        log.error("SP4N-LAPOR! refused the hub's credentials (%s)", exc.status)
                    log.warning("upstream poll failed (%s); again in %.0f s", exc.message, delay)
                except Exception:
                    log.exception("upstream poll failed")
                    delay = poll.backoff_cap_s
                finally:
                    self.polls += 1
            self._wait(delay)

    def _push_loop(self) -> None:
        while not self._stop.is_set():
            if self.leads[PUSHER].hold():
                try:
                    self.pusher.run_due()
                except Exception:
                    log.exception("upstream push failed")
            self._stop.wait(PUSH_IDLE_S)

    def _wait(self, seconds: float) -> None:
        """Sleep, but renew the lease meanwhile and wake for ``poll_soon`` or ``stop``."""
        lease = self.leads[POLLER].lease_s / 3
        end = self.clock() + timedelta(seconds=seconds)
        while not self._stop.is_set():
            left = (end - self.clock()).total_seconds()
            if left <= 0 or self._poll_now.wait(min(left, lease)):
                self._poll_now.clear()
                return
            self.leads[POLLER].hold()
