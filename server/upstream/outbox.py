"""What the hub owes SP4N-LAPOR!, written in the same transaction as the action itself.

When an approved reply, completion or move request is applied on the hub,
``UpstreamOutbox.owe`` writes its job and returns the event that tells the
office "approved, waiting for SP4N-LAPOR!". The pusher later settles the job
with ``settle``, which adds "delivered" or "refused, because..." as a new
version of the complaint, so offices learn it through the ordinary feed.

These events are ``note`` events carrying an ``upstream`` object (see
docs/API-NOTES.md): a client that does not know the object still shows a
readable internal note.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.complaints import add_event, new_event, touched
from server.db import Complaint
from server.feed import publish
from server.upstream import mapping
from server.upstream.connector import content_hash
from server.upstream.profile import Profile
from server.upstream.tables import JobKind, JobState, UpstreamComplaint, UpstreamJob

ACTOR = {"id": "sp4n-lapor", "name": "SP4N-LAPOR!", "role": "system"}


class Delivery(StrEnum):
    WAITING = "waiting"
    DELIVERED = "delivered"
    REFUSED = "refused"


_WORDS = {
    Delivery.WAITING: "Disetujui, menunggu SP4N-LAPOR!",
    Delivery.DELIVERED: "Terkirim ke SP4N-LAPOR!",
    Delivery.REFUSED: "Ditolak SP4N-LAPOR!",
}
_KINDS = {"respond": JobKind.FOLLOWUP, "complete": JobKind.COMPLETE}


def delivery_event(
    job: UpstreamJob, state: Delivery, at: datetime, message: str = ""
) -> dict[str, Any]:
    text = _WORDS[state] + (f": {message}" if message else "")
    event = new_event("note", at, ACTOR, text)
    event["upstream"] = {
        "of": job.event_id,
        "state": state.value,
        "mutation_id": job.mutation_id,
        "review_id": job.review_id,
        "message": message or None,
    }
    return event


class UpstreamOutbox:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def owe(
        self,
        session: Session,
        *,
        action_type: str,
        payload: dict[str, Any],
        row: Complaint,
        event: dict[str, Any],
        mutation_id: str,
        review_id: str | None,
        user_ids: list[str],
        now: datetime,
    ) -> list[dict[str, Any]]:
        """Write the job for an applied action; the events to add beside the action's own.

        A complaint the hub did not get from upstream owes nothing.
        """
        seen = session.scalars(
            select(UpstreamComplaint).where(UpstreamComplaint.complaint_id == row.id)
        ).first()
        if seen is None:
            return []
        if action_type == "request_reassignment":
            kind, text = JobKind.REJECT, str(payload["reason"])
            target = str(payload.get("suggested_agency") or "")
        else:
            kind, text, target = _KINDS[action_type], str(payload["text"]), ""
        job = UpstreamJob(
            id=uuid.uuid4().hex,
            kind=kind,
            state=JobState.PENDING,
            complaint_id=row.id,
            upstream_id=seen.upstream_id,
            office_id=row.office_id,
            mutation_id=mutation_id,
            review_id=review_id,
            event_id=event["id"],
            user_ids=user_ids,
            text=text,
            content_hash=content_hash(text),
            attachment_ids=list(payload.get("attachment_ids", [])),
            target=target,
            confidential=bool(row.data.get("confidential")),
            attempts=0,
            next_at=now,
            last_error="",
            created_at=now,
        )
        session.add(job)
        return [delivery_event(job, Delivery.WAITING, now)]

    def settle(
        self, session: Session, job: UpstreamJob, state: JobState, now: datetime, message: str = ""
    ) -> None:
        """Close a job and tell the office, as one new version of its complaint."""
        job.state, job.done_at, job.last_error = state, now, message
        row = session.get(Complaint, job.complaint_id, with_for_update=True)
        if row is None:
            return
        delivery = Delivery.DELIVERED if state == JobState.DELIVERED else Delivery.REFUSED
        status = None
        if delivery == Delivery.REFUSED:
            # The reply's new status never happened upstream: back to what upstream last said.
            status = self._upstream_status(session, job)
            if status == row.status:
                status = None
        add_event(row, delivery_event(job, delivery, now, message), now, status)
        publish(session, now, touched(row))

    def _upstream_status(self, session: Session, job: UpstreamJob) -> str | None:
        seen = session.get(UpstreamComplaint, job.upstream_id)
        status = self.profile.doc.maps.status.get(seen.status_name) if seen else None
        return None if status in (None, mapping.SKIP) else status
