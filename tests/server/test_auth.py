"""Login, lockout, token expiry, refresh rotation, logout, signing keys."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import update

from server.db import SigningKey, User
from tests.server.conftest import API, Api, Clock


def _login(api: Api, username: str, password: str) -> object:
    return api.client.post(
        f"{API}/auth/token",
        json={"username": username, "password": password, "device_id": "pc-1"},
    )


def test_login_returns_tokens_and_the_user(api: Api) -> None:
    body = api.login("atasan1")
    assert body["expires_in"] == 900
    assert body["user"] == {
        "id": "u-atasan1",
        "username": "atasan1",
        "full_name": "I Gede Mahendra, S.Sos.",
        "role": "supervisor",
        "office_id": "kantor-demo",
        "active": True,
    }
    assert body["access_token"] != body["refresh_token"]


def test_wrong_password_unknown_user_and_inactive_account_look_alike(api: Api) -> None:
    with api.db.writing() as session:
        session.execute(update(User).where(User.username == "petugas2").values(active=False))
    for username, password in [
        ("petugas1", "salah"),
        ("tidak-ada", "demo-tidak-ada"),
        ("petugas2", "demo-petugas2"),
    ]:
        response = _login(api, username, password)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_credentials"


def test_ten_failures_in_fifteen_minutes_lock_the_account(api: Api, clock: Clock) -> None:
    for _ in range(10):
        assert _login(api, "petugas1", "salah").status_code == 401
        clock.advance(seconds=30)
    locked = _login(api, "petugas1", "demo-petugas1")
    assert locked.status_code == 423
    error = locked.json()["error"]
    assert error["code"] == "account_locked"
    assert 0 < error["details"]["retry_after_s"] <= 15 * 60
    clock.advance(minutes=15, seconds=1)
    assert _login(api, "petugas1", "demo-petugas1").status_code == 200


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(api: Api, clock: Clock) -> None:
    for _ in range(12):
        assert _login(api, "petugas1", "salah").status_code == 401
        clock.advance(minutes=2)
    assert _login(api, "petugas1", "demo-petugas1").status_code == 200


def test_access_token_expires_and_refresh_rotates(make_api: object, clock: Clock) -> None:
    api: Api = make_api(access_token_ttl_s=60)  # type: ignore[operator]
    tokens = api.login("petugas1")
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.client.get(f"{API}/offices/kantor-demo/digest", headers=bearer).status_code == 200
    clock.advance(seconds=61)
    expired = api.client.get(f"{API}/offices/kantor-demo/digest", headers=bearer)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "token_expired"

    fresh = api.client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200
    renewed = fresh.json()
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert renewed["user"]["username"] == "petugas1"
    bearer = {"Authorization": f"Bearer {renewed['access_token']}"}
    assert api.client.get(f"{API}/offices/kantor-demo/digest", headers=bearer).status_code == 200


def test_a_spent_refresh_token_revokes_its_whole_family(api: Api) -> None:
    first = api.login("petugas1")
    second = api.client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    replay = api.client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "invalid_token"
    # The thief's replay also kills the tokens the rightful client got.
    newest = second.json()
    after = api.client.post(f"{API}/auth/refresh", json={"refresh_token": newest["refresh_token"]})
    assert after.json()["error"]["code"] == "invalid_token"
    bearer = {"Authorization": f"Bearer {newest['access_token']}"}
    denied = api.client.get(f"{API}/offices/kantor-demo/digest", headers=bearer)
    assert denied.json()["error"]["code"] == "invalid_token"


def _digest(api: Api, access_token: str) -> Any:
    bearer = {"Authorization": f"Bearer {access_token}"}
    return api.client.get(f"{API}/offices/kantor-demo/digest", headers=bearer)


def _refresh(api: Api, refresh_token: str) -> Any:
    return api.client.post(f"{API}/auth/refresh", json={"refresh_token": refresh_token})


def _set_active(api: Api, username: str, active: bool) -> None:
    with api.db.writing() as session:
        session.execute(update(User).where(User.username == username).values(active=active))


def test_a_refresh_retires_the_access_token_it_replaces(api: Api) -> None:
    first = api.login("petugas1")
    renewed = _refresh(api, first["refresh_token"]).json()
    old = _digest(api, first["access_token"])
    assert (old.status_code, old.json()["error"]["code"]) == (401, "token_expired")
    assert _digest(api, renewed["access_token"]).status_code == 200


def test_logins_before_a_deactivation_stay_dead_after_reactivation(api: Api) -> None:
    auth = api.client.app.state.services.auth  # type: ignore[attr-defined]
    before = api.login("petugas1")
    auth.set_active("u-petugas1", False)
    auth.set_active("u-petugas1", True)
    assert _digest(api, before["access_token"]).json()["error"]["code"] == "invalid_token"
    assert _refresh(api, before["refresh_token"]).json()["error"]["code"] == "invalid_token"
    assert _digest(api, api.login("petugas1")["access_token"]).status_code == 200


def test_a_user_deactivated_in_the_database_is_not_revived_by_reactivation(api: Api) -> None:
    """Flipped by hand, not by set_active: the first token seen while inactive revokes all."""
    used, unused = api.login("petugas1", "pc-1"), api.login("petugas1", "pc-2")
    _set_active(api, "petugas1", False)
    assert _digest(api, used["access_token"]).json()["error"]["code"] == "invalid_token"
    _set_active(api, "petugas1", True)
    for tokens in (used, unused):
        assert _digest(api, tokens["access_token"]).json()["error"]["code"] == "invalid_token"
        assert _refresh(api, tokens["refresh_token"]).json()["error"]["code"] == "invalid_token"


def test_logout_revokes_and_accepts_unknown_tokens(api: Api) -> None:
    tokens = api.login("petugas1")
    bye = api.client.post(f"{API}/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert bye.status_code == 204
    again = api.client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.json()["error"]["code"] == "invalid_token"
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.client.get(f"{API}/offices/kantor-demo/digest", headers=bearer).status_code == 401
    unknown = api.client.post(f"{API}/auth/logout", json={"refresh_token": "tidak-dikenal"})
    assert unknown.status_code == 204


def test_missing_or_unknown_bearer_is_invalid_token(api: Api) -> None:
    for headers in ({}, {"Authorization": "Bearer rubbish"}, {"Authorization": "Basic eDp5"}):
        response = api.client.get(f"{API}/offices/kantor-demo/digest", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_token"


def test_signing_key_is_kept_for_life(api: Api) -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    other = base64.b64encode(bytes(range(1, 33))).decode()
    headers = api.headers("atasan1", "laptop")
    put = f"{API}/me/signing-key"
    body = {"device_id": "laptop", "public_key": key}
    assert api.client.put(put, json=body, headers=headers).status_code == 204
    assert api.client.put(put, json=body, headers=headers).status_code == 204
    clash = api.client.put(put, json={**body, "public_key": other}, headers=headers)
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "key_exists"


SMALL_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",  # the identity
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # order 2
    "0000000000000000000000000000000000000000000000000000000000000000",  # order 4
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  # order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "0100000000000000000000000000000000000000000000000000000000000080",  # x = 0, sign set
]
P = 2**255 - 19
NON_CANONICAL = [  # y >= p: another spelling of a y below p
    P.to_bytes(32, "little").hex(),
    (P + 1).to_bytes(32, "little").hex(),  # the identity again
    (2**255 - 1).to_bytes(32, "little").hex(),
    ((P + 3) | 1 << 255).to_bytes(32, "little").hex(),
]


def test_small_order_and_non_canonical_keys_are_refused(api: Api) -> None:
    headers = api.headers("atasan1", "laptop")
    put = f"{API}/me/signing-key"
    for raw in SMALL_ORDER + NON_CANONICAL:
        key = base64.b64encode(bytes.fromhex(raw)).decode()
        bad = api.client.put(put, json={"device_id": "laptop", "public_key": key}, headers=headers)
        assert bad.status_code == 422, (raw, bad.text)
        error = bad.json()["error"]
        assert error["code"] == "validation_error" and "public_key" in error["details"]["fields"]
    with api.db.reading() as session:
        assert session.get(SigningKey, ("u-atasan1", "laptop")) is None
    api.register_key("atasan1", "laptop")  # a real key still goes in


def test_signing_key_must_be_a_key_for_the_tokens_device(api: Api) -> None:
    headers = api.headers("atasan1", "laptop")
    put = f"{API}/me/signing-key"
    short = base64.b64encode(b"too short").decode()
    bad = api.client.put(put, json={"device_id": "laptop", "public_key": short}, headers=headers)
    assert bad.status_code == 422
    assert "public_key" in bad.json()["error"]["details"]["fields"]
    key = base64.b64encode(bytes(32)).decode()
    other = api.client.put(put, json={"device_id": "pc-lain", "public_key": key}, headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "validation_error"
