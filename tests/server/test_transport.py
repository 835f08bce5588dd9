"""What every request meets: error bodies, Date, gzip both ways, body limits, rate limits."""

from __future__ import annotations

import gzip
import zlib
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import text

from server.errors import ApiError
from server.middleware import inflate
from sync.protocol import MAX_BODY_BYTES
from tests.server.conftest import API, Api, Clock


def _error(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    error: dict[str, object] = body["error"]
    return error


def test_health_and_date_follow_the_servers_clock(api: Api, clock: Clock) -> None:
    clock.advance(days=3)
    response = api.client.get(f"{API}/health")
    assert response.json() == {"status": "ok", "server_time": "2026-11-30T08:00:00Z"}
    assert parsedate_to_datetime(response.headers["Date"]) == clock()


def test_framework_errors_use_the_contracts_body(api: Api) -> None:
    missing = api.client.get(f"{API}/tidak-ada", headers=api.headers("petugas1"))
    assert missing.status_code == 404 and _error(missing)["code"] == "not_found"
    # Deny by default: without a token no route of the API is told apart, known or not.
    assert api.client.get(f"{API}/tidak-ada").status_code == 401
    assert "Date" in missing.headers
    wrong_method = api.client.delete(f"{API}/health")
    assert wrong_method.status_code == 405 and _error(wrong_method)["code"] == "method_not_allowed"
    not_json = api.client.post(
        f"{API}/auth/token", content=b"{bukan json", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 422 and _error(not_json)["code"] == "validation_error"
    empty = api.client.post(f"{API}/auth/token", json={})
    fields = _error(empty)["details"]["fields"]  # type: ignore[index]
    assert set(fields) == {"body.username", "body.password", "body.device_id"}


def test_an_unexpected_failure_is_500_without_a_traceback(api: Api) -> None:
    headers = api.headers("petugas1")
    with api.db.writing() as session:
        session.execute(text("DROP TABLE templates"))
    broken = api.client.get(f"{API}/offices/kantor-demo/changes", headers=headers)
    assert broken.status_code == 500
    assert _error(broken) == {
        "code": "internal_error",
        "message": "the server failed",
        "details": {},
    }
    assert "Traceback" not in broken.text and "templates" not in broken.text
    assert "Date" in broken.headers


def test_answers_are_gzipped_when_asked(api: Api) -> None:
    headers = {**api.headers("petugas1"), "Accept-Encoding": "gzip"}
    raw = api.client.get(f"{API}/offices/kantor-demo/changes", headers=headers)
    assert raw.headers["Content-Encoding"] == "gzip"
    assert raw.json()["items"]  # httpx inflated it


def test_a_gzipped_request_body_is_accepted(api: Api) -> None:
    body = b'{"username": "petugas1", "password": "demo-petugas1", "device_id": "pc-1"}'
    response = api.client.post(
        f"{API}/auth/token",
        content=gzip.compress(body),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    garbage = api.client.post(
        f"{API}/auth/token",
        content=b"not gzip at all",
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert garbage.status_code == 422
    unknown = api.client.post(f"{API}/auth/token", content=body, headers={"Content-Encoding": "br"})
    assert unknown.status_code == 415 and _error(unknown)["code"] == "unsupported_media_type"


def _bomb(inflated: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [packer.compress(block) for _ in range(inflated // len(block))]
    return b"".join(parts) + packer.flush()


def test_a_gzip_bomb_is_refused_without_inflating_it_all(api: Api) -> None:
    bomb = _bomb(MAX_BODY_BYTES + 2 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # what travels is small
    response = api.client.post(
        f"{API}/mutations",
        content=bomb,
        headers={
            **api.headers("petugas1"),
            "Content-Encoding": "gzip",
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 413 and _error(response)["code"] == "too_large"


def test_inflate_stops_at_the_cap() -> None:
    bomb = _bomb(8 * 1024 * 1024)
    assert inflate(bomb, 8 * 1024 * 1024) == b"\0" * (8 * 1024 * 1024)
    with pytest.raises(ApiError) as refused:
        inflate(bomb, 1024 * 1024)
    assert refused.value.code == "too_large"


def test_a_declared_body_past_64_mib_is_refused_unread(api: Api) -> None:
    response = api.client.post(
        f"{API}/mutations",
        content=b"{}",
        headers={**api.headers("petugas1"), "Content-Length": str(MAX_BODY_BYTES + 1)},
    )
    assert response.status_code == 413


def test_sql_looking_input_is_only_data(api: Api) -> None:
    evil = "x' OR '1'='1'; DROP TABLE users; --"
    login = api.client.post(
        f"{API}/auth/token", json={"username": evil, "password": evil, "device_id": evil}
    )
    assert login.status_code == 401
    headers = api.headers("petugas1")
    for path in (f"/offices/{evil}/changes", f"/offices/{evil}/digest", f"/attachments/{evil}"):
        response = api.client.get(API + path, headers=headers)
        assert response.status_code in (403, 404), path
    response = api.client.get(
        f"{API}/offices/kantor-demo/changes", params={"cursor": evil}, headers=headers
    )
    assert response.status_code == 410
    assert api.login("petugas1")["user"]["username"] == "petugas1"  # users still there


def test_openapi_is_served(api: Api) -> None:
    spec = api.client.get(f"{API}/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        f"{API}/health",
        f"{API}/auth/token",
        f"{API}/auth/refresh",
        f"{API}/auth/logout",
        f"{API}/me/signing-key",
        f"{API}/offices/{{office_id}}/changes",
        f"{API}/offices/{{office_id}}/digest",
        f"{API}/mutations",
        f"{API}/uploads",
        f"{API}/uploads/{{upload_id}}",
        f"{API}/attachments/{{attachment_id}}",
    } <= paths


def test_a_nul_byte_is_refused_on_every_database(api: Api) -> None:
    login = api.client.post(
        f"{API}/auth/token", json={"username": "a\x00b", "password": "x", "device_id": "pc"}
    )
    assert login.status_code in (401, 422)
    note = {
        "id": "nul-1",
        "type": "note",
        "complaint_id": "LAP\x00",
        "base_version": 1,
        "created_at": "2026-11-27T08:00:00Z",
        "payload": {"text": "x"},
    }
    [result] = api.push(api.headers("petugas1"), note)
    assert result["status"] == "rejected"
    assert result["error"]["code"] in ("validation_error", "forbidden")
