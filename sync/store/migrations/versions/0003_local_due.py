"""local due date: the office's own deadline, stored so the inbox sorts and pages in SQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 21:30:00

The due date follows from the complaint, the rules and the calendar, none of
which change by the hour; the state (overdue, due today...) follows from it
and today's date, so only the date is stored. ``rules_fingerprint`` says
which rules computed them: new rules recompute them all.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch_op:
        batch_op.add_column(sa.Column("local_due", sa.Date(), nullable=True))
        batch_op.create_index("ix_complaints_local_due", ["local_due"], unique=False)
    with op.batch_alter_table("sync_state") as batch_op:
        batch_op.add_column(sa.Column("rules_fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch_op:
        batch_op.drop_column("rules_fingerprint")
    with op.batch_alter_table("complaints") as batch_op:
        batch_op.drop_index("ix_complaints_local_due")
        batch_op.drop_column("local_due")
