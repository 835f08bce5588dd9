"""The audit log's chain shows any edited, inserted or deleted row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from sync import audit
from sync.store.database import read_session, write_session
from tests.helpers.replica import T0, new_replica


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    replica = new_replica(tmp_path / "r.db")
    with write_session(replica) as session:
        for n in range(5):
            audit.record(session, at=T0 + timedelta(minutes=n), actor_id="ani",
                         action="reply.draft", subject_kind="reply", subject_id=f"r-{n}",
                         details={"n": n})
    yield replica
    replica.dispose()


def problems(engine: Engine) -> list[tuple[int | None, str]]:
    with read_session(engine) as session:
        return [(p.seq, p.kind) for p in audit.verify(session).problems]


def raw(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql))


def test_an_untouched_log_verifies(engine: Engine) -> None:
    with read_session(engine) as session:
        report = audit.verify(session)
    assert report.ok and report.entries == 5


def test_an_edited_row_shows(engine: Engine) -> None:
    raw(engine, "UPDATE audit_log SET actor_id = 'siti' WHERE seq = 3")
    assert problems(engine) == [(3, "edited")]


def test_an_edited_time_shows(engine: Engine) -> None:
    raw(engine, "UPDATE audit_log SET at = '2026-01-01T00:00:00.000000Z' WHERE seq = 2")
    assert problems(engine) == [(2, "edited")]


def test_a_deleted_row_shows(engine: Engine) -> None:
    raw(engine, "DELETE FROM audit_log WHERE seq = 2")
    assert problems(engine) == [(3, "missing_rows"), (3, "broken_link"), (None, "head_mismatch")]


def test_a_deleted_tail_shows(engine: Engine) -> None:
    raw(engine, "DELETE FROM audit_log WHERE seq >= 4")
    assert problems(engine) == [(None, "head_mismatch")]


def test_an_inserted_row_shows(engine: Engine) -> None:
    # A forged row slipped in between 2 and 3, numbered to look in place.
    raw(engine, "UPDATE audit_log SET seq = -seq WHERE seq >= 3")
    raw(engine, "UPDATE audit_log SET seq = 1 - seq WHERE seq < 0")
    raw(engine, """INSERT INTO audit_log (seq, at, actor_id, action, subject_kind, subject_id,
                   details, prev_hash, hash) SELECT 3, at, 'mallory', 'reply.approved', 'reply',
                   'r-9', '{}', hash, hash FROM audit_log WHERE seq = 2""")
    found = problems(engine)
    assert (3, "edited") in found and (4, "edited") in found


def test_appending_continues_the_chain(engine: Engine) -> None:
    with write_session(engine) as session:
        entry = audit.record(session, at=T0, actor_id=None, action="reply.sent",
                             subject_kind="reply", subject_id="r-0")
        assert entry.seq == 6
    assert problems(engine) == []
