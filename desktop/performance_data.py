"""What the Kinerja screen shows, gathered off the GUI thread, and its CSV export.

The figures themselves are the core's (``sync.kpi``); this module only
collects them for one period, with counts by status and the on-time trend.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sync.kpi import KpiReport, KpiRow, Period, PeriodKind

if TYPE_CHECKING:
    from sync import Workspace

STATUSES = ("verified", "in_progress", "completed", "archived")
TREND_MONTHS = 6


@dataclass(frozen=True)
class PerformanceData:
    report: KpiReport
    by_status: dict[str, int]
    trend: tuple[tuple[Period, float | None], ...]  # on-time % of the last months, oldest first


def load_performance(workspace: Workspace, period: Period) -> PerformanceData:
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
    # One read of the records for all periods, not one per period.
    report, *trend = workspace.kpi_reports([period, *months])
    by_status = {status: int(workspace.count_complaints(status=status)) for status in STATUSES}
    return PerformanceData(
        report=report,
        by_status=by_status,
        trend=tuple((r.period, r.overall.current.on_time_pct) for r in trend),
    )


def csv_number(value: float | None) -> str:
    """One decimal, a point for spreadsheets, rounded as the screen rounds (0.25 -> 0.3).

    Python's format rounds an exact tie to even (0.25 -> 0.2); QLocale rounds it
    up, and the export must say what the screen says.
    """
    if value is None:
        return ""
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# A cell starting so is a formula to Excel and LibreOffice (=HYPERLINK, =cmd|...).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """A name from the server as a spreadsheet shows it: text, never a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


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
                    spreadsheet_text(row.key or ""),
                    f.received,
                    csv_number(f.followed_up_pct),
                    csv_number(f.on_time_pct),
                    csv_number(f.completed_pct),
                    csv_number(f.days_to_followup),
                ]
            )
