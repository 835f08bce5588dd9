"""Online login against the real server: tokens, cached users, signing keys, refresh."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server.db import SigningKey
from server.inprocess import RunningServer, start_server
from sync import protocol
from sync.connection import Tokens, tokens_name
from sync.errors import WorkspaceError
from sync.store.profile import Account
from sync.values import ReplyState
from tests.conftest import MemoryKeyring
from tests.integration import peers
from tests.integration.peers import OFFICER, SUPERVISOR

DEAD_URL = "http://127.0.0.1:9"  # nothing listens: connection refused at once


def unregistered(account: Account) -> Account:
    """As if the registration's answer never came."""
    return replace(account, signing_key_registered=False)


def stored_tokens(keyring: MemoryKeyring, name: str) -> dict[str, str]:
    return dict(json.loads(keyring.secrets[("lapor-desk", name)]))


def test_online_login_caches_the_user_for_a_later_offline_login(
    tmp_path: Path, server: RunningServer, memory_keyring: MemoryKeyring
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    user = workspace.login(OFFICER, peers.password(OFFICER))
    assert user.username == OFFICER and user.office_id == "kantor-demo"
    account = workspace.profile.accounts[OFFICER]
    pair = stored_tokens(memory_keyring, tokens_name(workspace.profile, account.user_id))
    workspace.close()
    # The tokens are in the keyring only: no file of the profile holds them.
    for path in (tmp_path / "p").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert pair["access"].encode() not in data
            assert pair["refresh"].encode() not in data
            assert peers.password(OFFICER).encode() not in data

    offline = peers.open_profile(tmp_path / "p", DEAD_URL)
    assert offline.login(OFFICER, peers.password(OFFICER)).username == OFFICER
    with pytest.raises(WorkspaceError) as wrong:
        offline.login(OFFICER, "salah")
    assert wrong.value.code == "invalid_credentials"
    offline.close()


def test_a_wrong_password_online_is_refused_and_never_tried_offline(
    tmp_path: Path, server: RunningServer
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    peers.log_in(workspace, OFFICER)
    with pytest.raises(WorkspaceError) as refused:
        workspace.login(OFFICER, "bukan-sandinya")
    assert refused.value.code == "invalid_credentials"
    workspace.close()


def test_a_supervisor_registers_this_devices_key_and_approvals_verify(
    tmp_path: Path, server: RunningServer
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    peers.log_in(workspace, SUPERVISOR)
    account = workspace.profile.accounts[SUPERVISOR]
    assert account.signing_key_registered
    with server.database.reading() as session:
        key = session.get(SigningKey, (account.user_id, workspace.profile.device_id))
        assert key is not None and key.public_key == account.signing_public_key
    workspace.close()


def test_an_unregistered_key_holds_approvals_back_until_a_sync_registers_it(
    tmp_path: Path, server: RunningServer
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    peers.log_in(workspace, SUPERVISOR)
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    account = workspace.profile.accounts[SUPERVISOR]
    # As if the registration's answer never came: the server has no key yet.
    with server.database.writing() as session:
        row = session.get(SigningKey, (account.user_id, workspace.profile.device_id))
        session.delete(row)
    workspace.profile.update_account(SUPERVISOR, unregistered)
    complaint_id = peers.open_complaints(server)[0]
    draft = workspace.draft_reply(complaint_id, "Tanggapan menunggu kunci")
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))

    report = workspace.sync()  # registers with the supervisor's stored token, then sends

    assert report.ok and report.applied == 1 and report.rejected == 0
    assert workspace.profile.accounts[SUPERVISOR].signing_key_registered
    assert workspace.reply(draft).state is ReplyState.SENT
    workspace.close()


def test_a_different_key_on_the_server_moves_the_profile_to_a_new_device(
    tmp_path: Path, server: RunningServer
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    old_device = workspace.profile.device_id
    other = protocol.public_key_b64(Ed25519PrivateKey.generate())
    with server.database.writing() as session:
        session.add(SigningKey(user_id="u-atasan1", device_id=old_device, public_key=other,
                               created_at=peers.now()))

    peers.log_in(workspace, SUPERVISOR)

    profile = workspace.profile
    assert profile.device_id != old_device
    assert profile.accounts[SUPERVISOR].signing_key_registered
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    complaint_id = peers.open_complaints(server)[0]
    draft = workspace.draft_reply(complaint_id, "Disetujui di perangkat baru")
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
    assert workspace.sync().applied == 1
    assert peers.events_with_text(server, "Disetujui di perangkat baru") == 1
    workspace.close()


def test_an_expired_access_token_is_refreshed_once_and_the_new_pair_kept(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with start_server(complaints=6, rate_limit=None, access_token_ttl_s=1) as server:
        workspace = peers.open_profile(tmp_path / "p", server.url)
        peers.log_in(workspace, OFFICER)
        name = tokens_name(workspace.profile, workspace.profile.accounts[OFFICER].user_id)
        before = stored_tokens(memory_keyring, name)
        time.sleep(1.2)  # no Qt here: a real expiry on the server's clock

        report = workspace.sync()

        assert report.ok, report
        after = stored_tokens(memory_keyring, name)
        assert after["refresh"] != before["refresh"] and after["access"] != before["access"]
        workspace.close()


def test_a_spent_refresh_token_asks_for_a_new_login_and_keeps_offline_work(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with start_server(complaints=6, rate_limit=None, access_token_ttl_s=1) as server:
        workspace = peers.open_profile(tmp_path / "p", server.url)
        peers.log_in(workspace, OFFICER)
        assert workspace.sync().ok
        name = tokens_name(workspace.profile, workspace.profile.accounts[OFFICER].user_id)
        stolen = stored_tokens(memory_keyring, name)["refresh"]
        # Someone else spends it first (or our answer was lost): the family is revoked.
        spent = requests.post(server.api_url + "/auth/refresh",
                              json={"refresh_token": stolen}, timeout=5)
        assert spent.status_code == 200
        complaint_id = peers.open_complaints(server)[0]
        note = workspace.draft_reply(complaint_id, "Catatan luring", kind="note")
        workspace.submit_for_approval(note)
        time.sleep(1.2)

        report = workspace.sync()

        assert report.error_code == "login_required" and not report.ok
        assert ("lapor-desk", name) not in memory_keyring.secrets
        assert workspace.reply(note).state is ReplyState.QUEUED  # nothing lost
        peers.log_in(workspace, OFFICER)
        assert workspace.sync().applied == 1
        assert peers.events_with_text(server, "Catatan luring") == 1
        workspace.close()


def test_without_a_keyring_tokens_live_in_memory_only(
    tmp_path: Path, server: RunningServer, memory_keyring: MemoryKeyring
) -> None:
    from keyring.errors import KeyringLocked

    class Locked(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise KeyringLocked("locked")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise KeyringLocked("locked")

    from sync.credentials import SecretStore
    from sync.workspace import Workspace
    from tests.helpers.replica import FAST_KDF

    secrets = SecretStore(Locked())
    workspace = Workspace.open(tmp_path / "p", server.url, secrets=secrets, kdf_n=FAST_KDF)
    workspace.network = peers.FAST
    peers.log_in(workspace, OFFICER)
    assert not secrets.available
    assert workspace.sync().ok
    name = tokens_name(workspace.profile, workspace.profile.accounts[OFFICER].user_id)
    access = json.loads(secrets.get(name) or "{}")["access"]
    for path in (tmp_path / "p").rglob("*"):
        if path.is_file():
            assert access.encode() not in path.read_bytes()
            assert base64.b64encode(access.encode()) not in path.read_bytes()
    workspace.close()


def test_login_says_whether_the_server_checked_the_password(
    tmp_path: Path, server: RunningServer
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    online = workspace.login(OFFICER, peers.password(OFFICER))
    current = workspace.current_user
    assert online.online and current is not None and current.online
    workspace.close()
    offline_ws = peers.open_profile(tmp_path / "p", DEAD_URL)
    offline = offline_ws.login(OFFICER, peers.password(OFFICER))
    current = offline_ws.current_user
    assert not offline.online and current is not None and not current.online
    assert offline.username == OFFICER
    offline_ws.close()


def test_a_malformed_token_answer_never_quotes_the_tokens(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.helpers.scripted_http import Answer, ScriptedServer

    with ScriptedServer() as scripted:
        scripted.default = Answer(body={
            "access_token": "RAHASIA-AKSES", "refresh_token": "RAHASIA-SEGAR",
            "expires_in": "nanti", "user": {"id": "u-1"},
        })
        workspace = peers.open_profile(tmp_path / "p", scripted.url)
        with pytest.raises(WorkspaceError) as broken:
            workspace.login(OFFICER, peers.password(OFFICER))
        workspace.close()
    assert broken.value.code == "transport_error"
    said = broken.value.message + caplog.text
    assert "expires_in" in said
    assert "RAHASIA" not in said


def test_an_approval_waits_for_its_key_instead_of_being_refused(
    tmp_path: Path, server: RunningServer, memory_keyring: MemoryKeyring
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    peers.log_in(workspace, SUPERVISOR)
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    supervisor = workspace.profile.accounts[SUPERVISOR]
    with server.database.writing() as session:
        session.delete(session.get(SigningKey, (supervisor.user_id, workspace.profile.device_id)))
    workspace.profile.update_account(SUPERVISOR, unregistered)
    # ...and no token of the supervisor here to register it with.
    Tokens(workspace._secrets, workspace.profile, supervisor.user_id).forget()
    complaint_id = peers.open_complaints(server)[0]
    draft = workspace.draft_reply(complaint_id, "Menunggu kunci atasan")
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
    note = workspace.draft_reply(complaint_id, "Catatan sesudahnya", kind="note")
    workspace.submit_for_approval(note)

    held = workspace.sync()

    assert held.ok and held.rejected == 0 and held.pushed == 0
    assert any("wait for a supervisor's key" in line for line in held.notes)
    assert workspace.reply(draft).state is ReplyState.QUEUED
    assert workspace.reply(note).state is ReplyState.QUEUED  # its order on the complaint kept
    peers.log_in(workspace, SUPERVISOR)  # online: the key is registered now
    peers.log_in(workspace, OFFICER)
    sent = workspace.sync()
    assert sent.applied == 2
    assert peers.events_with_text(server, "Menunggu kunci atasan") == 1
    workspace.close()
