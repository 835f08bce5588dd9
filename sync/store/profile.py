"""The profile's non-secret metadata: one JSON file beside the database.

Ids, the server's address and each cached user's password verifier and
wrapped keys. Nothing here opens anything without a password; it must be
readable before the encrypted database can be, which is why it is not in it.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROFILE_FILE = "profile.json"
DATABASE_FILE = "replica.db"
FORMAT = 1
# Only this OS user reads the profile (on POSIX; Windows keeps the folder's inherited ACL).
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def make_private(path: Path, mode: int) -> None:
    """Narrow ``path`` to ``mode`` on POSIX: a profile an older version left open closes."""
    if os.name == "posix":
        os.chmod(path, mode)


@dataclass
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
class Profile:
    directory: Path
    profile_id: str
    device_id: str
    server_url: str
    accounts: dict[str, Account] = field(default_factory=dict)

    @property
    def database_path(self) -> Path:
        return self.directory / DATABASE_FILE

    @classmethod
    def load_or_create(cls, directory: Path, server_url: str) -> Profile:
        path = directory / PROFILE_FILE
        directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        make_private(directory, PRIVATE_FOLDER)
        if not path.exists():
            profile = cls(directory, str(uuid.uuid4()), str(uuid.uuid4()), server_url)
            profile.save()
            return profile
        data = json.loads(path.read_text(encoding="utf-8"))
        accounts = {name: Account(**acc) for name, acc in data.get("accounts", {}).items()}
        profile = cls(directory, data["profile_id"], data["device_id"], data["server_url"],
                      accounts)
        if server_url and server_url != profile.server_url:
            profile.server_url = server_url
            profile.save()
        return profile

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "profile_id": self.profile_id,
            "device_id": self.device_id,
            "server_url": self.server_url,
            "accounts": {name: asdict(acc) for name, acc in sorted(self.accounts.items())},
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
