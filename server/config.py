"""The server's settings: one frozen object, passed to ``create_app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RateLimit:
    """A token bucket per bearer token (or client address without one)."""

    per_second: float = 100.0
    burst: int = 1000


@dataclass(frozen=True)
class Settings:
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    lockout_failures: int = 10
    lockout_window_s: int = 15 * 60
    lockout_duration_s: int = 15 * 60
    # Cursors older than this, or older than the last purge of removes, get 410.
    cursor_retention_s: int = 30 * 24 * 3600
    rate_limit: RateLimit | None = field(default_factory=RateLimit)
    # A PATCH that has not finished after this long no longer blocks others.
    upload_claim_timeout_s: int = 120
    clock: Callable[[], datetime] = utc_now
