"""How large a request body each route may send, decided before a byte of it is read.

A login is a few hundred bytes, yet every route took 64 MiB, parsed whole
before the caller was known (issue 14 item 10: eight 60 MB logins took the
server from 477 to 1,563 MB). Only the two routes the contract gives large
bodies keep large caps; every other body, GET or POST, is small.
"""

from __future__ import annotations

import re

from sync.protocol import API_PREFIX, MAX_BODY_BYTES, MAX_UPLOAD_BYTES

# The largest login (1,600 characters of fields, each astral one \u-escaped in 12
# bytes) is under 20 KB; uploads' metadata and signing keys are smaller still.
SMALL_BODY = 32 * 1024

_LARGE: tuple[tuple[str, re.Pattern[str], int], ...] = (
    # 100 mutations of 20,000-character texts: the contract's own cap.
    ("POST", re.compile(re.escape(API_PREFIX) + r"/mutations"), MAX_BODY_BYTES),
    # A chunk never runs past the declared size of a file, at most 25 MiB.
    ("PATCH", re.compile(re.escape(API_PREFIX) + r"/uploads/[^/]+"), MAX_UPLOAD_BYTES),
)


def body_limit(method: str, path: str) -> int:
    """The most bytes (inflated or not) a request to this route may carry."""
    for route_method, pattern, limit in _LARGE:
        if method == route_method and pattern.fullmatch(path):
            return limit
    return SMALL_BODY
