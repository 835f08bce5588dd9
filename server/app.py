"""The reference server's FastAPI application: ``create_app(db_url)``."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.auth import Auth
from server.clientaddress import TrustedProxies
from server.config import Lockout, RateLimit, Settings
from server.counters import Counters
from server.db import Database
from server.errors import ApiError
from server.feed import CursorCodec, DigestCache, Purger, ensure_state
from server.lockout import LoginGuard
from server.middleware import CatchAll, DateHeader, RequestBody, ResponseGzip
from server.mutations import Mutations
from server.ratelimit import AuthGate, ClientLimits
from server.routes import agencies, attachments, auth, changes, health, mutations, uploads
from server.routes.deps import Services
from server.uploads import Uploads
from server.upstream.hub import Hub
from sync.protocol import API_PREFIX, ErrorCode, error_body

log = logging.getLogger(__name__)

_CODES = {
    400: ErrorCode.VALIDATION,
    401: ErrorCode.INVALID_TOKEN,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION,
    429: ErrorCode.RATE_LIMITED,
    502: ErrorCode.BAD_GATEWAY,
    503: ErrorCode.UNAVAILABLE,
}


def create_app(
    db_url: str,
    settings: Settings | None = None,
    *,
    create_schema: bool = True,
    upstream: Hub | None = None,
    **overrides: Any,
) -> FastAPI:
    """The whole API under ``/api/v1`` on the database at ``db_url``.

    ``overrides`` replace single fields of ``settings`` (for example
    ``access_token_ttl_s=2`` or ``rate_limit=None``). With ``upstream`` the
    server is a hub: it polls SP4N-LAPOR! and carries approved actions there
    (``app.state.upstream`` is the runner; stop it with ``stop_upstream``).
    """
    settings = dataclasses.replace(settings or Settings(), **overrides)
    db = Database(db_url)
    if create_schema:
        db.create_all()
    with db.writing() as session:
        key = ensure_state(session).cursor_key
    purger = Purger(db, settings.cursor_retention_s)
    purger.maybe(settings.clock())
    outbox = upstream.outbox() if upstream is not None else None
    app = FastAPI(
        title="LAPOR Desk reference server",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    counters = Counters(db)
    auth_service = Auth(db, settings, LoginGuard(db, counters, settings.lockout))
    app.state.services = Services(
        db=db,
        settings=settings,
        auth=auth_service,
        mutations=Mutations(db, settings, outbox),
        uploads=Uploads(db, settings),
        cursors=CursorCodec(key, settings.cursor_retention_s),
        purger=purger,
        digests=DigestCache(db),
    )
    for module in (health, auth, changes, mutations, uploads, attachments, agencies):
        app.include_router(module.router, prefix=API_PREFIX)
    _error_handlers(app)
    # Added innermost first: each wraps the ones before it. Outside in: the
    # address is named and counted, the caller found, the body capped, and
    # only then does a route read it.
    limit, clock = settings.rate_limit, settings.clock
    app.add_middleware(CatchAll)
    app.add_middleware(ResponseGzip)
    app.add_middleware(RequestBody)
    app.add_middleware(AuthGate, auth=auth_service, counters=counters, limit=limit, clock=clock)
    app.add_middleware(
        ClientLimits,
        counters=counters,
        limit=limit,
        proxies=TrustedProxies.parse(settings.trusted_proxies),
        clock=clock,
    )
    app.add_middleware(CatchAll)  # the limits' own faults are answered in the contract's shape
    app.add_middleware(DateHeader, clock=clock)
    app.router.on_startup.append(lambda: _size_thread_pool(settings.worker_threads))
    app.state.upstream = None
    if upstream is not None and outbox is not None:
        runner = upstream.runner(db, settings, outbox)
        app.state.upstream = runner
        if upstream.start_workers:
            runner.start()
        app.router.on_shutdown.append(lambda: stop_upstream(app))
    return app


def _size_thread_pool(threads: int) -> None:
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = threads


def stop_upstream(app: FastAPI) -> None:
    """Stop a hub's poller and pusher (nothing on a plain server); safe to call twice."""
    runner = app.state.upstream
    if runner is not None:
        app.state.upstream = None
        runner.stop()


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(DataError)
    async def unstorable(_request: Request, _exc: DataError) -> JSONResponse:
        # PostgreSQL refuses some text (a NUL byte) that SQLite takes: bad input, not a fault.
        body = error_body(ErrorCode.VALIDATION, "a value in the request cannot be stored")
        return JSONResponse(body, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields: dict[str, str] = {}
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ())) or "body"
            fields.setdefault(where, str(error.get("msg", "invalid")))
        body = error_body(ErrorCode.VALIDATION, "the request failed validation", {"fields": fields})
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        fallback = ErrorCode.INTERNAL_ERROR if exc.status_code >= 500 else "error"
        code = _CODES.get(exc.status_code, fallback)
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        headers = dict(exc.headers or {})
        return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=headers)


__all__ = ["Lockout", "RateLimit", "Settings", "create_app"]
