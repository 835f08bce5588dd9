"""Resumable uploads (after tus 1.0 core) and attachment bytes, stored in the database.

Bytes are kept in chunks as they arrive, each chunk committed with the new
offset, so a broken connection keeps what came through and the client asks
with HEAD where to go on. A PATCH holds a claim on its upload; a second one
meanwhile is 409, as is any offset but the server's.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from server.auth import Caller
from server.config import Settings
from server.db import Attachment, Complaint, Database, Upload, UploadChunk, rows_changed
from server.errors import ApiError, forbidden, not_found, too_large, validation
from sync.protocol import (
    FILE_TYPES,
    MAX_UPLOAD_BYTES,
    SNIFF_BYTES,
    ErrorCode,
    content_matches,
    safe_filename,
)

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sanitise_filename(name: str) -> str:
    """A name to show and offer on download; never a path (the client's rule too)."""
    return safe_filename(name)


def offset_mismatch(offset: int) -> ApiError:
    return ApiError(
        409, ErrorCode.OFFSET_MISMATCH, "the upload is elsewhere: ask with HEAD", {"offset": offset}
    )


@dataclass(frozen=True)
class Created:
    upload_id: str
    offset: int
    complete: bool
    new: bool


class Uploads:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    # --- create ---------------------------------------------------------------

    def create(self, caller: Caller, filename: str, mime: str, size: int, sha256: str) -> Created:
        if mime not in FILE_TYPES:
            raise ApiError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"attachments may not be {mime}")
        if size > MAX_UPLOAD_BYTES:
            raise too_large(f"a file may hold at most {MAX_UPLOAD_BYTES} bytes")
        if size < 0 or not _SHA256.match(sha256):
            raise validation("bad size or sha256", {"size": ">= 0", "sha256": "lowercase hex"})
        if size == 0 and sha256 != EMPTY_SHA256:
            raise ApiError(422, ErrorCode.CHECKSUM_MISMATCH, "an empty file has another sha256")
        with self.db.writing() as session:
            done = session.scalars(
                select(Upload).where(
                    Upload.office_id == caller.office_id,
                    Upload.size == size,
                    Upload.sha256 == sha256,
                    Upload.complete.is_(True),
                )
            ).first()
            if done is not None:
                return Created(done.id, size, True, False)
            upload = Upload(
                id=uuid.uuid4().hex,
                office_id=caller.office_id,
                user_id=caller.user_id,
                filename=sanitise_filename(filename),
                mime=mime,
                size=size,
                sha256=sha256,
                offset=0,
                complete=size == 0,
                created_at=self.settings.clock(),
            )
            session.add(upload)
            return Created(upload.id, 0, upload.complete, True)

    def offset(self, caller: Caller, upload_id: str) -> Upload:
        with self.db.reading() as session:
            return self._own(session, caller, upload_id)

    def _own(self, session: Session, caller: Caller, upload_id: str) -> Upload:
        upload = session.get(Upload, upload_id)
        if upload is None:
            raise not_found("upload")
        if upload.office_id != caller.office_id:
            raise forbidden("this upload belongs to another office")
        return upload

    # --- patch: claim, append, finish -------------------------------------------

    def claim(self, caller: Caller, upload_id: str, offset: int, length: int | None) -> str:
        now = self.settings.clock()
        stale = now - timedelta(seconds=self.settings.upload_claim_timeout_s)
        token = uuid.uuid4().hex
        with self.db.writing() as session:
            upload = self._own(session, caller, upload_id)
            if upload.complete or upload.offset != offset:
                raise offset_mismatch(upload.offset)
            if length is not None and offset + length > upload.size:
                raise too_large("the chunk goes past the declared size")
            taken = rows_changed(
                session,
                update(Upload)
                .where(
                    Upload.id == upload_id,
                    Upload.offset == offset,
                    Upload.complete.is_(False),
                    or_(Upload.claim.is_(None), Upload.claimed_at < stale),
                )
                .values(claim=token, claimed_at=now),
            )
        if taken != 1:
            raise offset_mismatch(offset)
        return token

    def append(self, upload_id: str, token: str, offset: int, data: bytes) -> int:
        """Store one chunk at ``offset``; returns the new offset."""
        with self.db.writing() as session:
            upload = session.get(Upload, upload_id, with_for_update=True)
            if upload is None or upload.claim != token or upload.offset != offset:
                raise offset_mismatch(upload.offset if upload else 0)
            if offset + len(data) > upload.size:
                raise too_large("the chunk goes past the declared size")
            session.add(UploadChunk(upload_id=upload_id, offset=offset, data=data))
            upload.offset = offset + len(data)
            upload.claimed_at = self.settings.clock()
            return upload.offset

    def release(self, upload_id: str, token: str) -> int:
        """End a PATCH; when the last byte is in, check the hash. Returns the offset."""
        with self.db.writing() as session:
            upload = session.get(Upload, upload_id, with_for_update=True)
            if upload is None or upload.claim != token:
                return upload.offset if upload else 0
            upload.claim, upload.claimed_at = None, None
            if upload.offset < upload.size:
                return upload.offset
            hashed, head = _hash_chunks(session, upload_id)
            if hashed != upload.sha256:
                refusal = ApiError(
                    422,
                    ErrorCode.CHECKSUM_MISMATCH,
                    "the file does not match its sha256: start again at 0",
                )
            elif not content_matches(upload.mime, head):
                # The declared type is checked against the bytes: a renamed executable never stays.
                refusal = ApiError(
                    415,
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    f"the file's content is not {upload.mime}",
                )
            else:
                upload.complete = True
                return upload.offset
            session.execute(delete(UploadChunk).where(UploadChunk.upload_id == upload_id))
            upload.offset = 0
        raise refusal

    # --- download --------------------------------------------------------------

    def readable(self, caller: Caller, upload_id: str) -> Upload:
        with self.db.reading() as session:
            upload = session.get(Upload, upload_id)
            if upload is None or not upload.complete:
                raise not_found("attachment")
            if upload.office_id != caller.office_id and not self._linked_to_office(
                session, upload_id, caller.office_id
            ):
                raise forbidden("this attachment belongs to another office")
            return upload

    @staticmethod
    def _linked_to_office(session: Session, upload_id: str, office_id: str) -> bool:
        """An upload of another office that this office may read: attached to its complaint."""
        return bool(session.execute(
            select(exists().where(
                Attachment.upload_id == upload_id,
                Attachment.complaint_id == Complaint.id,
                Complaint.office_id == office_id,
            ))
        ).scalar_one())

    def read(self, upload_id: str, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` inclusive."""
        with self.db.reading() as session:
            chunks = session.execute(
                select(UploadChunk.offset, UploadChunk.data)
                .where(UploadChunk.upload_id == upload_id, UploadChunk.offset <= end)
                .order_by(UploadChunk.offset)
            )
            parts = []
            for offset, data in chunks:
                if offset + len(data) <= start or offset > end:
                    continue
                parts.append(data[max(0, start - offset) : end - offset + 1])
        return b"".join(parts)


def _hash_chunks(session: Session, upload_id: str) -> tuple[str, bytes]:
    """The upload's SHA-256 and its first bytes (for the content check)."""
    hasher = hashlib.sha256()
    head = b""
    for (data,) in session.execute(
        select(UploadChunk.data)
        .where(UploadChunk.upload_id == upload_id)
        .order_by(UploadChunk.offset)
    ):
        hasher.update(data)
        if len(head) < SNIFF_BYTES:
            head += data[: SNIFF_BYTES - len(head)]
    return hasher.hexdigest(), head


def store_file(
    session: Session,
    upload_id: str,
    office_id: str,
    user_id: str,
    filename: str,
    mime: str,
    data: bytes,
    now: Any,
) -> Upload:
    """A finished upload made in one go (seed data, simulated reporters)."""
    upload = Upload(
        id=upload_id,
        office_id=office_id,
        user_id=user_id,
        filename=sanitise_filename(filename),
        mime=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        offset=len(data),
        complete=True,
        created_at=now,
    )
    session.add(upload)
    session.add(UploadChunk(upload_id=upload.id, offset=0, data=data))
    return upload
