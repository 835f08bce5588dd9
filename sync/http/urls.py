"""Which server URLs the client may talk to: https, or plain http to this computer only.

The GUI asks ``server_url_problem`` to explain a typed address; the
transport refuses through ``checked_server_url``. One rule, two uses.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sync.http.errors import InsecureURL

NOT_A_URL = "not_a_url"
NEEDS_HTTPS = "needs_https"


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1: traffic that never leaves this PC."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def server_url_problem(url: str) -> str | None:
    """None where ``url`` may carry credentials; else ``not_a_url`` or ``needs_https``."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return NOT_A_URL
    if parts.query or parts.fragment or parts.username or parts.password:
        return NOT_A_URL
    if parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname):
        return NEEDS_HTTPS
    return None


def checked_server_url(url: str) -> str:
    """The server URL without a trailing slash; ``InsecureURL`` where it is not allowed."""
    problem = server_url_problem(url)
    if problem == NEEDS_HTTPS:
        raise InsecureURL(f"refusing plain http to {url!r}: use https (http is only for loopback)")
    if problem is not None:
        raise InsecureURL(f"not an http(s) server URL without query or credentials: {url!r}")
    return url.strip().rstrip("/")
