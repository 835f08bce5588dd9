"""outbox error code: why an outbox item stopped, as a code beside the server's words

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:20:00

``last_error`` held one string for two things: a code ("conflict") or the
server's message with its code in brackets ("text too short (validation_error)"),
which the outbox screen took apart again with a regular expression. The code
now has its own column (``sync.errors.ErrorCode`` values) and ``last_error``
keeps only the server's words. Rows written before are split here once.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_WITH_CODE = re.compile(r"^(?P<said>.*) \((?P<code>[a-z_]+)\)$", re.DOTALL)
_CODE_ALONE = {"conflict": "conflict", "rejected": "server_error"}


def upgrade() -> None:
    # A plain ADD COLUMN: a batch would rebuild the table and lose its triggers (0005).
    op.add_column("outbox", sa.Column("error_code", sa.String(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, last_error FROM outbox WHERE last_error IS NOT NULL"))
    for item_id, text in rows.fetchall():
        found = _WITH_CODE.match(text)
        if found is not None:
            code, said = found["code"], found["said"].strip() or None
        elif text in _CODE_ALONE:
            code, said = _CODE_ALONE[text], None
        else:
            continue  # words without a code: kept as they are
        conn.execute(
            sa.text("UPDATE outbox SET error_code = :code, last_error = :said WHERE id = :id"),
            {"code": code, "said": said, "id": item_id},
        )


def downgrade() -> None:
    op.execute("ALTER TABLE outbox DROP COLUMN error_code")
