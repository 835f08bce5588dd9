"""ASGI middleware: Date on every answer, rate limits, gzip both ways, no tracebacks out.

Pure ASGI (not BaseHTTPMiddleware) so streaming uploads and downloads pass
through untouched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
import zlib
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.config import RateLimit
from server.errors import ApiError
from sync.protocol import API_PREFIX, MAX_BODY_BYTES

log = logging.getLogger(__name__)


async def send_error(send: Send, error: ApiError) -> None:
    body = json.dumps(error.body()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
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
                await send_error(send, ApiError(500, "internal_error", "the server failed"))


class RequestBody:
    """Refuse bodies past 64 MiB and inflate gzip ones, never past that cap."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        too_big = ApiError(413, "too_large", f"a body may hold at most {self.limit} bytes")
        length = headers.get("content-length", "")
        # isdigit() takes "²", which int() refuses, and int() refuses 4,301 digits: a 500.
        digits = length.isascii() and length.isdigit()
        if digits and (len(length) > len(str(self.limit)) or int(length) > self.limit):
            await send_error(send, too_big)
            return
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip"):
            await send_error(
                send, ApiError(415, "unsupported_media_type", f"unknown encoding {encoding}")
            )
            return
        if encoding == "gzip":
            try:
                body = inflate(await _read_all(receive, self.limit), self.limit)
            except ApiError as error:
                await send_error(send, error)
                return
            await self.app(_with_body(scope, body), _replay(body, receive), send)
            return
        await self.app(scope, _counting(receive, self.limit, too_big), send)


async def _read_all(receive: Receive, limit: int) -> bytes:
    parts, total = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ApiError(400, "validation_error", "the client went away")
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > limit:
            raise ApiError(413, "too_large", "the compressed body is too large")
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
                raise ApiError(413, "too_large", f"the body inflates past {limit} bytes")
            data = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        raise ApiError(422, "validation_error", "the body is not valid gzip") from None
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


def _counting(receive: Receive, limit: int, error: ApiError) -> Receive:
    total = 0

    async def counting() -> Message:
        nonlocal total
        message = await receive()
        total += len(message.get("body", b""))
        if total > limit:
            raise error
        return message

    return counting


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


class TokenBuckets:
    def __init__(self, limit: RateLimit, now: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.now = now
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 if the request may go, else the seconds until it may."""
        with self._lock:
            now = self.now()
            tokens, at = self._buckets.get(key, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - at) * self.limit.per_second)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > 100_000:
                self._buckets.clear()  # a flood of keys: start over rather than grow
            return (1 - tokens) / self.limit.per_second


class RateLimiter:
    """429 ``rate_limited`` with Retry-After, per bearer token or else per client address."""

    def __init__(self, app: ASGIApp, limit: RateLimit | None) -> None:
        self.app = app
        self.buckets = TokenBuckets(limit) if limit is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.buckets is None:
            await self.app(scope, receive, send)
            return
        auth = Headers(scope=scope).get("authorization", "")
        if auth:
            key = "t:" + hashlib.sha256(auth.encode()).hexdigest()
        else:
            key = "a:" + str((scope.get("client") or ("?",))[0])
        wait = self.buckets.take(key)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            error = ApiError(
                429,
                "rate_limited",
                "too many requests: slow down",
                {"retry_after_s": seconds},
                {"Retry-After": str(seconds)},
            )
            await send_error(send, error)
            return
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
