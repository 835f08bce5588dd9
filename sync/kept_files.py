"""Where attachment files are kept under the profile, sealed, and their download state.

Kept files live under the profile in ``attachments/``, named by a keyed hash
of their SHA-256 plus their type's extension (``protocol.FILE_TYPES``): a file
name from the server or a person never chooses where a file lands, and the
name does not tell which known file it is (``stored_path``). They are sealed at rest
(``sync.sealed_files``, a key derived from the database key). The cycle's
downloads (``sync.cycle.files``), a draft's files (``sync.draft_files``) and
opening (``sync.opening``) all find them here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, update

from sync import protocol
from sync.sealed_files import SealBroken, names_key, unseal
from sync.store.database import write_session
from sync.store.models import Attachment

FILES_DIR = "attachments"
PART_SUFFIX = ".part"
HASH_BLOCK = 1024 * 1024

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A kept file's name: this many hex digits of an HMAC (160 bits), so no two contents meet.
NAME_DIGITS = 40


def stored_path(files_dir: Path, key: bytes, sha256: str, mime: str) -> Path:
    """Where a file with this content lives: chosen by its hash, never by its name.

    ``key`` is the replica's files key: the name is an HMAC of the SHA-256 under
    a key derived from it (``names_key``), so whoever holds the same file cannot
    tell from the names that this profile has it.
    """
    if not _SHA256.match(sha256):
        raise ValueError("not a lowercase hex SHA-256")
    name = hmac.new(names_key(key), sha256.encode("ascii"), hashlib.sha256).hexdigest()
    name = name[:NAME_DIGITS]
    return files_dir / name[:2] / f"{name}{_extension(mime)}"


def _extension(mime: str) -> str:
    kind = protocol.FILE_TYPES.get(mime)
    return kind.extension if kind is not None else ".bin"  # never opened (``sync.opening``)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def sealed_sha256(path: Path, key: bytes) -> str | None:
    """The SHA-256 of a sealed file's plaintext; None when it is absent or fails its seal."""
    digest = hashlib.sha256()
    try:
        for chunk in unseal(path, key):
            digest.update(chunk)
    except SealBroken:
        return None
    return digest.hexdigest()


def set_download_state(db: Engine, att_id: str, state: str, have: int, path: Path | None) -> None:
    """Record a file's download on every complaint it belongs to (one content, one file)."""
    _update_file(db, att_id, download_state=state, downloaded_bytes=have,
                 local_path=str(path) if path is not None else None)


def _update_file(db: Engine, att_id: str, **values: Any) -> None:
    with write_session(db) as session:
        session.execute(update(Attachment).where(Attachment.id == att_id).values(**values))
