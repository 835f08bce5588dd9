"""Reading the two headers whose values are times: ``Date`` and ``Retry-After``."""

from __future__ import annotations

from email.utils import parsedate_to_datetime


def parse_http_date(value: str | None) -> float | None:
    """An HTTP-date as POSIX seconds, or None where it is missing or unreadable."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000": RFC 5322 for "UTC, source unknown"
        return None
    return moment.timestamp()


def retry_after_seconds(value: str | None, server_now: float) -> float | None:
    """How long ``Retry-After`` asks us to wait, in seconds, never negative.

    An HTTP-date is measured against the server's own clock (``server_now``,
    from its ``Date`` header where it sent one), since the office PC's clock
    may be wrong by hours.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    moment = parse_http_date(text)
    if moment is None:
        return None
    return max(0.0, moment - server_now)
