"""How a sync cycle's tally ends as its report."""

from __future__ import annotations

import dataclasses

import pytest

from sync.cycle.context import Tally
from sync.errors import ErrorCode
from sync.values import SyncOutcome


def test_the_report_counts_the_records_set_aside_and_says_when_it_ended() -> None:
    tally = Tally()
    started = tally.so_far.started_at
    tally.so_far = dataclasses.replace(tally.so_far, pushed=1, outcome=SyncOutcome.OFFLINE,
                                       error_code=ErrorCode.OFFLINE)
    tally.quarantined |= {("complaint", "LAP-1"), ("review", "rev-1")}
    tally.quarantined.add(("complaint", "LAP-1"))  # set aside twice: one record
    tally.note("a")
    tally.note("b")
    report = tally.report(online=False)
    assert report.quarantined == 2
    assert (report.pushed, report.notes, report.error_code) == (1, ("a", "b"), "offline")
    assert report.started_at == started and report.finished_at >= started
    assert not report.online and not report.ok and report.outcome == SyncOutcome.OFFLINE


def test_the_report_is_a_value_the_tally_cannot_change_afterwards() -> None:
    tally = Tally()
    tally.note("first")
    report = tally.report(online=True)
    tally.note("later")
    tally.quarantined.add(("complaint", "LAP-1"))
    assert (report.notes, report.quarantined) == (("first",), 0)
    assert report.ok and report.online
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.pushed = 5  # type: ignore[misc]
