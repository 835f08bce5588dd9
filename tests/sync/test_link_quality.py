"""Suggested incident links on the labelled set (tests/data/incident_pairs.json)."""

from __future__ import annotations

from bench import link_quality


def test_the_threshold_shipped_meets_the_goal_on_the_half_it_was_tuned_on() -> None:
    figures = link_quality.measure()
    assert figures["pairs"] >= 200
    assert figures["tune_precision"] >= link_quality.GOAL_PRECISION
    assert figures["tune_recall"] >= link_quality.GOAL_RECALL
    # The held-out half is reported, not asserted: it misses the precision goal
    # today (docs/PERFORMANCE.md, issue 16); recall must not fall below the goal.
    assert figures["held_out_recall"] >= link_quality.GOAL_RECALL
