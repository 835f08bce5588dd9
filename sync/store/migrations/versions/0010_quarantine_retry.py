"""quarantine retry: how often a quarantined record was asked for again, and when next

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00

A record quarantined with a readable version never came again until its
version changed (issue 14, item 3). The end of each cycle now fetches it
again by id (SYNC-API 1.1); ``tries`` counts the fetches that still failed
and ``wait_cycles`` the cycles to skip before the next (1, 2, 4... cycles).
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
        batch_op.add_column(sa.Column("wait_cycles", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("quarantine") as batch_op:
        batch_op.drop_column("wait_cycles")
        batch_op.drop_column("tries")
