"""Around every simulator request: the two auth headers, the request log, and the faults.

A plain ASGI middleware (not BaseHTTPMiddleware) so that it sees the body's
bytes as they pass and can hold back an answer the route already produced.
"""

from __future__ import annotations

import asyncio
import hmac

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.upstream.simulator_records import RequestRecord
from server.upstream.simulator_state import SimState

CONTROL_PREFIX = "/_sim"
MESSAGES = {
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class SimMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        state: SimState,
        base_path: str,
        authorization: str,
        token: str,
    ) -> None:
        self.app = app
        self.state = state
        self.base_path = base_path
        self._secrets = (authorization.encode(), token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if self.base_path and path.startswith(self.base_path + "/"):
            path = path[len(self.base_path) :]
        control = path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")
        meter = _Meter(receive, send)
        try:
            await self._serve(scope, meter, path, control)
        finally:
            if not control:  # the log is of what a connector sends
                self.state.log_request(
                    RequestRecord(
                        scope["method"],
                        path,
                        scope.get("query_string", b"").decode("latin-1"),
                        meter.status,
                        meter.bytes_in,
                        meter.bytes_out,
                    )
                )

    async def _serve(self, scope: Scope, meter: _Meter, path: str, control: bool) -> None:
        if not self._authorized(Headers(scope=scope)):
            await _answer(scope, meter, 401, "Unauthorized")
            return
        if control:
            await self.app(scope, meter.receive, meter.send)
            return
        faults = self.state.faults
        if faults.slow_s:
            await asyncio.sleep(faults.slow_s)
        method: str = scope["method"]
        failed = self.state.take_5xx(method, path)
        if failed is not None:
            await _answer(scope, meter, failed, MESSAGES.get(failed, "Server Error"))
            return
        if method != "POST" or not self.state.after_post_armed(path):
            await self.app(scope, meter.receive, meter.send)
            return
        # Hold the route's answer back: only a post that was stored loses its answer.
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, meter.receive, hold)
        status = held[0]["status"] if held else 500
        fault = self.state.take_after_post(path) if 200 <= status < 300 else None
        if fault == "lost":
            await asyncio.sleep(faults.hang_s)
            await _answer(scope, meter, 504, MESSAGES[504])
        elif fault == "5xx":
            await _answer(scope, meter, 502, MESSAGES[502])
        else:
            for message in held:
                await meter.send(message)

    def _authorized(self, headers: Headers) -> bool:
        given = (headers.get("authorization", ""), headers.get("token", ""))
        # compare_digest on both, always: no early exit to time.
        pairs = zip(given, self._secrets, strict=True)
        results = [hmac.compare_digest(g.encode(), s) for g, s in pairs]
        return all(results)


class _Meter:
    """Counts the body bytes in and out, and keeps the answer's status."""

    def __init__(self, receive: Receive, send: Send) -> None:
        self._receive = receive
        self._send = send
        self.bytes_in = 0
        self.bytes_out = 0
        self.status = 0

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.bytes_in += len(message.get("body", b""))
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.bytes_out += len(message.get("body", b""))
        await self._send(message)


async def _answer(scope: Scope, meter: _Meter, status: int, message: str) -> None:
    await JSONResponse({"message": message}, status)(scope, meter.receive, meter.send)
