#!/usr/bin/env python3
"""Issue #12: the hub's poll of SP4N-LAPOR! with nothing changed, and one delivered follow-up.

A LAPOR! v3 simulator with ``--size`` complaints runs in its own process (a
hub and SP4N-LAPOR! are different machines). The hub polls once to take
everything in, then polls again with nothing changed: requests, bytes and
time per cycle. Floor, in the same run: one bare GET of every page of the
listing, the least a poll can do without a change feed. Then one approved
reply is carried up (its job written as the mutation would write it):
requests, bytes and time, against one bare POST of the same follow-up.
"""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datetime import UTC, datetime

from sqlalchemy import select

from bench import common
from server.complaints import add_events, new_event
from server.config import Settings
from server.db import Complaint, Database
from server.seed import seed
from server.uploads import Uploads
from server.upstream.lapor_v3 import LaporV3
from server.upstream.outbox import UpstreamOutbox
from server.upstream.poller import Poller
from server.upstream.profile import Credentials, Profile, load_profile
from server.upstream.pusher import Pusher
from server.upstream.simulator import DEFAULT_AUTHORIZATION, DEFAULT_TOKEN
from server.upstream.tables import UpstreamComplaint

PAGE_SIZE = 100
MAX_TIME_X_FLOOR = 1.5  # a nothing-changed poll within 1.5x of fetching the pages bare
POST_TEXT = "Terima kasih atas laporannya. Petugas kami akan memeriksa lokasi pekan ini."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _simulator(size: int) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "upstream", "simulate", "--port", str(port),
         "--complaints", str(size)],
        stdout=subprocess.PIPE, text=True, cwd=common.ROOT,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    if "simulator:" not in first:
        raise RuntimeError("the simulator did not start")
    return child, first.split("simulator:", 1)[1].strip()


def _profile(work: Path, url: str) -> Profile:
    path = work / "bench-upstream.toml"
    path.write_text(
        f'extends = "lapor-v3"\n[upstream]\nbase_url = "{url}"\n'
        f"[poll]\npage_size = {PAGE_SIZE}\n"
        '[offices]\n"kantor-demo" = 101\n"kantor-lain" = 102\n[users]\ndefault = 9001\n',
        encoding="utf-8",
    )
    return load_profile(path)


def _bare_pages(url: str, headers: dict[str, str], pages: int, repeat: int) -> list[float]:
    import requests

    with requests.Session() as http:
        def fetch_all() -> None:
            for page in range(1, pages + 1):
                http.get(f"{url}/complaints", params={"page": page, "page_size": PAGE_SIZE},
                         headers=headers, timeout=30).raise_for_status()
        return common.samples_ms(fetch_all, repeat, warmup=1)


def _bare_post(url: str, headers: dict[str, str], upstream_id: int) -> float:
    import requests

    form = {"user_id": "9001", "institution_from_id": "101", "institution_to_id": "101",
            "complaint_id": str(upstream_id), "content": POST_TEXT + " (floor)"}
    with requests.Session() as http:
        return common.timed_ms(lambda: http.post(f"{url}/complaints/followup/add", data=form,
                                                 headers=headers, timeout=90).raise_for_status())


def main(argv: list[str] | None = None) -> int:
    args = common.parser(__doc__ or "", size=10_000, small=150).parse_args(argv)
    size = common.size_of(args)
    repeat = args.repeat or (2 if args.small else 5)
    headers = {"Authorization": DEFAULT_AUTHORIZATION, "token": DEFAULT_TOKEN}
    child, url = _simulator(size)
    try:
        with common.workdir(args) as work:
            database = Database(f"sqlite:///{work / 'hub.db'}")
            database.create_all()
            seed(database, offices=2, complaints=0)
            profile = _profile(work, url)
            connector = LaporV3(profile, Credentials(DEFAULT_AUTHORIZATION, DEFAULT_TOKEN))
            poller = Poller(database, connector, profile)
            start = time.perf_counter()
            first = poller.poll()
            initial_s = time.perf_counter() - start
            cycles = []
            for _ in range(repeat):
                requests0, bytes0 = connector.requests_made, connector.bytes_received
                start = time.perf_counter()
                report = poller.poll()
                cycles.append({
                    "ms": (time.perf_counter() - start) * 1000,
                    "requests": connector.requests_made - requests0,
                    "bytes": connector.bytes_received - bytes0,
                    "read": report.read,
                })
            pages = math.ceil(first.listed / PAGE_SIZE) if first.listed else 1
            floor_ms = common.percentile(_bare_pages(url, headers, pages, repeat), 50)
            delivered = _one_delivery(database, connector, profile)
            post_floor_ms = _bare_post(url, headers, delivered["upstream_id"])
            database.dispose()
    finally:
        child.terminate()
        child.wait(timeout=30)
    poll_ms = common.percentile([c["ms"] for c in cycles], 50)
    requests_max = max(c["requests"] for c in cycles)
    figures = {
        "listed": first.listed,
        "created": first.created,
        "initial_poll_s": initial_s,
        "unchanged_poll_ms_p50": poll_ms,
        "unchanged_poll_requests": requests_max,
        "unchanged_poll_bytes": max(c["bytes"] for c in cycles),
        "unchanged_poll_read_in_full": max(c["read"] for c in cycles),
        "listing_pages": pages,
        "bare_pages_ms_p50": floor_ms,
        "poll_x_floor": common.ratio(poll_ms, floor_ms),
        "delivery_ms": delivered["ms"],
        "delivery_requests": delivered["requests"],
        "delivery_bytes_received": delivered["bytes"],
        "bare_post_ms": post_floor_ms,
        "delivery_x_bare_post": common.ratio(delivered["ms"], post_floor_ms),
    }
    checks = [
        common.check("unchanged_poll_requests", requests_max, pages, ""),
        common.check("unchanged_poll_ms_p50", poll_ms, floor_ms * MAX_TIME_X_FLOOR, "ms",
                     floor=floor_ms),
        # Without a reference marker: the baseline read of the follow-ups, then the post.
        common.check("delivery_requests", delivered["requests"], 2, ""),
    ]
    common.emit("upstream_poll", {"complaints": size, "page_size": PAGE_SIZE, "polls": repeat},
                figures, checks)
    return 0


def _one_delivery(database: Database, connector: LaporV3, profile: Profile) -> dict[str, Any]:
    """One approved reply carried up: its job as the mutation writes it, then one push."""
    outbox = UpstreamOutbox(profile)
    now = datetime.now(UTC)
    with database.writing() as session:
        seen = session.scalars(
            select(UpstreamComplaint).join(
                Complaint, Complaint.id == UpstreamComplaint.complaint_id
            ).where(Complaint.status == "verified").limit(1)
        ).one()
        row = session.get(Complaint, seen.complaint_id)
        assert row is not None
        event = new_event("response", now, None, POST_TEXT)
        owed = outbox.owe(session, action_type="respond", payload={"text": POST_TEXT},
                          row=row, event=event, mutation_id="bench-mutation", review_id=None,
                          user_ids=[], now=now)
        add_events(row, [event, *owed], now, "in_progress")
        upstream_id = seen.upstream_id
    pusher = Pusher(database, connector, profile, outbox, Uploads(database, Settings()))
    requests0, bytes0 = connector.requests_made, connector.bytes_received
    start = time.perf_counter()
    report = pusher.run_due()
    took = (time.perf_counter() - start) * 1000
    assert len(report.delivered) == 1
    return {"ms": took, "requests": connector.requests_made - requests0,
            "bytes": connector.bytes_received - bytes0, "upstream_id": upstream_id}


if __name__ == "__main__":
    sys.exit(main())
