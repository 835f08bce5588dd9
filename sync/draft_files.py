"""Attachment files: where they are kept, sealed; uploads that resume and dedupe; drafts' files.

Downloaded files live under the profile in ``attachments/``, named by a keyed
hash of their SHA-256 (plus an extension from the MIME type): a file name from
the server or a person never chooses where a file lands, and the name does not
tell which known file it is (``stored_path``). They are sealed at rest
(``sync.sealed_files``, a key derived from the database key). The sync
cycle's downloads (``sync.cycle.files``) seal a file chunk by chunk into a
``.part`` file as it arrives, resume with ``Range`` at the byte they had, and
keep it only once the SHA-256 of its plaintext matches the record.
``open_attachment`` unseals a copy for the system's viewer into a private
folder that ``close`` removes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from sync import audit, protocol, workflow
from sync.connection import LoginRequired, NetworkOptions, Tokens, connect
from sync.credentials import SecretStore
from sync.errors import ErrorCode, WorkspaceError
from sync.http.urls import api_path
from sync.sealed_files import (
    OpenedFiles,
    SealBroken,
    names_key,
    seal_copy,
    unseal,
)
from sync.store.database import files_key, read_session, write_session
from sync.store.local import AuditEntry, Reply
from sync.store.models import Attachment
from sync.store.profile import Account, Profile
from sync.transport import ApiError, OfflineError, Transport
from sync.values import DraftFile, ReplyKind, ReplyState

log = logging.getLogger(__name__)

FILES_DIR = "attachments"
FILE_ATTACHED = "reply.file_attached"  # audit actions; the first one's details describe the file
FILE_DETACHED = "reply.file_detached"
PART_SUFFIX = ".part"
UPLOAD_CHUNK = 1024 * 1024
HASH_BLOCK = 1024 * 1024

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A kept file's name: this many hex digits of an HMAC (160 bits), so no two contents meet.
NAME_DIGITS = 40
# One rule for names on both ends (sync.protocol); kept here under its old name too.
safe_filename = protocol.safe_filename


class UnsupportedFile(ValueError):
    """A file whose bytes are not the type it claims (an executable renamed .pdf)."""


def openable(path: Path) -> bool:
    """True when a kept file may go to the system's viewer: an allowed type, by content.

    The extension was chosen from the allowed type when the file was kept
    (``stored_path``); the first bytes must be that type too. Anything else
    (``.bin``, a mismatch) is never handed to the OS, which would run it.
    """
    mime = next((m for m, ext in EXTENSIONS.items() if ext == path.suffix.lower()), None)
    if mime is None or not path.is_file():
        return False
    with path.open("rb") as handle:
        return protocol.content_matches(mime, handle.read(protocol.SNIFF_BYTES))


def stored_path(files_dir: Path, key: bytes, sha256: str, mime: str) -> Path:
    """Where a file with this content lives: chosen by its hash, never by its name.

    ``key`` is the replica's files key: the name is an HMAC of the SHA-256 under
    a key derived from it (``names_key``), so whoever holds the same file cannot
    tell from the names that this profile has it.
    """
    return _kept(files_dir, key, sha256, EXTENSIONS.get(mime, ".bin"))


def _kept(files_dir: Path, key: bytes, sha256: str, suffix: str) -> Path:
    if not _SHA256.match(sha256):
        raise ValueError("not a lowercase hex SHA-256")
    name = hmac.new(names_key(key), sha256.encode("ascii"), hashlib.sha256).hexdigest()
    name = name[:NAME_DIGITS]
    return files_dir / name[:2] / f"{name}{suffix}"


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


# --- uploads --------------------------------------------------------------


def upload_file(
    transport: Transport, path: Path, mime: str, *, filename: str | None = None
) -> str:
    """Upload a file by the tus-like protocol; returns the upload id to attach.

    The office's server deduplicates by size and hash: a file it already
    holds is not sent again. A broken PATCH resumes from the server's
    offset (HEAD); a checksum mismatch starts over once.
    """
    size = path.stat().st_size
    if size > protocol.MAX_UPLOAD_BYTES:
        raise ValueError(f"a file may hold at most {protocol.MAX_UPLOAD_BYTES} bytes")
    if mime not in protocol.ALLOWED_MIME_TYPES:
        raise UnsupportedFile(f"attachments may not be {mime}")
    with path.open("rb") as handle:
        if not protocol.content_matches(mime, handle.read(protocol.SNIFF_BYTES)):
            raise UnsupportedFile(f"the file's content is not {mime}")
    sha256 = file_sha256(path)
    body = {"filename": safe_filename(filename or path.name), "mime": mime, "size": size,
            "sha256": sha256}
    # Creating twice only leaves an unused empty upload behind: safe to repeat.
    created: dict[str, Any] = transport.post_json("/uploads", body, idempotent=True)
    upload_id = str(created["upload_id"])
    if created.get("complete"):
        return upload_id
    offset = int(created["offset"])
    restarts = 0
    with path.open("rb") as handle:
        while offset < size:
            handle.seek(offset)
            chunk = handle.read(UPLOAD_CHUNK)
            try:
                reply = transport.patch(
                    api_path("uploads", upload_id), chunk,
                    headers={"Upload-Offset": str(offset),
                             "Content-Type": "application/offset+octet-stream"},
                )
                offset = int(reply.headers["Upload-Offset"])
            except OfflineError:
                offset = _server_offset(transport, upload_id)  # bytes that came are kept
            except ApiError as exc:
                if exc.code == ErrorCode.OFFSET_MISMATCH:
                    offset = int(exc.details.get("offset", _server_offset(transport, upload_id)))
                elif exc.code == ErrorCode.CHECKSUM_MISMATCH and restarts == 0:
                    restarts, offset = 1, 0
                else:
                    raise
    return upload_id


def _server_offset(transport: Transport, upload_id: str) -> int:
    return int(transport.head(api_path("uploads", upload_id)).headers["Upload-Offset"])



def attach_file(
    db: Engine,
    profile: Profile,
    secrets: SecretStore,
    account: Account,
    options: NetworkOptions,
    reply_id: str,
    path: Path,
    mime: str,
    now: datetime,
) -> str:
    """Upload a file and add it to a draft; returns the attachment (upload) id.

    Online only: the id is part of the payload a supervisor signs, and only
    the server gives it. A copy is kept under the profile, named by its hash,
    so the record's attachment is at hand once the reply comes back.
    """
    with read_session(db) as session:
        _check_draft(workflow.get_reply(session, reply_id))
    tokens = Tokens(secrets, profile, account.user_id)
    if not tokens.present:
        raise WorkspaceError(ErrorCode.LOGIN_REQUIRED, "log in online to upload a file")
    try:
        with connect(profile, tokens, options) as transport:
            upload_id = upload_file(transport, path, mime)
    except LoginRequired as exc:
        raise WorkspaceError(ErrorCode.LOGIN_REQUIRED, str(exc)) from exc
    except ApiError as exc:
        raise WorkspaceError(ErrorCode.parse(exc.code), exc.message or str(exc)) from exc
    except OfflineError as exc:
        raise WorkspaceError(ErrorCode.OFFLINE, str(exc)) from exc
    except UnsupportedFile as exc:
        raise WorkspaceError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, str(exc), fields=["file"]) from exc
    except ValueError as exc:
        raise WorkspaceError(ErrorCode.VALIDATION, str(exc), fields=["file"]) from exc
    key = files_key(db)
    sha256 = file_sha256(path)
    kept = stored_path(profile.directory / FILES_DIR, key, sha256, mime)
    if not kept.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        seal_copy(path, kept, key)  # sealed like a download: never in the clear
    with write_session(db) as session:
        reply = workflow.get_reply(session, reply_id)
        _check_draft(reply)
        if upload_id not in reply.attachment_ids:
            reply.attachment_ids = [*reply.attachment_ids, upload_id]
        # What the draft's file is (name, size, type, hash), kept in the audit entry of
        # attaching it: the draft can show, open and drop it before the server has it.
        audit.record(
            session, at=now, actor_id=account.user_id,
            action=FILE_ATTACHED, subject_kind="reply", subject_id=reply_id,
            details={"upload_id": upload_id, "filename": safe_filename(path.name),
                     "mime": mime, "size": path.stat().st_size, "sha256": sha256},
        )
    return upload_id


def draft_files(db: Engine, reply_id: str) -> list[DraftFile]:
    """The files on a reply's draft, in the order they were attached."""
    with read_session(db) as session:
        reply = workflow.get_reply(session, reply_id)
        known = _attached_files(session, reply_id)
        return [
            known.get(upload_id, DraftFile(upload_id, upload_id, "", 0, ""))
            for upload_id in reply.attachment_ids
        ]


def detach_file(
    db: Engine, account: Account, reply_id: str, upload_id: str, now: datetime
) -> None:
    """Take a file off a draft (the upload stays on the server, unused)."""
    with write_session(db) as session:
        reply = workflow.get_reply(session, reply_id)
        _check_draft(reply)
        if upload_id not in reply.attachment_ids:
            raise WorkspaceError(
                ErrorCode.NOT_FOUND, "the file is not on this draft", upload_id=upload_id
            )
        reply.attachment_ids = [i for i in reply.attachment_ids if i != upload_id]
        audit.record(
            session, at=now, actor_id=account.user_id,
            action=FILE_DETACHED, subject_kind="reply", subject_id=reply_id,
            details={"upload_id": upload_id},
        )


def open_draft_file(
    db: Engine, profile: Profile, opened: OpenedFiles, reply_id: str, upload_id: str
) -> Path:
    """The kept sealed copy of a draft's file, unsealed for the system's viewer."""
    with read_session(db) as session:
        meta = _attached_files(session, reply_id).get(upload_id)
    if meta is None or not meta.sha256:
        raise WorkspaceError(ErrorCode.NOT_FOUND, "no kept copy of this file", upload_id=upload_id)
    kept = stored_path(profile.directory / FILES_DIR, files_key(db), meta.sha256, meta.mime)
    if not kept.exists():
        raise WorkspaceError(ErrorCode.NOT_FOUND, "no kept copy of this file", upload_id=upload_id)
    try:
        return _unsealed_copy(db, opened, kept, meta.filename, meta.sha256)
    except SealBroken as exc:
        kept.unlink(missing_ok=True)
        raise WorkspaceError(
            ErrorCode.NOT_FOUND, "the kept copy was damaged", upload_id=upload_id
        ) from exc


def _attached_files(session: Session, reply_id: str) -> dict[str, DraftFile]:
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_kind == "reply", AuditEntry.subject_id == reply_id,
               AuditEntry.action == FILE_ATTACHED)
        .order_by(AuditEntry.seq)
    )
    found: dict[str, DraftFile] = {}
    for entry in entries:
        d = entry.details
        found[d["upload_id"]] = DraftFile(
            d["upload_id"], d["filename"], d["mime"], int(d["size"]), d["sha256"]
        )
    return found


def _check_draft(reply: Reply) -> None:
    if reply.state != ReplyState.DRAFT.value or ReplyKind(reply.kind) not in (
        ReplyKind.RESPOND, ReplyKind.COMPLETE
    ):
        raise WorkspaceError(ErrorCode.ILLEGAL_TRANSITION, "files go on a reply's draft only",
                             reply_id=reply.id, state=reply.state)


# --- opening ----------------------------------------------------------------


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
        return _unsealed_copy(db, opened, Path(local_path), filename, sha256)
    except SealBroken as exc:
        log.warning("attachment %s refused: %s", attachment_id, exc)
        Path(local_path).unlink(missing_ok=True)
        set_download_state(db, attachment_id, "missing", 0, None)
        raise WorkspaceError(
            ErrorCode.NOT_FOUND, "the kept file was damaged; the next sync fetches it again",
            attachment_id=attachment_id,
        ) from exc


def _unsealed_copy(db: Engine, opened: OpenedFiles, kept: Path, filename: str, sha256: str) -> Path:
    """Unseal ``kept`` (checked against ``sha256``) as ``filename``; SealBroken when it fails."""
    if kept.suffix.lower() not in EXTENSIONS.values():
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
