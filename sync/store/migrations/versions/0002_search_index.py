"""search index: FTS5 over complaint title, body and event texts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 21:00:00

One FTS row per complaint (rowid = complaints.pk), rebuilt by triggers
whenever the complaint's title or body, or any of its events, changes, so
the index can never drift from the records.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _refresh(complaint_id: str) -> str:
    """Statements that rebuild one complaint's index row from the tables."""
    return f"""
        DELETE FROM complaint_fts
            WHERE rowid = (SELECT pk FROM complaints WHERE id = {complaint_id});
        INSERT INTO complaint_fts (rowid, title, body, events)
            SELECT pk, title, body,
                   coalesce((SELECT group_concat(text, ' ') FROM events
                             WHERE complaint_id = {complaint_id}), '')
            FROM complaints WHERE id = {complaint_id};
    """


TRIGGERS = {
    "complaints_fts_insert": f"AFTER INSERT ON complaints BEGIN {_refresh('new.id')} END",
    "complaints_fts_update": (
        f"AFTER UPDATE OF id, title, body ON complaints BEGIN "
        f"DELETE FROM complaint_fts WHERE rowid = old.pk; {_refresh('new.id')} END"
    ),
    "complaints_fts_delete": (
        "AFTER DELETE ON complaints BEGIN DELETE FROM complaint_fts WHERE rowid = old.pk; END"
    ),
    "events_fts_insert": f"AFTER INSERT ON events BEGIN {_refresh('new.complaint_id')} END",
    "events_fts_update": (
        f"AFTER UPDATE ON events BEGIN {_refresh('old.complaint_id')} "
        f"{_refresh('new.complaint_id')} END"
    ),
    "events_fts_delete": f"AFTER DELETE ON events BEGIN {_refresh('old.complaint_id')} END",
}


def upgrade() -> None:
    # remove_diacritics: "perbaikan" finds "perbaikán"; prefix indexes make
    # search-as-you-type cheap.
    op.execute(
        "CREATE VIRTUAL TABLE complaint_fts USING fts5("
        "title, body, events, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(
        "INSERT INTO complaint_fts (rowid, title, body, events) "
        "SELECT pk, title, body, coalesce((SELECT group_concat(text, ' ') FROM events "
        "WHERE events.complaint_id = complaints.id), '') FROM complaints"
    )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE complaint_fts")
