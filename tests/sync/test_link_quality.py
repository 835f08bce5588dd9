"""Suggested incident links on the labelled set (tests/data/incident_pairs.json)."""

from __future__ import annotations

from bench import link_quality


def test_the_threshold_shipped_meets_the_goal_on_the_half_it_was_tuned_on() -> None:
    figures = link_quality.measure()
    assert figures["pairs"] >= 200
    assert figures["tune_precision"] >= link_quality.GOAL_PRECISION
    assert figures["tune_recall"] >= link_quality.GOAL_RECALL
    # The shipped threshold is the tuning half's choice, re-made when the score
    # or the set changes (docs/PERFORMANCE.md, issue 16).
    assert abs(figures["threshold_shipped"] - figures["threshold_margin"]) < 0.01
    # The held-out half is reported, not tuned on: only its recall is asserted,
    # so that a change cannot buy precision by finding nothing.
    assert figures["held_out_recall"] >= link_quality.GOAL_RECALL
