"""The server's settings: one frozen object, passed to ``create_app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RateLimit:
    """Fixed-window request counts, held in the database so every worker shares them.

    ``per_address`` counts every request from one client address before it is
    authenticated (an office's PCs behind one NAT share it); ``per_account``
    counts a logged-in user's requests on all her devices.
    """

    per_address: int = 3000
    per_account: int = 1200
    window_s: int = 60


@dataclass(frozen=True)
class Lockout:
    """Failed logins (docs/decisions/0011-limits-before-login.md).

    ``failures`` for one username from one address within ``window_s`` lock
    that pair for ``duration_s`` (423). Past ``account_failures`` from all
    addresses within ``account_window_s``, a source that never logged in as
    that user waits a growing delay (429); past ``address_failures`` for all
    names, such sources at that address wait for the window's end.
    """

    failures: int = 10
    window_s: int = 15 * 60
    duration_s: int = 15 * 60
    account_failures: int = 10
    account_window_s: int = 60 * 60
    delay_cap_s: int = 5 * 60
    address_failures: int = 100
    # A (username, address) that logged in, or a device with a login, is known this long.
    known_for_s: int = 90 * 24 * 3600


@dataclass(frozen=True)
class Settings:
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    lockout: Lockout = field(default_factory=Lockout)
    # Cursors older than this, or older than the last purge of removes, get 410.
    cursor_retention_s: int = 30 * 24 * 3600
    rate_limit: RateLimit | None = field(default_factory=RateLimit)
    # Peers (addresses or networks) whose X-Forwarded-For names the client; none by default.
    trusted_proxies: tuple[str, ...] = ()
    # Routes one worker process runs at once (its thread pool). Few: more threads only
    # queue for the interpreter lock, holding database locks while they wait.
    worker_threads: int = 8
    # A PATCH that has not finished after this long no longer blocks others.
    upload_claim_timeout_s: int = 120
    clock: Callable[[], datetime] = utc_now
