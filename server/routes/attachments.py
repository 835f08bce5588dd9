from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Header, Response

from server.errors import ApiError
from server.routes.deps import CallerDep, ServicesDep
from sync.protocol import ErrorCode

router = APIRouter(tags=["attachments"])

_RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")
# More digits than any file's size has: read as "past every file" without int(),
# which refuses over 4,300 digits (a 500) and would be slow near that.
_MAX_DIGITS = 18
_PAST_ANY_FILE = 10**_MAX_DIGITS


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= _MAX_DIGITS else _PAST_ANY_FILE


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive range asked for, None for the whole file; 416 if outside it."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None  # a form we do not serve (several ranges): the whole file
    first, last = match.groups()
    if first:
        start = _number(first)
        end = min(_number(last), size - 1) if last else size - 1
        if start >= size or (last and _number(last) < start):
            raise _unsatisfiable(size)
    elif last:
        if _number(last) == 0 or size == 0:
            raise _unsatisfiable(size)
        start, end = max(0, size - _number(last)), size - 1
    else:
        return None
    return start, end


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(
        416,
        ErrorCode.RANGE_NOT_SATISFIABLE,
        "the range lies outside the file",
        {"size": size},
        {"Content-Range": f"bytes */{size}"},
    )


@router.get("/attachments/{attachment_id}")
def download(
    attachment_id: str,
    me: CallerDep,
    svc: ServicesDep,
    range_: Annotated[str | None, Header(alias="Range")] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    upload = svc.uploads.readable(me, attachment_id)
    etag = f'"{upload.sha256}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(upload.filename)}",
        "Cache-Control": "private, no-transform",
    }
    if if_none_match and etag in if_none_match:
        return Response(status_code=304, headers=headers)
    wanted = byte_range(range_, upload.size)
    if wanted is None:
        data = svc.uploads.read(upload.id, 0, upload.size - 1) if upload.size else b""
        return Response(data, media_type=upload.mime, headers=headers)
    start, end = wanted
    headers["Content-Range"] = f"bytes {start}-{end}/{upload.size}"
    data = svc.uploads.read(upload.id, start, end)
    return Response(data, status_code=206, media_type=upload.mime, headers=headers)
