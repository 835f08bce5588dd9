"""Encryption at rest: no plaintext on disk, no opening without the key or a password."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from sync.credentials import SecretStore
from sync.errors import ErrorCode, WorkspaceError
from sync.store.database import open_engine
from sync.workspace import Workspace
from tests.conftest import MemoryKeyring
from tests.helpers.replica import FAST_KDF, NOWHERE, PASSWORDS, complaint, office, user
from tests.sync.test_credentials import NoKeyring

BODY = "Pungli di loket KTP oleh oknum ZEBRAKUNING9931"
REPORTER = "Ni Luh Plaintextia"
PHONE = "+6281299887766"
DRAFT = "Draf rahasia KAKATUA4471 untuk pelapor"

SECRETS = [BODY, REPORTER, PHONE, DRAFT, "ZEBRAKUNING9931", "Plaintextia", "KAKATUA4471"]


def leaked(folder: Path) -> list[str]:
    """Every secret string found in any file of the profile, in UTF-8 or UTF-16."""
    found = []
    for path in folder.iterdir():
        data = path.read_bytes()
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if secret.encode(encoding) in data:
                    found.append(f"{path.name}: {secret!r} ({encoding})")
    return found


def test_no_plaintext_of_a_complaint_or_reporter_on_disk(tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    ws = office(profile_dir, complaint("LAP-1", body=BODY,
                                       reporter={"name": REPORTER, "phone": PHONE}))
    ws.draft_reply("LAP-1", DRAFT)
    assert ws.complaint("LAP-1").reporter is not None  # it is there, readable through the key
    wal = profile_dir / "replica.db-wal"
    assert wal.exists() and wal.stat().st_size > 0  # the writes sit in the WAL: check it too
    assert leaked(profile_dir) == []
    with ws.database.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert leaked(profile_dir) == []
    ws.close()
    assert leaked(profile_dir) == []


def test_passwords_and_the_database_key_never_reach_disk(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    profile_dir = tmp_path / "profile"
    ws = office(profile_dir)
    ws.close()
    stored_key = next(v for (_, name), v in memory_keyring.secrets.items()
                      if name.endswith("/db-key"))
    raw_key = base64.b64decode(stored_key)
    for path in profile_dir.iterdir():
        data = path.read_bytes()
        assert raw_key not in data and raw_key.hex().encode() not in data
        assert stored_key.encode() not in data
        for password in PASSWORDS.values():
            assert password.encode() not in data


def test_a_wrong_key_opens_nothing(tmp_path: Path) -> None:
    ws = office(tmp_path / "profile", complaint("LAP-1", body=BODY))
    path = ws.profile.database_path
    ws.close()
    with pytest.raises(WorkspaceError):
        open_engine(path, os.urandom(32))


def test_without_a_keyring_the_profile_opens_with_a_users_password(tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    office(profile_dir, complaint("LAP-1")).close()

    ws = Workspace.open(profile_dir, secrets=SecretStore(NoKeyring()), kdf_n=FAST_KDF)
    assert ws.locked
    with pytest.raises(WorkspaceError) as raised:
        ws.complaints()
    assert raised.value.code == ErrorCode.LOCKED_PROFILE
    with pytest.raises(WorkspaceError) as raised:
        ws.login("ani", "salah")
    assert raised.value.code == ErrorCode.INVALID_CREDENTIALS and ws.locked
    ws.login("ani", PASSWORDS["ani"])
    assert not ws.locked
    assert [c.id for c in ws.complaints()] == ["LAP-1"]
    ws.close()


def test_a_new_profile_on_a_pc_without_keyring(tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    ws = Workspace.open(profile_dir, NOWHERE, secrets=SecretStore(NoKeyring()), kdf_n=FAST_KDF)
    assert not ws.locked  # a fresh key, held in memory until someone logs in
    ws.remember_user(user("ani"), PASSWORDS["ani"])
    assert ws.login("ani", PASSWORDS["ani"]).username == "ani"
    ws.close()
    again = Workspace.open(profile_dir, secrets=SecretStore(NoKeyring()), kdf_n=FAST_KDF)
    assert again.locked
    again.login("ani", PASSWORDS["ani"])
    assert again.outbox() == []
    again.close()


def test_a_stale_keyring_key_waits_for_a_password(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    profile_dir = tmp_path / "profile"
    office(profile_dir, complaint("LAP-1")).close()
    for entry in list(memory_keyring.secrets):
        if entry[1].endswith("/db-key"):
            memory_keyring.secrets[entry] = base64.b64encode(os.urandom(32)).decode()
    ws = Workspace.open(profile_dir, kdf_n=FAST_KDF)
    assert ws.locked
    ws.login("siti", PASSWORDS["siti"])
    assert [c.id for c in ws.complaints()] == ["LAP-1"]
    ws.close()
    # The login put the right key back in the keyring.
    reopened = Workspace.open(profile_dir, kdf_n=FAST_KDF)
    assert not reopened.locked
    reopened.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_profile_is_private_to_its_os_user(tmp_path: Path) -> None:
    def mode(path: Path) -> int:
        return os.stat(path).st_mode & 0o777

    def replica_files(profile_dir: Path) -> list[Path]:
        return sorted(profile_dir.glob("replica.db*"))

    profile_dir = tmp_path / "profile"
    umask = os.umask(0o022)  # the usual one, which made replica.db 0644 in a 0755 folder
    try:
        office(profile_dir, complaint("LAP-1")).close()
        assert mode(profile_dir) == 0o700
        assert replica_files(profile_dir) and all(
            mode(f) == 0o600 for f in replica_files(profile_dir)
        )
        assert mode(profile_dir / "profile.json") == 0o600
        # A profile an older version left open to everyone is closed when it opens.
        os.chmod(profile_dir, 0o755)
        for f in replica_files(profile_dir):
            os.chmod(f, 0o644)
        ws = Workspace.open(profile_dir, secrets=SecretStore(NoKeyring()), kdf_n=FAST_KDF)
        ws.login("ani", PASSWORDS["ani"])
        ws.close()
        assert mode(profile_dir) == 0o700
        assert all(mode(f) == 0o600 for f in replica_files(profile_dir))
    finally:
        os.umask(umask)
