"""What a sync cycle counts reaches its report, every counter under its own name."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from sync.cycle.context import Tally
from sync.errors import ErrorCode
from sync.values import SyncOutcome, SyncReport

STARTED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_the_tally_keeps_exactly_the_reports_counters() -> None:
    """A counter added to one and not the other would be lost (or never counted)."""
    report_fields = {f.name for f in dataclasses.fields(SyncReport)}
    tally_fields = {f.name for f in dataclasses.fields(Tally)}
    assert tally_fields == report_fields - {"started_at", "finished_at", "online"}


def test_every_count_reaches_the_report() -> None:
    tally = Tally(
        pushed=1, applied=2, duplicates=3, conflicts=4, rejected=5, pulled=6, removed=7,
        quarantined={("complaint", "LAP-1"), ("review", "rev-1")}, digest_ok=False,
        full_resync=True, error_code=ErrorCode.OFFLINE, error_message="no route", notes=["a", "b"],
        outcome=SyncOutcome.OFFLINE,
    )
    report = tally.report(STARTED, online=False)
    assert (report.pushed, report.applied, report.duplicates, report.conflicts,
            report.rejected, report.pulled, report.removed) == (1, 2, 3, 4, 5, 6, 7)
    assert report.quarantined == 2
    assert (report.digest_ok, report.full_resync) == (False, True)
    assert (report.error_code, report.error_message) == ("offline", "no route")
    assert report.notes == ("a", "b")
    assert report.started_at == STARTED and report.finished_at >= STARTED
    assert not report.online and not report.ok and report.outcome == SyncOutcome.OFFLINE


def test_the_report_is_a_value_the_tally_cannot_change_afterwards() -> None:
    tally = Tally(notes=["first"])
    report = tally.report(STARTED, online=True)
    tally.pushed += 1
    tally.notes.append("later")
    assert (report.pushed, report.notes) == (0, ("first",))
    assert report.ok
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.pushed = 5  # type: ignore[misc]
