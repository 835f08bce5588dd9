"""A kept file unsealed for the system's viewer, only when its bytes are an allowed type.

``open_attachment`` unseals a downloaded file into a private folder that
``OpenedFiles.close`` removes (``sync.sealed_files``); ``sync.draft_files``
opens a draft's kept copy the same way (``unsealed_copy``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, select

from sync import protocol
from sync.errors import ErrorCode, WorkspaceError
from sync.kept_files import set_download_state
from sync.protocol import safe_filename
from sync.sealed_files import OpenedFiles, SealBroken, unseal
from sync.store.database import files_key, read_session
from sync.store.models import Attachment

log = logging.getLogger(__name__)


def openable(path: Path) -> bool:
    """True when a kept file may go to the system's viewer: an allowed type, by content.

    The extension was chosen from the allowed type when the file was kept
    (``stored_path``); the first bytes must be that type too. Anything else
    (``.bin``, a mismatch) is never handed to the OS, which would run it.
    """
    mime = _mime_of(path)
    if mime is None or not path.is_file():
        return False
    with path.open("rb") as handle:
        return protocol.content_matches(mime, handle.read(protocol.SNIFF_BYTES))


def open_attachment(db: Engine, opened: OpenedFiles, attachment_id: str) -> Path:
    """Unseal a downloaded file into ``opened``'s private folder for the system's viewer.

    The copy keeps the file's safe name with the extension of its checked
    type, so the viewer knows it; only an allowed type by its bytes is
    given. A file that fails its seal or its SHA-256 is dropped and marked
    missing (the next sync downloads it again), never shown.
    """
    with read_session(db) as session:
        # Shared by several complaints, it is one file: any row that holds it will do.
        att = session.scalars(
            select(Attachment).where(Attachment.id == attachment_id)
            .order_by(Attachment.download_state != "done").limit(1)
        ).first()
        if att is None:
            raise WorkspaceError(
                ErrorCode.NOT_FOUND, "no such attachment", attachment_id=attachment_id
            )
        local_path, state = att.local_path, att.download_state
        filename, sha256 = att.filename, att.sha256
    if state != "done" or not local_path or not sha256:
        raise WorkspaceError(ErrorCode.NOT_FOUND, "the file is not downloaded yet",
                             attachment_id=attachment_id)
    try:
        return unsealed_copy(db, opened, Path(local_path), filename, sha256)
    except SealBroken as exc:
        log.warning("attachment %s refused: %s", attachment_id, exc)
        Path(local_path).unlink(missing_ok=True)
        set_download_state(db, attachment_id, "missing", 0, None)
        raise WorkspaceError(
            ErrorCode.NOT_FOUND, "the kept file was damaged; the next sync fetches it again",
            attachment_id=attachment_id,
        ) from exc


def unsealed_copy(db: Engine, opened: OpenedFiles, kept: Path, filename: str, sha256: str) -> Path:
    """Unseal ``kept`` (checked against ``sha256``) as ``filename``; SealBroken when it fails."""
    if _mime_of(kept) is None:
        raise WorkspaceError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "not an allowed file type")
    # A folder per kept file, so two files of one name do not meet.
    name = Path(kept.stem) / safe_filename(Path(safe_filename(filename)).stem + kept.suffix.lower())
    digest = hashlib.sha256()

    def checked() -> Iterator[bytes]:
        for chunk in unseal(kept, files_key(db)):
            digest.update(chunk)
            yield chunk
        if digest.hexdigest() != sha256:
            raise SealBroken("another file's content")  # a sealed file moved under this name

    copy = opened.write(name, checked())
    if not openable(copy):
        # The system's viewer runs what it is given: only an allowed type, by its bytes.
        copy.unlink(missing_ok=True)
        raise WorkspaceError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "not an allowed file type")
    return copy


def _mime_of(path: Path) -> str | None:
    """The allowed type whose extension ``path`` has (``stored_path`` chose it), or None."""
    suffix = path.suffix.lower()
    return next((m for m, kind in protocol.FILE_TYPES.items() if kind.extension == suffix), None)
