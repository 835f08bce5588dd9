"""search vocabulary: how many complaints hold each indexed word

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 00:00:00

An fts5vocab view of ``complaint_fts`` (no data of its own). The office's
memory (``sync/similar.py``) asks the index for a complaint's rarest words
only: "jalan" is in a third of an office's complaints and ranking all of them
costs hundreds of milliseconds at 100,000; "bypass" is in a few.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE complaint_fts_vocab USING fts5vocab(complaint_fts, 'row')")


def downgrade() -> None:
    op.execute("DROP TABLE complaint_fts_vocab")
