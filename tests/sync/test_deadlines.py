"""Deadline rules as data, and the deadline of a complaint in server time.

Dates are hand-checked on the 2026 calendar: no one works Wed 18 to Tue 24
March (Nyepi, Idul Fitri and their cuti bersama), Good Friday is 3 April.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sync.deadlines import (
    Rules,
    RulesError,
    completion_due,
    deadline_for,
    default_rules_file,
    first_followup_due,
    followed_up_on_time,
)
from sync.values import Deadline, DeadlineState

WITA = ZoneInfo("Asia/Makassar")


def wita(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules.load()


def write(tmp_path: Path, data: Any, name: str = "kantor.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


# --- the rules file --------------------------------------------------------


def test_the_shipped_rules_are_those_of_the_domain(rules: Rules) -> None:
    assert rules.timezone == "Asia/Makassar"
    assert rules.first_followup_working_days == 5
    assert dict(rules.completion_working_days) == {
        "aspirasi": 5,
        "permintaan_informasi": 5,
        "pengaduan": 14,
        "pengaduan_berkadar_pengawasan": 60,
    }
    assert rules.reporter_reply_working_days == 10
    assert rules.verification_working_days == 3
    assert rules.due_soon_working_days == 2
    assert rules.office_days_off == frozenset()
    assert rules.override_error is None


def test_every_rule_in_the_shipped_file_is_documented() -> None:
    data = json.loads(default_rules_file().read_text(encoding="utf-8"))
    rule_keys = {key for key in data if not key.startswith("_")}
    assert rule_keys == {f.name for f in fields(Rules)} - {"override_error"}
    assert rule_keys <= set(data["_sources"])


def test_an_override_changes_only_its_keys(tmp_path: Path, rules: Rules) -> None:
    override = write(
        tmp_path,
        {
            "_note": "Perbup 12/2025: pengaduan 10 hari kerja",
            "completion_working_days": {"pengaduan": 10},
            "timezone": "Asia/Jakarta",
            "office_days_off": ["2026-04-16"],
        },
    )
    office = Rules.load(override=override)
    assert office.override_error is None
    assert office.completion_working_days["pengaduan"] == 10
    assert office.completion_working_days["aspirasi"] == 5
    assert office.completion_working_days["pengaduan_berkadar_pengawasan"] == 60
    assert office.first_followup_working_days == 5
    assert office.tz == ZoneInfo("Asia/Jakarta")
    assert not office.calendar.is_working_day(date(2026, 4, 16))
    assert rules.calendar.is_working_day(date(2026, 4, 16))


@pytest.mark.parametrize(
    ("content", "key", "words"),
    [
        ({"first_folowup_working_days": 7}, "first_folowup_working_days", "unknown rule"),
        ({"first_followup_working_days": "7"}, "first_followup_working_days", "'7'"),
        ({"first_followup_working_days": True}, "first_followup_working_days", "True"),
        ({"completion_working_days": {"pengaduan": 0}}, "completion_working_days", "pengaduan"),
        ({"completion_working_days": {"keluhan": 3}}, "completion_working_days", "keluhan"),
        ({"timezone": "Asia/Denpasar"}, "timezone", "Asia/Denpasar"),
        ({"office_days_off": ["17-04-2026"]}, "office_days_off", "17-04-2026"),
        ('{"timezone": "Asia/Jakarta",}', None, "not valid JSON"),
        ("[5]", None, "JSON object"),
    ],
)
def test_a_bad_override_names_key_and_file_and_the_default_stands(
    tmp_path: Path, rules: Rules, content: Any, key: str | None, words: str
) -> None:
    override = write(tmp_path, content)
    office = Rules.load(override=override)
    assert office == rules
    error = office.override_error
    assert isinstance(error, RulesError)
    assert error.code == "invalid_rules"
    assert error.key == key
    assert str(override) in error.message and words in error.message
    if key:
        assert key in error.message


def test_a_missing_override_file_is_reported(tmp_path: Path, rules: Rules) -> None:
    office = Rules.load(override=tmp_path / "absent.json")
    assert office == rules
    assert office.override_error is not None
    assert "absent.json" in office.override_error.message


def test_a_base_file_missing_a_rule_is_refused(tmp_path: Path) -> None:
    data = json.loads(default_rules_file().read_text(encoding="utf-8"))
    del data["completion_working_days"]["aspirasi"]
    base = write(tmp_path, data, "rules.json")
    with pytest.raises(RulesError) as raised:
        Rules.load(base)
    assert raised.value.key == "completion_working_days.aspirasi"
    assert str(base) in raised.value.message


# --- due dates -------------------------------------------------------------


def test_first_followup_is_due_five_working_days_after_assignment(rules: Rules) -> None:
    # Tue 17 March + 5 across Idul Fitri: 25, 26, 27, 30, 31 March.
    assert first_followup_due(wita(3, 17), rules) == date(2026, 3, 31)
    # Assigned at 23:30 WITA on Fri 13 March, which is still Friday in the office
    # though Saturday nowhere: 16, 17, 25, 26, 27.
    assert first_followup_due(wita(3, 13, 23, 30), rules) == date(2026, 3, 27)
    # The same instant given in UTC (15:30Z) is read in office time.
    assert first_followup_due(datetime(2026, 3, 13, 15, 30, tzinfo=UTC), rules) == date(2026, 3, 27)


def test_completion_due_by_type(rules: Rules) -> None:
    assigned = wita(3, 2)  # Mon 2 March
    # +5: 3, 4, 5, 6, 9 March.
    assert completion_due("aspirasi", assigned, rules) == date(2026, 3, 9)
    assert completion_due("permintaan_informasi", assigned, rules) == date(2026, 3, 9)
    # Only a pengaduan can need inspection.
    assert completion_due("aspirasi", assigned, rules, needs_inspection=True) == date(2026, 3, 9)
    # +14: 3-6 (4), 9-13 (9), 16, 17 (11), 25, 26, 27 (14).
    assert completion_due("pengaduan", assigned, rules) == date(2026, 3, 27)
    # +60: March 3-6, 9-13, 16-17, 25-27, 30-31 (16); April 1-2, 6-10, 13-17,
    # 20-24, 27-30 (37; Good Friday 3 off); May 4-8, 11-13, 18-22, 25-26, 29
    # (53; Labour Day 1, Ascension 14 + cuti 15, Idul Adha 27 + cuti 28 off);
    # June 2-5, 8, 9, 10 (60; Pancasila Mon 1 off).
    assert completion_due("pengaduan", assigned, rules, needs_inspection=True) == date(2026, 6, 10)
    with pytest.raises(ValueError, match="keluhan"):
        completion_due("keluhan", assigned, rules)


def test_a_followup_on_the_due_day_is_on_time_until_midnight_office_time(rules: Rules) -> None:
    assigned = wita(3, 17)  # due Tue 31 March
    assert followed_up_on_time(assigned, wita(3, 31, 23, 59), rules)
    assert not followed_up_on_time(assigned, wita(4, 1, 0, 1), rules)
    # 15:30Z is 23:30 WITA on the 31st.
    assert followed_up_on_time(assigned, datetime(2026, 3, 31, 15, 30, tzinfo=UTC), rules)


# --- the deadline a complaint shows ------------------------------------------


@pytest.mark.parametrize(
    ("now", "state", "left"),
    [
        (wita(3, 18), DeadlineState.ON_TIME, 5),  # holidays until the 24th
        (wita(3, 25), DeadlineState.ON_TIME, 4),  # 26, 27, 30, 31 to go
        (wita(3, 27), DeadlineState.DUE_SOON, 2),  # 30, 31
        (wita(3, 28), DeadlineState.DUE_SOON, 2),  # Saturday: still 30, 31
        (wita(3, 30), DeadlineState.DUE_SOON, 1),
        (wita(3, 31, 7, 30), DeadlineState.DUE_TODAY, 0),
        (wita(3, 31, 23, 59), DeadlineState.DUE_TODAY, 0),
        (wita(4, 1, 0, 0), DeadlineState.OVERDUE, -1),
        (wita(4, 3), DeadlineState.OVERDUE, -2),  # Good Friday adds nothing: 1, 2 April
        (wita(4, 6), DeadlineState.OVERDUE, -3),
    ],
)
def test_first_followup_deadline_states(
    rules: Rules, now: datetime, state: DeadlineState, left: int
) -> None:
    deadline = deadline_for(
        status="verified", complaint_type="pengaduan", assigned_at=wita(3, 17), now=now, rules=rules
    )
    assert deadline == Deadline(date(2026, 3, 31), state, left)


def test_overdue_over_a_weekend_is_at_least_one_day_late(rules: Rules) -> None:
    # Fri 6 March + 5 is Fri 13 March; on Saturday 14 no working day has passed.
    deadline = deadline_for(
        status="verified",
        complaint_type="aspirasi",
        assigned_at=wita(3, 6),
        now=wita(3, 14),
        rules=rules,
    )
    assert deadline == Deadline(date(2026, 3, 13), DeadlineState.OVERDUE, -1)


def test_the_state_follows_the_office_clock_not_utc(tmp_path: Path, rules: Rules) -> None:
    # 16:30Z on 31 March is 00:30 on 1 April in Bali but 23:30 on 31 March in Jakarta.
    now = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    assigned = datetime(2026, 3, 17, 2, tzinfo=UTC)
    jakarta = Rules.load(override=write(tmp_path, {"timezone": "Asia/Jakarta"}))
    bali = deadline_for(
        status="verified", complaint_type="pengaduan", assigned_at=assigned, now=now, rules=rules
    )
    java = deadline_for(
        status="verified", complaint_type="pengaduan", assigned_at=assigned, now=now, rules=jakarta
    )
    assert bali.state == DeadlineState.OVERDUE
    assert java.state == DeadlineState.DUE_TODAY


def test_in_progress_runs_the_completion_deadline_by_type(rules: Rules) -> None:
    def deadline(complaint_type: str, now: datetime, inspection: bool = False) -> Deadline:
        return deadline_for(
            status="in_progress",
            complaint_type=complaint_type,
            assigned_at=wita(3, 2),
            now=now,
            rules=rules,
            needs_inspection=inspection,
        )

    # pengaduan due 27 March; on the 26th one working day is left.
    assert deadline("pengaduan", wita(3, 26)) == Deadline(
        date(2026, 3, 27), DeadlineState.DUE_SOON, 1
    )
    # aspirasi was due 9 March: by the 11th two working days late.
    assert deadline("aspirasi", wita(3, 11)) == Deadline(
        date(2026, 3, 9), DeadlineState.OVERDUE, -2
    )
    # Needing inspection, the same pengaduan has until 10 June.
    assert deadline("pengaduan", wita(3, 26), inspection=True).state == DeadlineState.ON_TIME


@pytest.mark.parametrize("status", ["completed", "archived"])
def test_a_closed_complaint_has_no_running_deadline(rules: Rules, status: str) -> None:
    deadline = deadline_for(
        status=status,
        complaint_type="pengaduan",
        assigned_at=wita(3, 2),
        now=wita(9, 1),
        rules=rules,
    )
    assert deadline == Deadline(date(2026, 3, 27), DeadlineState.DONE, 0)


def test_an_unknown_status_or_a_naive_time_is_refused(rules: Rules) -> None:
    with pytest.raises(ValueError, match="ditolak"):
        deadline_for(
            status="ditolak",
            complaint_type="pengaduan",
            assigned_at=wita(3, 2),
            now=wita(3, 3),
            rules=rules,
        )
    with pytest.raises(ValueError, match="naive"):
        deadline_for(
            status="verified",
            complaint_type="pengaduan",
            assigned_at=wita(3, 2),
            now=datetime(2026, 3, 3, 9),
            rules=rules,
        )
