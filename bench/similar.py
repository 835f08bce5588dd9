#!/usr/bin/env python3
"""Issue 16: the "Pengaduan Serupa" panel's suggestions at the 95th percentile.

What the panel asks when a complaint opens: ``Workspace.similar`` (earlier
complaints like it, with the office's reply and outcome) and
``Workspace.linked`` (reports of the same incident), on an encrypted replica
holding ``--size`` complaints. The floor is the bare FTS5 query those two
start from (the complaint's rarest words, any of them, in its window, bm25's
best 60), run on the same replica in the same run: what the index costs
before any ranking.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.bulk import fill_replica, synthetic_records

TARGET_MS = 50.0
PASSWORD = "ani-rahasia-1"


def office(directory: Path, complaints: int) -> Any:
    """A profile with officer ani cached and logged in offline, the replica filled."""
    from sync import protocol
    from sync.workspace import Workspace

    workspace = Workspace.open(directory, "", secrets=common.memory_secrets(),
                               kdf_n=common.BENCH_KDF)
    user = protocol.User(id="ani", username="ani", full_name="Ani", role="officer",
                         office_id="office-1", active=True)
    workspace.remember_user(user, PASSWORD)
    fill_replica(workspace.database, synthetic_records(complaints), workspace.rules)
    workspace.login("ani", PASSWORD)
    return workspace


def bare_query(workspace: Any, complaint_id: str, counts: Any) -> None:
    """The floor: one of the two FTS5 queries the panel asks, nothing else.

    Its words are counted in ``counts``, warmed as the workspace's own are:
    what is left is the MATCH, its window and bm25's ranking.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from sync import similar
    from sync.store.models import Complaint

    with Session(workspace.database) as session:
        row = session.scalar(select(Complaint).where(Complaint.id == complaint_id))
        window = similar.Window(similar.EARLIEST, row.submitted_at)
        similar.candidates(session, row, similar.query_words(row), window,
                           similar.CANDIDATES, counts)


def main(argv: list[str] | None = None) -> int:
    args = common.parser(__doc__ or "", size=100_000, small=500).parse_args(argv)
    size = common.size_of(args)
    samples = args.repeat or (10 if args.small else 100)
    rng = random.Random(16)
    from sync.similar import WordCounts

    counts = WordCounts()
    with common.workdir(args) as work:
        workspace = office(work / "profile", size)
        try:
            # Complaints opened at random, as an officer's day does; late numbers
            # have the most earlier complaints to rank.
            ids = [f"LAP-2026-{rng.randint(1, size):07d}" for _ in range(samples + 3)]
            for warm in ids[:3]:  # page cache and statement compilation
                workspace.similar(warm)
                workspace.linked(warm)
                bare_query(workspace, warm, counts)
            panel: list[float] = []
            floor: list[float] = []
            for complaint_id in ids[3:]:
                panel.append(common.timed_ms(lambda c=complaint_id: (
                    workspace.similar(c), workspace.linked(c))))
                floor.append(common.timed_ms(
                    lambda c=complaint_id: bare_query(workspace, c, counts)))
        finally:
            workspace.close()
    panel_p95 = common.percentile(panel, 95)
    floor_p95 = common.percentile(floor, 95)
    figures = {
        "panel_p95_ms": panel_p95,
        "panel_p50_ms": common.percentile(panel, 50),
        "floor_fts_p95_ms": floor_p95,
        "floor_fts_p50_ms": common.percentile(floor, 50),
        "panel_p95_x_floor": common.ratio(panel_p95, floor_p95),
    }
    checks = [common.check("panel_p95", panel_p95, TARGET_MS, "ms", floor=floor_p95)]
    common.emit("similar", {"complaints": size, "samples": samples}, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
