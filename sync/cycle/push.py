"""Pushing the outbox: mutations in order, in batches, each answer settled locally.

A batch is claimed in one short write transaction that counts an attempt on
each item (so ``workflow`` knows it may be on the wire and refuses to take
it back), then sent with no transaction open, then its answers are written
in a second transaction. A lost answer is harmless: the same ids go again
next time and the server answers ``duplicate``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pydantic
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import protocol, reviews, workflow
from sync.cycle.context import CycleContext
from sync.errors import ErrorCode
from sync.quarantine import quarantine, validation_reason
from sync.store.database import write_session
from sync.store.local import OutboxItem, Reply
from sync.store.models import Complaint
from sync.store.records import apply_complaint
from sync.transport import TransportError
from sync.values import OutboxState

log = logging.getLogger(__name__)

BATCH = protocol.MAX_MUTATIONS_PER_REQUEST


def push_outbox(ctx: CycleContext) -> None:
    """Send every pending mutation that may go now; stop at the first network fault."""
    held = _held_signers(ctx)
    while True:
        batch = _claim_batch(ctx, held)
        if not batch:
            return
        body = {"device_id": ctx.profile.device_id, "mutations": batch}
        answer = ctx.transport.post_json("/mutations", body, idempotent=True)
        results = _results(answer, [m["id"] for m in batch])
        with write_session(ctx.db) as session:
            for result in results:
                _settle(session, ctx, result)
        tally = ctx.tally
        tally.so_far = replace(tally.so_far, pushed=tally.so_far.pushed + len(batch))
        ctx.progress(0, 4, f"push {tally.so_far.pushed}")


def _held_signers(ctx: CycleContext) -> set[str]:
    """Supervisors of this device whose key the server has not taken yet.

    Their approvals would only be refused (``invalid_approval``); they wait
    instead, and go once the key is registered (a later login or cycle).
    """
    return {
        account.user_id
        for account in ctx.profile.accounts.values()
        if account.role == "supervisor" and not account.signing_key_registered
    }


def _claim_batch(ctx: CycleContext, held: set[str]) -> list[dict[str, Any]]:
    """The next pending mutations in order, an attempt counted on each, as wire dicts."""
    with write_session(ctx.db) as session:
        items = session.scalars(
            select(OutboxItem)
            .where(OutboxItem.state == OutboxState.PENDING.value)
            .order_by(OutboxItem.sequence)
        )
        batch: list[OutboxItem] = []
        waiting: set[str] = set()  # complaints whose earlier action waits: keep their order
        for item in items:
            if item.complaint_id in waiting or _waits_for_key(ctx, item, held):
                waiting.add(item.complaint_id)
                continue
            batch.append(item)
            if len(batch) == BATCH:
                break
        for item in batch:
            item.attempts += 1
        if waiting:
            note = f"{len(waiting)} complaint(s) wait for a supervisor's key to be registered"
            if note not in ctx.tally.so_far.notes:
                ctx.tally.note(note)
        return [wire_mutation(item) for item in batch]


def _waits_for_key(ctx: CycleContext, item: OutboxItem, held: set[str]) -> bool:
    approval = item.approval
    if not approval:
        return False
    return (
        approval.get("supervisor_id") in held
        and approval.get("device_id") == ctx.profile.device_id
    )


def wire_mutation(item: OutboxItem) -> dict[str, Any]:
    """The contract's ``Mutation``: the same bytes every time it is sent."""
    return {
        "id": item.id,
        "type": item.type,
        "complaint_id": item.complaint_id,
        "base_version": item.base_version,
        "created_at": protocol.format_time(item.created_at),
        "payload": item.payload,
        "approval": item.approval,
    }


def _results(answer: Any, ids: Sequence[str]) -> list[protocol.MutationResult]:
    try:
        results = protocol.MutationResults.model_validate(answer).results
    except pydantic.ValidationError as exc:
        raise TransportError(
            f"the server's answer to /mutations is malformed: {validation_reason(exc)}"
        ) from exc
    if [r.id for r in results] != list(ids):
        raise TransportError("the server's results do not match the mutations sent")
    return results


def _settle(session: Session, ctx: CycleContext, result: protocol.MutationResult) -> None:
    item = session.get(OutboxItem, result.id)
    if item is None or item.state != OutboxState.PENDING.value:
        return  # settled already (a repeated answer)
    now = ctx.now()
    tally = ctx.tally
    record = _record(session, ctx, result)
    so_far = tally.so_far  # read after _record, which may count too
    if result.status in ("applied", "duplicate"):
        if result.status == "applied":
            tally.so_far = replace(so_far, applied=so_far.applied + 1)
        else:
            tally.so_far = replace(so_far, duplicates=so_far.duplicates + 1)
        workflow.mark_sent(session, item.id, now=now)
    elif result.status == "conflict":
        tally.so_far = replace(so_far, conflicts=so_far.conflicts + 1)
        reason = result.error.message if result.error else "conflict"
        changes = [reason, *changes_since_draft(session, item, record)]
        workflow.mark_conflict(session, item.id, server_record=result.complaint,
                               changes=changes, now=now)
    else:
        tally.so_far = replace(so_far, rejected=so_far.rejected + 1)
        error = result.error
        code = ErrorCode.parse(error.code) if error else ErrorCode.SERVER_ERROR
        said = error.message if error else ""
        reason = f"{said} ({code})" if said else str(code)
        workflow.mark_refused(session, item.id, code=code, said=said, reason=reason, now=now)
        reviews.after_refusal(session, item, reason)
    if record is not None and record.id == item.complaint_id:  # never another record
        apply_complaint(session, record, ctx.rules)


def _record(
    session: Session, ctx: CycleContext, result: protocol.MutationResult
) -> protocol.Complaint | None:
    if result.complaint is None:
        return None
    try:
        return protocol.Complaint.model_validate(result.complaint)
    except pydantic.ValidationError as exc:
        raw_id = str(result.complaint.get("id", "?"))
        quarantine(session, "complaint", raw_id, result.complaint, exc, ctx.now())
        ctx.tally.quarantined.add(("complaint", raw_id))
        return None


def changes_since_draft(
    session: Session, item: OutboxItem, record: protocol.Complaint | None
) -> list[str]:
    """What the officer should see changed on the server since the reply was drafted."""
    if record is None:
        return ["the complaint left this office"]
    local = session.scalar(select(Complaint).where(Complaint.id == item.complaint_id))
    known = {event.id for event in local.events} if local is not None else set()
    reply = session.get(Reply, item.reply_id) if item.reply_id else None
    since = reply.created_at if reply is not None else item.created_at
    lines: list[str] = []
    if local is not None and local.status != record.status:
        lines.append(f"status {local.status} -> {record.status}")
    elif record.status in protocol.CLOSED_STATUSES:
        lines.append(f"status {record.status}")
    for event in record.events:
        if event.id in known and event.at < since:
            continue  # the officer saw it before drafting
        text = (event.text or "").strip().replace("\n", " ")
        lines.append(f"{event.type} {protocol.format_time(event.at)}: {text[:200]}")
    return lines
