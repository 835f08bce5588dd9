"""Fixtures for the reference server's tests: each test on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.exceptions import StarletteDeprecationWarning

from server.app import create_app
from server.db import Database
from server.seed import demo_password, seed
from sync.protocol import public_key_b64, sign_approval

with warnings.catch_warnings():
    # Starlette asks for httpx2, which is not packaged here; httpx works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PG_ENV = "LAPOR_TEST_PG_URL"
API = "/api/v1"
START = datetime(2026, 11, 27, 8, 0, 0, tzinfo=UTC)


class Clock:
    """The server's clock in a test: moves only when told."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A clean, empty database: a SQLite file, or the PostgreSQL of LAPOR_TEST_PG_URL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV}=postgresql://user@host:port/db "
            "(.ci/run starts a throwaway cluster and sets it)"
        )
    fresh = Database(url)
    fresh.drop_all()
    fresh.dispose()
    yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def seeded_url(db_url: str) -> str:
    db = Database(db_url)
    db.create_all()
    seed(db, offices=2, complaints=12, now=START.replace(hour=0))
    db.dispose()
    return db_url


class Api:
    """A TestClient with the calls tests repeat: log in, sign, push."""

    def __init__(self, client: TestClient, database: Database) -> None:
        self.client = client
        self.db = database
        self.keys: dict[tuple[str, str], Ed25519PrivateKey] = {}

    def login(self, username: str, device_id: str = "pc-1") -> dict[str, Any]:
        response = self.client.post(
            f"{API}/auth/token",
            json={
                "username": username,
                "password": demo_password(username),
                "device_id": device_id,
                "device_name": "PC kantor",
            },
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def headers(self, username: str, device_id: str = "pc-1") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.login(username, device_id)['access_token']}"}

    def register_key(self, username: str, device_id: str = "pc-1") -> Ed25519PrivateKey:
        key = Ed25519PrivateKey.generate()
        response = self.client.put(
            f"{API}/me/signing-key",
            json={"device_id": device_id, "public_key": public_key_b64(key)},
            headers=self.headers(username, device_id),
        )
        assert response.status_code == 204, response.text
        self.keys[(username, device_id)] = key
        return key

    def approval(
        self,
        key: Ed25519PrivateKey,
        supervisor_id: str,
        mutation_type: str,
        complaint_id: str,
        base_version: int,
        payload: dict[str, Any],
        device_id: str = "pc-1",
    ) -> dict[str, str]:
        return sign_approval(
            key,
            supervisor_id=supervisor_id,
            device_id=device_id,
            mutation_type=mutation_type,
            complaint_id=complaint_id,
            base_version=base_version,
            payload=payload,
            approved_at=START,
        )

    def push(self, headers: dict[str, str], *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.client.post(
            f"{API}/mutations",
            json={"device_id": "pc-1", "mutations": list(mutations)},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def complaint(self, headers: dict[str, str], complaint_id: str) -> dict[str, Any]:
        """The complaint as the office's feed shows it now."""
        for item in self.pull(headers):
            if item["kind"] == "complaint" and item["id"] == complaint_id:
                data: dict[str, Any] = item["data"]
                return data
        raise AssertionError(f"{complaint_id} is not in the feed")

    def pull(self, headers: dict[str, str], office: str = "kantor-demo") -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 1000}
            if cursor:
                params["cursor"] = cursor
            page = self.client.get(
                f"{API}/offices/{office}/changes", params=params, headers=headers
            )
            assert page.status_code == 200, page.text
            body = page.json()
            items += body["items"]
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return items


@pytest.fixture
def make_api(seeded_url: str, clock: Clock) -> Iterator[Any]:
    made: list[tuple[TestClient, Database]] = []

    def make(**overrides: Any) -> Api:
        overrides.setdefault("rate_limit", None)
        app = create_app(seeded_url, clock=clock, **overrides)
        client = TestClient(app, raise_server_exceptions=False)
        database = app.state.services.db
        made.append((client, database))
        return Api(client, database)

    yield make
    for client, database in made:
        client.close()
        database.dispose()


@pytest.fixture
def api(make_api: Any) -> Api:
    made: Api = make_api()
    return made


def mutation(
    mutation_id: str,
    mutation_type: str,
    complaint_id: str,
    base_version: int,
    payload: dict[str, Any],
    approval: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "id": mutation_id,
        "type": mutation_type,
        "complaint_id": complaint_id,
        "base_version": base_version,
        "created_at": "2026-11-27T08:00:00Z",
        "payload": payload,
        "approval": approval,
    }
