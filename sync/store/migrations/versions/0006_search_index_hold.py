"""search index hold: a writer of many rows may index a complaint once, not once per row

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 00:00:00

Revision 0002's triggers rebuild a complaint's whole index row (title, body,
every event text) after each row written, so a complaint arriving with five
events was tokenised six times: most of an initial sync's time in SQLite
(docs/PERFORMANCE.md, finding 6). The triggers that rebuild now stand aside
while ``complaint_fts_hold.held`` is set; ``sync.store.search_index.held``
sets it inside the writer's transaction, then rebuilds the rows it touched
once, and clears it before the transaction ends. Any other writer (plain
SQL, an older tool) still gets the triggers, so the index cannot drift.
Removing a complaint's index row is cheap and stays unconditional.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_HELD_ONES = (
    "complaints_fts_insert", "complaints_fts_update",
    "events_fts_insert", "events_fts_update", "events_fts_delete",
)
_NOT_HELD = " FOR EACH ROW WHEN (SELECT held FROM complaint_fts_hold) = 0"


def _recreate(name: str, old: str, new: str) -> None:
    """Re-create revision 0002's trigger as stored, with ``old`` before its BEGIN made ``new``."""
    sql = op.get_bind().execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": name},
    ).scalar_one()
    head, body = sql.split(" BEGIN ", 1)
    if not head.endswith(old):
        raise RuntimeError(f"trigger {name} is not as revision 0002 left it")
    op.execute(f"DROP TRIGGER {name}")
    op.execute(f"{head[:len(head) - len(old)]}{new} BEGIN {body}")


def upgrade() -> None:
    # One row; outside the ORM like the index itself (named so env.py leaves it alone).
    op.execute(
        "CREATE TABLE complaint_fts_hold ("
        "id INTEGER PRIMARY KEY CHECK (id = 1), held INTEGER NOT NULL DEFAULT 0)"
    )
    op.execute("INSERT INTO complaint_fts_hold (id, held) VALUES (1, 0)")
    for name in _HELD_ONES:
        _recreate(name, "", _NOT_HELD)


def downgrade() -> None:
    for name in _HELD_ONES:
        _recreate(name, _NOT_HELD, "")
    op.execute("DROP TABLE complaint_fts_hold")
