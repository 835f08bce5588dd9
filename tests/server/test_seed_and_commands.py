"""Seed data, the command line and the in-process server."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from server.cli import main
from server.db import Complaint, Database, Review
from server.feed import digest
from server.inprocess import start_server
from server.seed import DEMO_OFFICE, seed
from sync.protocol import Complaint as WireComplaint

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _digests(url: str) -> list[dict[str, object]]:
    db = Database(url)
    with db.reading() as session:
        found = [
            digest(session, office) for office in (DEMO_OFFICE, "kantor-lain", "kantor-tabanan-3")
        ]
    db.dispose()
    return found


def test_seed_is_deterministic(tmp_path: object) -> None:
    urls = [f"sqlite:///{tmp_path}/{name}.db" for name in ("a", "b", "c")]
    for url, number in zip(urls, (7, 7, 8), strict=True):
        db = Database(url)
        db.create_all()
        seed(db, offices=3, complaints=60, seed=number, now=NOW)
        db.dispose()
    first, second, other = (_digests(url) for url in urls)
    assert first == second
    assert first != other


def test_seeded_complaints_are_valid_and_varied(db_url: str) -> None:
    db = Database(db_url)
    db.create_all()
    seed(db, offices=3, complaints=300, now=NOW)
    with db.reading() as session:
        rows = list(session.scalars(select(Complaint)))
        reviews = list(session.scalars(select(Review)))
    db.dispose()
    complaints = [WireComplaint.model_validate(row.data) for row in rows]
    assert len(complaints) == 300
    assert {c.type for c in complaints} == {"pengaduan", "aspirasi", "permintaan_informasi"}
    assert {c.status for c in complaints} == {"verified", "in_progress", "completed", "archived"}
    assert all(c.reporter is None for c in complaints if c.anonymous)
    assert any(c.anonymous for c in complaints) and any(c.confidential for c in complaints)
    events = Counter(e.type for c in complaints for e in c.events)
    assert events["reporter_reply"] and events["rating"] and events["response"]
    assert any(c.rating for c in complaints) and any(c.attachments for c in complaints)
    assert len({c.category.id for c in complaints}) >= 8
    districts = {c.location.district for c in complaints if c.location}
    assert {"Denpasar", "Badung", "Gianyar"} <= districts
    assert all(row.version == len(row.data["events"]) == row.history[-1][0] for row in rows)
    assert [r.state for r in reviews] == ["pending"]


def test_seed_refuses_a_database_with_data(seeded_url: str) -> None:
    db = Database(seeded_url)
    with pytest.raises(ValueError, match="already holds data"):
        seed(db, complaints=1)
    db.dispose()


def test_cli_seed_prints_the_demo_users(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    assert main(["seed", "--db", url, "--offices", "2", "--complaints", "20"]) == 0
    out = capsys.readouterr().out
    assert "20 complaints in 2 offices" in out
    for line in ("petugas1", "demo-petugas1", "atasan1", "demo-atasan1", "atasan.lain"):
        assert line in out
    assert main(["seed", "--db", url]) == 1  # twice is refused, not doubled


def test_cli_simulate_acts_on_the_database(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/sim.db"
    assert main(["seed", "--db", url, "--complaints", "30"]) == 0
    before = _digests(url)
    assert main(["simulate", "--db", url, "--steps", "12", "--pace", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()[-12:]
    assert any(line.startswith("forwarded LAP-2026-") for line in lines)
    assert _digests(url)[:2] != before[:2]


def test_in_process_server_serves_and_cleans_up() -> None:
    with start_server(complaints=4) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.api_url == server.url + "/api/v1"
        health = httpx.get(f"{server.api_url}/health")
        assert health.status_code == 200 and "date" in health.headers
        tempdir = server._tempdir
        assert tempdir is not None and os.path.isdir(tempdir)
        assert server.seeded is not None
        assert {u.username for u in server.seeded.users} >= {"petugas1", "atasan1"}
    assert not os.path.exists(tempdir)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.api_url}/health", timeout=2)
