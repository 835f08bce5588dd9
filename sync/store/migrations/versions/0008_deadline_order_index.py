"""deadline order index: the inbox's default order as an index SQLite walks, searching too

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:00:00

Revision 0004 covered the sort columns, but the order starts with an
expression (closed ones last), so SQLite still sorted every key for each
page: 37 ms at 100,000 complaints, and 150-500 ms with a search whose hits
it looked up row by row. An index on the order's own expressions gives the
order outright: the first page is read from its head, and a search walks it
checking each key against the hits until a page is full (under 10 ms for a
two-letter prefix with 95,000 hits; bench/gui_inbox.py). ``status`` and
``category_id`` ride along so the inbox's filters need no whole row either.

The expressions must stay written exactly as ``sync.store.queries``
orders by them (SQLite matches an index by its expressions);
tests/sync/test_search_order.py checks the plan.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_complaints_deadline ON complaints ("
        "(CASE WHEN status IN ('archived', 'completed') THEN 1 ELSE 0 END), "
        "(local_due IS NULL), local_due, assigned_at, id, status, category_id)"
    )


def downgrade() -> None:
    op.drop_index("ix_complaints_deadline", table_name="complaints")
