"""The profile's non-secret metadata: one JSON file beside the database.

Ids, the server's address and each cached user's password verifier and
wrapped keys. Nothing here opens anything without a password; it must be
readable before the encrypted database can be, which is why it is not in it.

Two threads change it (the task runner's sync registers keys and may move
the device id while the GUI thread counts failed logins), so every change
goes through ``Profile.update``: under one lock, on a copy, written to disk
before it is kept. Accounts are frozen values; a change is a new one
(``dataclasses.replace``), never an edit of one another thread holds.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

PROFILE_FILE = "profile.json"
DATABASE_FILE = "replica.db"
FORMAT = 1
# Only this OS user reads the profile (on POSIX; Windows keeps the folder's inherited ACL).
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600

T = TypeVar("T")


def make_private(path: Path, mode: int) -> None:
    """Narrow ``path`` to ``mode`` on POSIX: a profile an older version left open closes."""
    if os.name == "posix":
        os.chmod(path, mode)


@dataclass(frozen=True)
class Account:
    """A user who logged in here once, so they can log in again offline."""

    user_id: str
    username: str
    full_name: str
    role: str
    office_id: str
    verifier: dict[str, Any]
    wrapped_db_key: dict[str, Any]
    wrapped_signing_key: dict[str, Any] | None = None
    signing_public_key: str | None = None  # base64, for PUT /me/signing-key
    signing_key_registered: bool = False
    failed_logins: int = 0
    locked_until: str | None = None  # RFC 3339


@dataclass
class ProfileState:
    """What a change may touch: a private copy, handed to ``Profile.update``'s change."""

    device_id: str
    server_url: str
    accounts: dict[str, Account]


class Profile:
    """The profile of this PC; read it from any thread, change it only by ``update``."""

    def __init__(self, directory: Path, profile_id: str, state: ProfileState) -> None:
        self.directory = directory
        self.profile_id = profile_id
        self._state = state
        # Reentrant so that a change may read the profile; see _updating for the rest.
        self._lock = threading.RLock()
        self._updating = False

    @property
    def database_path(self) -> Path:
        return self.directory / DATABASE_FILE

    @property
    def device_id(self) -> str:
        return self._state.device_id

    @property
    def server_url(self) -> str:
        return self._state.server_url

    @property
    def accounts(self) -> Mapping[str, Account]:
        """A read-only snapshot: later changes do not show in it, nor can it be changed."""
        with self._lock:
            return MappingProxyType(dict(self._state.accounts))

    @classmethod
    def load_or_create(cls, directory: Path, server_url: str) -> Profile:
        path = directory / PROFILE_FILE
        directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        make_private(directory, PRIVATE_FOLDER)
        if not path.exists():
            profile = cls(directory, str(uuid.uuid4()),
                          ProfileState(str(uuid.uuid4()), server_url, {}))
            profile._write(profile._state)
            return profile
        data = json.loads(path.read_text(encoding="utf-8"))
        accounts = {name: Account(**acc) for name, acc in data.get("accounts", {}).items()}
        profile = cls(directory, data["profile_id"],
                      ProfileState(data["device_id"], data["server_url"], accounts))
        if server_url:
            profile.set_server_url(server_url)
        return profile

    def update(self, change: Callable[[ProfileState], T]) -> T:
        """Apply ``change`` to a copy of the state and save it, all under the profile's lock.

        What ``change`` returns is returned. Nothing is kept when it raises or
        the file cannot be written; an unchanged state is not rewritten (two
        fsyncs: a third of an offline approval's time). ``change`` must not
        call ``update`` itself: the outer one would write over the inner one.
        """
        with self._lock:
            if self._updating:
                raise RuntimeError("Profile.update called from within a change")
            self._updating = True
            try:
                draft = replace(self._state, accounts=dict(self._state.accounts))
                result = change(draft)
                if draft != self._state:
                    self._write(draft)
                    self._state = draft
                return result
            finally:
                self._updating = False

    def update_account(self, username: str, change: Callable[[Account], Account]) -> Account:
        """Replace the cached ``username`` by ``change`` of it, as it is now; KeyError if none."""

        def apply(state: ProfileState) -> Account:
            state.accounts[username] = new = change(state.accounts[username])
            return new

        return self.update(apply)

    def set_server_url(self, server_url: str) -> None:
        def put(state: ProfileState) -> None:
            state.server_url = server_url

        self.update(put)

    def move_to_new_device(self) -> str:
        """A new device id, every signing key unregistered (they were for the old id)."""

        def move(state: ProfileState) -> str:
            state.device_id = str(uuid.uuid4())
            state.accounts = {
                name: replace(account, signing_key_registered=False)
                for name, account in state.accounts.items()
            }
            return state.device_id

        return self.update(move)

    def _write(self, state: ProfileState) -> None:
        data = {
            "format": FORMAT,
            "profile_id": self.profile_id,
            "device_id": state.device_id,
            "server_url": state.server_url,
            "accounts": {name: asdict(acc) for name, acc in sorted(state.accounts.items())},
        }
        write_atomically(self.directory / PROFILE_FILE, json.dumps(data, indent=2) + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` so that a crash leaves the old file or the new one, never half."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
