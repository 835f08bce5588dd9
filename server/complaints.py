"""Changing a complaint on the server: events, versions, moves between offices.

Every change goes through here so that the version, the history the
conflict rules read, and the change feed stay in step.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.db import Complaint, ComplaintOffice
from server.feed import ChangeRef, publish
from sync.protocol import CLOSED_STATUSES, format_time

# Events after a base version that void a reply drafted on it.
VOIDING_EVENTS = frozenset({"reporter_reply", "response"})
# The office of a complaint that left for an agency outside this hub. Never NATIONAL (""),
# whose records every office reads.
OUTSIDE = "~outside"


def new_event(
    event_type: str,
    at: datetime,
    actor: dict[str, str] | None,
    text: str | None,
    attachments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "at": format_time(at),
        "type": event_type,
        "actor": actor,
        "text": text,
        "attachments": attachments or [],
    }


def add_event(
    row: Complaint, event: dict[str, Any], now: datetime, status: str | None = None
) -> None:
    """Append an event (and maybe a new status) as one new version."""
    add_events(row, [event], now, status)


def add_events(
    row: Complaint, events: list[dict[str, Any]], now: datetime, status: str | None = None
) -> None:
    """Append events as one new version; the history names the weightiest of them.

    A reply or a reporter's answer among them must show in the history, since
    the conflict rules ask for exactly those.
    """
    data = copy.deepcopy(row.data)
    data["events"].extend(events)
    if status is not None:
        data["status"] = status
        row.status = status
    row.version += 1
    data["version"] = row.version
    data["updated_at"] = format_time(now)
    row.data = data
    types = [e["type"] for e in events]
    named = next((t for t in types if t in VOIDING_EVENTS), types[0] if types else None)
    row.history = [*row.history, [row.version, row.status, named]]


def status_at(row: Complaint, version: int) -> str:
    status = row.status
    for entry_version, entry_status, _event in reversed(row.history):
        if entry_version <= version:
            return str(entry_status)
        status = entry_status
    return str(status)


def voided_since(row: Complaint, base_version: int) -> str | None:
    """Why a reply drafted on ``base_version`` no longer stands, or None."""
    for version, status, event_type in row.history:
        if version <= base_version:
            continue
        if status in CLOSED_STATUSES:
            return f"the complaint became {status}"
        if event_type in VOIDING_EVENTS:
            return f"a {event_type} came after version {base_version}"
    return None


def move(
    session: Session, row: Complaint, office_id: str, now: datetime, actor: dict[str, str] | None
) -> None:
    """Forward a complaint to another office: a remove for the old one, an upsert for the new."""
    old = row.office_id
    add_event(row, new_event("reassigned", now, actor, f"Dialihkan ke {office_id}"), now)
    data = dict(row.data)
    data["assigned_at"] = format_time(now)
    row.data = data
    row.office_id = office_id
    if session.get(ComplaintOffice, (row.id, office_id)) is None:
        session.add(ComplaintOffice(complaint_id=row.id, office_id=office_id))
    publish(
        session,
        now,
        ChangeRef(old, "complaint", row.id, "remove"),
        ChangeRef(office_id, "complaint", row.id),
    )


def leave_scope(session: Session, row: Complaint, now: datetime, text: str) -> None:
    """The complaint went to an agency outside the hub: a remove for its office."""
    old = row.office_id
    add_event(row, new_event("reassigned", now, None, text), now)
    row.office_id = OUTSIDE
    publish(session, now, ChangeRef(old, "complaint", row.id, "remove"))


def touched(row: Complaint) -> ChangeRef:
    return ChangeRef(row.office_id, "complaint", row.id)


def forward(session: Session, data: dict[str, Any], office_id: str, now: datetime) -> Complaint:
    """A new complaint reaches an office (the national side's forwarding)."""
    data = {
        **data,
        "version": 1,
        "updated_at": format_time(now),
        "assigned_at": data.get("assigned_at") or format_time(now),
    }
    row = Complaint(
        id=data["id"],
        office_id=office_id,
        version=1,
        status=data["status"],
        data=data,
        history=[[1, data["status"], None]],
    )
    session.add(row)
    session.add(ComplaintOffice(complaint_id=row.id, office_id=office_id))
    session.flush()
    publish(session, now, touched(row))
    return row


def national_event(
    session: Session,
    row: Complaint,
    event_type: str,
    now: datetime,
    text: str | None = None,
    status: str | None = None,
) -> None:
    """Something the reporter or a national admin did: a reply, a rating, archiving."""
    actor = {"id": "pelapor", "name": "Pelapor", "role": "reporter"}
    if event_type == "status":
        actor = {"id": "admin-nasional", "name": "Admin Nasional LAPOR!", "role": "admin"}
    add_event(row, new_event(event_type, now, actor, text), now, status)
    publish(session, now, touched(row))
