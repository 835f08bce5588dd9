"""Working days against 2026 dates checked by hand on the SKB 3 Menteri calendar.

March 2026 (1 March is a Sunday): Nyepi Thu 19, Idul Fitri Sat 21 and Sun 22,
cuti bersama Wed 18 (Nyepi), Fri 20, Mon 23 and Tue 24 (Idul Fitri). So no
one works from Wed 18 to Tue 24 March.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sync.calendar import WorkCalendar

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(WITA)


def test_idul_fitri_week_and_its_cuti_bersama_are_not_working_days(cal: WorkCalendar) -> None:
    assert cal.is_working_day(date(2026, 3, 17))  # Tue
    for day in range(18, 25):
        assert not cal.is_working_day(date(2026, 3, day)), day
    assert cal.is_working_day(date(2026, 3, 25))  # Wed


def test_cuti_bersama_of_the_rest_of_2026_are_days_off(cal: WorkCalendar) -> None:
    for day in (date(2026, 2, 16), date(2026, 5, 15), date(2026, 5, 28), date(2026, 12, 24)):
        assert not cal.is_working_day(day), day
    assert cal.is_working_day(date(2026, 5, 29))  # Fri after the Idul Adha cuti


def test_five_working_days_across_idul_fitri(cal: WorkCalendar) -> None:
    # Tue 17 March + 5: Wed 25, Thu 26, Fri 27, Mon 30, Tue 31.
    assert cal.add_working_days(date(2026, 3, 17), 5) == date(2026, 3, 31)
    # Fri 13 March + 5: Mon 16, Tue 17, Wed 25, Thu 26, Fri 27.
    assert cal.add_working_days(date(2026, 3, 13), 5) == date(2026, 3, 27)


def test_fourteen_working_days_from_the_start_of_march(cal: WorkCalendar) -> None:
    # Mon 2 March + 14: 3-6 (4), 9-13 (9), 16 (10), 17 (11), 25 (12), 26 (13), 27 (14).
    assert cal.add_working_days(date(2026, 3, 2), 14) == date(2026, 3, 27)


def test_a_weekend_start_counts_from_monday(cal: WorkCalendar) -> None:
    # Sat 7 March and Fri 6 March both have Mon 9 as day 1, so day 5 is Fri 13.
    assert cal.add_working_days(date(2026, 3, 7), 5) == date(2026, 3, 13)
    assert cal.add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)


def test_long_weekends_of_may_and_december(cal: WorkCalendar) -> None:
    # Ascension Thu 14 May, cuti Fri 15: the day after Wed 13 is Mon 18.
    assert cal.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
    # Vesak Sun 31 May, Pancasila Mon 1 June: after Fri 29 May comes Tue 2 June.
    assert cal.add_working_days(date(2026, 5, 29), 1) == date(2026, 6, 2)
    # Cuti Thu 24 Dec, Christmas Fri 25: after Wed 23 comes Mon 28.
    assert cal.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)


def test_counting_runs_into_the_next_year(cal: WorkCalendar) -> None:
    # Wed 30 Dec 2026 + 3: Thu 31 (1), New Year Fri 1 Jan, Mon 4 (2),
    # Isra Mi'raj Tue 5 Jan 2027, Wed 6 (3).
    assert cal.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 6)


def test_zero_and_negative_counts(cal: WorkCalendar) -> None:
    assert cal.add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 21)
    assert cal.add_working_days(date(2026, 3, 25), -1) == date(2026, 3, 17)


def test_working_days_between_is_the_inverse_of_adding(cal: WorkCalendar) -> None:
    assert cal.working_days_between(date(2026, 3, 17), date(2026, 3, 31)) == 5
    assert cal.working_days_between(date(2026, 3, 31), date(2026, 3, 17)) == -5
    assert cal.working_days_between(date(2026, 3, 17), date(2026, 3, 24)) == 0
    assert cal.working_days_between(date(2026, 3, 17), date(2026, 3, 17)) == 0
    start = date(2026, 3, 2)
    for n in range(0, 30):
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


def test_working_days_between_counts_what_is_working_day_says() -> None:
    cal = WorkCalendar(WITA, office_days_off=[date(2026, 4, 16), date(2026, 4, 18)])
    start = date(2025, 12, 20)
    days = [start + timedelta(days=i) for i in range(400)]
    for a in days[::23]:
        for b in days[::17]:
            lo, hi = min(a, b), max(a, b)
            count = sum(cal.is_working_day(d) for d in days if lo < d <= hi)
            assert cal.working_days_between(a, b) == (count if a <= b else -count), (a, b)


def test_days_an_office_declares_are_off() -> None:
    cal = WorkCalendar(WITA, office_days_off=[date(2026, 4, 16)])
    assert not cal.is_working_day(date(2026, 4, 16))
    # Wed 15 April + 1 skips the declared Thu 16.
    assert cal.add_working_days(date(2026, 4, 15), 1) == date(2026, 4, 17)
    assert WorkCalendar(WITA).add_working_days(date(2026, 4, 15), 1) == date(2026, 4, 16)


def test_a_year_without_a_known_decree_is_marked_and_still_has_its_holidays(
    cal: WorkCalendar,
) -> None:
    assert cal.is_settled(2026)
    assert not cal.is_settled(2090)
    # Independence Day 2090 is a Thursday, and still a day off.
    assert not cal.is_working_day(date(2090, 8, 17))
    assert cal.is_working_day(date(2090, 1, 2))


def test_beyond_the_package_only_weekends_count(cal: WorkCalendar) -> None:
    assert not cal.is_settled(2101)
    # Sat 1 Jan 2101 off by the weekend; Mon 3 Jan works.
    assert cal.add_working_days(date(2100, 12, 31), 1) == date(2101, 1, 3)


def test_fractional_working_days_count_whole_working_days_only(cal: WorkCalendar) -> None:
    def wita(month: int, day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, month, day, hour, minute, tzinfo=WITA)

    # Mon 2 March 10:00 to 19:36 is 9.6 h of a 24 h working day.
    assert cal.working_days_elapsed(wita(3, 2, 10), wita(3, 2, 19, 36)) == pytest.approx(0.4)
    # Fri 13 March 12:00 to Wed 25 March 12:00: 0.5 + Mon 16 + Tue 17 + 0.5.
    assert cal.working_days_elapsed(wita(3, 13, 12), wita(3, 25, 12)) == pytest.approx(3.0)
    # From a Saturday: only Monday's first six hours count.
    assert cal.working_days_elapsed(wita(3, 7, 9), wita(3, 9, 6)) == pytest.approx(0.25)
    # UTC input is read in office time: 02:00Z is 10:00 WITA.
    start = datetime(2026, 3, 2, 2, tzinfo=UTC)
    assert cal.working_days_elapsed(start, wita(3, 2, 22)) == pytest.approx(0.5)
    assert cal.working_days_elapsed(wita(3, 3, 10), wita(3, 2, 10)) == 0.0


def test_a_naive_time_is_refused(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="naive"):
        cal.local_date(datetime(2026, 3, 2, 10))
