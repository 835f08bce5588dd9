"""Schema upgrades: the app migrates on open and never loses a draft."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from sqlalchemy import select, text

from sync.store.database import open_engine, read_session
from sync.store.local import OutboxItem, Reply
from sync.store.migrate import current_revision, head_revision, upgrade
from sync.store.models import Complaint
from tests.helpers.replica import found

FIRST = "0001"

# Rows written the way revision 0001's schema stood, in raw SQL, so this test
# keeps meaning the first schema however the models change later.
ROWS_AT_FIRST = [
    """INSERT INTO complaints (pk, id, version, type, title, body, category_id, category_name,
       channel, anonymous, confidential, reporter_name, status, submitted_at, assigned_at,
       updated_at, removed)
       VALUES (1, 'LAP-1', 3, 'pengaduan', 'Drainase tersumbat', 'Banjir tiap hujan', 'infra',
       'Infrastruktur', 'web', 0, 1, 'Made Wirawan', 'verified',
       '2026-11-02T01:00:00.000000Z', '2026-11-02T01:00:00.000000Z',
       '2026-11-02T01:00:00.000000Z', 0)""",
    """INSERT INTO events (complaint_id, id, position, at, type, text, attachment_ids)
       VALUES ('LAP-1', 'ev-1', 0, '2026-11-02T01:00:00.000000Z', 'submitted', 'Got selokan',
       '[]')""",
    """INSERT INTO replies (id, complaint_id, kind, text, suggested_agency, attachment_ids,
       state, author_id, base_version, created_at, updated_at, conflict_changes)
       VALUES ('r-draft', 'LAP-1', 'respond', 'Draf: tim akan datang Senin', '', '[]', 'draft',
       'u1', 3, '2026-11-02T02:00:00.000000Z', '2026-11-02T02:00:00.000000Z', '[]')""",
    """INSERT INTO replies (id, complaint_id, kind, text, suggested_agency, attachment_ids,
       state, author_id, base_version, created_at, updated_at, conflict_changes, mutation_id,
       approval)
       VALUES ('r-queued', 'LAP-1', 'note', 'Catatan internal', '', '[]', 'queued',
       'u1', 3, '2026-11-02T02:00:00.000000Z', '2026-11-02T02:00:00.000000Z', '[]', 'm-1',
       NULL)""",
    """INSERT INTO outbox (id, sequence, type, complaint_id, reply_id, base_version, payload,
       state, attempts, last_error, created_at)
       VALUES ('m-1', 1, 'note', 'LAP-1', 'r-queued', 3, '{"text": "Catatan internal"}',
       'pending', 2, 'timeout', '2026-11-02T02:00:00.000000Z')""",
]


def test_upgrade_from_the_first_revision_keeps_drafts_and_outbox(tmp_path: Path) -> None:
    key = os.urandom(32)
    engine = open_engine(tmp_path / "r.db", key)
    upgrade(engine, FIRST)
    assert current_revision(engine) == FIRST
    with engine.begin() as conn:
        for statement in ROWS_AT_FIRST:
            conn.execute(text(statement))
    engine.dispose()

    engine = open_engine(tmp_path / "r.db", key)
    upgrade(engine)
    assert current_revision(engine) == head_revision() != FIRST
    with read_session(engine) as session:
        assert session.scalars(select(Complaint.id)).all() == ["LAP-1"]
        draft = session.get(Reply, "r-draft")
        assert draft is not None and (draft.state, draft.text) == (
            "draft", "Draf: tim akan datang Senin")
        item = session.get(OutboxItem, "m-1")
        assert item is not None
        assert (item.state, item.attempts, item.payload) == (
            "pending", 2, {"text": "Catatan internal"})
    # Rows that predate the search index are in it.
    assert found(engine, "drainase") == ["LAP-1"]
    assert found(engine, "selokan") == ["LAP-1"]


def test_an_outbox_error_written_as_one_string_is_split_into_its_code_and_words(
    tmp_path: Path,
) -> None:
    key = os.urandom(32)
    engine = open_engine(tmp_path / "r.db", key)
    upgrade(engine, FIRST)
    with engine.begin() as conn:
        for statement in ROWS_AT_FIRST[:2]:
            conn.execute(text(statement))
        for number, last_error in enumerate(
            ["Teks terlalu singkat (validation_error)", "conflict", "rejected", "timeout"]
        ):
            conn.execute(text(
                "INSERT INTO outbox (id, sequence, type, complaint_id, base_version, payload, "
                "state, attempts, last_error, created_at) VALUES (:id, :n, 'note', 'LAP-1', 3, "
                "'{}', 'rejected', 1, :err, '2026-11-02T02:00:00.000000Z')"
            ), {"id": f"m-{number}", "n": number + 1, "err": last_error})
    engine.dispose()

    engine = open_engine(tmp_path / "r.db", key)
    upgrade(engine)
    with read_session(engine) as session:
        split = {item.id: (item.error_code, item.last_error)
                 for item in session.scalars(select(OutboxItem))}
    assert split == {
        "m-0": ("validation_error", "Teks terlalu singkat"),
        "m-1": ("conflict", None),
        "m-2": ("server_error", None),
        "m-3": (None, "timeout"),  # words without a code stay as they were
    }


def test_upgrading_twice_changes_nothing(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "r.db", os.urandom(32))
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sync.store.base import Base

    engine = open_engine(tmp_path / "r.db", os.urandom(32))
    upgrade(engine)
    # The index on the inbox order's expressions (0008) is SQL only: SQLAlchemy
    # cannot reflect it; tests/sync/test_search_order.py checks SQLite uses it.
    unreflected = ("complaint_fts", "ix_complaints_deadline")
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based "
                                "index ix_complaints_deadline")
        context = MigrationContext.configure(
            conn,
            opts={"include_object": lambda obj, name, *_: not (name or "").startswith(
                unreflected)},
        )
        assert compare_metadata(context, Base.metadata) == []


def test_the_head_the_app_checks_at_launch_is_alembics_head() -> None:
    from sync.store.migrate import HEAD

    assert head_revision() == HEAD


def test_a_replica_at_head_opens_without_loading_alembic(tmp_path: Path) -> None:
    """Every launch but the first after an update skips Alembic's import (~0.2 s)."""
    import subprocess
    import sys

    key = os.urandom(32)
    engine = open_engine(tmp_path / "r.db", key)
    upgrade(engine)
    engine.dispose()
    script = (
        "import sys; from sync.store.database import open_engine; "
        "from sync.store.migrate import upgrade, stored_revision; "
        f"e = open_engine(sys.argv[1], bytes.fromhex({key.hex()!r})); upgrade(e); "
        "print(stored_revision(e), 'alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "r.db")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == [head_revision(), "False"]
