#!/usr/bin/env python3
"""Many offices syncing at once against ``lapor-server run`` (issue 14 item 15).

    bench/server_load.py --db postgresql://.../lapor_bench --clients 200 --workers 4
    bench/server_load.py --small          # CI: 8 clients on SQLite for a few seconds

The server runs as an operator runs it (``lapor-server run --workers N``, a
process of its own, rate limits on); this process seeds the database, then
plays N clients on one asyncio loop (httpx), each an office PC on its own
loopback address (one address per office, as behind an office's NAT): log in,
pull the whole office once, then until the time is up push one to three
notes, pull from its cursor and ask the digest, and wait a think time. A push
that meets a 429, a 5xx or a broken connection is sent again byte for byte
(the same mutation ids), as the client does; one push in ten is repeated
whole on purpose. Afterwards the database is asked how often each note
landed: every acknowledged mutation exactly once, none twice.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import check, emit, percentile

API = "/api/v1"
NOTE = "bench-load "  # each note's text: this and its mutation id


@dataclass
class Tally:
    """What every client saw; latencies in milliseconds by kind of request."""

    latency: dict[str, list[float]] = field(
        default_factory=lambda: {"pull": [], "push": [], "digest": [], "login": []}
    )
    statuses: Counter[str] = field(default_factory=Counter)
    acknowledged: dict[str, str] = field(default_factory=dict)  # mutation id -> last status
    resent: int = 0
    unanswered: int = 0  # pushes given up on (never acknowledged)


@dataclass(frozen=True)
class Office:
    office_id: str
    username: str
    password: str
    address: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(url: str, offices: int, complaints: int) -> list[Office]:
    """A fresh schema with ``offices`` seeded offices; their officers and addresses."""
    from server.db import Database
    from server.seed import seed

    db = Database(url)
    db.drop_all()
    db.create_all()
    report = seed(db, offices=offices, complaints=complaints)
    db.dispose()
    officers = [u for u in report.users if u.role == "officer"]
    first = {u.office_id: u for u in reversed(officers)}
    return [
        Office(o, first[o].username, first[o].password, f"127.1.{n // 250}.{n % 250 + 1}")
        for n, o in enumerate(report.offices)
    ]


class Server:
    """``lapor-server run`` in a child process, on a free loopback port."""

    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.port = _free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "run", "--db", url, "--port", str(self.port),
             "--workers", str(workers)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout_s: float = 60) -> None:
        import httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: see {self.log.name}")
            try:
                if httpx.get(self.base + API + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Client:
    """One office PC: its own connection, token, cursor and complaints."""

    def __init__(self, number: int, office: Office, base: str, tally: Tally,
                 rng: random.Random) -> None:
        import httpx

        self.number, self.office, self.tally, self.rng = number, office, tally, rng
        transport = httpx.AsyncHTTPTransport(local_address=office.address, retries=0)
        self.http = httpx.AsyncClient(base_url=base + API, transport=transport, timeout=60)
        self.headers: dict[str, str] = {}
        self.cursor: str | None = None
        self.versions: dict[str, int] = {}

    async def _send(self, kind: str, method: str, path: str, **kwargs: Any) -> Any:
        """One request, timed; sent again after a 429, a 5xx or a broken connection."""
        import httpx

        for attempt in range(8):
            started = time.perf_counter()
            try:
                response = await self.http.request(method, path, headers=self.headers, **kwargs)
            except httpx.HTTPError:
                self.tally.statuses[f"{kind}:error"] += 1
                await asyncio.sleep(min(5.0, 0.2 * 2**attempt) * self.rng.random())
                continue
            self.tally.latency[kind].append((time.perf_counter() - started) * 1000)
            self.tally.statuses[f"{kind}:{response.status_code}"] += 1
            if response.status_code == 429 or response.status_code >= 500:
                wait = float(response.headers.get("Retry-After", "1"))
                await asyncio.sleep(min(wait, 5.0) * (0.5 + self.rng.random()))
                if kind == "push":
                    self.tally.resent += 1
                continue
            return response
        return None

    async def login(self) -> None:
        response = await self._send("login", "POST", "/auth/token", json={
            "username": self.office.username, "password": self.office.password,
            "device_id": f"bench-pc-{self.number}", "device_name": "bench"})
        if response is None or response.status_code != 200:
            raise RuntimeError(f"client {self.number} could not log in: {response}")
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def pull(self) -> None:
        while True:
            params: dict[str, Any] = {"limit": 100}
            if self.cursor:
                params["cursor"] = self.cursor
            response = await self._send(
                "pull", "GET", f"/offices/{self.office.office_id}/changes", params=params)
            if response is None or response.status_code != 200:
                return
            page = response.json()
            for item in page["items"]:
                if item["kind"] == "complaint" and item["op"] == "upsert":
                    self.versions[item["id"]] = item["data"]["version"]
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                return

    async def push(self, mutations: list[dict[str, Any]]) -> None:
        body = {"device_id": f"bench-pc-{self.number}", "mutations": mutations}
        response = await self._send("push", "POST", "/mutations", json=body)
        if response is None or response.status_code != 200:
            self.tally.unanswered += len(mutations)
            return
        for result in response.json()["results"]:
            self.tally.acknowledged[result["id"]] = result["status"]

    def notes(self) -> list[dict[str, Any]]:
        made = []
        for _ in range(self.rng.randint(1, 3)):
            complaint_id = self.rng.choice(sorted(self.versions))
            mutation_id = str(uuid.uuid4())
            made.append({
                "id": mutation_id, "type": "note", "complaint_id": complaint_id,
                "base_version": self.versions[complaint_id],
                "created_at": "2026-12-03T08:00:00Z",
                "payload": {"text": NOTE + mutation_id}, "approval": None})
        return made

    async def run(self, deadline: float, think_s: float) -> None:
        await asyncio.sleep(self.rng.random() * think_s)  # not all in step
        while time.monotonic() < deadline:
            batch = self.notes()
            await self.push(batch)
            if self.rng.random() < 0.1:
                await self.push(batch)  # a lost answer, as it looks from here: sent again
            await self.pull()
            await self._send("digest", "GET", f"/offices/{self.office.office_id}/digest")
            await asyncio.sleep(think_s * (0.5 + self.rng.random()))

    async def close(self) -> None:
        await self.http.aclose()


async def drive(offices: list[Office], clients: int, base: str, seconds: float,
                think_s: float) -> tuple[Tally, float]:
    tally, rng = Tally(), random.Random(2026)
    pcs = [Client(n, offices[n % len(offices)], base, tally, random.Random(rng.random()))
           for n in range(clients)]
    gate = asyncio.Semaphore(4)  # logins cost an scrypt each: not all at once

    async def start(pc: Client) -> None:
        async with gate:
            await pc.login()
        await pc.pull()  # the office's first sync, not timed below

    await asyncio.gather(*(start(pc) for pc in pcs))
    for kind in ("pull", "push", "digest"):
        tally.latency[kind].clear()
    tally.statuses.clear()
    started = time.monotonic()
    await asyncio.gather(*(pc.run(started + seconds, think_s) for pc in pcs))
    took = time.monotonic() - started
    await asyncio.gather(*(pc.close() for pc in pcs))
    return tally, took


def landed(url: str) -> Counter[str]:
    """How many times each bench note is in the database's complaints."""
    from sqlalchemy import select

    from server.db import Complaint, Database

    db = Database(url)
    counts: Counter[str] = Counter()
    with db.reading() as session:
        for data in session.scalars(select(Complaint.data)):
            for event in data.get("events", []):
                text = event.get("text") or ""
                if text.startswith(NOTE):
                    counts[text.removeprefix(NOTE)] += 1
    db.dispose()
    return counts


def recorded(url: str, ids: list[str]) -> int:
    from sqlalchemy import func, select

    from server.db import Database, MutationRecord

    db = Database(url)
    total = 0
    with db.reading() as session:
        for start in range(0, len(ids), 500):
            total += int(session.scalar(select(func.count()).select_from(MutationRecord).where(
                MutationRecord.id.in_(ids[start:start + 500]))) or 0)
    db.dispose()
    return total


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default=None, help="server database URL (default: a temp SQLite)")
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--per-office", type=int, default=4, help="clients (PCs) per office")
    p.add_argument("--complaints", type=int, default=40, help="complaints per office")
    p.add_argument("--workers", type=int, default=4, help="lapor-server run --workers")
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--think", type=float, default=2.0, help="mean seconds between a PC's syncs")
    p.add_argument("--small", action="store_true", help="CI's smoke size")
    p.add_argument("--workdir", type=Path, default=None)
    args = p.parse_args()
    if args.small:
        args.clients, args.workers, args.seconds, args.complaints = 8, 1, 4.0, 10
    import contextlib
    import tempfile

    with contextlib.ExitStack() as stack:
        workdir = args.workdir or Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="lapor-load-")))
        return run(args, workdir)


def run(args: argparse.Namespace, workdir: Path) -> int:
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{workdir / 'server.db'}"
    offices = max(1, args.clients // args.per_office)
    prepared = prepare(url, offices, offices * args.complaints)
    load_before = _load()
    server = Server(url, args.workers, workdir / "server.log")
    try:
        server.wait_ready()
        before = resource.getrusage(resource.RUSAGE_SELF)
        tally, took = asyncio.run(drive(prepared, args.clients, server.base, args.seconds,
                                        args.think))
    finally:
        server.stop()
    load_after = _load()
    # The server (and its workers, reaped by it) is this process's child.
    after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu_s = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    server_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    counts = landed(url)
    applied = [i for i, status in tally.acknowledged.items() if status in ("applied", "duplicate")]
    wrong = sum(1 for i in applied if counts[i] != 1) + sum(1 for n in counts.values() if n > 1)
    requests = sum(n for k, n in tally.statuses.items() if not k.startswith("login"))
    pull, push, digest = (tally.latency[k] for k in ("pull", "push", "digest"))
    figures: dict[str, Any] = {
        "database": url.split(":", 1)[0],
        "requests": requests,
        "requests_per_s": requests / took,
        "pull_p50_ms": percentile(pull, 50), "pull_p95_ms": percentile(pull, 95),
        "pull_p99_ms": percentile(pull, 99),
        "push_p50_ms": percentile(push, 50), "push_p95_ms": percentile(push, 95),
        "push_p99_ms": percentile(push, 99),
        "digest_p95_ms": percentile(digest, 95),
        "mutations_acknowledged": len(applied),
        "mutations_recorded": recorded(url, applied),
        "notes_in_database": sum(counts.values()),
        "notes_not_exactly_once": wrong,
        "pushes_sent_again": tally.resent,
        "mutations_unanswered": tally.unanswered,
        "statuses": dict(sorted(tally.statuses.items())),
        "load_before": load_before, "load_after": load_after,
        "client_cpu_ms_per_request": client_cpu_s * 1000 / requests,
        "server_cpu_ms_per_request": (server_cpu.ru_utime + server_cpu.ru_stime) * 1000 / requests,
        "seconds": took,
    }
    params = {"clients": args.clients, "offices": offices, "workers": args.workers,
              "seconds": args.seconds, "think_s": args.think,
              "complaints_per_office": args.complaints}
    checks = [
        check("pull_p95", figures["pull_p95_ms"], 500, "ms"),
        check("push_p95", figures["push_p95_ms"], 1000, "ms"),
        check("mutations_not_exactly_once", wrong + tally.unanswered, 0, ""),
    ]
    emit("server_load", params, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
