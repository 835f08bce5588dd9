"""The office's figures (Kinerja) computed by the workspace from its own replica."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sync.kpi import Period, PeriodKind
from tests.helpers.replica import T0, complaint, office

ANI = {"id": "u-ani", "name": "Ani", "role": "officer"}


def _response(event_id: str, hours_after_assignment: float) -> dict[str, object]:
    return {
        "id": event_id,
        "at": T0 + timedelta(hours=hours_after_assignment),
        "type": "response",
        "actor": ANI,
        "text": "Tindak lanjut",
    }


@pytest.fixture
def workspace(tmp_path: Path):  # type: ignore[no-untyped-def]
    # All three reached the office on Monday 2 Nov 2026, 09:00 WITA (T0).
    followed_next_day = complaint("LAP-1", events=[_response("e1", 24)], status="in_progress")
    completed = complaint(
        "LAP-2",
        status="completed",
        events=[_response("e2", 2), _response("e3", 72)],
    )
    silent = complaint("LAP-3", category={"id": "kes", "name": "Kesehatan"})
    # Twenty days later every first follow-up deadline (5 working days) has passed.
    ws = office(tmp_path, followed_next_day, completed, silent, clock=lambda: T0 + timedelta(20))
    yield ws
    ws.close()


def test_kpi_records_carry_first_follow_up_and_completion(workspace) -> None:  # type: ignore[no-untyped-def]
    records = {r.complaint_id: r for r in workspace.kpi_records()}
    assert records["LAP-1"].first_followup_at == T0 + timedelta(hours=24)
    assert records["LAP-1"].first_followup_by == "Ani"
    assert records["LAP-1"].completed_at is None
    assert records["LAP-2"].first_followup_at == T0 + timedelta(hours=2)
    assert records["LAP-2"].completed_at == T0 + timedelta(hours=72)
    assert records["LAP-3"].first_followup_at is None


def test_monthly_figures_match_a_hand_count(workspace) -> None:  # type: ignore[no-untyped-def]
    [report] = workspace.kpi_reports([Period.month(2026, 11)])
    overall = report.overall.current
    assert overall.received == 3
    assert overall.followed_up == 2  # LAP-1 and LAP-2
    assert overall.on_time == 2  # both within 5 working days; LAP-3 is overdue
    assert overall.completed == 1
    # 1 working day (Mon 09:00 -> Tue 09:00) and 2 hours = 1/12 day: mean 0.54.
    assert overall.days_to_followup == pytest.approx((1 + 1 / 12) / 2)
    by_officer = {row.key: row.current.followed_up for row in report.by_officer}
    assert by_officer["Ani"] == 2
    by_category = {row.key: row.current.received for row in report.by_category}
    assert by_category == {"Infrastruktur": 2, "Kesehatan": 1}
    # October had nothing: no received complaints to compare against.
    assert report.overall.previous.received == 0


def test_figures_for_several_periods_equal_each_period_alone(workspace) -> None:  # type: ignore[no-untyped-def]
    periods = [Period.month(2026, 11), Period.month(2026, 10), Period(PeriodKind.YEAR, 2026)]
    assert workspace.kpi_reports(periods) == [workspace.kpi_reports([p])[0] for p in periods]
    assert workspace.kpi_reports(periods)[0].overall.current.received == 3
