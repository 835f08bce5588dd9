"""Validation of server records, and the quarantine of those that fail it.

A record is checked with the wire models of ``sync.protocol`` before it
touches the replica; one that fails (or that the replica refuses) is kept
aside, one row per record, with a reason that says where and why but never
its values. The feed (``sync.cycle.pull``), a push's answer
(``sync.cycle.push``) and a fetch by id (``sync.cycle.refetch``) quarantine
through here; ``validation_reason`` also words a malformed answer of any
other kind (a token pair, a digest).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import pydantic
from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync import protocol
from sync.store.local import Quarantine

log = logging.getLogger(__name__)

WIRE_MODELS: dict[str, type[protocol.Record]] = {
    "complaint": protocol.Complaint,
    "user": protocol.User,
    "category": protocol.Category,
    "template": protocol.Template,
    "review": protocol.Review,
}


def raw_name(item: Any) -> tuple[str, str]:
    """(kind, id) of an unreadable item, as far as it says; "?" where it does not."""
    fields = item if isinstance(item, dict) else {}
    kind, record_id = fields.get("kind"), fields.get("id")
    return (kind[:40] if isinstance(kind, str) else "?",
            record_id if isinstance(record_id, str) and record_id else "?")


def validated(
    session: Session, change: protocol.Change, now: datetime, *,
    held: set[tuple[str, str]], quarantined: set[tuple[str, str]],
) -> protocol.Record | None:
    """The change's record read by its wire model; None (and quarantined) when it fails.

    ``quarantined`` (the cycle's own set) gains the records set aside; one read
    now leaves the quarantine if ``held`` (known quarantined before) or
    ``quarantined`` names it.
    """
    model = WIRE_MODELS[change.kind]
    try:
        if change.data is None:
            raise ValueError("an upsert without data")
        wire = model.model_validate(change.data)
        if wire.id != change.id:
            raise ValueError(f"data id {wire.id!r} is not the change's id")
    except (pydantic.ValidationError, ValueError) as exc:
        quarantine(session, change.kind, change.id, change.data, exc, now)
        quarantined.add((change.kind, change.id))
        return None
    name = (change.kind, change.id)
    if name in held or name in quarantined:  # else nothing to release
        release(session, change.kind, change.id)
    return wire


def quarantine(
    session: Session, kind: str, record_id: str, raw: Any, error: Exception, now: datetime
) -> None:
    """Keep a record that failed validation aside, with the reason; one row per record."""
    release(session, kind, record_id)
    reason = validation_reason(error)
    log.warning("quarantined %s %s: %s", kind, record_id, reason)
    session.add(
        Quarantine(kind=kind, record_id=record_id[:200], raw=kept_raw(raw), reason=reason, at=now)
    )


def kept_raw(raw: Any) -> str:
    if isinstance(raw, dict) and raw.get("anonymous") is not False and "reporter" in raw:
        raw = {**raw, "reporter": None}  # an anonim identity is never written, even broken
    return json.dumps(raw, ensure_ascii=False, default=str)[:1_000_000]


def release(session: Session, kind: str, record_id: str) -> None:
    session.execute(
        delete(Quarantine).where(Quarantine.kind == kind, Quarantine.record_id == record_id)
    )


def validation_reason(error: Exception) -> str:
    """Where and why a record failed, without its values (they may hold secrets)."""
    if isinstance(error, pydantic.ValidationError):
        parts = []
        for item in error.errors()[:5]:
            where = ".".join(str(p) for p in item["loc"]) or "record"
            parts.append(f"{where}: {item['msg']}")
        return "; ".join(parts)
    return str(error)
