"""Secrets of a profile: the OS keyring when there is one, password wrapping always.

- ``SecretStore`` fronts the OS keyring and fails closed: with no usable
  backend (none installed, locked, or a plaintext one such as
  ``keyrings.alt``) secrets live in this process's memory only, and
  ``available`` says so. Nothing falls back to a file.
- ``wrap``/``unwrap`` seal a secret (the database key, a signing key) under
  a person's password: scrypt derives the key, AES-GCM seals, and the
  purpose is bound in as associated data so a blob cannot be swapped for
  another.
- ``make_verifier``/``check_verifier`` let a cached user log in offline.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import logging
import os
from typing import Any

import keyring
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from sync.errors import ErrorCode, WorkspaceError

log = logging.getLogger(__name__)

SERVICE = "lapor-desk"
SCRYPT_N = 2**15  # ~0.15 s and 32 MiB on an office PC: cheap once, dear in bulk
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_NONCE_BYTES = 12

# Backends that would write secrets to disk in plaintext, or throw them away.
_REFUSED_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")


class SecretStore:
    """Named secrets (text) in the OS keyring, or in memory when it is unusable."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend
        self._memory: dict[str, str] = {}
        self._available = True

    @property
    def available(self) -> bool:
        """False once the keyring failed: secrets set since then die with the process."""
        return self._available

    def _keyring(self) -> KeyringBackend | None:
        if not self._available:
            return None
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        chain = getattr(backend, "backends", None)
        members = chain if chain is not None else [backend]
        if not members or any(type(b).__module__.startswith(_REFUSED_MODULES) for b in members):
            self._fail(f"refused keyring backend {type(backend).__name__}")
            return None
        return backend

    def _fail(self, why: str) -> None:
        log.warning("OS keyring unavailable, secrets kept in memory only: %s", why)
        self._available = False

    def get(self, name: str) -> str | None:
        backend = self._keyring()
        if backend is not None:
            try:
                value = backend.get_password(SERVICE, name)
            except KeyringError as exc:
                self._fail(type(exc).__name__)
            else:
                if value is not None:
                    return str(value)
        return self._memory.get(name)

    def set(self, name: str, value: str) -> None:
        self._memory[name] = value
        backend = self._keyring()
        if backend is None:
            return
        try:
            backend.set_password(SERVICE, name, value)
        except KeyringError as exc:
            self._fail(type(exc).__name__)

    def delete(self, name: str) -> None:
        self._memory.pop(name, None)
        backend = self._keyring()
        if backend is None:
            return
        # Absent already, or locked: either way there is nothing more to do here.
        with contextlib.suppress(KeyringError):
            backend.delete_password(SERVICE, name)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)


def _derive(password: str, salt: bytes, n: int, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))


def _kdf_fields(salt: bytes, n: int) -> dict[str, Any]:
    return {"kdf": "scrypt", "n": n, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)}


def _derive_as(blob: dict[str, Any], password: str) -> bytes:
    """Derive with the salt and cost a blob was made with (costs may rise later)."""
    n, r, p = int(blob["n"]), int(blob["r"]), int(blob["p"])
    return _derive(password, _unb64(blob["salt"]), n, r, p)


def wrap(secret: bytes, password: str, *, purpose: str, n: int = SCRYPT_N) -> dict[str, Any]:
    """Seal ``secret`` under ``password``; the blob is safe to write to disk."""
    salt = os.urandom(_SALT_BYTES)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_derive(password, salt, n)).encrypt(nonce, secret, purpose.encode("utf-8"))
    return {**_kdf_fields(salt, n), "nonce": _b64(nonce), "sealed": _b64(sealed)}


def unwrap(blob: dict[str, Any], password: str, *, purpose: str) -> bytes:
    """Open a ``wrap`` blob; ``WorkspaceError`` (invalid_credentials) on a wrong password."""
    try:
        return AESGCM(_derive_as(blob, password)).decrypt(
            _unb64(blob["nonce"]), _unb64(blob["sealed"]), purpose.encode("utf-8")
        )
    except (InvalidTag, KeyError, ValueError) as exc:
        raise WorkspaceError(
            ErrorCode.INVALID_CREDENTIALS, "the password does not open this secret"
        ) from exc


def make_verifier(password: str, *, n: int = SCRYPT_N) -> dict[str, Any]:
    """A salted scrypt hash of the password, for offline login."""
    salt = os.urandom(_SALT_BYTES)
    return {**_kdf_fields(salt, n), "hash": _b64(_derive(password, salt, n))}


def check_verifier(verifier: dict[str, Any], password: str) -> bool:
    try:
        return hmac.compare_digest(_derive_as(verifier, password), _unb64(verifier["hash"]))
    except (KeyError, ValueError):
        return False
