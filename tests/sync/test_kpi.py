"""Office figures against fixtures computed by hand.

Calendar facts used (2026, WITA): February has cuti bersama Mon 16 and Imlek
Tue 17; no one works Wed 18 to Tue 24 March. A working day counts 24 hours,
midnight to midnight; other days count nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from sync.deadlines import Rules
from sync.kpi import (
    Figures,
    KpiRecord,
    KpiRow,
    Period,
    PeriodKind,
    figures,
    kpi_report,
)

WITA = ZoneInfo("Asia/Makassar")


def wita(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def record(
    complaint_id: str,
    category: str,
    assigned_at: datetime,
    followup_at: datetime | None = None,
    officer: str | None = None,
    completed_at: datetime | None = None,
    complaint_type: str = "pengaduan",
) -> KpiRecord:
    status = "completed" if completed_at else "in_progress" if followup_at else "verified"
    return KpiRecord(
        complaint_id,
        category,
        complaint_type,
        assigned_at,
        followup_at,
        officer,
        completed_at,
        status,
    )


# February 2026: the previous period.
P1 = record(  # Mon 2 Feb 09:00 -> Tue 3 Feb 09:00: 15 h + 9 h = 1.0 day.
    # Due Mon 9 Feb (3, 4, 5, 6, 9): on time.
    "P1",
    "Jalan",
    wita(2, 2, 9),
    wita(2, 3, 9),
    "budi",
    completed_at=wita(2, 13, 10),
)
P2 = record(  # Fri 13 Feb 15:00 -> Wed 18 Feb 15:00: Fri 9 h (0.375), Sat to Tue
    # 17 nothing (weekend, cuti, Imlek), Wed 15 h (0.625) = 1.0 day.
    # Due Tue 24 Feb (18, 19, 20, 23, 24): on time.
    "P2",
    "Kebersihan",
    wita(2, 13, 15),
    wita(2, 18, 15),
    "sari",
    complaint_type="aspirasi",
)
P3 = record(  # Mon 23 Feb, never followed up; due Mon 2 March (24-27, 2): overdue, decided.
    "P3", "Jalan", wita(2, 23, 8)
)

# March 2026: the period reported.
C1 = record(  # Mon 2 Mar 10:00 -> 19:36: 9.6 h = 0.4 day; due Mon 9: on time; completed.
    "C1", "Jalan", wita(3, 2, 10), wita(3, 2, 19, 36), "budi", completed_at=wita(3, 12, 11)
)
C2 = record(  # Tue 17 Mar 12:00 -> Wed 25 Mar 06:00: Tue 12 h (0.5), 18-24 off,
    # Wed 6 h (0.25) = 0.75 day. Due Tue 31 (25, 26, 27, 30, 31): on time.
    "C2",
    "Kebersihan",
    wita(3, 17, 12),
    wita(3, 25, 6),
    "sari",
    complaint_type="aspirasi",
)
C3 = record(  # Mon 2 Mar 09:00 -> Tue 10 Mar 09:00: Mon 15 h (0.625), 3, 4, 5, 6, 9 (5),
    # Tue 9 h (0.375) = 6.0 days. Due Mon 9 March: late.
    "C3",
    "Jalan",
    wita(3, 2, 9),
    wita(3, 10, 9),
    "budi",
)
C4 = record(  # Thu 26 Mar, no follow-up; due Thu 2 April (27, 30, 31, 1, 2).
    # On 31 March not yet due: in neither side of the on-time share.
    "C4",
    "Kebersihan",
    wita(3, 26, 10),
    complaint_type="permintaan_informasi",
)
C5 = record(  # Mon 9 Mar, no follow-up; due Mon 16 (10-13, 16): overdue, decided.
    "C5", "Perizinan", wita(3, 9, 8)
)
C6 = record(  # 16:30Z on Sat 28 Feb is 00:30 WITA on Sun 1 March: a March complaint.
    # Followed up 04:00Z = 12:00 WITA Mon 2 Mar: Sunday nothing, Monday 12 h = 0.5 day.
    # Due Fri 6 March (2-6): on time.
    "C6",
    "Perizinan",
    datetime(2026, 2, 28, 16, 30, tzinfo=UTC),
    datetime(2026, 3, 2, 4, 0, tzinfo=UTC),
    "sari",
)
OUTSIDE = [  # January and April: in neither period.
    record("J1", "Jalan", wita(1, 30, 9), wita(1, 30, 10), "budi"),
    record("A1", "Jalan", wita(4, 1, 9)),
]
ALL = [P1, P2, P3, C1, C2, C3, C4, C5, C6, *OUTSIDE]
NOW = wita(3, 31, 12)
MARCH = Period.month(2026, 3)


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules.load()


def test_overall_figures_of_march_against_february(rules: Rules) -> None:
    report = kpi_report(ALL, MARCH, now=NOW, rules=rules)
    assert report.period == MARCH
    march, february = report.overall.current, report.overall.previous
    # March: received C1-C6 = 6; followed up C1, C2, C3, C6 = 4; decided those 4 + C5 = 5
    # (C4 not due yet); on time C1, C2, C6 = 3; completed C1 = 1;
    # days (0.4 + 0.75 + 6.0 + 0.5) / 4 = 1.9125.
    assert march == Figures(6, 4, 5, 3, 1, pytest.approx(1.9125))
    assert march.followed_up_pct == pytest.approx(400 / 6)
    assert march.on_time_pct == pytest.approx(60.0)
    assert march.completed_pct == pytest.approx(100 / 6)
    # February: received 3; followed up P1, P2; decided 3 (P3 overdue); on time 2;
    # completed P1; days (1.0 + 1.0) / 2 = 1.0.
    assert february == Figures(3, 2, 3, 2, 1, pytest.approx(1.0))
    # Change: received (6 - 3) / 3 = +100 %; followed up 66.7 - 66.7 = 0 points;
    # on time 60 - 66.7 = -6.7 points; completed 16.7 - 33.3 = -16.7 points;
    # days 1.9125 - 1.0 = +0.9125.
    change = report.overall.change
    assert change.received_pct == pytest.approx(100.0)
    assert change.followed_up_points == pytest.approx(0.0)
    assert change.on_time_points == pytest.approx(60 - 200 / 3)
    assert change.completed_points == pytest.approx(100 / 6 - 100 / 3)
    assert change.days_to_followup == pytest.approx(0.9125)


def test_per_category(rules: Rules) -> None:
    rows = kpi_report(ALL, MARCH, now=NOW, rules=rules).by_category
    assert [row.key for row in rows] == ["Jalan", "Kebersihan", "Perizinan"]
    jalan, kebersihan, perizinan = rows
    # Jalan: March C1, C3: both followed up and decided, C1 on time, C1 completed,
    # days (0.4 + 6.0) / 2 = 3.2. February P1, P3: 1 followed up, 2 decided,
    # 1 on time, 1 completed, days 1.0.
    assert jalan == KpiRow(
        "Jalan", Figures(2, 2, 2, 1, 1, pytest.approx(3.2)), Figures(2, 1, 2, 1, 1, 1.0)
    )
    assert jalan.change.received_pct == 0.0
    assert jalan.change.days_to_followup == pytest.approx(2.2)
    # Kebersihan: March C2 (on time, 0.75), C4 (not due yet). February P2 (1.0).
    assert kebersihan == KpiRow(
        "Kebersihan", Figures(2, 1, 1, 1, 0, 0.75), Figures(1, 1, 1, 1, 0, 1.0)
    )
    assert kebersihan.current.on_time_pct == 100.0
    # Perizinan: March C5 (overdue), C6 (on time, 0.5); nothing in February.
    assert perizinan == KpiRow("Perizinan", Figures(2, 1, 2, 1, 0, 0.5), Figures())
    assert perizinan.change.received_pct is None


def test_per_officer(rules: Rules) -> None:
    rows = kpi_report(ALL, MARCH, now=NOW, rules=rules).by_officer
    assert [row.key for row in rows] == ["budi", "sari", None]
    budi, sari, nobody = rows
    # budi: C1 (0.4, on time, completed), C3 (6.0, late); February P1.
    assert budi.current == Figures(2, 2, 2, 1, 1, pytest.approx(3.2))
    assert budi.previous == Figures(1, 1, 1, 1, 1, 1.0)
    # sari: C2 (0.75), C6 (0.5), both on time: (0.75 + 0.5) / 2 = 0.625; February P2.
    assert sari.current == Figures(2, 2, 2, 2, 0, pytest.approx(0.625))
    # Not followed up yet: C4 (not due), C5 (overdue); February P3 (overdue).
    assert nobody.current == Figures(2, 0, 1, 0, 0, None)
    assert nobody.previous == Figures(1, 0, 1, 0, 0, None)


def test_the_on_time_share_waits_for_a_deadline_to_pass(rules: Rules) -> None:
    # By Fri 3 April C4's deadline (Thu 2 April) has passed unanswered: 3 on time of 6.
    later = kpi_report(ALL, MARCH, now=wita(4, 3, 9), rules=rules).overall.current
    assert (later.decided, later.on_time, later.on_time_pct) == (6, 3, 50.0)
    # On its due day it is still open.
    due_day = kpi_report(ALL, MARCH, now=wita(4, 2, 23, 59), rules=rules).overall.current
    assert due_day.decided == 5


def test_a_semester_and_a_year_gather_their_months(rules: Rules) -> None:
    report = kpi_report(ALL, Period(PeriodKind.SEMESTER, 2026, 1), now=NOW, rules=rules)
    # January to June: J1, P1-P3, C1-C6, A1 = 11 received; followed up J1, P1, P2,
    # C1, C2, C3, C6 = 7; decided 7 + P3 + C5 = 9 (C4 due 2 April, A1 9 April);
    # on time J1, P1, P2, C1, C2, C6 = 6; completed P1, C1 = 2.
    # J1 Fri 30 Jan 09:00 -> 10:00 is 1/24 day; days
    # (1/24 + 1.0 + 1.0 + 0.4 + 0.75 + 6.0 + 0.5) / 7 = (9.65 + 1/24) / 7.
    assert report.overall.current == Figures(11, 7, 9, 6, 2, pytest.approx((9.65 + 1 / 24) / 7))
    # The semester before (July to December 2025) is empty.
    assert report.overall.previous == Figures()
    assert report.overall.change.received_pct is None
    year = kpi_report(ALL, Period(PeriodKind.YEAR, 2026), now=NOW, rules=rules)
    assert year.overall.current == report.overall.current


def test_no_records_give_empty_figures(rules: Rules) -> None:
    empty = figures([], now=NOW, rules=rules)
    assert empty == Figures()
    assert (empty.followed_up_pct, empty.on_time_pct, empty.days_to_followup) == (None,) * 3
    report = kpi_report([], MARCH, now=NOW, rules=rules)
    assert report.by_category == () and report.by_officer == ()


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period.month(2026, 3), Period.month(2026, 2)),
        (Period.month(2026, 1), Period.month(2025, 12)),
        (Period(PeriodKind.SEMESTER, 2026, 2), Period(PeriodKind.SEMESTER, 2026, 1)),
        (Period(PeriodKind.SEMESTER, 2026, 1), Period(PeriodKind.SEMESTER, 2025, 2)),
        (Period(PeriodKind.YEAR, 2026), Period(PeriodKind.YEAR, 2025)),
    ],
)
def test_the_previous_period(period: Period, previous: Period) -> None:
    assert period.previous() == previous


def test_periods_contain_their_days() -> None:
    first_half, second_half = (Period(PeriodKind.SEMESTER, 2026, n) for n in (1, 2))
    year = Period(PeriodKind.YEAR, 2026)
    assert Period.containing(PeriodKind.SEMESTER, date(2026, 7, 1)) == second_half
    assert second_half.first_day == date(2026, 7, 1)
    assert date(2026, 6, 30) in first_half
    assert date(2026, 7, 1) not in first_half
    assert date(2026, 12, 31) in year
    assert [str(p) for p in (MARCH, first_half, year)] == ["2026-03", "2026-S1", "2026"]
    with pytest.raises(ValueError):
        Period(PeriodKind.SEMESTER, 2026, 3)
    with pytest.raises(ValueError):
        Period.month(2026, 13)
