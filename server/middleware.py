"""ASGI middleware: Date on every answer, body caps, gzip both ways, no tracebacks out.

Pure ASGI (not BaseHTTPMiddleware) so streaming uploads and downloads pass
through untouched.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.bodylimits import body_limit
from server.errors import ApiError
from sync.protocol import API_PREFIX, ErrorCode

log = logging.getLogger(__name__)


async def send_error(send: Send, error: ApiError, *, close: bool = False) -> None:
    """The contract's error answer; ``close`` ends the connection after it, so a body
    the client is still sending is not read on (and thrown away) to its end."""
    body = json.dumps(error.body()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class CatchAll:
    """Innermost: any exception becomes the contract's error body, never a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ApiError as error:
            if not started:
                await send_error(send, error)
        except Exception:
            log.exception("unexpected error in %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await send_error(send, ApiError(500, ErrorCode.INTERNAL_ERROR, "the server failed"))


class RequestBody:
    """Refuse bodies past their route's cap (``server.bodylimits``) and inflate gzip ones,
    never past it: by Content-Length before reading, else by counting as they arrive."""

    def __init__(self, app: ASGIApp, limit: Callable[[str, str], int] = body_limit) -> None:
        self.app = app
        self.limit_of = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope["method"], scope["path"])
        headers = Headers(scope=scope)
        too_big = ApiError(413, ErrorCode.TOO_LARGE, f"a body here may hold at most {limit} bytes",
                           {"limit": limit})
        length = headers.get("content-length", "")
        # isdigit() takes "²", which int() refuses, and int() refuses 4,301 digits: a 500.
        digits = length.isascii() and length.isdigit()
        if digits and (len(length) > len(str(limit)) or int(length) > limit):
            await send_error(send, too_big, close=True)
            return
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip"):
            await send_error(
                send,
                ApiError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"unknown encoding {encoding}"),
            )
            return
        if encoding == "gzip":
            try:
                body = inflate(await _read_all(receive, limit), limit)
            except ApiError as error:
                await send_error(send, error, close=True)
                return
            await self.app(_with_body(scope, body), _replay(body, receive), send)
            return
        await _counted(self.app, scope, receive, send, limit, too_big)


async def _counted(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int, error: ApiError
) -> None:
    """Pass the body on while it stays under ``limit``; past it, answer ``error`` at once.

    Raising from ``receive`` is no good: FastAPI turns whatever its body read
    raises into 400. So the refusal is sent here, the app is told the client
    left, and whatever the app answers after that is dropped.
    """
    total, refused, started = 0, False, False

    async def counting() -> Message:
        nonlocal total, refused
        message = await receive()
        total += len(message.get("body", b""))
        if total > limit:
            if not started and not refused:
                refused = True
                await send_error(send, error, close=True)
            return {"type": "http.disconnect"}
        return message

    async def guarded(message: Message) -> None:
        nonlocal started
        if refused:
            return  # the refusal has gone out: the app's late answer goes nowhere
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    await app(scope, counting, guarded)


async def _read_all(receive: Receive, limit: int) -> bytes:
    """A gzip body whole (it is inflated in one go), refused once past ``limit``."""
    parts, total = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ApiError(400, ErrorCode.VALIDATION, "the client went away")
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > limit:
            raise ApiError(413, ErrorCode.TOO_LARGE, "the compressed body is too large")
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


def inflate(data: bytes, limit: int) -> bytes:
    """Gunzip, stopping as soon as the output passes ``limit``: a bomb is refused early."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    try:
        while data:
            out += inflater.decompress(data, limit + 1 - len(out))
            if len(out) > limit:
                raise ApiError(413, ErrorCode.TOO_LARGE, f"the body inflates past {limit} bytes")
            data = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        raise ApiError(422, ErrorCode.VALIDATION, "the body is not valid gzip") from None
    return bytes(out)


def _with_body(scope: Scope, body: bytes) -> Scope:
    headers = [
        (k, v) for k, v in scope["headers"] if k not in (b"content-encoding", b"content-length")
    ]
    headers.append((b"content-length", str(len(body)).encode()))
    return {**scope, "headers": headers}


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class ResponseGzip:
    """gzip for answers, except attachment bytes: those go as they are, for Range and ETag."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=500, compresslevel=6)
        self.skip = API_PREFIX + "/attachments/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.skip):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class DateHeader:
    """Outermost: every answer says the server's time (clients correct their clocks by it)."""

    def __init__(self, app: ASGIApp, clock: Callable[[], datetime]) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Date"] = format_datetime(self.clock(), usegmt=True)
            await send(message)

        await self.app(scope, receive, dated)
