"""Secrets: the keyring fails closed, passwords wrap keys, verifiers check passwords."""

from __future__ import annotations

import json

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, NoKeyringError

from sync.credentials import SecretStore, check_verifier, make_verifier, unwrap, wrap
from sync.errors import ErrorCode, WorkspaceError
from tests.conftest import MemoryKeyring

FAST = 2**10


class NoKeyring(KeyringBackend):
    """What keyring gives where no backend exists (a bare Linux session, a service)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("no backend")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("no backend")

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyringError("no backend")


class LockedKeyring(NoKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")


def test_secrets_go_to_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()  # None: keyring's own default, here the test's memory keyring
    store.set("p/db-key", "c2VjcmV0")
    assert memory_keyring.secrets[("lapor-desk", "p/db-key")] == "c2VjcmV0"
    assert SecretStore().get("p/db-key") == "c2VjcmV0"  # a new process finds it
    store.delete("p/db-key")
    assert SecretStore().get("p/db-key") is None and store.available


@pytest.mark.parametrize("backend", [NoKeyring(), LockedKeyring()])
def test_no_keyring_keeps_secrets_in_memory_only(backend: KeyringBackend) -> None:
    store = SecretStore(backend)
    store.set("p/db-key", "c2VjcmV0")
    assert store.get("p/db-key") == "c2VjcmV0"
    assert not store.available
    assert SecretStore(backend).get("p/db-key") is None  # gone with the process


def test_a_plaintext_backend_is_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    backend = PlaintextKeyring()
    store = SecretStore(backend)
    store.set("p/db-key", "c2VjcmV0")
    assert backend.secrets == {} and not store.available


def test_wrap_and_unwrap_with_the_password() -> None:
    blob = wrap(b"k" * 32, "kata sandi", purpose="db-key p1", n=FAST)
    assert unwrap(blob, "kata sandi", purpose="db-key p1") == b"k" * 32
    assert "k" * 8 not in json.dumps(blob)


@pytest.mark.parametrize(
    ("password", "purpose"), [("salah", "db-key p1"), ("kata sandi", "db-key p2")]
)
def test_a_wrong_password_or_purpose_opens_nothing(password: str, purpose: str) -> None:
    blob = wrap(b"k" * 32, "kata sandi", purpose="db-key p1", n=FAST)
    with pytest.raises(WorkspaceError) as raised:
        unwrap(blob, password, purpose=purpose)
    assert raised.value.code == ErrorCode.INVALID_CREDENTIALS


def test_a_tampered_blob_opens_nothing() -> None:
    blob = wrap(b"k" * 32, "kata sandi", purpose="x", n=FAST)
    blob["sealed"] = blob["sealed"][:-4] + "AAA="
    with pytest.raises(WorkspaceError):
        unwrap(blob, "kata sandi", purpose="x")


def test_verifier_checks_the_password() -> None:
    verifier = make_verifier("kata sandi", n=FAST)
    assert check_verifier(verifier, "kata sandi")
    assert not check_verifier(verifier, "kata sandi ")
    assert not check_verifier({"salt": "!!"}, "kata sandi")
