"""The LAPOR! v3 simulator's HTTP face: the routes of the shipped profile, in v3's shape.

Answers wrap their payload in ``results``; failures are ``{"message": ...}``
with a 4xx/5xx status; lists page Laravel-style with an absolute
``results.next_page_url`` (null on the last page).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.upstream.simulator_control import control_router, json_object
from server.upstream.simulator_middleware import CONTROL_PREFIX, SimMiddleware
from server.upstream.simulator_records import Attachment
from server.upstream.simulator_render import (
    complaint_record,
    data_log_item,
    followup_item,
    listing_item,
    page_of,
    renamed,
    template_item,
)
from server.upstream.simulator_state import SimError, SimState

DEFAULT_BASE_PATH = "/lapor/3.0.0"
# Not secrets: the simulator's own, printed when it starts.
DEFAULT_AUTHORIZATION = "Bearer sim-secret"
DEFAULT_TOKEN = "sim-token"  # noqa: S105
PAGE_SIZE = 10  # the listing's and the follow-ups' default
MASTERS_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 1000
T = TypeVar("T")
FILE_FIELD = re.compile(r"attachment\[(\d+)\]")


def ok(payload: Mapping[str, Any], status: int = 200, message: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"results": dict(payload)}
    if message is not None:
        body["message"] = message
    return JSONResponse(body, status)


def fail(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status)


def normalise_base_path(base_path: str) -> str:
    """ "/lapor/3.0.0" from "lapor/3.0.0/"; "" serves at the root."""
    stripped = base_path.strip("/")
    return "/" + stripped if stripped else ""


def create_simulator_app(
    state: SimState,
    *,
    base_path: str = DEFAULT_BASE_PATH,
    authorization: str = DEFAULT_AUTHORIZATION,
    token: str = DEFAULT_TOKEN,
) -> FastAPI:
    """The simulator serving ``state`` under ``base_path``; every request needs both headers."""
    base = normalise_base_path(base_path)
    app = FastAPI(title="LAPOR! v3 simulator", openapi_url=None, docs_url=None, redoc_url=None)
    app.include_router(api_router(state), prefix=base)
    app.include_router(control_router(state), prefix=base + CONTROL_PREFIX)

    @app.exception_handler(SimError)
    async def on_sim_error(request: Request, exc: SimError) -> JSONResponse:
        return fail(exc.status, exc.message)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
        return fail(422, "; ".join(problems) or "Permintaan tidak valid")

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return fail(exc.status_code, str(exc.detail))

    app.add_middleware(
        SimMiddleware, state=state, base_path=base, authorization=authorization, token=token
    )
    return app


def api_router(state: SimState) -> APIRouter:
    router = APIRouter()
    page_q = Query(1, ge=1)
    size_q = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    masters_size_q = Query(MASTERS_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    @router.get("/complaints")
    async def list_complaints(
        request: Request, page: int = page_q, page_size: int = size_q, status: str | None = None
    ) -> JSONResponse:
        # Our guess at the agency's inbox: every complaint it holds, by id.
        names = state.all_institutions
        found = [c for c in state.complaints() if status is None or c.status_name == status]
        return paged(request, found, page, page_size, lambda c: listing_item(c, names, state.tz))

    @router.get("/complaints/{complaint_id}/complaint")
    async def complaint(complaint_id: int) -> JSONResponse:
        c = state.complaint(complaint_id)
        faults = state.faults
        record = complaint_record(c, state.all_institutions, state.tz)
        if c.id in faults.malformed_ids:
            del record["status_name"]
        return ok(
            {
                "data": renamed(record, faults.renamed_fields),
                "data_logs": [data_log_item(d, state.tz) for d in c.data_logs],
            }
        )

    @router.get("/complaints/{complaint_id}/followups")
    async def followups(
        request: Request, complaint_id: int, page: int = page_q, page_size: int = size_q
    ) -> JSONResponse:
        names = state.all_institutions
        found = state.followups(complaint_id)
        return paged(request, found, page, page_size, lambda f: followup_item(f, names, state.tz))

    @router.post("/complaints/followup/add")
    async def add_followup(request: Request) -> JSONResponse:
        fields, attachments = await _read_form(request)
        refusal = state.take_refusal()
        if refusal is not None:
            return fail(422, refusal)
        complaint_id = _int(fields.get("complaint_id"), "complaint_id")
        if complaint_id is None:
            raise SimError(422, "complaint_id wajib diisi")
        followup = state.add_followup(
            complaint_id,
            fields.get("content", ""),
            institution_from_id=_int(fields.get("institution_from_id"), "institution_from_id"),
            institution_to_id=_int(fields.get("institution_to_id"), "institution_to_id"),
            user_id=_int(fields.get("user_id"), "user_id"),
            template_code=fields.get("template_code") or None,
            info_disposition=fields.get("info_disposition", ""),
            is_secret=_flag(fields.get("is_secret")),
            rating=_int(fields.get("rating"), "rating") or 0,
            attachments=attachments,
            complete=_flag(fields.get("is_complete")),
        )
        item = followup_item(followup, state.all_institutions, state.tz)
        return ok({"data": item}, message="Tindak lanjut berhasil ditambahkan")

    @router.post("/complaints/process/{complaint_id}/reject")
    async def reject(complaint_id: int, request: Request) -> JSONResponse:
        body = await json_object(request)
        target = _int(body.get("reason"), "reason")
        if target is None:
            raise SimError(422, "reason (instansi tujuan) wajib diisi")
        move = state.request_move(
            complaint_id,
            target,
            str(body.get("reason_description") or ""),
            not_authority=_flag(body.get("not_authority", 1)),
        )
        data = {"complaint_id": move.complaint_id, "institution_id": move.institution_id}
        return ok({"data": data}, message="Permintaan pengalihan laporan telah dikirim")

    @router.get("/masters/templates")
    async def templates(
        request: Request, page: int = page_q, page_size: int = masters_size_q
    ) -> JSONResponse:
        return paged(request, state.templates, page, page_size, template_item)

    @router.get("/masters/institutions/external")
    async def institutions(
        request: Request, page: int = page_q, page_size: int = masters_size_q
    ) -> JSONResponse:
        found = sorted(state.all_institutions.items())
        return paged(request, found, page, page_size, lambda i: {"id": i[0], "name": i[1]})

    return router


def paged(
    request: Request,
    items: Sequence[T],
    page: int,
    page_size: int,
    render: Callable[[T], dict[str, Any]],
) -> JSONResponse:
    """One page of ``items``, only its own rendered (a poll reads every page)."""
    chunk, more = page_of(items, page, page_size)
    next_url = str(request.url.include_query_params(page=page + 1)) if more else None
    prev_url = str(request.url.include_query_params(page=page - 1)) if page > 1 else None
    return ok(
        {
            "data": [render(item) for item in chunk],
            "page": page,
            "page_size": page_size,
            "total": len(items),
            "next_page_url": next_url,
            "prev_page_url": prev_url,
        }
    )


async def _read_form(request: Request) -> tuple[dict[str, str], list[Attachment]]:
    """The multipart post's text fields, and its files in ``attachment[i]`` order."""
    fields: dict[str, str] = {}
    files: list[tuple[int, Attachment]] = []
    async with request.form() as form:
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields[key] = value
                continue
            match = FILE_FIELD.fullmatch(key)
            if match is None:
                raise SimError(422, f"Berkas harus dikirim sebagai attachment[i], bukan {key}")
            files.append((int(match.group(1)), await _attachment(value)))
    return fields, [a for _, a in sorted(files, key=lambda f: f[0])]


async def _attachment(upload: UploadFile) -> Attachment:
    content = await upload.read()
    name = upload.filename or "berkas"
    digest = hashlib.sha256(content).hexdigest()[:12]
    return Attachment(name, f"storage/followups/{digest}-{name}", content)


def _int(value: object, name: str) -> int | None:
    """An id or number from a form field or JSON; empty means none."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise SimError(422, f"{name} harus berupa angka")


def _flag(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")
