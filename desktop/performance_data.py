"""What the Kinerja screen shows, gathered off the GUI thread, and its CSV export.

The figures themselves are the core's (``sync.kpi``); this module only
collects them for one period, with counts by status and the on-time trend.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.kpi import KpiRecord, KpiReport, KpiRow, Period, PeriodKind, kpi_report

STATUSES = ("verified", "in_progress", "completed", "archived")
TREND_MONTHS = 6


@dataclass(frozen=True)
class PerformanceData:
    report: KpiReport
    by_status: dict[str, int]
    trend: tuple[tuple[Period, float | None], ...]  # on-time % of the last months, oldest first


def _records_from_public_calls(workspace: Any) -> list[KpiRecord]:
    """KPI records from summaries and timelines, for a core without ``kpi_records``."""
    found = []
    for summary in workspace.complaints():
        detail = workspace.complaint(summary.id)
        responses = sorted((e for e in detail.events if e.type == "response"), key=lambda e: e.at)
        first = responses[0] if responses else None
        found.append(
            KpiRecord(
                complaint_id=summary.id,
                category=summary.category,
                type=summary.type,
                assigned_at=summary.assigned_at,
                first_followup_at=first.at if first else None,
                first_followup_by=first.actor_name if first else None,
                completed_at=None,
                status=summary.status,
            )
        )
    return found


def report_for(workspace: Any, period: Period) -> KpiReport:
    kpi = getattr(workspace, "kpi", None)
    if callable(kpi):
        return kpi(period)  # type: ignore[no-any-return]
    return _reports(workspace, [period])[0]


def _reports(workspace: Any, periods: list[Period]) -> list[KpiReport]:
    listing = getattr(workspace, "kpi_records", None)
    records = list(listing()) if callable(listing) else _records_from_public_calls(workspace)
    now: datetime = workspace.server_now()
    return [kpi_report(records, p, now=now, rules=workspace.rules) for p in periods]


def load_performance(workspace: Any, period: Period) -> PerformanceData:
    """Runs on the task runner: a pass over the office's records."""
    months: list[Period] = []
    # The trend ends with the last month of the chosen period.
    if period.kind is PeriodKind.MONTH:
        month = period
    elif period.kind is PeriodKind.SEMESTER:
        month = Period.month(period.year, period.number * 6)
    else:
        month = Period.month(period.year, 12)
    for _ in range(TREND_MONTHS):
        months.insert(0, month)
        month = month.previous()
    if callable(getattr(workspace, "kpi", None)):
        report = workspace.kpi(period)
        trend = [workspace.kpi(m) for m in months]
    else:
        report, *trend = _reports(workspace, [period, *months])
    by_status = {status: int(workspace.count_complaints(status=status)) for status in STATUSES}
    return PerformanceData(
        report=report,
        by_status=by_status,
        trend=tuple((r.period, r.overall.current.on_time_pct) for r in trend),
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def write_csv(data: PerformanceData, path: Path, headers: dict[str, str]) -> None:
    """One row per group; ``headers`` gives the column names in the screen's language."""
    keys = (
        "period",
        "group",
        "name",
        "received",
        "followed_up_pct",
        "on_time_pct",
        "completed_pct",
        "days_to_followup",
    )
    groups: list[tuple[str, KpiRow]] = [("overall", data.report.overall)]
    groups += [("category", row) for row in data.report.by_category]
    groups += [("officer", row) for row in data.report.by_officer]
    with path.open("w", newline="", encoding="utf-8-sig") as handle:  # BOM: Excel reads UTF-8
        writer = csv.writer(handle)
        writer.writerow([headers.get(k, k) for k in keys])
        for group, row in groups:
            f = row.current
            writer.writerow(
                [
                    str(data.report.period),
                    headers.get(group, group),
                    row.key or "",
                    f.received,
                    _number(f.followed_up_pct),
                    _number(f.on_time_pct),
                    _number(f.completed_pct),
                    _number(f.days_to_followup),
                ]
            )
