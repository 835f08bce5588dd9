"""upstream delivery: a hub's word on an approved action's way to SP4N-LAPOR!

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 00:00:00

A hub connected to SP4N-LAPOR! adds note events that carry an ``upstream``
object (waiting, delivered, refused) naming the office action they speak
of. The replica keeps it beside the event, so a reply can show "waiting for
SP4N-LAPOR!" or "delivered", and a refusal upstream reaches the reply.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("upstream", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("upstream")
