"""Applying pushed mutations, by the rules of SYNC-API.md "Pushing: mutations".

Each mutation runs in its own transaction: the record's change, the feed and
the mutation's id (unique) commit together, so no retry applies it twice.
Checks run in the contract's order: office, body, approval, conflict.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from server.auth import Caller
from server.complaints import add_event, add_events, new_event, status_at, touched, voided_since
from server.config import Settings
from server.db import (
    Attachment,
    Complaint,
    ComplaintOffice,
    Database,
    MutationRecord,
    Review,
    SigningKey,
    Upload,
    UsedApproval,
    User,
)
from server.feed import ChangeRef, office_view, publish
from server.upstream.outbox import UpstreamOutbox
from sync.protocol import (
    CLOSED_STATUSES,
    NEEDS_APPROVAL,
    Approval,
    ErrorCode,
    Mutation,
    ResultStatus,
    approval_message,
    canonical_json,
    format_time,
    load_public_key,
    validate_payload,
    verify_approval,
)


class Outcome(Exception):
    """Ends one mutation early with a result other than ``applied``."""

    def __init__(
        self, status: ResultStatus, code: ErrorCode, message: str, complaint: Any = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.complaint = status, code, message, complaint


def _rejected(code: ErrorCode, message: str) -> Outcome:
    return Outcome("rejected", code, message)


@dataclass(frozen=True)
class Action:
    """What a supervisor approves and the server applies: a reply, a completion, a move request."""

    type: str
    complaint_id: str
    base_version: int
    payload: dict[str, Any]


def body_hash(m: Mutation) -> str:
    content = {
        "type": m.type,
        "complaint_id": m.complaint_id,
        "base_version": m.base_version,
        "payload": m.payload,
    }
    try:
        return hashlib.sha256(canonical_json(content)).hexdigest()
    except ValueError as exc:
        raise _rejected(ErrorCode.VALIDATION, f"payload: {exc}") from None


def result(
    mutation_id: str,
    status: ResultStatus,
    complaint: Any = None,
    code: ErrorCode | None = None,
    message: str = "",
) -> dict[str, Any]:
    error = {"code": code, "message": message} if code else None
    shown = office_view(complaint) if isinstance(complaint, dict) else complaint
    return {"id": mutation_id, "status": status, "complaint": shown, "error": error}


class Mutations:
    def __init__(
        self, db: Database, settings: Settings, outbox: UpstreamOutbox | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        # On a hub, what an approved action owes SP4N-LAPOR! (None: a plain server).
        self.outbox = outbox

    def apply_all(self, caller: Caller, raw: list[Any]) -> list[dict[str, Any]]:
        return [self.apply(caller, item) for item in raw]

    def apply(self, caller: Caller, raw: dict[str, Any]) -> dict[str, Any]:
        mutation_id = str(raw["id"])
        if not _may_need_approval(raw):
            raw = {**raw, "approval": None}  # ignored, so never a reason to refuse
        try:
            m = Mutation.model_validate(raw)
        except ValidationError as exc:
            return result(mutation_id, "rejected", None, ErrorCode.VALIDATION, _first_error(exc))
        for attempt in (1, 2):
            current: dict[str, Any] | None = None
            try:
                with self.db.writing() as session:
                    row = session.get(Complaint, m.complaint_id, with_for_update=True)
                    if row is not None and row.office_id == caller.office_id:
                        current = row.data
                    return self._apply(session, caller, m, row)
            except Outcome as outcome:
                complaint = outcome.complaint if outcome.complaint is not None else current
                return result(m.id, outcome.status, complaint, outcome.code, outcome.message)
            except DataError:
                message = "a value cannot be stored"
                return result(m.id, "rejected", None, ErrorCode.VALIDATION, message)
            except IntegrityError:
                # The same id committed meanwhile (on another record): judge it again.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    # --- the checks, in order ------------------------------------------------

    def _apply(
        self, session: Session, caller: Caller, m: Mutation, row: Complaint | None
    ) -> dict[str, Any]:
        record = session.get(MutationRecord, m.id)
        if record is not None:
            return self._replay(caller, m, row, record)
        if row is None or session.get(ComplaintOffice, (row.id, caller.office_id)) is None:
            raise _rejected(ErrorCode.FORBIDDEN, "this complaint was never in your office")
        digest = body_hash(m)
        action, review = self._check_body(session, caller, m, row)
        if action is not None:
            self._check_approval(session, caller, action, m.approval, m.id)
            if review is not None and m.approval and m.approval.supervisor_id == review.author_id:
                raise _rejected(
                    ErrorCode.INVALID_APPROVAL, "the author of a review cannot approve it"
                )
        self._check_conflict(caller, m, row, action, review)
        now = self.settings.clock()
        changes = self._effect(session, caller, m, row, action, review, now)
        if action is not None and m.approval is not None:
            # Unique: a second use racing this one fails to commit and is judged again.
            session.add(
                UsedApproval(
                    statement_sha256=_statement_sha256(m.approval), mutation_id=m.id, used_at=now
                )
            )
        session.add(
            MutationRecord(
                id=m.id,
                office_id=caller.office_id,
                user_id=caller.user_id,
                complaint_id=m.complaint_id,
                body_hash=digest,
                applied_at=now,
            )
        )
        publish(session, now, *changes)
        return result(m.id, "applied", row.data)

    def _replay(
        self, caller: Caller, m: Mutation, row: Complaint | None, record: MutationRecord
    ) -> dict[str, Any]:
        if record.office_id != caller.office_id:
            raise _rejected(ErrorCode.FORBIDDEN, "this mutation id belongs to another office")
        if record.body_hash != body_hash(m):
            raise _rejected(ErrorCode.VALIDATION, "this mutation id was used for another action")
        in_office = row is not None and row.office_id == caller.office_id
        return result(m.id, "duplicate", row.data if in_office and row is not None else None)

    def _check_body(
        self, session: Session, caller: Caller, m: Mutation, row: Complaint
    ) -> tuple[Action | None, Review | None]:
        """The payload's shape and references; returns the action to approve, if any."""
        try:
            validate_payload(m.type, m.payload)
        except (ValidationError, KeyError) as exc:
            detail = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            raise _rejected(ErrorCode.VALIDATION, f"payload: {detail}") from None
        if m.base_version < 1 or m.base_version > row.version:
            raise _rejected(ErrorCode.VALIDATION, "base_version is not a version of this complaint")
        if m.type in NEEDS_APPROVAL:
            action = Action(m.type, m.complaint_id, m.base_version, m.payload)
            self._check_action(session, caller, action, row)
            return action, None
        if m.type == "submit_review":
            inner = Action(
                m.payload["mutation_type"], m.complaint_id, m.base_version, m.payload["payload"]
            )
            try:
                validate_payload(inner.type, inner.payload)
            except ValidationError as exc:
                raise _rejected(
                    ErrorCode.VALIDATION, f"payload.payload: {_first_error(exc)}"
                ) from None
            self._check_action(session, caller, inner, row)
            self._check_resubmission(session, caller, m)
            return None, None
        if m.type == "decide_review":
            return self._check_decision(session, caller, m, row)
        return None, None  # a note

    def _check_action(
        self, session: Session, caller: Caller, action: Action, row: Complaint
    ) -> None:
        if status_at(row, action.base_version) in CLOSED_STATUSES:
            raise _rejected(
                ErrorCode.VALIDATION, "the complaint was already closed at base_version"
            )
        for upload_id in action.payload.get("attachment_ids", []):
            upload = session.get(Upload, upload_id)
            if upload is None or upload.office_id != caller.office_id or not upload.complete:
                raise _rejected(
                    ErrorCode.VALIDATION, f"attachment {upload_id} is no finished upload"
                )

    def _check_resubmission(self, session: Session, caller: Caller, m: Mutation) -> None:
        review = session.get(Review, m.payload["review_id"])
        if review is None:
            return
        if review.office_id != caller.office_id:
            raise _rejected(ErrorCode.FORBIDDEN, "this review belongs to another office")
        if review.complaint_id != m.complaint_id or review.author_id != caller.user_id:
            raise _rejected(ErrorCode.VALIDATION, "this review id belongs to another draft")
        if review.state == "approved":
            raise _rejected(ErrorCode.VALIDATION, "this review was already approved")

    def _check_decision(
        self, session: Session, caller: Caller, m: Mutation, row: Complaint
    ) -> tuple[Action | None, Review]:
        review = session.get(Review, m.payload["review_id"], with_for_update=True)
        if review is None:
            raise _rejected(ErrorCode.NOT_FOUND, "no such review")
        if review.office_id != caller.office_id:
            raise _rejected(ErrorCode.FORBIDDEN, "this review belongs to another office")
        if review.complaint_id != m.complaint_id:
            raise _rejected(ErrorCode.VALIDATION, "this review is about another complaint")
        if m.payload["decision"] == "return":
            if caller.role != "supervisor":
                raise _rejected(
                    ErrorCode.FORBIDDEN, "only a supervisor of the office returns a draft"
                )
            return None, review
        action = Action(
            review.mutation_type, review.complaint_id, review.base_version, review.payload
        )
        self._check_action(session, caller, action, row)
        return action, review

    def _check_approval(
        self,
        session: Session,
        caller: Caller,
        action: Action,
        approval: Approval | None,
        mutation_id: str,
    ) -> None:
        def refuse(why: str) -> Outcome:
            return _rejected(ErrorCode.INVALID_APPROVAL, why)

        if approval is None:
            raise refuse("this action needs a supervisor's approval")
        signer = session.get(User, approval.supervisor_id)
        if (
            signer is None
            or not signer.active
            or signer.role != "supervisor"
            or signer.office_id != caller.office_id
        ):
            raise refuse("the approval is not by an active supervisor of this office")
        key = session.get(SigningKey, (approval.supervisor_id, approval.device_id))
        if key is None:
            raise refuse("no signing key is registered for this supervisor and device")
        good = verify_approval(
            load_public_key(key.public_key),
            approval,
            mutation_type=action.type,
            complaint_id=action.complaint_id,
            base_version=action.base_version,
            payload=action.payload,
        )
        if not good:
            raise refuse("the approval does not match this action or its signature is bad")
        used = session.get(UsedApproval, _statement_sha256(approval))
        if used is not None and used.mutation_id != mutation_id:
            raise refuse("this approval was already used by another mutation")

    def _check_conflict(
        self,
        caller: Caller,
        m: Mutation,
        row: Complaint,
        action: Action | None,
        review: Review | None,
    ) -> None:
        if row.office_id != caller.office_id:
            raise Outcome(
                "conflict", ErrorCode.CONFLICT, "the complaint has left your office", None
            )
        if review is not None and review.state != "pending":
            raise Outcome(
                "conflict", ErrorCode.CONFLICT, f"the review was already {review.state}", row.data
            )
        if action is not None:
            why = voided_since(row, action.base_version)
            if why is not None:
                raise Outcome("conflict", ErrorCode.CONFLICT, why, row.data)

    # --- effects -------------------------------------------------------------

    def _effect(
        self,
        session: Session,
        caller: Caller,
        m: Mutation,
        row: Complaint,
        action: Action | None,
        review: Review | None,
        now: datetime,
    ) -> list[ChangeRef]:
        if m.type == "note":
            add_event(row, new_event("note", now, caller.actor(), m.payload["text"]), now)
            return [touched(row)]
        if m.type == "submit_review":
            self._submit(session, caller, m, now)
            return [ChangeRef(caller.office_id, "review", m.payload["review_id"])]
        if m.type == "decide_review":
            assert review is not None
            decider = (
                m.approval.supervisor_id if action is not None and m.approval else caller.user_id
            )
            review.state = "approved" if action is not None else "returned"
            review.decision = {
                "by": decider,
                "at": format_time(now),
                "comment": m.payload.get("comment"),
            }
            changes = [ChangeRef(caller.office_id, "review", review.id)]
            if action is not None:
                author = session.get(User, review.author_id)
                actor = _actor(author) if author is not None else caller.actor()
                self._act(session, action, row, actor, now, m, review.id, [decider, actor["id"]])
                changes.append(touched(row))
            return changes
        assert action is not None
        signer = m.approval.supervisor_id if m.approval else None
        self._act(session, action, row, caller.actor(), now, m, None, [signer, caller.user_id])
        return [touched(row)]

    def _act(
        self,
        session: Session,
        action: Action,
        row: Complaint,
        actor: dict[str, str],
        now: datetime,
        m: Mutation,
        review_id: str | None,
        user_ids: list[str | None],
    ) -> None:
        """Apply an approved action; on a hub, owe it to SP4N-LAPOR! in the same transaction."""
        if action.type == "request_reassignment":
            text = action.payload["reason"]
            if action.payload.get("suggested_agency"):
                text += f"\n\nInstansi yang diusulkan: {action.payload['suggested_agency']}"
            event = new_event("note", now, actor, text)
            add_events(
                row,
                [event, *self._owe(session, action, row, event, m, review_id, user_ids, now)],
                now,
            )
            return
        metas = []
        for upload_id in action.payload.get("attachment_ids", []):
            upload = session.get(Upload, upload_id)
            assert upload is not None
            metas.append(upload.meta())
            if session.get(Attachment, (upload_id, row.id)) is None:
                session.add(Attachment(upload_id=upload_id, complaint_id=row.id))
        status = "completed" if action.type == "complete" else None
        if action.type == "respond" and row.status == "verified":
            status = "in_progress"
        event = new_event("response", now, actor, action.payload["text"], metas)
        owed = self._owe(session, action, row, event, m, review_id, user_ids, now)
        add_events(row, [event, *owed], now, status)

    def _owe(
        self,
        session: Session,
        action: Action,
        row: Complaint,
        event: dict[str, Any],
        m: Mutation,
        review_id: str | None,
        user_ids: list[str | None],
        now: datetime,
    ) -> list[dict[str, Any]]:
        if self.outbox is None:
            return []
        return self.outbox.owe(
            session,
            action_type=action.type,
            payload=action.payload,
            row=row,
            event=event,
            mutation_id=m.id,
            review_id=review_id,
            user_ids=[u for u in user_ids if u],
            now=now,
        )

    def _submit(self, session: Session, caller: Caller, m: Mutation, now: datetime) -> None:
        p = m.payload
        review = session.get(Review, p["review_id"])
        if review is None:
            review = Review(id=p["review_id"], office_id=caller.office_id)
            session.add(review)
        review.complaint_id = m.complaint_id
        review.author_id = caller.user_id
        review.mutation_type = p["mutation_type"]
        review.payload = p["payload"]
        review.base_version = m.base_version
        review.submitted_at = now
        review.state = "pending"
        review.decision = None


def _may_need_approval(raw: dict[str, Any]) -> bool:
    if raw.get("type") in NEEDS_APPROVAL:
        return True
    payload = raw.get("payload")
    decision = payload.get("decision") if isinstance(payload, dict) else None
    return raw.get("type") == "decide_review" and decision != "return"


def _statement_sha256(approval: Approval) -> str:
    """What the supervisor signed, on which device: a re-encoded signature is the same approval.

    The device is part of it: the same action approved in the same second on
    two devices is two approvals (two keys), whose second use is a conflict.
    """
    statement = approval_message(
        approval.content_sha256, approval.supervisor_id, approval.approved_at
    )
    return hashlib.sha256(approval.device_id.encode() + b"\n" + statement).hexdigest()


def _actor(user: User) -> dict[str, str]:
    return {"id": user.id, "name": user.full_name, "role": user.role}


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])
