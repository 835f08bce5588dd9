"""Alembic environment: runs only over a connection the caller passes in."""

from __future__ import annotations

from alembic import context

import sync.store.local
import sync.store.models  # noqa: F401  (registers the tables on Base.metadata)
from sync.store.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("sync.store.migrate passes the connection; run migrations through it")



def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # The FTS5 index and its shadow tables live outside the ORM (revision 0002).
    return not (name or "").startswith("complaint_fts")


# Batch mode: SQLite alters a table by copying it, which Alembic does for us.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=_ours,
)
with context.begin_transaction():
    context.run_migrations()
