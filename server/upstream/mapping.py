"""Upstream complaints into the hub's own records, in the sync API's shape.

Events made from upstream get ids derived from what they are (a status
log's or follow-up's fingerprint), so reading a complaint again never adds
an event twice. The record is checked with the sync API's own model before
it is kept: what offices receive is always readable.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from server.upstream.connector import (
    MalformedRecord,
    RemoteComplaint,
    RemoteFollowup,
    RemoteStatusLog,
)
from server.upstream.profile import Profile
from sync.protocol import Complaint as WireComplaint
from sync.protocol import format_time

SKIP = "skip"
UPSTREAM_EVENT_PREFIX = "up-"
NATIONAL_ADMIN = {"id": "admin-nasional", "name": "Admin SP4N-LAPOR!", "role": "admin"}
REPORTER = {"id": "pelapor", "name": "Pelapor", "role": "reporter"}


def hub_id(profile: Profile, upstream_id: int) -> str:
    return profile.doc.upstream.complaint_id_format.format(id=upstream_id)


def status_of(profile: Profile, remote: RemoteComplaint) -> str:
    """The sync API status for an upstream status name; unknown names are malformed."""
    status = profile.doc.maps.status.get(remote.status_name)
    if status is None:
        known = ", ".join(sorted(profile.doc.maps.status))
        raise MalformedRecord(f"status {remote.status_name!r} is not in maps.status ({known})")
    return status


def status_event(entry: RemoteStatusLog) -> dict[str, Any]:
    key = f"s\n{entry.at.isoformat()}\n{entry.note}"
    return _event(key, entry.at, "status", NATIONAL_ADMIN, entry.note or None)


def followup_event(entry: RemoteFollowup) -> dict[str, Any]:
    if entry.by_reporter:
        return _event(entry.fingerprint, entry.at, "reporter_reply", REPORTER, entry.content)
    actor = {"id": "lapor", "name": entry.from_name or "SP4N-LAPOR!", "role": "admin"}
    return _event(entry.fingerprint, entry.at, "response", actor, entry.content)


def rating_event(remote: RemoteComplaint, at: datetime) -> dict[str, Any]:
    key = f"r\n{remote.rating}\n{remote.rating_comment}"
    return _event(key, at, "rating", REPORTER, f"Penilaian {remote.rating}/5")


def new_record(
    profile: Profile, remote: RemoteComplaint, status: str, now: datetime
) -> dict[str, Any]:
    """The hub's record of a complaint it sees for the first time (version 1)."""
    defaults = profile.doc.maps.defaults
    maps = profile.doc.maps
    complaint_type = maps.classification.get(remote.classification) or defaults.get(
        "classification", "pengaduan"
    )
    channel = maps.source.get(remote.source) or defaults.get("source", "web")
    reached = remote.status_logs[0].at if remote.status_logs else remote.submitted_at
    events = [_event("submitted", remote.submitted_at, "submitted", REPORTER, None)]
    events += [status_event(entry) for entry in remote.status_logs]
    events += [followup_event(entry) for entry in remote.followups]
    if remote.rating is not None:
        events.append(rating_event(remote, remote.updated_at or now))
    events.sort(key=lambda e: e["at"])
    data: dict[str, Any] = {
        "id": hub_id(profile, remote.upstream_id),
        "version": 1,
        "type": complaint_type,
        "title": remote.title,
        "body": remote.body,
        "category": _category(remote),
        "channel": channel,
        "anonymous": remote.anonymous,
        "confidential": remote.confidential,
        "reporter": None if remote.anonymous else _reporter(remote),
        "location": _location(remote),
        "status": status,
        "submitted_at": format_time(remote.submitted_at),
        "verified_at": format_time(reached),
        "assigned_at": format_time(reached),
        "due_at": None,
        "updated_at": format_time(now),
        "events": events,
        "attachments": [],
        "rating": _rating(remote),
    }
    check(data)
    return data


def check(data: dict[str, Any]) -> None:
    """Refuse a record that offices could not read (the sync API's own model)."""
    try:
        WireComplaint.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MalformedRecord(f"mapped record: {where}: {first['msg']}") from None


def _event(
    key: str, at: datetime, event_type: str, actor: dict[str, str], text: str | None
) -> dict[str, Any]:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return {
        "id": UPSTREAM_EVENT_PREFIX + digest,
        "at": format_time(at),
        "type": event_type,
        "actor": actor,
        "text": text,
        "attachments": [],
    }


def _category(remote: RemoteComplaint) -> dict[str, str]:
    name = remote.category_name or "Lainnya"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "lainnya"
    return {"id": remote.category_id or f"lapor-{slug}", "name": name}


def _reporter(remote: RemoteComplaint) -> dict[str, Any]:
    return {
        "name": remote.reporter_name or "Pelapor",
        "phone": remote.reporter_phone,
        "email": remote.reporter_email,
    }


def _location(remote: RemoteComplaint) -> dict[str, Any] | None:
    if remote.address is None and remote.district is None:
        return None
    return {"address": remote.address, "district": remote.district, "lat": None, "lon": None}


def _rating(remote: RemoteComplaint) -> dict[str, Any] | None:
    if remote.rating is None:
        return None
    return {"score": remote.rating, "comment": remote.rating_comment}
