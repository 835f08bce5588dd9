"""Working days (hari kerja) of one office.

A working day is a Monday to Friday that is neither an Indonesian public
holiday, nor a day of cuti bersama, nor a day the office declared off.
National days come from the `holidays` package: its category "public" holds
the hari libur nasional, its category "government" the cuti bersama of the
yearly SKB 3 Menteri.

A year whose SKB the installed package does not know yet still gets its
public holidays (Islamic ones estimated) but no cuti bersama; ``is_settled``
says so, and an office can declare the missing days itself. Outside the
package's range (1946-2100) only weekends and declared days count.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from holidays.constants import GOVERNMENT, PUBLIC

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)
_INDONESIA = "holidays.countries.indonesia"
_ALONE = "sync._holidays_indonesia"
_loading = threading.Lock()


def _indonesia() -> Any:
    """The `holidays` class of Indonesia, its module alone.

    ``import holidays.countries.indonesia`` first runs ``holidays.countries``,
    which imports all 250 countries: ~0.1 s of the app's launch on a quiet
    machine (more than a second on a loaded one) and 250 modules held for
    nothing. The one file is loaded under a name of ours (under its own, a
    later ``import holidays.countries.indonesia`` would find it and skip
    its parent package); should the package ever be laid out otherwise, the
    plain import still works.
    """
    with _loading:
        module = sys.modules.get(_ALONE) or _load_alone() or importlib.import_module(_INDONESIA)
    return module.Indonesia


def _load_alone() -> Any:
    try:
        package = importlib.util.find_spec("holidays.countries")
        folders = package.submodule_search_locations if package else None
        path = Path(list(folders)[0]) / "indonesia.py" if folders else None
        spec = importlib.util.spec_from_file_location(_ALONE, path) if path else None
        if spec is None or spec.loader is None or path is None or not path.is_file():
            return None
        module = importlib.util.module_from_spec(spec)
        sys.modules[_ALONE] = module
        spec.loader.exec_module(module)
        return module
    except Exception:
        sys.modules.pop(_ALONE, None)
        return None


@lru_cache(maxsize=64)
def national_days_off(year: int) -> frozenset[date]:
    """Public holidays and cuti bersama of Indonesia in ``year``."""
    return frozenset(_indonesia()(years=year, categories=(PUBLIC, GOVERNMENT)))


@lru_cache(maxsize=64)
def cuti_bersama_known(year: int) -> bool:
    """Whether the installed package has that year's cuti bersama decree."""
    return len(_indonesia()(years=year, categories=(GOVERNMENT,))) > 0


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) to ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _require_aware(moment: datetime) -> None:
    # A naive time would silently mean the PC's zone; server time is always aware.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: give a timezone")


class WorkCalendar:
    """Working-day arithmetic in one office's timezone."""

    def __init__(self, tz: ZoneInfo, office_days_off: Iterable[date] = ()) -> None:
        self.tz = tz
        self.office_days_off = frozenset(office_days_off)

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < _SATURDAY
            and day not in self.office_days_off
            and day not in national_days_off(day.year)
        )

    def is_settled(self, year: int) -> bool:
        """False where that year's cuti bersama are not known: dates there are estimates."""
        return cuti_bersama_known(year)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (before it when n < 0).

        ``start`` itself never counts: counting begins on the next working
        day, so a report that reached the office on a Friday and one that
        reached it on the Saturday both have Monday as day 1.
        ``n == 0`` gives ``start`` unchanged.
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        day = start
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; negative (the count of b < d <= a) when b < a.

        So ``working_days_between(a, add_working_days(a, n)) == n`` for n >= 0.
        """
        if b < a:
            return -self.working_days_between(b, a)
        # Arithmetic, not a walk: an overdue deadline may lie years back and the
        # complaint list computes one per open complaint.
        days_off = self.office_days_off.union(
            *(national_days_off(year) for year in range(a.year, b.year + 1))
        )
        weekdays_off = sum(1 for d in days_off if a < d <= b and d.weekday() < _SATURDAY)
        return _weekdays_through(b) - _weekdays_through(a) - weekdays_off

    def local_date(self, moment: datetime) -> date:
        """The office's calendar date at ``moment`` (an aware datetime)."""
        _require_aware(moment)
        return moment.astimezone(self.tz).date()

    def start_of_day(self, day: date) -> datetime:
        """The first instant of ``day`` in office time, as an aware UTC datetime."""
        return datetime.combine(day, time(0), tzinfo=self.tz).astimezone(UTC)

    def working_days_elapsed(self, start: datetime, end: datetime) -> float:
        """Working time from ``start`` to ``end`` in working days, with fractions.

        Each working day counts in full, midnight to midnight in office time;
        other days count nothing. Monday 10:00 to Monday 19:36 is 0.4; Friday
        12:00 to Monday 12:00 is 1.0. ``end`` before ``start`` gives 0.0.
        """
        _require_aware(start)
        _require_aware(end)
        # In UTC: subtracting two times of one zone would ignore a DST change.
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = 0.0
        day = self.local_date(start)
        last = self.local_date(end)
        while day <= last:
            if self.is_working_day(day):
                day_start = self.start_of_day(day)
                day_end = self.start_of_day(day + _ONE_DAY)
                overlap = min(end, day_end) - max(start, day_start)
                if overlap > timedelta(0):
                    total += overlap / (day_end - day_start)
            day += _ONE_DAY
        return total
