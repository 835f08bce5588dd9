"""The hash-chained audit log: who did what to which reply, and proof it is whole.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's
own canonical content (its sequence number included), so editing a row,
slipping one in, or taking one out breaks the chain from there on. The
chain's length and last hash are kept in ``audit_head``, written in the same
transaction, so a cut-off tail shows too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import protocol
from sync.store.local import AuditEntry, AuditHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditProblem:
    seq: int | None  # the first row where the chain goes wrong; None: the head
    kind: str  # "edited" | "broken_link" | "missing_rows" | "head_mismatch"


@dataclass(frozen=True)
class AuditReport:
    entries: int
    problems: tuple[AuditProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "subject_kind": entry.subject_kind,
        "subject_id": entry.subject_id,
        "details": entry.details,
    }


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(
        prev_hash.encode("ascii") + b"\n" + protocol.canonical_json(_content(entry))
    ).hexdigest()


def _head(session: Session) -> AuditHead:
    head = session.get(AuditHead, 1)
    if head is None:
        head = AuditHead(id=1, count=0, last_hash=GENESIS)
        session.add(head)
    return head


def record(
    session: Session,
    *,
    at: datetime,
    actor_id: str | None,
    action: str,
    subject_kind: str,
    subject_id: str,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (details: no floats, no secrets)."""
    head = _head(session)
    entry = AuditEntry(
        seq=head.count + 1,
        at=at,
        actor_id=actor_id,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        details=dict(details or {}),
        prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(head.last_hash, entry)
    session.add(entry)
    head.count, head.last_hash = entry.seq, entry.hash
    return entry


def verify(session: Session) -> AuditReport:
    """Walk the whole chain; report where it is broken and how."""
    problems: list[AuditProblem] = []
    expected_prev, expected_seq, count = GENESIS, 1, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        if entry.seq != expected_seq:
            problems.append(AuditProblem(entry.seq, "missing_rows"))
        if entry.prev_hash != expected_prev:
            problems.append(AuditProblem(entry.seq, "broken_link"))
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(AuditProblem(entry.seq, "edited"))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    head = session.get(AuditHead, 1)
    head_count, head_hash = (head.count, head.last_hash) if head else (0, GENESIS)
    if (head_count, head_hash) != (count, expected_prev):
        problems.append(AuditProblem(None, "head_mismatch"))
    return AuditReport(entries=count, problems=tuple(problems))
