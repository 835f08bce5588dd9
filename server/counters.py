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

from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.db import Database, RequestCount

# Older rows than this are swept; longer than any window a counter uses.
_SWEEP_AFTER_S = 2 * 3600
_SWEEP_EVERY_S = 600


@dataclass(frozen=True)
class Count:
    hits: int
    window_ends: int  # unix seconds


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
                    else_=fresh.hits,
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

    def _maybe_sweep(self, now: float) -> None:
        with self._lock:
            if now - self._swept < _SWEEP_EVERY_S:
                return
            self._swept = now
        with self.db.counters.begin() as conn:
            conn.execute(
                delete(RequestCount).where(RequestCount.window_start < now - _SWEEP_AFTER_S)
            )
