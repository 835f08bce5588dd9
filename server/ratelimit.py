"""Request limits before and after authentication, counted in the database.

Per client address first, before the token is looked at or a byte of the
body read: a random ``Authorization`` header on every request used to get a
fresh bucket each time. Then, once the token names a user, per account.
Both are fixed windows in ``request_counts`` (``server.counters``), so every
worker of ``lapor-server run --workers N`` counts into the same rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth import Auth, Caller, token_hash
from server.clientaddress import TrustedProxies
from server.config import RateLimit
from server.counters import Count, Counters
from server.errors import ApiError, come_back_later
from server.middleware import send_error
from sync.protocol import API_PREFIX, ErrorCode

# The routes anyone may call; every other route under the API needs a bearer token.
PUBLIC_PATHS = frozenset(
    API_PREFIX + path
    for path in ("/health", "/auth/token", "/auth/refresh", "/auth/logout",
                 "/openapi.json", "/docs", "/docs/oauth2-redirect")
)


def rate_limited(count: Count, now: float) -> ApiError:
    wait = math.ceil(count.window_ends - now)
    return come_back_later(429, ErrorCode.RATE_LIMITED, "too many requests: slow down", wait)


def gated(path: str) -> bool:
    """Whether a route needs a bearer token (every route of the API but the public ones)."""
    return path.startswith(API_PREFIX + "/") and path not in PUBLIC_PATHS


def client_address(scope: Scope) -> str:
    """The address key ``ClientLimits`` put in the request's state."""
    found: str = scope["state"]["client_address"]
    return found


class ClientLimits:
    """Names the client's address for the request and counts it, before anything else."""

    def __init__(
        self,
        app: ASGIApp,
        counters: Counters,
        limit: RateLimit | None,
        proxies: TrustedProxies,
        clock: Callable[[], datetime],
    ) -> None:
        self.app = app
        self.counters = counters
        self.limit = limit
        self.proxies = proxies
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address = self.proxies.client(scope)
        scope.setdefault("state", {})["client_address"] = address
        # A gated route's address is counted by the AuthGate, in its one statement.
        if self.limit is not None and not gated(scope["path"]):
            now = self.clock().timestamp()
            count = await run_in_threadpool(
                self.counters.hit, "address:" + address, self.limit.window_s, now
            )
            if count.hits > self.limit.per_address:
                await send_error(send, rate_limited(count, now))
                return
        await self.app(scope, receive, send)


class AuthGate:
    """Who is calling, before the body is read: an unauthenticated body is never parsed.

    FastAPI reads and parses a route's body before its dependencies run, so a
    60 MB body to ``/mutations`` without a token was read whole to answer 401.
    The caller found here is in the request's state for ``routes.deps.caller``.
    """

    def __init__(
        self,
        app: ASGIApp,
        auth: Auth,
        counters: Counters,
        limit: RateLimit | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.app = app
        self.auth = auth
        self.counters = counters
        self.limit = limit
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not gated(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        address = client_address(scope)
        try:
            caller = await run_in_threadpool(
                self._caller, headers.get("authorization", ""), address
            )
        except ApiError as error:
            # A body on its way is never read: end the connection rather than drain it.
            has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
            await send_error(send, error, close=has_body)
            return
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)

    def _caller(self, authorization: str, address: str) -> Caller:
        scheme, _, token = authorization.partition(" ")
        bearer = token.strip() if scheme.lower() == "bearer" else ""
        limit = self.limit
        if limit is None:
            return self.auth.caller(_required(bearer))
        now, window = self.clock().timestamp(), limit.window_s
        if self.counters.db.is_postgres:
            # The address counted, the token looked up, its account counted: one round trip.
            gate = self.counters.gate(address, token_hash(bearer), window, now)
            _within(gate.address, limit.per_address, now)
            caller = self.auth.judge(gate.caller if _required(bearer) else None)
            if gate.account is not None:
                _within(gate.account, limit.per_account, now)
            return caller
        _within(self.counters.hit("address:" + address, window, now), limit.per_address, now)
        caller = self.auth.caller(_required(bearer))
        account = self.counters.hit("account:" + caller.user_id, window, now)
        _within(account, limit.per_account, now)
        return caller


def _within(count: Count, limit: int, now: float) -> None:
    if count.hits > limit:
        raise rate_limited(count, now)


def _required(bearer: str) -> str:
    if not bearer:
        raise ApiError(401, ErrorCode.INVALID_TOKEN, "send Authorization: Bearer <access_token>")
    return bearer
