"""Checks of a server address the person types: HTTPS, or plain HTTP to this computer only."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_url_problem(url: str) -> str | None:
    """None when ``url`` may carry credentials; else a short code of what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not_a_url"
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return "needs_https"
    return None
