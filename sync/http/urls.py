"""Which server URLs the client may talk to: https, or plain http to this computer only.

The GUI asks ``server_url_problem`` to explain a typed address; the
transport refuses through ``checked_server_url``. One rule, two uses.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, urlsplit

from sync.http.errors import BadIdentifier, InsecureURL

MAX_ID_CHARS = 200  # the contract's ids (sync.protocol.Id): 1 to 200 characters
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


def api_path(*segments: str) -> str:
    """``/a/b/c`` from segments, each checked as an id and quoted whole.

    Ids come from the server (an office, an attachment, an upload); one such as
    ``../../x`` must stay one segment (``..%2F..%2Fx``), never climb the path.
    """
    return "".join("/" + _segment(segment) for segment in segments)


def _segment(segment: str) -> str:
    if not 1 <= len(segment) <= MAX_ID_CHARS or segment in (".", ".."):
        raise BadIdentifier(f"not an id to put in a URL: {segment[:40]!r}")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in segment):
        raise BadIdentifier(f"an id with control characters: {segment[:40]!r}")
    return quote(segment, safe="")
