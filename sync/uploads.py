"""A file uploaded to the office's server by the tus-like protocol: resumed, deduplicated.

The file's type is checked by its first bytes before a byte is sent
(``sync.protocol.content_matches``); the server checks it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync import protocol
from sync.errors import ErrorCode
from sync.http.urls import api_path
from sync.kept_files import file_sha256
from sync.transport import ApiError, OfflineError, Transport

UPLOAD_CHUNK = 1024 * 1024


class UnsupportedFile(ValueError):
    """A file whose bytes are not the type it claims (an executable renamed .pdf)."""


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
    if mime not in protocol.FILE_TYPES:
        raise UnsupportedFile(f"attachments may not be {mime}")
    with path.open("rb") as handle:
        if not protocol.content_matches(mime, handle.read(protocol.SNIFF_BYTES)):
            raise UnsupportedFile(f"the file's content is not {mime}")
    sha256 = file_sha256(path)
    body = {"filename": protocol.safe_filename(filename or path.name), "mime": mime, "size": size,
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
