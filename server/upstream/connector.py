"""What the hub needs of a national system, whatever its wire: the connector interface.

The poller and the pusher speak only this; ``lapor_v3.LaporV3`` is its
implementation for SP4N-LAPOR! v3. Values here are already read out of the
upstream's JSON by the profile's paths and typed; turning them into the
sync API's records is ``mapping``'s work.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

# Where the hub's reference marker sits in a posted text (profile: reference_marker).
MARKER_FORMAT = "[ref: LD-{ref}]"
# Upstream's answers that refuse the hub's credentials: the operator's to fix, never a refusal.
CREDENTIALS_REFUSED = frozenset({401, 403})
_MARKER = re.compile(r"\s*\[ref: LD-[0-9a-f]{8}\]\s*$")


class UpstreamError(Exception):
    """A call that did not work. ``sent`` says whether the request may have reached upstream."""

    def __init__(self, message: str, *, status: int | None = None, sent: bool = True) -> None:
        super().__init__(message)
        self.message, self.status, self.sent = message, status, sent

    @property
    def credentials_refused(self) -> bool:
        return self.status in CREDENTIALS_REFUSED


class MalformedRecord(ValueError):
    """An upstream record the profile cannot read; quarantined with this reason."""


class ListingUnavailable(UpstreamError):
    """The profile has no working listing: the hub works from known complaint ids."""


@dataclass(frozen=True)
class Listed:
    """One entry of the agency's listing: enough to tell whether to read it in full."""

    upstream_id: int
    marker: str | None


@dataclass(frozen=True)
class RemoteStatusLog:
    at: datetime
    note: str


@dataclass(frozen=True)
class RemoteFollowup:
    at: datetime
    content: str
    from_name: str
    to_name: str
    by_reporter: bool
    attachment_names: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        return _sha256(f"f\n{self.at.isoformat()}\n{self.from_name}\n{self.content}")

    @property
    def content_hash(self) -> str:
        return content_hash(self.content)


@dataclass(frozen=True)
class RemoteComplaint:
    upstream_id: int
    title: str
    body: str
    status_name: str
    disposition_id: int | None
    submitted_at: datetime
    updated_at: datetime | None
    category_id: str
    category_name: str
    classification: str
    source: str
    anonymous: bool
    confidential: bool
    reporter_name: str | None
    reporter_phone: str | None
    reporter_email: str | None
    address: str | None
    district: str | None
    rating: int | None
    rating_comment: str | None
    status_logs: tuple[RemoteStatusLog, ...]
    followups: tuple[RemoteFollowup, ...] = field(default=())


@dataclass(frozen=True)
class RemoteTemplate:
    code: str
    title: str
    type: str
    body: str


@dataclass(frozen=True)
class Agency:
    id: int
    name: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class FollowupPost:
    upstream_id: int
    user_id: int
    institution_id: int
    content: str
    confidential: bool
    complete: bool
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class MoveRequest:
    upstream_id: int
    target_institution_id: int
    reason: str


class SendOutcome(StrEnum):
    DELIVERED = "delivered"
    REFUSED = "refused"  # upstream answered no, in words
    UNKNOWN = "unknown"  # it may or may not have arrived: look before posting again
    NOT_SENT = "not_sent"  # it surely did not arrive (no connection): post again later


@dataclass(frozen=True)
class Sent:
    outcome: SendOutcome
    message: str = ""
    status: int | None = None  # upstream's HTTP status, when it answered

    @property
    def credentials_refused(self) -> bool:
        return self.status in CREDENTIALS_REFUSED


class Connector(Protocol):
    """The national system as the hub sees it."""

    def list_assigned(self) -> Iterator[Listed]:
        """Every complaint assigned to the agency; ``ListingUnavailable`` if none can be listed."""
        ...

    def complaint(self, upstream_id: int) -> RemoteComplaint:
        """One complaint with its logs and follow-ups; ``MalformedRecord`` if unreadable."""
        ...

    def followups(self, upstream_id: int) -> list[RemoteFollowup]: ...

    def post_followup(self, post: FollowupPost) -> Sent: ...

    def request_move(self, request: MoveRequest) -> Sent: ...

    def templates(self) -> list[RemoteTemplate]: ...

    def agencies(self) -> list[Agency]: ...


def content_hash(text: str) -> str:
    """The hash by which the hub finds its own post again: spacing and marker do not count."""
    text = _MARKER.sub("", unicodedata.normalize("NFC", text))
    return _sha256(" ".join(text.split()))


def with_marker(text: str, job_id: str) -> str:
    return f"{text}\n\n{MARKER_FORMAT.format(ref=job_id[:8])}"


def has_marker(text: str, job_id: str) -> bool:
    return MARKER_FORMAT.format(ref=job_id[:8]) in text


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
