#!/usr/bin/env python3
"""Issue #7, bench 1: the initial sync of a seeded office into an empty profile.

The reference server on loopback holds ``--size`` complaints (about 1.5 KB
of body and 5 events each); a fresh profile logs in online and syncs once
through the fault proxy in pass-through, which counts the bytes each way.

The floor, in the same process: fetch the same change pages as gzip bytes,
then time only decoding them (gunzip + json) and ``executemany``-inserting
their rows into a fresh replica of the same schema (SQLCipher, WAL,
synchronous=FULL, the search index built once per page as the sync builds
it), one transaction per page as the sync commits them.

Bytes are held against the gzip size of the records' JSON (all complaint
records of the office in one document); attachment files are subtracted
from the wire count, since they are not records.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common

TIME_X_FLOOR = 3.0
BYTES_X_GZIP = 1.15


def fetch_pages(api_url: str, username: str, page_limit: int) -> list[bytes]:
    """The office feed from no cursor, each page's gzip body as it came off the wire."""
    import requests

    from server.seed import DEMO_OFFICE, demo_password

    with requests.Session() as http:
        token = http.post(f"{api_url}/auth/token", json={
            "username": username, "password": demo_password(username),
            "device_id": "bench-floor", "device_name": "bench"}).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        pages, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": page_limit}
            if cursor is not None:
                params["cursor"] = cursor
            reply = http.get(f"{api_url}/offices/{DEMO_OFFICE}/changes", params=params,
                             headers={"Accept-Encoding": "gzip"}, stream=True)
            reply.raise_for_status()
            raw = reply.raw.read(decode_content=False)
            if reply.headers.get("Content-Encoding") != "gzip":
                raw = gzip.compress(raw, compresslevel=6)
            pages.append(raw)
            page = json.loads(gzip.decompress(raw))
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return pages


def floor_seconds(directory: Path, pages: list[bytes]) -> float:
    """Decode every page and insert its complaint rows: the least an initial sync can cost."""
    from bench.bulk import insert_records, raw_connection
    from sync.store.database import open_engine
    from sync.store.migrate import upgrade

    engine = open_engine(directory / "floor.db", os.urandom(32))
    upgrade(engine)
    conn = raw_connection(engine)
    try:
        start = time.perf_counter()
        for raw in pages:
            page = json.loads(gzip.decompress(raw))
            records = [item["data"] for item in page["items"]
                       if item["kind"] == "complaint" and item["op"] == "upsert"]
            insert_records(conn, records)
        return time.perf_counter() - start
    finally:
        conn.close()
        engine.dispose()


def attachment_bytes(workspace: Any) -> int:
    from sqlalchemy import func, select

    from sync.store.database import read_session
    from sync.store.models import Attachment

    with read_session(workspace.database) as session:
        # Files are stored once per content: the wire carried each distinct one once.
        sizes = session.execute(select(Attachment.sha256, func.max(Attachment.size))
                                .where(Attachment.download_state == "done")
                                .group_by(Attachment.sha256)).all()
    return sum(size for _sha, size in sizes)


def measure(work: Path, size: int) -> dict[str, Any]:
    """One initial sync and its floor; the figures both bench 1 and bench 4 report."""
    from sync.cycle.pull import PAGE_LIMIT
    from tests.faults.proxy import FaultProxy

    with common.seeded_server(size) as server, \
            FaultProxy("127.0.0.1", server.port) as proxy:
        records = common.office_records(server)
        workspace = common.online_profile(work / "profile", proxy.url)
        try:
            proxy.reset_counters()
            start = time.perf_counter()
            report = common.sync_ok(workspace)
            sync_s = time.perf_counter() - start
            wire = proxy.bytes_up + proxy.bytes_down
            requests_made = proxy.requests_forwarded
            files = attachment_bytes(workspace)
            search_ms = common.percentile(common.samples_ms(
                lambda: workspace.complaints(search="jalan rusak", limit=50), 7), 50)
        finally:
            workspace.close()
        pages = fetch_pages(server.api_url, common.OFFICER, PAGE_LIMIT)
    floor_s = floor_seconds(work, pages)
    return {
        "complaints": len(records),
        "pulled": report.pulled,
        "sync_s": sync_s,
        "floor_s": floor_s,
        "sync_x_floor": common.ratio(sync_s, floor_s),
        "complaints_per_s": len(records) / sync_s,
        "floor_complaints_per_s": len(records) / floor_s,
        "ms_per_complaint": sync_s * 1000 / max(1, len(records)),
        "wire_bytes": wire,
        "attachment_bytes": files,
        "requests": requests_made,
        "records_gzip_bytes": common.gzip_size(records),
        "records_json_bytes": len(json.dumps(records, separators=(",", ":")).encode()),
        "pages_gzip_bytes": sum(len(p) for p in pages),
        "wire_x_records_gzip": common.ratio(wire - files, common.gzip_size(records)),
        "search_ms": search_ms,
    }


def main(argv: list[str] | None = None) -> int:
    args = common.parser(__doc__ or "", size=20_000, small=100).parse_args(argv)
    size = common.size_of(args)
    with common.workdir(args) as work:
        figures = measure(work, size)
    checks = [
        common.check("sync_x_floor", figures["sync_x_floor"], TIME_X_FLOOR, "x",
                     raw=figures["sync_s"], floor=figures["floor_s"]),
        common.check("wire_x_records_gzip", figures["wire_x_records_gzip"], BYTES_X_GZIP, "x",
                     raw=figures["wire_bytes"] - figures["attachment_bytes"],
                     floor=figures["records_gzip_bytes"]),
    ]
    common.emit("sync_initial", {"complaints": size}, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
