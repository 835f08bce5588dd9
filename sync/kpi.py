"""Performance figures (Kinerja) of an office, per period, category and officer.

Pure: the workspace hands in plain records from its own copy and the
server-corrected ``now``; the same records give the same figures anywhere.
The definitions (docs/decisions/0002-deadlines-in-working-days.md):

- A complaint belongs to the period in which it reached the office
  (``assigned_at``, as an office-local date); every figure of a period is
  about those complaints, as they stand at ``now``.
- Followed up % = followed up / received.
- Followed up within 5 working days % = followed up by the first follow-up
  deadline (the rule behind the Tenggat on screen) / those whose outcome is
  known at ``now``: followed up, or past that deadline without a follow-up.
  A complaint that is not yet due counts in neither.
- Days to first follow-up: working days elapsed, with fractions, counting
  each working day midnight to midnight in office time and nothing else
  (``WorkCalendar.working_days_elapsed``); averaged over the followed up.
- Completed % = completed / received.
- Per officer means the officer who posted the first follow-up; complaints
  not followed up yet are under the key ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sync.deadlines import Rules, first_followup_due, followed_up_on_time


class PeriodKind(StrEnum):
    MONTH = "month"
    SEMESTER = "semester"
    YEAR = "year"


_MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.SEMESTER: 6, PeriodKind.YEAR: 12}


@dataclass(frozen=True)
class Period:
    """A calendar month, semester (1: Jan-Jun, 2: Jul-Dec) or year."""

    kind: PeriodKind
    year: int
    number: int = 1  # the month, the semester, or 1 for a year

    def __post_init__(self) -> None:
        if not 1 <= self.number <= self._per_year:
            raise ValueError(f"no {self.kind} {self.number} in a year")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        return cls(kind, day.year, (day.month - 1) // _MONTHS_IN[kind] + 1)

    @property
    def _per_year(self) -> int:
        return 12 // _MONTHS_IN[self.kind]

    @property
    def first_day(self) -> date:
        return date(self.year, (self.number - 1) * _MONTHS_IN[self.kind] + 1, 1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and Period.containing(self.kind, day) == self

    def previous(self) -> Period:
        year, index = divmod(self.year * self._per_year + self.number - 2, self._per_year)
        return Period(self.kind, year, index + 1)

    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind is PeriodKind.SEMESTER:
            return f"{self.year}-S{self.number}"
        return str(self.year)


@dataclass(frozen=True)
class KpiRecord:
    """What the figures need of one complaint; aware datetimes."""

    complaint_id: str
    category: str
    type: str
    assigned_at: datetime
    first_followup_at: datetime | None
    first_followup_by: str | None  # the officer's user id
    completed_at: datetime | None
    status: str

    @property
    def completed(self) -> bool:
        return self.completed_at is not None or self.status == "completed"


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def _difference(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


@dataclass(frozen=True)
class Figures:
    """One group's figures for one period; shares are percentages, None when there is no base."""

    received: int = 0
    followed_up: int = 0
    decided: int = 0  # followed up, or past the first follow-up deadline without one
    on_time: int = 0  # followed up by the first follow-up deadline
    completed: int = 0
    days_to_followup: float | None = None  # average working days, over the followed up

    @property
    def followed_up_pct(self) -> float | None:
        return _share(self.followed_up, self.received)

    @property
    def on_time_pct(self) -> float | None:
        return _share(self.on_time, self.decided)

    @property
    def completed_pct(self) -> float | None:
        return _share(self.completed, self.received)


@dataclass(frozen=True)
class Change:
    """A period against the one before it."""

    received_pct: float | None  # relative: +26.0 is 26 % more than before
    followed_up_points: float | None  # percentage points
    on_time_points: float | None
    completed_points: float | None
    days_to_followup: float | None  # working days; negative is faster

    @classmethod
    def between(cls, current: Figures, previous: Figures) -> Change:
        received = _share(current.received - previous.received, previous.received)
        return cls(
            received_pct=received,
            followed_up_points=_difference(current.followed_up_pct, previous.followed_up_pct),
            on_time_points=_difference(current.on_time_pct, previous.on_time_pct),
            completed_points=_difference(current.completed_pct, previous.completed_pct),
            days_to_followup=_difference(current.days_to_followup, previous.days_to_followup),
        )


@dataclass(frozen=True)
class KpiRow:
    key: str | None  # the category or officer; None overall, or for "not followed up yet"
    current: Figures
    previous: Figures

    @property
    def change(self) -> Change:
        return Change.between(self.current, self.previous)


@dataclass(frozen=True)
class KpiReport:
    period: Period
    overall: KpiRow
    by_category: tuple[KpiRow, ...]  # sorted by category
    by_officer: tuple[KpiRow, ...]  # sorted by officer, None last


def figures(records: Iterable[KpiRecord], *, now: datetime, rules: Rules) -> Figures:
    """The figures of these records as they stand at ``now``."""
    cal = rules.calendar
    today = cal.local_date(now)
    received = followed_up = decided = on_time = completed = 0
    elapsed: list[float] = []
    for record in records:
        received += 1
        completed += record.completed
        if record.first_followup_at is not None:
            followed_up += 1
            decided += 1
            on_time += followed_up_on_time(record.assigned_at, record.first_followup_at, rules)
            elapsed.append(cal.working_days_elapsed(record.assigned_at, record.first_followup_at))
        elif today > first_followup_due(record.assigned_at, rules):
            decided += 1
    return Figures(
        received=received,
        followed_up=followed_up,
        decided=decided,
        on_time=on_time,
        completed=completed,
        days_to_followup=sum(elapsed) / len(elapsed) if elapsed else None,
    )


def kpi_report(
    records: Iterable[KpiRecord], period: Period, *, now: datetime, rules: Rules
) -> KpiReport:
    """Figures of ``period`` and the one before it, overall, per category and per officer.

    ``records`` may hold any complaints; those of other periods are left out.
    """
    cal = rules.calendar
    previous_period = period.previous()
    current: list[KpiRecord] = []
    previous: list[KpiRecord] = []
    for record in records:
        day = cal.local_date(record.assigned_at)
        if day in period:
            current.append(record)
        elif day in previous_period:
            previous.append(record)

    def row(key: str | None, now_records: list[KpiRecord], before: list[KpiRecord]) -> KpiRow:
        return KpiRow(
            key, figures(now_records, now=now, rules=rules), figures(before, now=now, rules=rules)
        )

    def rows(key_of: Callable[[KpiRecord], str | None]) -> tuple[KpiRow, ...]:
        keys = {key_of(record) for record in current + previous}
        ordered = sorted(keys, key=lambda key: (key is None, key or ""))
        return tuple(
            row(
                key,
                [r for r in current if key_of(r) == key],
                [r for r in previous if key_of(r) == key],
            )
            for key in ordered
        )

    return KpiReport(
        period=period,
        overall=row(None, current, previous),
        by_category=rows(lambda record: record.category),
        by_officer=rows(lambda record: record.first_followup_by),
    )

