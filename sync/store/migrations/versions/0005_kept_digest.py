"""kept digest: the replica's digest, kept with a count of complaint writes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 22:50:00

Every sync that reaches the end of the feed compares digests, and hashing
``id:version`` of every complaint cost ~130 ms at 20,000 (bench 2,
docs/PERFORMANCE.md finding 15). Triggers count every write that can move
the digest (a complaint added, removed, or its version, removed flag or id
changed), whoever makes it, engine or not; the digest is kept with the count
it was computed at and is recomputed only when the count has moved.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BUMP = "UPDATE sync_state SET complaint_writes = complaint_writes + 1;"
TRIGGERS = {
    "complaints_digest_insert": "AFTER INSERT ON complaints",
    "complaints_digest_delete": "AFTER DELETE ON complaints",
    "complaints_digest_update": "AFTER UPDATE OF id, version, removed ON complaints",
}


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch_op:
        batch_op.add_column(sa.Column("complaint_writes", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("kept_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("kept_digest_writes", sa.Integer(), nullable=True))
    for name, when in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {_BUMP} END")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("sync_state") as batch_op:
        batch_op.drop_column("kept_digest_writes")
        batch_op.drop_column("kept_digest")
        batch_op.drop_column("complaint_writes")
