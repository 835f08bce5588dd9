"""Keeping the search index (``complaint_fts``, revision 0002) in step with many writes.

The index's triggers rebuild a complaint's whole row (title, body, every
event text) after each row written. A writer about to write many rows of
one complaint holds them (revision 0006) and rebuilds the row once at the
end, inside the same transaction, so no reader ever sees the index behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

# Plain SQL too, for bulk loaders on a raw DB-API connection (bench/bulk.py).
HOLD_SQL = "UPDATE complaint_fts_hold SET held = ?"
_BUILD_FROM = (
    "INSERT INTO complaint_fts (rowid, title, body, events) "
    "SELECT pk, title, body, coalesce((SELECT group_concat(text, ' ') FROM "
    "(SELECT text FROM events WHERE events.complaint_id = complaints.id "
    "ORDER BY position)), '') FROM complaints"
)
BUILD_AFTER_SQL = _BUILD_FROM + " WHERE pk > ?"  # complaints inserted after that pk

_DROP = text("DELETE FROM complaint_fts WHERE rowid IN "
             "(SELECT pk FROM complaints WHERE id IN :ids)").bindparams(
    bindparam("ids", expanding=True))
_BUILD = text(_BUILD_FROM + " WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))


@contextmanager
def held(session: Session) -> Iterator[set[str]]:
    """Write complaints inside; add to the set given the ids whose index row must be rebuilt.

    Inside, the triggers stand aside for every write but a removal, so the
    caller names each complaint whose title, body or events it wrote. The
    hold is cleared even when the block fails: the transaction never ends
    with the triggers standing aside.
    """
    stale: set[str] = set()
    session.flush()  # rows written before the hold were indexed by the triggers
    _hold(session, on=True)
    try:
        yield stale
        session.flush()
        rebuild(session, stale)
    finally:
        # A failed flush leaves nothing to run until the caller rolls back, and
        # that rollback takes the hold away with it.
        if session.is_active:
            _hold(session, on=False)


def _hold(session: Session, *, on: bool) -> None:
    session.connection().exec_driver_sql(HOLD_SQL, (int(on),))


def rebuild(session: Session, complaint_ids: Iterable[str]) -> None:
    """Index these complaints afresh from their rows (absent ones are skipped)."""
    ids = list(complaint_ids)
    if ids:
        session.execute(_DROP, {"ids": ids})
        session.execute(_BUILD, {"ids": ids})
