"""shared attachments: a file may belong to several complaints

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 00:00:00

One upload may be attached to several complaints (the reference server's
seed shares a pool of photos and letters among an office's complaints). The
replica keyed attachments by the file's id alone, so each complaint that
arrived with a shared file took it from the one before: after a sync of 300
seeded complaints only 7 of the 38 with files still showed them. A row is
now one file of one complaint, keyed by (id, complaint_id); the id comes
first, so a download's bookkeeping by file id still uses the key.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments", recreate="always") as batch_op:
        batch_op.drop_constraint("pk_attachments", type_="primary")
        batch_op.create_primary_key("pk_attachments", ["id", "complaint_id"])


def downgrade() -> None:
    # Keep one row per file, as the old key could hold.
    op.execute("DELETE FROM attachments WHERE rowid NOT IN "
               "(SELECT min(rowid) FROM attachments GROUP BY id)")
    with op.batch_alter_table("attachments", recreate="always") as batch_op:
        batch_op.drop_constraint("pk_attachments", type_="primary")
        batch_op.create_primary_key("pk_attachments", ["id"])
