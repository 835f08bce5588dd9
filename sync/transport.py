"""The client's one way to the server: HTTP over a single ``requests.Session``.

It carries out the "General" rules of api/SYNC-API.md so no caller has to:
https except to loopback, TLS always verified, gzip both ways with a 64 MiB
cap on inflated bodies, stall timeouts (never a total timeout), retries of
transient failures with full-jitter backoff that obey ``Retry-After``, one
token refresh on ``token_expired``, and the server's clock offset from
``Date``. Callers get JSON values, ``Reply`` objects or a streamed body, or
one of the typed errors below.

Retries and non-idempotent requests: a request is repeated after a failure
only where repeating cannot do the work twice. GET, HEAD and PUT are
idempotent; a POST or PATCH is repeated only when the server certainly did
not act on it (the connection was never made, or 408/429/503), unless the
caller passes ``idempotent=True``. ``POST /mutations`` is idempotent by
mutation id, and ``POST /auth/logout`` by design, so their callers pass it;
``POST /auth/refresh`` must never be, as a replayed refresh token revokes
the whole token family.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import random
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NoReturn, Self

import requests
import urllib3.exceptions

from sync.errors import ErrorCode
from sync.http import jsonbody
from sync.http.body import capped_body, gzip_bytes, whole_body
from sync.http.errors import (
    ApiError,
    BodyTooLarge,
    InsecureURL,
    OfflineError,
    TlsError,
    TransferInterrupted,
    TransportError,
)
from sync.http.headers import parse_http_date, retry_after_seconds
from sync.http.retry import (
    IDEMPOTENT_METHODS,
    TRANSIENT_STATUSES,
    UNPROCESSED_STATUSES,
    Backoff,
)
from sync.http.urls import checked_server_url
from sync.protocol import API_PREFIX, MAX_BODY_BYTES, STALL_TIMEOUT_S

__all__ = [
    "ApiError",
    "Backoff",
    "BodyTooLarge",
    "InsecureURL",
    "OfflineError",
    "Reply",
    "StreamedReply",
    "TlsError",
    "TransferInterrupted",
    "Transport",
    "TransportError",
]

log = logging.getLogger(__name__)

TokenProvider = Callable[[], "str | None"]
READ_CHUNK = 64 * 1024
# JSON bodies at least this large go out gzipped; small ones are not worth it.
GZIP_MIN_BYTES = 8 * 1024
DEFAULT_MAX_ATTEMPTS = 5
PLAUSIBLE_SERVER_TIME = (
    datetime(2025, 1, 1, tzinfo=UTC).timestamp(),
    datetime(2200, 1, 1, tzinfo=UTC).timestamp(),
)


@dataclass(frozen=True)
class Reply:
    """A whole response: status, headers (case-insensitive) and the decoded body."""

    status: int
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(repr=False)

    def json(self) -> Any:
        """The body as JSON; None for an empty body (204).

        A body that is not JSON (or not UTF-8) is the server's fault, never a
        crash of ours: it raises ``TransportError`` like any broken answer.
        """
        if not self.body:
            return None
        try:
            return jsonbody.loads(self.body)
        except jsonbody.TooDeep as exc:
            raise TransportError(f"the server's answer is refused: {exc}") from exc
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise TransportError(f"the server's answer is not JSON: {exc}") from exc


class _Closing:
    """``with`` closes it."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class StreamedReply(_Closing):
    """A 2xx response whose body is read on demand, capped like every body.

    Use it as a context manager. A break or stall in the body raises
    ``TransferInterrupted``; the caller resumes, e.g. with ``Range``.
    """

    def __init__(self, response: requests.Response, limit: int) -> None:
        self._response = response
        self._limit = limit
        self.status: int = response.status_code
        self.headers: Mapping[str, str] = response.headers

    def iter_bytes(self) -> Iterator[bytes]:
        return _body_chunks(self._response, self._limit)

    def close(self) -> None:
        self._response.close()


@dataclass(frozen=True)
class _Failure:
    """One transient failure: what to tell the user and whether repeating is safe."""

    reason: str
    unprocessed: bool  # the server certainly did not act on the request
    status: int | None = None
    retry_after: float | None = None
    cause: BaseException | None = None


class Transport(_Closing):
    """HTTP to one sync server, with the contract's rules built in.

    ``server_url`` is the server's root (``https://host`` or ``https://host/prefix``);
    paths given to the methods are API paths such as ``/health``, placed
    under ``/api/v1``.

    ``token_provider`` gives the current access token (None: send none).
    ``refresh`` is called once when the server answers 401 ``token_expired``;
    it must make ``token_provider`` give a fresh token, or raise.
    ``proxy`` overrides the environment's HTTP(S)_PROXY, which is used otherwise.
    ``sleep``, ``clock`` (POSIX seconds) and ``rng`` are for tests.

    One transport serves one thread (the sync worker): ``requests.Session``
    is not made for sharing, and the clock offset is plain state.
    """

    def __init__(
        self,
        server_url: str,
        *,
        token_provider: TokenProvider | None = None,
        refresh: Callable[[], None] | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        proxy: str | None = None,
        stall_timeout: float = STALL_TIMEOUT_S,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        backoff: Backoff | None = None,
        gzip_min_bytes: int | None = GZIP_MIN_BYTES,
        max_body_bytes: int = MAX_BODY_BYTES,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.server_url = checked_server_url(server_url)
        self._token_provider = token_provider
        self._refresh = refresh
        self._verify: str | bool = True
        if ca_bundle is not None:
            if not os.path.exists(ca_bundle):
                raise TransportError(f"CA bundle not found: {os.fspath(ca_bundle)}")
            self._verify = os.fspath(ca_bundle)
        self._proxies = {"http": proxy, "https": proxy} if proxy else None
        # (connect, read): requests' read timeout bounds each socket read, and
        # bodies are streamed, so it is a stall timeout, never a total one.
        self._timeout = (stall_timeout, stall_timeout)
        self._max_attempts = max_attempts
        self._backoff = backoff if backoff is not None else Backoff()
        self._gzip_min_bytes = gzip_min_bytes
        self._max_body = max_body_bytes
        self._session = session if session is not None else requests.Session()
        self._session.headers["Accept-Encoding"] = "gzip"
        self._session.headers["Accept"] = "application/json"
        self._session.headers["User-Agent"] = "lapor-desk"
        self._sleep = sleep if sleep is not None else time.sleep
        self._clock = clock if clock is not None else time.time
        self._rng = rng if rng is not None else random.Random()  # jitter, not a secret
        self._clock_offset: float | None = None
        self._answered = False

    # --- the server's clock ---------------------------------------------------

    @property
    def answered(self) -> bool:
        """Whether any answer came back at all (even an error): the server is there."""
        return self._answered

    @property
    def clock_offset(self) -> float | None:
        """Server time minus local time in seconds, from the last ``Date``; None before any."""
        return self._clock_offset

    def server_now(self) -> datetime:
        """Now by the server's clock where known, else by ours."""
        return datetime.fromtimestamp(self._clock() + (self._clock_offset or 0.0), UTC)

    # --- JSON calls -----------------------------------------------------------

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, auth: bool = True
    ) -> Any:
        return self.request("GET", path, params=params, auth=auth).json()

    def post_json(
        self, path: str, body: Any, *, idempotent: bool = False, auth: bool = True
    ) -> Any:
        """POST a JSON body. Pass ``idempotent=True`` only where a replay does no harm."""
        return self.request("POST", path, json_body=body, idempotent=idempotent, auth=auth).json()

    def put_json(self, path: str, body: Any, *, auth: bool = True) -> Any:
        return self.request("PUT", path, json_body=body, auth=auth).json()

    # --- uploads and downloads ------------------------------------------------

    def head(self, path: str) -> Reply:
        return self.request("HEAD", path)

    def patch(self, path: str, data: bytes, *, headers: Mapping[str, str] | None = None) -> Reply:
        """PATCH raw bytes (an upload chunk). Repeated only where the server did not act."""
        return self.request("PATCH", path, data=data, headers=headers)

    def download(self, path: str, *, start: int = 0, end: int | None = None) -> StreamedReply:
        """GET a file as a stream, from byte ``start`` (to ``end`` inclusive) with ``Range``."""
        headers = {}
        if start or end is not None:
            headers["Range"] = f"bytes={start}-{'' if end is None else end}"
        return self.stream("GET", path, headers=headers)

    # --- the general calls ----------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
        idempotent: bool | None = None,
        auth: bool = True,
    ) -> Reply:
        """One call, retried as the contract says; the whole body read under the cap."""
        reply = self._call(method, path, json_body, data, headers, params, idempotent, auth, False)
        assert isinstance(reply, Reply)
        return reply

    def stream(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
        auth: bool = True,
    ) -> StreamedReply:
        """Like ``request`` up to the headers; the body is left for the caller to stream."""
        reply = self._call(method, path, None, None, headers, params, None, auth, True)
        assert isinstance(reply, StreamedReply)
        return reply

    def url(self, path: str) -> str:
        if not path.startswith("/"):
            raise ValueError(f"an API path starts with '/': {path!r}")
        return f"{self.server_url}{API_PREFIX}{path}"

    def close(self) -> None:
        self._session.close()

    # --- inside ----------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        json_body: Any,
        data: bytes | None,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str | int] | None,
        idempotent: bool | None,
        auth: bool,
        stream: bool,
    ) -> Reply | StreamedReply:
        method = method.upper()
        url = self.url(path)
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        payload, base_headers = self._encode(json_body, data, headers)
        refreshed = False
        failures = 0
        for attempt in itertools.count(1):
            sent_headers = dict(base_headers)
            bearer = self._token_provider() if auth and self._token_provider else None
            if bearer:
                sent_headers["Authorization"] = f"Bearer {bearer}"
            failure: _Failure
            try:
                response = self._session.request(
                    method,
                    url,
                    data=payload,
                    headers=sent_headers,
                    params=params,
                    timeout=self._timeout,
                    stream=True,
                    # The API never redirects, and a redirect could carry the token elsewhere.
                    allow_redirects=False,
                    verify=self._verify,
                    proxies=self._proxies,
                )
            except requests.RequestException as exc:
                failure = _connection_failure(exc)
            else:
                self._answered = True
                if bearer and 200 <= response.status_code < 300:
                    # Only our own server, having accepted our token, sets the office's
                    # clock: not a captive portal, a proxy's error page or a refusal.
                    self._note_date(response)
                log.debug("%s %s -> %s (attempt %d)", method, path, response.status_code, attempt)
                outcome = self._outcome(response, method, stream)
                if isinstance(outcome, ApiError):
                    # One refresh per call: a second token_expired is the server's last word.
                    if _is_token_expired(outcome) and bearer and self._refresh and not refreshed:
                        refreshed = True
                        self._refresh()
                        continue
                    raise outcome
                if not isinstance(outcome, _Failure):
                    return outcome
                failure = outcome
            failures += 1
            self._wait_or_give_up(failure, failures, idempotent, method, path)
        raise AssertionError("unreachable")  # pragma: no cover

    def _encode(
        self, json_body: Any, data: bytes | None, headers: Mapping[str, str] | None
    ) -> tuple[bytes | None, dict[str, str]]:
        out = dict(headers or {})
        if json_body is None:
            return data, out
        if data is not None:
            raise ValueError("give json_body or data, not both")
        payload = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
        out["Content-Type"] = "application/json"
        # Only JSON is gzipped: upload chunks are mostly JPEG and PDF, already compressed.
        if self._gzip_min_bytes is not None and len(payload) >= self._gzip_min_bytes:
            payload = gzip_bytes(payload)
            out["Content-Encoding"] = "gzip"
        return payload, out

    def _outcome(
        self, response: requests.Response, method: str, stream: bool
    ) -> Reply | StreamedReply | ApiError | _Failure:
        """What one response amounts to; closes it unless it is handed out as a stream."""
        status = response.status_code
        if 200 <= status < 300 and stream:
            return StreamedReply(response, self._max_body)
        try:
            body = b"" if method == "HEAD" else _read_whole(response, self._max_body)
        except TransferInterrupted as exc:
            # The headers came, so the server got the request: not "unprocessed".
            return _Failure(f"body broke off: {exc}", unprocessed=False, status=status, cause=exc)
        finally:
            response.close()
        if 200 <= status < 300:
            return Reply(status, response.headers, body)
        if status in TRANSIENT_STATUSES:
            server_now = parse_http_date(response.headers.get("Date")) or self._clock()
            return _Failure(
                f"server answered {status}",
                unprocessed=status in UNPROCESSED_STATUSES,
                status=status,
                retry_after=retry_after_seconds(response.headers.get("Retry-After"), server_now),
            )
        return _api_error(status, body)

    def _wait_or_give_up(
        self, failure: _Failure, failures: int, idempotent: bool, method: str, path: str
    ) -> None:
        def give_up(why: str) -> NoReturn:
            raise OfflineError(
                f"{method} {path}: {failure.reason} ({why})",
                attempts=failures,
                status=failure.status,
                retry_after=failure.retry_after,
            ) from failure.cause

        if not (idempotent or failure.unprocessed):
            give_up("not repeated: the server may have acted on it")
        if failures >= self._max_attempts:
            give_up(f"gave up after {failures} attempts")
        if failure.retry_after is not None:
            if failure.retry_after > self._backoff.cap:
                give_up(f"server asks to wait {failure.retry_after:.0f} s")
            delay = failure.retry_after
        else:
            delay = self._backoff.delay(failures, self._rng)
        log.info("%s %s: %s; retrying in %.1f s", method, path, failure.reason, delay)
        self._sleep(delay)

    def _note_date(self, response: requests.Response) -> None:
        server_time = parse_http_date(response.headers.get("Date"))
        # A PC's clock may be years off (a dead CMOS battery), a server's may not: a
        # Date before this software or centuries ahead is a broken server, ignored.
        if server_time is not None and PLAUSIBLE_SERVER_TIME[0] <= server_time <= (
            PLAUSIBLE_SERVER_TIME[1]
        ):
            self._clock_offset = server_time - self._clock()


def _body_chunks(response: requests.Response, limit: int) -> Iterator[bytes]:
    """The decoded body, a piece at a time, for streaming to a file."""
    return capped_body(
        _raw_chunks(response, limit), response.headers.get("Content-Encoding"), limit
    )


def _read_whole(response: requests.Response, limit: int) -> bytes:
    return whole_body(_raw_chunks(response, limit), response.headers.get("Content-Encoding"), limit)


def _raw_chunks(response: requests.Response, limit: int) -> Iterator[bytes]:
    """The body as it came on the wire, with socket faults as ``TransferInterrupted``."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)  # too large even before inflating: do not read it
    try:
        yield from response.raw.stream(READ_CHUNK, decode_content=False)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise TransferInterrupted(f"connection broke or stalled mid-body: {exc}") from exc


def _connection_failure(exc: requests.RequestException) -> _Failure:
    """Classify a failure before any response; raise at once where retrying cannot help."""
    if isinstance(exc, requests.exceptions.SSLError):
        if _caused_by_cert_check(exc):
            raise TlsError(f"the server's certificate did not verify: {exc}") from exc
        return _Failure(f"TLS failed: {exc}", unprocessed=False, cause=exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return _Failure("connect timed out", unprocessed=True, cause=exc)
    if isinstance(exc, requests.exceptions.ConnectionError):
        unprocessed = _never_connected(exc)
        return _Failure(f"connection failed: {exc}", unprocessed=unprocessed, cause=exc)
    if isinstance(exc, requests.exceptions.Timeout):
        return _Failure("no byte moved within the stall timeout", unprocessed=False, cause=exc)
    raise TransportError(f"request failed: {exc}") from exc


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps, through causes, ``reason`` and exception args."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked.extend(current.args)
        todo.extend(item for item in linked if isinstance(item, BaseException))


def _caused_by_cert_check(exc: BaseException) -> bool:
    return any(isinstance(item, ssl.SSLCertVerificationError) for item in _causes(exc))


def _never_connected(exc: BaseException) -> bool:
    """True when the TCP connection was never made, so no byte of the request was sent."""
    return any(
        isinstance(
            item, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
        )
        for item in _causes(exc)
    )


def _api_error(status: int, body: bytes) -> ApiError:
    """The contract's ``{"error": {...}}``, or a stand-in code where the body has none."""
    try:
        error = jsonbody.loads(body)["error"]
        return ApiError(
            status, str(error["code"]), str(error.get("message", "")), error.get("details") or {}
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return ApiError(status, f"http_{status}", body[:200].decode("utf-8", "replace"))


def _is_token_expired(error: ApiError) -> bool:
    return error.status == 401 and error.code == ErrorCode.TOKEN_EXPIRED
