"""Carrying owed actions to SP4N-LAPOR!, exactly once, on an API with no idempotency key.

A job is marked ``sending`` and committed *before* its post. From then on,
whether a post arrived is only ever learnt by reading upstream: after a
timeout, a lost answer, a 5xx or a hub killed mid-post, the next attempt
first reads the complaint's follow-ups and looks for its own text (or its
reference marker); only if it is not there is it posted again. Before the
first post the follow-ups with the same text are counted (the baseline), so
an office that sends the same words twice still gets two posts.

Moves ("bukan wewenang") cannot be looked for upstream (nothing public shows
where a move request appears), so an unknown outcome sends the request again.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from server.config import utc_now
from server.db import Database, Upload
from server.uploads import Uploads
from server.upstream.connector import (
    Attachment,
    Connector,
    FollowupPost,
    MalformedRecord,
    MoveRequest,
    SendOutcome,
    Sent,
    UpstreamError,
    has_marker,
    with_marker,
)
from server.upstream.outbox import UpstreamOutbox
from server.upstream.profile import Profile
from server.upstream.tables import OPEN_STATES, JobKind, JobState, UpstreamAgency, UpstreamJob

log = logging.getLogger(__name__)


@dataclass
class PushReport:
    delivered: list[str] = field(default_factory=list)  # job ids
    refused: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    found_after_unknown: int = 0


class Pusher:
    def __init__(
        self,
        db: Database,
        connector: Connector,
        profile: Profile,
        outbox: UpstreamOutbox,
        uploads: Uploads,
        *,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.db, self.connector, self.profile = db, connector, profile
        self.outbox, self.uploads, self.clock = outbox, uploads, clock
        self.rng = rng or random.Random()
        self.push = profile.doc.push

    def run_due(self, limit: int = 50) -> PushReport:
        report = PushReport()
        with self.db.reading() as session:
            ids = list(
                session.scalars(
                    select(UpstreamJob.id)
                    .where(UpstreamJob.state.in_(OPEN_STATES), UpstreamJob.next_at <= self.clock())
                    .order_by(UpstreamJob.created_at, UpstreamJob.id)
                    .limit(limit)
                )
            )
        for job_id in ids:
            self.attempt(job_id, report)
        return report

    def next_due(self) -> datetime | None:
        with self.db.reading() as session:
            return session.scalar(
                select(func.min(UpstreamJob.next_at)).where(UpstreamJob.state.in_(OPEN_STATES))
            )

    def attempt(self, job_id: str, report: PushReport) -> None:
        with self.db.reading() as session:
            job = session.get(UpstreamJob, job_id)
        if job is None or job.state not in OPEN_STATES:
            return
        try:
            if job.state == JobState.SENDING and self._arrived(job):
                log.info(
                    "upstream job %s: its post is upstream after all; not posted again", job_id[:8]
                )
                report.found_after_unknown += 1
                self._settle(job_id, JobState.DELIVERED, report)
                return
            post = self._prepare(job)
        except (UpstreamError, MalformedRecord) as exc:
            # Reading failed: an outage or an unreadable answer, never a reason to give up.
            self._retry(job_id, f"reading upstream: {exc}", report, counts=False)
            return
        except _NotReady as exc:
            self._retry(job_id, str(exc), report, counts=False, slow=True)
            return
        except _Refused as exc:
            self._settle(job_id, JobState.REFUSED, report, str(exc))
            return
        with self.db.writing() as session:
            live = session.get(UpstreamJob, job_id, with_for_update=True)
            if live is None or live.state not in OPEN_STATES:
                return
            # The intent, committed before the post: a hub killed now looks before posting again.
            live.state, live.attempts = JobState.SENDING, live.attempts + 1
            if job.baseline is not None:
                live.baseline = job.baseline
        sent = post()
        if sent.outcome == SendOutcome.DELIVERED:
            self._settle(job_id, JobState.DELIVERED, report)
        elif sent.outcome == SendOutcome.REFUSED:
            self._settle(job_id, JobState.REFUSED, report, sent.message)
        else:
            if sent.credentials_refused:
                log.error("SP4N-LAPOR! refused the hub's credentials (%s)", sent.status)
            self._retry(job_id, sent.message, report, counts=not sent.credentials_refused)

    # --- steps ------------------------------------------------------------------

    def _arrived(self, job: UpstreamJob) -> bool:
        """Whether a post that may have gone out is there upstream."""
        if job.kind == JobKind.REJECT:
            return False
        followups = [f for f in self.connector.followups(job.upstream_id) if not f.by_reporter]
        if self.push.followup.reference_marker:
            return any(has_marker(f.content, job.id) for f in followups)
        matching = sum(1 for f in followups if f.content_hash == job.content_hash)
        return matching > (job.baseline or 0)

    def _prepare(self, job: UpstreamJob) -> Callable[[], Sent]:
        """The post to make, once everything it needs is known; raises what stops it."""
        institution = self.profile.institutions.get(job.office_id)
        if institution is None:
            raise _NotReady(f"no upstream institution is configured for office {job.office_id}")
        if job.kind == JobKind.REJECT:
            move = MoveRequest(job.upstream_id, self._agency(job.target), job.text)
            return lambda: self.connector.request_move(move)
        user_id = self.profile.user_id_for(*job.user_ids)
        if user_id is None:
            raise _NotReady(f"no upstream user_id for {job.user_ids} and no users.default")
        marker = self.push.followup.reference_marker
        if not marker and job.baseline is None:
            job.baseline = sum(
                1
                for f in self.connector.followups(job.upstream_id)
                if not f.by_reporter and f.content_hash == job.content_hash
            )
        post = FollowupPost(
            upstream_id=job.upstream_id,
            user_id=user_id,
            institution_id=institution,
            content=with_marker(job.text, job.id) if marker else job.text,
            confidential=job.confidential,
            complete=job.kind == JobKind.COMPLETE,
            attachments=self._attachments(job),
        )
        return lambda: self.connector.post_followup(post)

    def _agency(self, named: str) -> int:
        with self.db.reading() as session:
            if named.strip().isdigit():
                found = session.get(UpstreamAgency, int(named.strip()))
            else:
                found = session.scalars(
                    select(UpstreamAgency).where(
                        func.lower(UpstreamAgency.name) == named.strip().lower()
                    )
                ).first()
        if found is None:
            raise _Refused(f"instansi tujuan {named!r} tidak dikenal SP4N-LAPOR!")
        return found.id

    def _attachments(self, job: UpstreamJob) -> tuple[Attachment, ...]:
        files = []
        with self.db.reading() as session:
            uploads = [session.get(Upload, upload_id) for upload_id in job.attachment_ids]
        for upload in uploads:
            if upload is not None:
                data = self.uploads.read(upload.id, 0, max(upload.size - 1, 0))
                files.append(Attachment(upload.filename, upload.mime, data[: upload.size]))
        return tuple(files)

    def _settle(self, job_id: str, state: JobState, report: PushReport, message: str = "") -> None:
        with self.db.writing() as session:
            job = session.get(UpstreamJob, job_id, with_for_update=True)
            if job is None or job.state not in OPEN_STATES:
                return
            self.outbox.settle(session, job, state, self.clock(), message)
        (report.delivered if state == JobState.DELIVERED else report.refused).append(job_id)
        log.info("upstream job %s for %s: %s", job_id[:8], job.complaint_id, state.value)

    def _retry(
        self, job_id: str, why: str, report: PushReport, *, counts: bool, slow: bool = False
    ) -> None:
        now = self.clock()
        with self.db.writing() as session:
            job = session.get(UpstreamJob, job_id, with_for_update=True)
            if job is None or job.state not in OPEN_STATES:
                return
            job.last_error = why[:500]
            if counts and job.attempts >= self.push.max_attempts:
                job.state, job.done_at = JobState.FAILED, now
                log.error("upstream job %s failed after %d attempts: %s", job_id, job.attempts, why)
                return
            ceiling = self.push.backoff_cap_s
            if not slow:
                ceiling = min(ceiling, self.push.backoff_base_s * 2 ** max(job.attempts - 1, 0))
            # Full jitter: many hubs coming back after an outage do not post in step.
            job.next_at = now + timedelta(seconds=self.rng.uniform(0, ceiling))
        report.retrying.append(job_id)
        log.warning("upstream job %s will be tried again: %s", job_id[:8], why)


class _NotReady(Exception):
    """The hub's configuration lacks something the job needs: the operator's to fix."""


class _Refused(Exception):
    """The job cannot be carried out as the office asked: the office is told why."""
