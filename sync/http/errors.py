"""What the transport raises: a small typed tree the sync cycle can branch on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class TransportError(Exception):
    """Base of every failure of the transport."""


class InsecureURL(TransportError):
    """A URL the client refuses to talk to: plain http to a host that is not loopback."""


class BadIdentifier(TransportError):
    """An id from the server that cannot be a path segment: empty, ``.``/``..``, too long."""


class TlsError(TransportError):
    """The server's certificate did not verify: permanent until the setup changes."""


class BodyTooLarge(TransportError):
    """A body that is, or inflates to, more than the contract's 64 MiB."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {limit} bytes once inflated")
        self.limit = limit


class OfflineError(TransportError):
    """The server could not be reached, or kept failing transiently until we gave up.

    ``retry_after`` is the server's own wish (seconds) where it named one, so
    the sync cycle can wait at least that long before its next attempt.
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: int = 0,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.status = status
        self.retry_after = retry_after


class TransferInterrupted(OfflineError):
    """A streamed body broke or stalled after its headers came: resume it (e.g. with Range)."""


class ApiError(TransportError):
    """A permanent answer of the server: any non-2xx that is not transient.

    ``code`` is the contract's error code (``validation_error``, ``not_found``...)
    or ``http_<status>`` where the body did not carry one.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str = "",
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}" if message else f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.code!r}, {self.message!r})"
