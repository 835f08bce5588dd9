"""The replica read as KPI records (sync.kpi): one row per complaint, in SQL."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from sync.kpi import KpiRecord
from sync.store.models import Complaint, Event


def kpi_records(session: Session) -> list[KpiRecord]:
    """Every complaint in scope with its first follow-up and its completion.

    The first follow-up is the earliest ``response`` event; a completed
    complaint was completed by its last ``response`` event (the contract's
    ``complete`` posts a closing response), else when it was last updated.
    """
    first = aliased(Event)
    first_at = (
        select(Event.at)
        .where(Event.complaint_id == Complaint.id, Event.type == "response")
        .order_by(Event.at, Event.position)
        .limit(1)
        .scalar_subquery()
    )
    last_at = (
        select(Event.at)
        .where(Event.complaint_id == Complaint.id, Event.type == "response")
        .order_by(Event.at.desc(), Event.position.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Complaint.id,
            Complaint.category_name,
            Complaint.type,
            Complaint.assigned_at,
            Complaint.status,
            Complaint.updated_at,
            first_at.label("first_at"),
            last_at.label("last_at"),
            first.actor_name,
        )
        .outerjoin(
            first,
            and_(
                first.complaint_id == Complaint.id,
                first.type == "response",
                first.at == first_at,
            ),
        )
        .where(Complaint.removed.is_(False))
        .order_by(Complaint.id)
    ).all()
    records: dict[str, KpiRecord] = {}
    for row in rows:
        if row.id in records:  # two responses at the same instant: keep the first row
            continue
        completed = row.status == "completed"
        records[row.id] = KpiRecord(
            complaint_id=row.id,
            category=row.category_name,
            type=row.type,
            assigned_at=row.assigned_at,
            first_followup_at=row.first_at,
            first_followup_by=row.actor_name,
            completed_at=(row.last_at or row.updated_at) if completed else None,
            status=row.status,
        )
    return list(records.values())
