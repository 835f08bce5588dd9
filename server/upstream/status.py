"""``lapor-server upstream status`` and ``retry``: what the hub owes SP4N-LAPOR!."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy import func, select, update

from server.config import utc_now
from server.db import Database, rows_changed
from server.upstream.tables import JobState, UpstreamJob, UpstreamQuarantine

SHOWN = 20  # jobs and quarantined records listed; the counts cover all


def print_status(db: Database, out: TextIO) -> int:
    """Counts by state, the open and failed jobs' last errors, quarantined upstream records.

    Returns 1 when something needs the operator (a failed job or a quarantined record).
    """
    with db.reading() as session:
        counts: dict[str, int] = {
            state: count
            for state, count in session.execute(
                select(UpstreamJob.state, func.count()).group_by(UpstreamJob.state)
            )
        }
        stuck = list(
            session.scalars(
                select(UpstreamJob)
                .where(UpstreamJob.state.in_([JobState.PENDING, JobState.SENDING, JobState.FAILED]))
                .order_by(UpstreamJob.created_at)
                .limit(SHOWN)
            )
        )
        held = list(
            session.scalars(
                select(UpstreamQuarantine).order_by(UpstreamQuarantine.last_at.desc()).limit(SHOWN)
            )
        )
        held_count = session.scalar(select(func.count()).select_from(UpstreamQuarantine)) or 0
    line = ", ".join(f"{state.value} {counts.get(state.value, 0)}" for state in JobState)
    print(f"jobs: {line}", file=out)
    for job in stuck:
        since = job.created_at.strftime("%Y-%m-%d %H:%M")
        print(
            f"  {job.id}  {job.state:9} {job.kind:8} {job.complaint_id}  since {since}  "
            f"attempts {job.attempts}  {job.last_error[:120]}",
            file=out,
        )
    print(f"quarantined upstream records: {held_count}", file=out)
    for row in held:
        print(f"  {row.upstream_id}  {row.attempts} reads  {row.reason[:160]}", file=out)
    return 1 if counts.get(JobState.FAILED.value) or held_count else 0


def retry_failed(db: Database, job_ids: list[str] | None = None) -> int:
    """Put failed jobs back in line. They may have been posted, so they look before posting."""
    with db.writing() as session:
        statement = update(UpstreamJob).where(UpstreamJob.state == JobState.FAILED)
        if job_ids:
            statement = statement.where(UpstreamJob.id.in_(job_ids))
        return rows_changed(
            session,
            statement.values(state=JobState.SENDING, attempts=0, next_at=utc_now(), done_at=None),
        )
