"""submitted index: when each complaint came, beside its key, for the office's memory

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 22:30:00

The "Pengaduan Serupa" and "Kejadian Sama" queries (``sync/similar.py``)
keep only complaints submitted in a window (before this one; days around
it) before bm25 ranks them. Looking the time up in the table would read
each candidate's whole row, body and all (100 ms at 100,000 complaints);
this index answers from the key alone.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_complaints_when", "complaints", ["pk", "submitted_at", "removed"])


def downgrade() -> None:
    op.drop_index("ix_complaints_when", table_name="complaints")
