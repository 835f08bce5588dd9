"""The simulator's own control routes (``/_sim/...``): what a reporter, the national
admin or a test does upstream, from outside the process. They need the same two
auth headers, are never faulted, and stay out of the request log.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from server.upstream.simulator_records import VERIFIED, Reporter
from server.upstream.simulator_render import followup_item
from server.upstream.simulator_state import DEFAULT_REPORTER, SimError, SimState


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReporterBody(_Body):
    name: str
    phone: str | None = None
    email: str | None = None


class NewComplaint(_Body):
    title: str = Field(min_length=1)
    content: str = Field(min_length=1)
    status_name: str = VERIFIED
    disposition_id: int | None = None
    category_id: int = 1
    category_name: str = "Infrastruktur"
    classification_name: str = "Pengaduan"
    source_name: str = "Website"
    is_anonymous: bool = False
    is_secret: bool = False
    reporter: ReporterBody | None = None
    address: str | None = None
    district: str | None = None


class ReplyBody(_Body):
    content: str = Field(min_length=1)


class StatusBody(_Body):
    status_name: str


class RatingBody(_Body):
    score: int
    comment: str | None = None


class MoveBody(_Body):
    institution_id: int


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON body, which must be an object; else a 422 with a message."""
    try:
        body = await request.json()
    except ValueError:
        raise SimError(422, "Badan permintaan harus JSON") from None
    if not isinstance(body, dict):
        raise SimError(422, "Badan permintaan harus objek JSON")
    return body


def _ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"results": {"data": data}}, status)


def control_router(state: SimState) -> APIRouter:
    router = APIRouter()

    @router.get("/faults")
    async def get_faults() -> JSONResponse:
        return _ok(state.faults.as_json())

    @router.post("/faults")
    async def set_faults(request: Request) -> JSONResponse:
        """Set the named faults (JSON object: ``Faults``' field names); others unchanged."""
        body = await json_object(request)
        try:
            state.set_faults(**body)
        except ValueError as exc:
            raise SimError(422, str(exc)) from None
        return _ok(state.faults.as_json())

    @router.delete("/faults")
    async def clear_faults() -> JSONResponse:
        state.clear_faults()
        return _ok(state.faults.as_json())

    @router.post("/complaints")
    async def add_complaint(body: NewComplaint) -> JSONResponse:
        values = body.model_dump(exclude={"reporter"})
        reporter = Reporter(**body.reporter.model_dump()) if body.reporter else DEFAULT_REPORTER
        cid = state.add_complaint(**values, reporter=reporter)
        return _ok({"id": cid}, 201)

    @router.post("/complaints/{complaint_id}/reporter-reply")
    async def reporter_reply(complaint_id: int, body: ReplyBody) -> JSONResponse:
        followup = state.add_reporter_reply(complaint_id, body.content)
        return _ok(followup_item(followup, state.all_institutions, state.tz), 201)

    @router.post("/complaints/{complaint_id}/status")
    async def set_status(complaint_id: int, body: StatusBody) -> JSONResponse:
        state.set_status(complaint_id, body.status_name)
        return _ok({"id": complaint_id, "status_name": body.status_name})

    @router.post("/complaints/{complaint_id}/rating")
    async def rate(complaint_id: int, body: RatingBody) -> JSONResponse:
        state.rate(complaint_id, body.score, body.comment)
        return _ok({"id": complaint_id, "rating": body.score})

    @router.post("/complaints/{complaint_id}/move")
    async def move(complaint_id: int, body: MoveBody) -> JSONResponse:
        state.move(complaint_id, body.institution_id)
        return _ok({"id": complaint_id, "disposition_id": body.institution_id})

    @router.get("/moves")
    async def moves() -> JSONResponse:
        return _ok([{**asdict(m), "at": m.at.isoformat()} for m in state.moves_requested])

    @router.get("/requests")
    async def requests_served() -> JSONResponse:
        return _ok([asdict(r) for r in state.request_log])

    @router.delete("/requests")
    async def reset_requests() -> JSONResponse:
        state.reset_request_log()
        return _ok([])

    return router
