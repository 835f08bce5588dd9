#!/usr/bin/env python3
"""Issue 16: how well ``sync.incidents.pair_score`` tells one incident's reports apart.

On tests/data/incident_pairs.json (hand-written reports, pairs labelled same
incident or not; tests/data/README.md), the incidents are split in two halves
by a fixed hash of their name: the threshold is chosen on the tuning half
(the lowest that keeps precision >= 0.9 there) and precision and recall are
reported on both halves and on the whole set. The figure that counts is the
held-out half's. Goal: precision >= 0.9 at recall >= 0.7.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common

DATA = common.ROOT / "tests" / "data" / "incident_pairs.json"
GOAL_PRECISION, GOAL_RECALL = 0.9, 0.7
DAY0 = datetime(2026, 1, 1, tzinfo=UTC)


def half(incident: str) -> str:
    return "tune" if hashlib.sha256(incident.encode()).digest()[0] % 2 == 0 else "held_out"


def scored(data: dict[str, Any]) -> list[tuple[float, int, str]]:
    """(score, label, half) for each pair; a pair belongs to its first report's half."""
    from sync.incidents import ReportText, pair_score

    reports = {r["id"]: r for r in data["reports"]}

    def text(r: dict[str, Any]) -> ReportText:
        return ReportText(r["title"], r["body"], r["category"], r["district"], r["address"],
                          DAY0 + timedelta(days=r["day"]))

    return [(pair_score(text(reports[p["a"]]), text(reports[p["b"]])), p["same"],
             half(reports[p["a"]]["incident"])) for p in data["pairs"]]


def precision_recall(rows: list[tuple[float, int, str]], threshold: float) -> tuple[float, float]:
    tp = sum(1 for s, y, _ in rows if s >= threshold and y)
    fp = sum(1 for s, y, _ in rows if s >= threshold and not y)
    fn = sum(1 for s, y, _ in rows if s < threshold and y)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def tuned_threshold(rows: list[tuple[float, int, str]]) -> float:
    """The lowest threshold (most recall) whose precision on ``rows`` is at least the goal."""
    for threshold in sorted({round(s, 4) for s, _, _ in rows}):
        if precision_recall(rows, threshold)[0] >= GOAL_PRECISION:
            return threshold
    return 1.0


def margin_threshold(rows: list[tuple[float, int, str]]) -> float:
    """``tuned_threshold`` moved up to the middle of the gap above it (same recall on ``rows``).

    The lowest threshold that meets the goal sits on the highest negatives it
    lets through, so a new negative scoring a little higher passes; half way
    to the next positive leaves both sides the same margin.
    """
    low = tuned_threshold(rows)
    kept = [s for s, y, _ in rows if y and s >= low]
    if not kept:
        return low
    positive = min(kept)
    negative = max((s for s, y, _ in rows if not y and s < positive), default=low)
    return round((max(negative, low) + positive) / 2, 4)


def measure(path: Path = DATA) -> dict[str, Any]:
    from sync.incidents import THRESHOLD

    rows = scored(json.loads(path.read_text(encoding="utf-8")))
    parts = {"tune": [r for r in rows if r[2] == "tune"],
             "held_out": [r for r in rows if r[2] == "held_out"], "all": rows}
    figures: dict[str, Any] = {"pairs": len(rows), "same": sum(r[1] for r in rows),
                               "threshold_shipped": THRESHOLD,
                               "threshold_tuned": tuned_threshold(parts["tune"]),
                               "threshold_margin": margin_threshold(parts["tune"])}
    for name, part in parts.items():
        p, r = precision_recall(part, THRESHOLD)
        figures[f"{name}_pairs"] = len(part)
        figures[f"{name}_precision"], figures[f"{name}_recall"] = round(p, 4), round(r, 4)
    return figures


def main() -> int:
    args = common.parser(__doc__ or "", size=0, small=0).parse_args()
    del args
    figures = measure()
    checks = [
        common.check("held_out_precision_short", GOAL_PRECISION - figures["held_out_precision"],
                     0.0, ""),
        common.check("held_out_recall_short", GOAL_RECALL - figures["held_out_recall"], 0.0, ""),
    ]
    common.emit("link_quality", {"data": str(DATA.relative_to(common.ROOT))}, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
