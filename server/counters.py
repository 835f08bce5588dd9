"""Fixed-window counters in the database: one upsert per hit, shared by every worker.

A row per key holds the start of its current window and the hits in it. One
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (SQLite 3.35+, PostgreSQL)
starts a new window or adds to the current one and says the count, so a
request costs one statement and no read-then-write race between workers. A
fixed window lets up to twice the limit through around a window's edge; for
a limit meant to stop floods, not to meter, that is the price of one row.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Integer, String, case, column, delete, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.db import Database, RequestCount, UTCDateTime

# Older rows than this are swept; longer than any window a counter uses.
_SWEEP_AFTER_S = 2 * 3600
_SWEEP_EVERY_S = 600


@dataclass(frozen=True)
class Count:
    hits: int
    window_ends: int  # unix seconds


@dataclass(frozen=True)
class GateCount:
    """One authenticated request's statement: its address counted, its caller's row
    (``server.auth.caller_query``'s columns, None for an unknown token), her account counted."""

    address: Count
    caller: Any
    account: Count | None


# PostgreSQL: data-modifying CTEs run whether or not the outer query reads them.
_GATE = text("""
WITH here AS (
  INSERT INTO request_counts AS rc (key, window_start, hits) VALUES (:address, :start, 1)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rc.window_start = excluded.window_start THEN rc.hits + 1 ELSE 1 END,
    window_start = excluded.window_start
  RETURNING hits),
who AS (
  SELECT a.expires_at, f.revoked_at, f.device_id, u.id AS user_id, u.username, u.full_name,
         u.role, u.office_id, u.active
  FROM access_tokens a JOIN token_families f ON a.family_id = f.id
  JOIN users u ON f.user_id = u.id WHERE a.token_hash = :token),
account AS (
  INSERT INTO request_counts AS rc (key, window_start, hits)
  SELECT 'account:' || who.user_id, :start, 1 FROM who
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rc.window_start = excluded.window_start THEN rc.hits + 1 ELSE 1 END,
    window_start = excluded.window_start
  RETURNING hits)
SELECT (SELECT hits FROM here) AS address_hits, (SELECT hits FROM account) AS account_hits,
       who.* FROM (SELECT 1) AS one LEFT JOIN who ON true
""").columns(
    column("address_hits", Integer), column("account_hits", Integer),
    column("expires_at", UTCDateTime), column("revoked_at", UTCDateTime),
    column("device_id", String), column("user_id", String), column("username", String),
    column("full_name", String), column("role", String), column("office_id", String),
    column("active", Boolean),
)


class Counters:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._insert: Any = postgresql.insert if db.is_postgres else sqlite.insert
        self._swept = 0.0
        self._lock = threading.Lock()

    def hit(
        self, key: str, window_s: int, now: float, amount: int = 1, session: Session | None = None
    ) -> Count:
        """Add ``amount`` to ``key``'s current window; the hits in it so far (0 adds nothing).

        With ``session`` the hit is part of that transaction; else it commits alone.
        """
        start = int(now) // window_s * window_s
        row = self._insert(RequestCount).values(key=key, window_start=start, hits=amount)
        fresh = row.excluded
        statement = row.on_conflict_do_update(
            index_elements=[RequestCount.key],
            set_={
                "hits": case(
                    (RequestCount.window_start == fresh.window_start,
                     RequestCount.hits + fresh.hits),
                    # A take-back (a negative amount) never opens a window below zero.
                    else_=case((fresh.hits < 0, 0), else_=fresh.hits),
                ),
                "window_start": fresh.window_start,
            },
        ).returning(RequestCount.hits)
        if session is not None:
            return Count(int(session.execute(statement).scalar_one()), start + window_s)
        with self.db.counters.begin() as conn:
            hits = int(conn.execute(statement).scalar_one())
        self._maybe_sweep(now)
        return Count(hits, start + window_s)

    def gate(self, address: str, hashed_token: str, window_s: int, now: float) -> GateCount:
        """PostgreSQL only: ``address:`` counted, the token's holder found, her account counted."""
        start = int(now) // window_s * window_s
        with self.db.counters.begin() as conn:
            row = conn.execute(
                _GATE, {"address": "address:" + address, "start": start, "token": hashed_token}
            ).one()
        self._maybe_sweep(now)
        ends = start + window_s
        found = None if row.user_id is None else tuple(row)[2:]
        account = None if row.account_hits is None else Count(int(row.account_hits), ends)
        return GateCount(Count(int(row.address_hits), ends), found, account)

    def _maybe_sweep(self, now: float) -> None:
        with self._lock:
            if now - self._swept < _SWEEP_EVERY_S:
                return
            self._swept = now
        with self.db.counters.begin() as conn:
            conn.execute(
                delete(RequestCount).where(RequestCount.window_start < now - _SWEEP_AFTER_S)
            )
