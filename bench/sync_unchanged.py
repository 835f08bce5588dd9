#!/usr/bin/env python3
"""Issue #7, bench 2: a sync when nothing changed on either side.

After an initial sync of ``--size`` complaints, further syncs run through
the fault proxy (pass-through) with nothing to push or pull. Counted per
sync: requests, bytes both ways, wall time. Baseline: one authenticated
``GET /health`` round trip through the same proxy, in the same run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common

MAX_REQUESTS = 2
MAX_BYTES = 2048
MAX_MS = 100.0


def round_trip_ms(url: str, count: int) -> list[float]:
    import requests

    with requests.Session() as http:
        return common.samples_ms(lambda: http.get(f"{url}/api/v1/health").raise_for_status(),
                                 count)


def main(argv: list[str] | None = None) -> int:
    from tests.faults.proxy import FaultProxy

    args = common.parser(__doc__ or "", size=20_000, small=50).parse_args(argv)
    size = common.size_of(args)
    repeat = args.repeat or (1 if args.small else 10)
    per_sync: list[dict[str, Any]] = []
    with common.workdir(args) as work, common.seeded_server(size) as server, \
            FaultProxy("127.0.0.1", server.port) as proxy:
        workspace = common.online_profile(work / "profile", proxy.url)
        try:
            common.sync_ok(workspace)
            for _ in range(repeat):
                proxy.reset_counters()
                start = time.perf_counter()
                report = common.sync_ok(workspace)
                per_sync.append({
                    "ms": (time.perf_counter() - start) * 1000,
                    "requests": proxy.requests_forwarded,
                    "bytes": proxy.bytes_up + proxy.bytes_down,
                    "pulled": report.pulled,
                })
        finally:
            workspace.close()
        rtt = round_trip_ms(proxy.url, repeat * 2)
    rtt_p50 = common.percentile(rtt, 50)
    ms_p50 = common.percentile([s["ms"] for s in per_sync], 50)
    requests_max = max(s["requests"] for s in per_sync)
    bytes_max = max(s["bytes"] for s in per_sync)
    figures = {
        "sync_ms_p50": ms_p50,
        "sync_ms_max": max(s["ms"] for s in per_sync),
        "requests_max": requests_max,
        "bytes_max": bytes_max,
        "bytes_up_and_down_last": per_sync[-1]["bytes"],
        "pulled_max": max(s["pulled"] for s in per_sync),
        "health_round_trip_ms_p50": rtt_p50,
        "sync_x_round_trip": common.ratio(ms_p50, rtt_p50),
    }
    checks = [
        common.check("requests", requests_max, MAX_REQUESTS, ""),
        common.check("bytes", bytes_max, MAX_BYTES, "B"),
        common.check("sync_ms_p50", ms_p50, MAX_MS, "ms", floor=rtt_p50),
    ]
    common.emit("sync_unchanged", {"complaints": size, "syncs": repeat}, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
