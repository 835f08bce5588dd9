"""Which files a reply may carry: checked here, before any upload starts.

The limits are the contract's (``sync.protocol``): 25 MiB, and a short list
of document and image types. The type comes from the file's content and
name, as Qt's MIME database reads them, not from the name alone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeDatabase

from sync.errors import ErrorCode
from sync.protocol import FILE_TYPES, MAX_UPLOAD_BYTES


def file_problem(path: Path) -> tuple[ErrorCode | None, str]:
    """(problem or None, MIME type); problems: TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNREADABLE."""
    try:
        size = path.stat().st_size
    except OSError:
        return ErrorCode.UNREADABLE, ""
    if not path.is_file():
        return ErrorCode.UNREADABLE, ""
    mime = QMimeDatabase().mimeTypeForFile(str(path)).name()
    if size > MAX_UPLOAD_BYTES:
        return ErrorCode.TOO_LARGE, mime
    if mime not in FILE_TYPES:
        return ErrorCode.UNSUPPORTED_MEDIA_TYPE, mime
    return None, mime
