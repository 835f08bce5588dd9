"""Wire records and replicas for tests that need data but no server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select

from sync import protocol
from sync.store import records
from sync.store.database import open_engine, read_session, write_session
from sync.store.migrate import upgrade
from sync.store.models import Complaint
from sync.store.search import matches

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Bali


def complaint(complaint_id: str = "LAP-2026-0000001", **fields: Any) -> protocol.Complaint:
    """A valid wire complaint; any field can be overridden."""
    data: dict[str, Any] = {
        "id": complaint_id,
        "version": 1,
        "type": "pengaduan",
        "title": "Jalan rusak di Desa Sukamaju",
        "body": "Jalan berlubang sejak tiga bulan, membahayakan pengendara motor.",
        "category": {"id": "infra", "name": "Infrastruktur"},
        "channel": "web",
        "anonymous": False,
        "confidential": False,
        "reporter": {"name": "Budi Santoso", "phone": "+62811000111", "email": "budi@example.id"},
        "location": {
            "address": "Jl. Melati 3",
            "district": "Denpasar Barat",
            "lat": -8.65,
            "lon": 115.22,
        },
        "status": "verified",
        "submitted_at": T0 - timedelta(days=2),
        "verified_at": T0 - timedelta(days=1),
        "assigned_at": T0,
        "due_at": T0 + timedelta(days=7),
        "updated_at": T0,
        "events": [
            {
                "id": "ev-1",
                "at": T0 - timedelta(days=2),
                "type": "submitted",
                "text": "Laporan diterima",
            },
        ],
        "attachments": [],
        "rating": None,
    }
    data.update(fields)
    return protocol.Complaint.model_validate(data)


def user(user_id: str, role: str = "officer", **fields: Any) -> protocol.User:
    data: dict[str, Any] = {
        "id": user_id,
        "username": user_id,
        "full_name": user_id.title(),
        "role": role,
        "office_id": "office-1",
        "active": True,
    }
    data.update(fields)
    return protocol.User.model_validate(data)


def new_replica(path: Path, key: bytes | None = None) -> Engine:
    """An encrypted replica migrated to head."""
    engine = open_engine(path, key or os.urandom(32))
    upgrade(engine)
    return engine


def fill(engine: Engine, *complaints: protocol.Complaint) -> None:
    with write_session(engine) as session:
        for item in complaints:
            records.upsert_complaint(session, item)


def found(engine: Engine, typed: str) -> list[str]:
    """Complaint ids the search index returns for ``typed``, best first."""
    hits = matches(typed)
    if hits is None:
        return []
    with read_session(engine) as session:
        rows = session.execute(
            select(Complaint.id).join(hits, hits.c.pk == Complaint.pk).order_by(hits.c.rank)
        )
        return [row[0] for row in rows]


NOWHERE = "http://127.0.0.1:9"  # a server that never answers: logins fall back to offline
FAST_KDF = 2**10  # scrypt cost for tests; the shipped default is 2**15
PASSWORDS = {"ani": "ani-rahasia-1", "siti": "siti-rahasia-2", "bayu": "bayu-rahasia-3"}


def office(profile_dir: Path, *complaints: protocol.Complaint, **options: Any) -> Any:
    """A workspace with officer ani, supervisors siti and bayu, ani logged in."""
    from sync.workspace import Workspace

    clock = options.pop("clock", lambda: T0 + timedelta(hours=1))
    workspace = Workspace.open(
        profile_dir, "http://127.0.0.1:9", kdf_n=FAST_KDF, clock=clock, **options
    )
    for name, role in (("ani", "officer"), ("siti", "supervisor"), ("bayu", "supervisor")):
        workspace.remember_user(user(name, role), PASSWORDS[name])
    with write_session(workspace.database) as session:
        for item in complaints:
            records.upsert_complaint(session, item, workspace.rules)
    workspace.login("ani", PASSWORDS["ani"])
    return workspace


@contextmanager
def write_transactions(engine: Engine) -> Iterator[list[str]]:
    """The write transactions begun on ``engine`` inside the block (each a ``BEGIN IMMEDIATE``)."""
    begun: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == "BEGIN IMMEDIATE":
            begun.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield begun
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
