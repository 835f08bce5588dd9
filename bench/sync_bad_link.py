#!/usr/bin/env python3
"""Issue #7, bench 3: an initial sync over a bad link resumes, it never restarts.

The reference server holds ``--size`` complaints and ``--files`` attachments of
``--file-kb`` KiB each (incompressible). One fresh profile syncs through the
fault proxy in pass-through (the clean link: the baseline); another through
the same kind of proxy at ``--rate`` bytes/s, ``--latency`` seconds on every
forwarded piece, and a cut of every connection after ``--cut-kb`` KiB down.
Syncs are repeated (as the app's schedule would) until one ends well or
``--cycles`` ran. The figure: bytes both ways on the bad link over the clean
link's, at most 1.10.

The issue's link (128 kbit/s, 300 ms, a cut every 256 KB, 2,000 complaints,
20 files of 500 KB) moves about 11 MB at 16 KB/s: some 12 minutes. ``--small``
keeps the shape at a size CI can afford.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common

BYTES_X_CLEAN = 1.10


def sync_until_done(workspace: Any, cycles: int, budget_s: float) -> dict[str, Any]:
    start = time.perf_counter()
    reports = []
    for _ in range(cycles):
        report = workspace.sync()
        reports.append(report)
        if report.ok or time.perf_counter() - start > budget_s:
            break
    return {
        "seconds": time.perf_counter() - start,
        "cycles": len(reports),
        "ok": reports[-1].ok,
        "pulled": sum(r.pulled for r in reports),
        "errors": sorted({r.error_code for r in reports if r.error_code}),
    }


def files_done(workspace: Any) -> int:
    from sqlalchemy import func, select

    from sync.store.database import read_session
    from sync.store.models import Attachment

    with read_session(workspace.database) as session:
        return int(session.scalar(select(func.count()).select_from(Attachment)
                                  .where(Attachment.download_state == "done")) or 0)


def settle_counters(proxy: Any, quiet_s: float = 0.5, limit_s: float = 10.0) -> None:
    """Wait until the proxy's byte counters stop moving.

    A throttled link counts a forwarded piece after its paced send, pause
    included: read at once, the counters missed up to one piece (64 KB).
    """
    deadline = time.monotonic() + limit_s
    last = -1
    while time.monotonic() < deadline:
        now = proxy.bytes_up + proxy.bytes_down
        if now == last:
            return
        last = now
        time.sleep(quiet_s)


def one_link(work: Path, server: Any, name: str, bad: dict[str, Any] | None,
             cycles: int, budget_s: float) -> dict[str, Any]:
    from tests.faults.proxy import FaultProxy

    with FaultProxy("127.0.0.1", server.port) as proxy:
        workspace = common.online_profile(work / name, proxy.url)
        try:
            proxy.reset_counters()
            if bad is not None:
                proxy.throttle(bad["rate"])
                proxy.set_latency(bad["latency"])
                proxy.cut_after(bad["cut"], "down", every=True)
            outcome = sync_until_done(workspace, cycles, budget_s)
            settle_counters(proxy)
            proxy.pass_through()
            outcome.update(bytes=proxy.bytes_up + proxy.bytes_down,
                           connections=proxy.connections,
                           requests=proxy.requests_forwarded, files_done=files_done(workspace),
                           complaints=workspace.count_complaints())
        finally:
            workspace.close()
    return outcome


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__ or "", size=2000, small=80)
    p.add_argument("--files", type=int, default=None, help="attachments (20; small: 3)")
    p.add_argument("--file-kb", type=int, default=None, help="KiB each (500; small: 100)")
    p.add_argument("--rate", type=int, default=None, help="bytes/s (16000; small: 400000)")
    p.add_argument("--latency", type=float, default=None, help="s per piece (0.3; small: 0.02)")
    p.add_argument("--cut-kb", type=int, default=None, help="cut every (256; small: 64)")
    p.add_argument("--cycles", type=int, default=None, help="syncs at most on the bad link")
    p.add_argument("--page-limit", type=int, default=None,
                   help="override sync.cycle.pull.PAGE_LIMIT (to try a page size)")
    p.add_argument("--budget", type=float, default=3600.0, help="seconds at most on the bad link")
    args = p.parse_args(argv)
    small = args.small
    if args.page_limit:
        import sync.cycle.pull

        sync.cycle.pull.PAGE_LIMIT = args.page_limit
    cycles = args.cycles or (1 if small else 8)
    size = common.size_of(args)
    files = args.files if args.files is not None else (2 if small else 20)
    file_kb = args.file_kb or (64 if small else 500)
    bad = {
        "rate": args.rate or (400_000 if small else 16_000),
        "latency": args.latency if args.latency is not None else (0.02 if small else 0.3),
        "cut": (args.cut_kb or (64 if small else 256)) * 1024,
    }
    with common.workdir(args) as work, common.seeded_server(size) as server:
        common.attach_files(server, files, file_kb * 1024)
        clean = one_link(work, server, "clean", None, 2, 600)
        rough = one_link(work, server, "bad", bad, cycles, args.budget)
    figures: dict[str, Any] = {f"clean_{k}": v for k, v in clean.items()}
    figures.update({f"bad_{k}": v for k, v in rough.items()})
    figures["bytes_x_clean"] = common.ratio(rough["bytes"], clean["bytes"])
    figures["link_bytes_per_s"] = bad["rate"]
    figures["ideal_bad_seconds"] = clean["bytes"] / bad["rate"]
    figures["bad_x_ideal_seconds"] = common.ratio(rough["seconds"], figures["ideal_bad_seconds"])
    checks = [
        common.check("bytes_x_clean", figures["bytes_x_clean"], BYTES_X_CLEAN, "x",
                     raw=rough["bytes"], floor=clean["bytes"]),
        common.check("bad_link_finished", 0.0 if rough["ok"] else 1.0, 0.0, ""),
    ]
    from sync.cycle.pull import PAGE_LIMIT

    params = {"complaints": size, "files": files, "file_kb": file_kb, **bad,
              "page_limit": PAGE_LIMIT}
    common.emit("sync_bad_link", params, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
