"""The replica: SQLCipher engine settings and applying the server's records."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from sync import protocol
from sync.errors import ErrorCode, WorkspaceError
from sync.store import records
from sync.store.database import open_engine, read_session, write_session
from sync.store.local import OutboxItem, Reply
from sync.store.models import Attachment, Complaint, Event, Review, Template, User
from tests.helpers.replica import T0, complaint, fill, new_replica, user

SHA = "a" * 64


def test_engine_runs_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_wrong_key_opens_nothing(tmp_path: Path) -> None:
    key = os.urandom(32)
    engine = new_replica(tmp_path / "r.db", key)
    fill(engine, complaint())
    engine.dispose()
    with pytest.raises(WorkspaceError) as raised:
        open_engine(tmp_path / "r.db", os.urandom(32))
    assert raised.value.code == ErrorCode.WRONG_KEY
    reopened = open_engine(tmp_path / "r.db", key)
    with read_session(reopened) as session:
        assert session.scalar(select(func.count()).select_from(Complaint)) == 1


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    with pytest.raises(RuntimeError), write_session(engine) as session:
        records.upsert_complaint(session, complaint())
        raise RuntimeError("crash mid-page")
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_upsert_keeps_every_field_and_replaces_events(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    fill(engine, complaint())
    later = complaint(
        version=2,
        title="Jalan rusak (diperbarui)",
        rating={"score": 4, "comment": "cepat"},
        events=[
            {"id": "ev-1", "at": T0, "type": "submitted", "text": "Laporan diterima"},
            {"id": "ev-2", "at": T0 + timedelta(hours=1), "type": "reporter_reply",
             "actor": {"id": "r", "name": "Budi", "role": "reporter"}, "text": "Masih rusak"},
        ],
    )
    fill(engine, later)
    with read_session(engine) as session:
        row = session.scalars(select(Complaint)).one()
        assert (row.version, row.title, row.rating_score, row.rating_comment) == (
            2, "Jalan rusak (diperbarui)", 4, "cepat")
        assert row.reporter_name == "Budi Santoso"
        assert row.lat == -8.65 and row.district == "Denpasar Barat"
        assert row.assigned_at == T0 and row.assigned_at.tzinfo is not None
        assert [(e.id, e.actor_name) for e in row.events] == [("ev-1", None), ("ev-2", "Budi")]


def test_anonymous_reporter_is_never_stored(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    # Even when a faulty server sends the identity along, it is dropped.
    fill(engine, complaint(anonymous=True))
    with read_session(engine) as session:
        row = session.scalars(select(Complaint)).one()
        assert (row.reporter_name, row.reporter_phone, row.reporter_email) == (None, None, None)


def test_attachment_download_progress_survives_an_update(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    meta = {"id": "att-1", "filename": "foto.jpg", "mime": "image/jpeg", "size": 10, "sha256": SHA}
    fill(engine, complaint(attachments=[meta]))
    with write_session(engine) as session:
        att = session.scalars(select(Attachment).where(Attachment.id == "att-1")).one_or_none()
        assert att is not None and att.download_state == "missing"
        att.download_state, att.downloaded_bytes, att.local_path = "done", 10, "/x/foto.jpg"
    fill(engine, complaint(version=2, attachments=[meta]))
    with read_session(engine) as session:
        att = session.scalars(select(Attachment).where(Attachment.id == "att-1")).one_or_none()
        assert att is not None and (att.download_state, att.downloaded_bytes) == ("done", 10)
    fill(engine, complaint(version=3, attachments=[{**meta, "sha256": "b" * 64}]))
    with read_session(engine) as session:
        att = session.scalars(select(Attachment).where(Attachment.id == "att-1")).one_or_none()
        assert att is not None and (att.download_state, att.local_path) == ("missing", None)
    fill(engine, complaint(version=4, attachments=[]))
    with read_session(engine) as session:
        assert session.scalars(select(Attachment)).all() == []


def _add_draft(engine: Engine, complaint_id: str) -> None:
    with write_session(engine) as session:
        session.add(
            Reply(id="r-1", complaint_id=complaint_id, kind="respond", text="Akan diperbaiki",
                  state="draft", author_id="u1", base_version=1, created_at=T0, updated_at=T0)
        )


def test_remove_keeps_a_complaint_with_unsent_work(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    fill(engine, complaint("LAP-1"), complaint("LAP-2"))
    _add_draft(engine, "LAP-1")
    with write_session(engine) as session:
        assert records.remove_complaint(session, "LAP-1") is False
        assert records.remove_complaint(session, "LAP-2") is True
    with read_session(engine) as session:
        kept = session.scalars(select(Complaint)).one()
        assert (kept.id, kept.removed) == ("LAP-1", True)
        assert session.get(Reply, "r-1") is not None
        # Nothing of the removed complaint is left, events included.
        assert session.scalar(select(func.count()).select_from(Event)) == 1
    # Back in scope: the flag goes.
    fill(engine, complaint("LAP-1", version=2))
    with read_session(engine) as session:
        assert session.scalars(select(Complaint.removed)).one() is False


def test_sent_work_does_not_keep_a_removed_complaint(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    fill(engine, complaint("LAP-1"))
    _add_draft(engine, "LAP-1")
    with write_session(engine) as session:
        reply = session.get(Reply, "r-1")
        assert reply is not None
        reply.state = "sent"
        session.add(OutboxItem(id="m-1", sequence=1, type="respond", complaint_id="LAP-1",
                               reply_id="r-1", base_version=1, payload={}, state="sent",
                               created_at=T0))
    with write_session(engine) as session:
        assert records.remove_complaint(session, "LAP-1") is True
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Reply)) == 0


def test_other_record_kinds_upsert_and_remove(tmp_path: Path) -> None:
    engine = new_replica(tmp_path / "r.db")
    review = protocol.Review.model_validate({
        "id": "rev-1", "complaint_id": "LAP-1", "author_id": "u1", "mutation_type": "respond",
        "payload": {"text": "x", "attachment_ids": []}, "base_version": 1,
        "submitted_at": T0, "state": "pending", "decision": None,
    })
    with write_session(engine) as session:
        records.upsert_user(session, user("siti", "supervisor"))
        records.upsert_category(session, protocol.Category(id="infra", name="Infrastruktur"))
        records.upsert_template(session, protocol.Template(id="t1", title="Salam", type="respond",
                                                           body="Yth. {nama_pelapor}"))
        records.upsert_review(session, review)
    with write_session(engine) as session:
        # The same username under a new id replaces the old row.
        records.upsert_user(session, user("siti-2", "supervisor", username="siti"))
        assert records.remove_record(session, "template", "t1") is True
        assert records.remove_record(session, "template", "t1") is False
    with read_session(engine) as session:
        assert session.scalars(select(User.id)).all() == ["siti-2"]
        assert session.get(Template, "t1") is None
        stored = session.get(Review, "rev-1")
        assert stored is not None and stored.payload["text"] == "x"


def test_two_writers_on_two_threads_queue_instead_of_failing(tmp_path: Path) -> None:
    import threading

    from sync import audit

    engine = new_replica(tmp_path / "r.db")
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for n in range(30):
                with write_session(engine) as session:
                    # Read, then write on what was read: a deferred transaction would
                    # fail here with "database is locked" instead of waiting its turn.
                    audit.record(session, at=T0, actor_id=name, action="test",
                                 subject_kind="x", subject_id=str(n))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("gui", "sync")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(engine) as session:
        report = audit.verify(session)
    assert report.ok and report.entries == 60


def test_a_page_insert_stores_exactly_what_one_by_one_stores(tmp_path: Path) -> None:
    """The initial sync's page insert goes through the driver; the rows must not differ."""
    from sync.deadlines import Rules

    photo = {"id": "att-1", "filename": "../foto.jpg", "mime": "image/jpeg", "size": 10,
             "sha256": SHA}
    wires = [
        complaint("LAP-1", rating={"score": 4, "comment": "Cepat"}, attachments=[photo],
                  events=[{"id": "ev-1", "at": T0, "type": "note", "text": "Dicek",
                           "actor": {"id": "u-1", "name": "Ani", "role": "officer"},
                           "attachments": [photo]}]),
        complaint("LAP-2", anonymous=True, location=None, verified_at=None, due_at=None,
                  status="in_progress"),
    ]
    rules = Rules.load()
    one, page = new_replica(tmp_path / "one.db"), new_replica(tmp_path / "page.db")
    with write_session(one) as session:
        for wire in wires:
            records.upsert_complaint(session, wire, rules)
    with write_session(page) as session:
        records.insert_new_complaints(session, wires, rules)

    def stored(engine: Engine) -> list[list[tuple[object, ...]]]:
        with engine.connect() as conn:
            return [[tuple(row) for row in conn.exec_driver_sql(sql)] for sql in (
                "SELECT * FROM complaints ORDER BY id", "SELECT * FROM events ORDER BY id",
                "SELECT * FROM attachments ORDER BY complaint_id, id",
                "SELECT rowid, * FROM complaint_fts ORDER BY rowid")]

    assert stored(page) == stored(one)
    assert stored(page)[0][0][1] == "LAP-1"  # the rows are there, not two empty tables
