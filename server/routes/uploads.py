from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, StringConstraints
from starlette.requests import ClientDisconnect

from server.errors import ApiError
from server.routes.deps import CallerDep, ServicesDep
from sync.protocol import ErrorCode

router = APIRouter(tags=["uploads"])

# Bytes are committed in pieces of this size as they arrive.
PIECE = 1024 * 1024


class UploadBody(BaseModel):
    filename: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    mime: Annotated[str, StringConstraints(max_length=200)]
    size: int
    sha256: Annotated[str, StringConstraints(max_length=64)]


@router.post("/uploads", status_code=201)
def create(body: UploadBody, me: CallerDep, svc: ServicesDep) -> Any:
    made = svc.uploads.create(me, body.filename, body.mime, body.size, body.sha256)
    answer: dict[str, Any] = {"upload_id": made.upload_id, "offset": made.offset}
    if made.complete:
        answer["complete"] = True
    return JSONResponse(answer, status_code=201 if made.new else 200)


def _offset_headers(offset: int, size: int | None = None) -> dict[str, str]:
    headers = {"Upload-Offset": str(offset), "Cache-Control": "no-store"}
    if size is not None:
        headers["Upload-Length"] = str(size)
    return headers


@router.head("/uploads/{upload_id}")
def head(upload_id: str, me: CallerDep, svc: ServicesDep) -> Response:
    upload = svc.uploads.offset(me, upload_id)
    return Response(status_code=200, headers=_offset_headers(upload.offset, upload.size))


@router.patch("/uploads/{upload_id}", status_code=204)
async def patch(
    upload_id: str,
    request: Request,
    me: CallerDep,
    svc: ServicesDep,
    upload_offset: Annotated[int, Header(ge=0)],
    content_type: Annotated[str, Header()] = "",
    content_length: Annotated[int | None, Header(ge=0)] = None,
) -> Response:
    if content_type.split(";")[0].strip().lower() != "application/offset+octet-stream":
        raise ApiError(
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "send Content-Type: application/offset+octet-stream",
        )
    uploads = svc.uploads
    token = await run_in_threadpool(uploads.claim, me, upload_id, upload_offset, content_length)
    position, buffer = upload_offset, bytearray()
    try:
        try:
            async for piece in request.stream():
                buffer += piece
                if len(buffer) >= PIECE:
                    position = await run_in_threadpool(
                        uploads.append, upload_id, token, position, bytes(buffer)
                    )
                    buffer.clear()
        except ClientDisconnect:
            pass  # keep what came: the client asks with HEAD and goes on from there
        if buffer:
            position = await run_in_threadpool(
                uploads.append, upload_id, token, position, bytes(buffer)
            )
    finally:
        position = await run_in_threadpool(uploads.release, upload_id, token)
    return Response(status_code=204, headers=_offset_headers(position))
