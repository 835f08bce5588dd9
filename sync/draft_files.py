"""A reply's draft's files: attached (uploaded, a sealed copy kept), listed, taken off, opened.

Online only to attach: the upload id is part of the payload a supervisor
signs, and only the server gives it. What each file is (name, size, type,
hash) lives in the audit entry of attaching it, so the draft shows and opens
its files before the server has the reply.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sync import audit, protocol, workflow
from sync.connection import LoginRequired, NetworkOptions, Tokens, connect
from sync.credentials import SecretStore
from sync.errors import ErrorCode, WorkspaceError
from sync.kept_files import FILES_DIR, file_sha256, stored_path
from sync.opening import unsealed_copy
from sync.sealed_files import OpenedFiles, SealBroken, seal_copy
from sync.store.database import files_key, read_session, write_session
from sync.store.local import AuditEntry, Reply
from sync.store.profile import Account, Profile
from sync.transport import ApiError, OfflineError
from sync.uploads import UnsupportedFile, upload_file
from sync.values import DraftFile, ReplyKind, ReplyState

FILE_ATTACHED = "reply.file_attached"  # audit actions; the first one's details describe the file
FILE_DETACHED = "reply.file_detached"


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
            details={"upload_id": upload_id, "filename": protocol.safe_filename(path.name),
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
        return unsealed_copy(db, opened, kept, meta.filename, meta.sha256)
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
