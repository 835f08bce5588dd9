"""quarantine retry: how often a quarantined record was asked for again, and when next

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00

A record quarantined with a readable version never came again until its
version changed (issue 14, item 3). Each cycle now fetches the due ones
again by id (SYNC-API 1.1, ``sync.cycle.refetch``); ``tries`` counts the fetches
that still failed and ``next_try_at`` (server time, NULL: the next cycle)
when the next is due: 2 minutes doubling to 6 hours, kept across restarts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quarantine") as batch_op:
        batch_op.add_column(sa.Column("tries", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("next_try_at", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quarantine") as batch_op:
        batch_op.drop_column("next_try_at")
        batch_op.drop_column("tries")
