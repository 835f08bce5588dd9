#!/usr/bin/env python3
"""Issue #7, bench 4: growth. Initial sync and search at several office sizes.

At each size (default 1,000, 10,000 and 100,000 complaints) bench 1's
measurement runs afresh: a seeded server, an initial sync into an empty
profile, its decode+insert floor, then a ranked search on the synced
replica. The figure: time per complaint at the largest size over that at
the smallest, at most 1.5 (flat). The floor's own growth is given beside
it, so a slope that SQLite itself has is told apart from one we added.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.sync_initial import measure

MAX_GROWTH = 1.5


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__ or "", size=100_000, small=60)
    p.add_argument("--sizes", default=None, help="comma-separated sizes (1000,10000,100000)")
    args = p.parse_args(argv)
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    elif args.small:
        sizes = [20, args.small_size]
    else:
        sizes = sorted({1000, 10_000, args.size})
    runs: list[dict[str, Any]] = []
    for size in sizes:
        with common.workdir(args) as work:
            run = measure(work / f"n{size}", size)
        runs.append(run)
        print(f"growth: {size} complaints, {run['ms_per_complaint']:.2f} ms each "
              f"({run['sync_x_floor']:.2f}x floor)", file=sys.stderr)
    first, last = runs[0], runs[-1]
    sync_growth = common.ratio(last["ms_per_complaint"], first["ms_per_complaint"])
    floor_growth = common.ratio(last["floor_s"] / last["complaints"],
                                first["floor_s"] / first["complaints"])
    search_growth = common.ratio(last["search_ms"] / last["complaints"],
                                 first["search_ms"] / first["complaints"])
    figures: dict[str, Any] = {}
    for run in runs:
        n = run["complaints"]
        figures[f"sync_ms_per_complaint_{n}"] = run["ms_per_complaint"]
        figures[f"floor_ms_per_complaint_{n}"] = run["floor_s"] * 1000 / n
        figures[f"sync_x_floor_{n}"] = run["sync_x_floor"]
        figures[f"search_ms_{n}"] = run["search_ms"]
    figures.update(sync_growth=sync_growth, floor_growth=floor_growth,
                   search_per_complaint_growth=search_growth)
    checks = [
        common.check("sync_per_complaint_growth", sync_growth, MAX_GROWTH, "x",
                     raw=last["ms_per_complaint"], floor=first["ms_per_complaint"]),
        common.check("search_per_complaint_growth", search_growth, MAX_GROWTH, "x",
                     raw=last["search_ms"], floor=first["search_ms"]),
    ]
    common.emit("growth", {"sizes": [r["complaints"] for r in runs]}, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
