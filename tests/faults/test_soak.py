"""Soak: a PC syncing every few seconds for a long while through a flaky network.

The reference server runs the simulator (new complaints, reporter replies,
moves, auto-close) while the office keeps writing internal notes and
approved replies, and every cycle meets a random fault of the proxy. For
``LAPOR_SOAK_SECONDS`` (600 in CI, 45 otherwise) the process's memory (RSS),
open files and threads are sampled after each cycle; the second half must
not have grown past the first by more than a tolerance. At the end the
network heals, and every action the office took arrived exactly once or is
shown as a conflict: none lost, none doubled. Loopback only, bounded in time.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from server.inprocess import RunningServer
from server.simulate import Simulator
from sync.store.database import read_session
from sync.store.local import OutboxItem
from sync.values import ReplyState
from sync.workspace import Workspace
from tests.faults.office import Work, moved_away_after_sending, office_pc, sync_until_ok
from tests.faults.proxy import FaultProxy
from tests.faults.test_sync_faults import server  # noqa: F401 (a fixture; proxy is in tests/conftest.py)
from tests.integration import peers
from tests.integration.peers import SUPERVISOR

SECONDS = float(os.environ.get("LAPOR_SOAK_SECONDS", "600" if os.environ.get("CI") else "45"))
SEED = int(os.environ.get("LAPOR_SOAK_SEED", "2026"))
PAUSE_S = 1.0  # between cycles: "every few seconds", squeezed for a short local run

Fault = Callable[[FaultProxy, random.Random], None]
FAULTS: list[tuple[int, Fault]] = [  # (weight, fault)
    (6, lambda p, r: None),
    (2, lambda p, r: p.cut_after(r.randint(200, 40_000), "down")),
    (1, lambda p, r: p.cut_after(r.randint(200, 8_000), "up")),
    (1, lambda p, r: p.set_latency(r.uniform(0.01, 0.08))),
    (1, lambda p, r: p.fail_next(r.randint(1, 3), r.choice([500, 502, 503]))),
    (1, lambda p, r: p.fail_next(1, 429, retry_after=0)),
    (1, lambda p, r: p.truncate_next(r.randint(10, 2_000))),
    (1, lambda p, r: p.network_down(r.choice(["refuse", "reset"]))),
]


@dataclass
class Samples:
    rss: list[int] = field(default_factory=list)
    fds: list[int] = field(default_factory=list)
    threads: list[int] = field(default_factory=list)

    def take(self) -> None:
        gc.collect()
        self.rss.append(_rss_bytes())
        self.fds.append(len(os.listdir("/proc/self/fd")))
        self.threads.append(threading.active_count())

    def halves(self, values: list[int]) -> tuple[list[int], list[int]]:
        warm = max(1, len(values) // 10)  # first cycles fill caches and pools
        steady = values[warm:]
        middle = len(steady) // 2
        return steady[:middle], steady[middle:]


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def act(workspace: Workspace, national: RunningServer, n: int, rng: random.Random) -> list[Work]:
    """What an office does between two syncs: a note, sometimes an approved reply."""
    open_ids = sorted({s.id for s in workspace.complaints(status="verified")}
                      & set(peers.open_complaints(national)))
    if not open_ids:
        return []
    complaint_id = rng.choice(open_ids)
    texts = []
    note_text = f"Catatan soak #{n}"
    note = workspace.draft_reply(complaint_id, note_text, kind="note")
    workspace.submit_for_approval(note)
    texts.append(Work(note, note_text))
    if n % 4 == 0 and not any(
        r.kind == "respond" and r.state is not ReplyState.SENT
        for r in workspace.complaint(complaint_id).replies
    ):
        reply_text = f"Tanggapan soak #{n}"
        reply = workspace.draft_reply(complaint_id, reply_text)
        workspace.submit_for_approval(reply)
        workspace.approve(reply, SUPERVISOR, peers.password(SUPERVISOR))
        texts.append(Work(reply, reply_text))
    return texts


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="samples /proc (Linux)")
def test_a_long_flaky_day_leaks_nothing_and_loses_nothing(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy  # noqa: F811 (imported fixtures)
) -> None:
    rng = random.Random(SEED)
    simulator = Simulator(server.database, seed=SEED)
    workspace = office_pc(tmp_path / "office", proxy.url)
    weights = [w for w, _ in FAULTS]
    replies: list[Work] = []
    samples = Samples()
    cycles = errors = 0
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        for _ in range(rng.randint(1, 3)):
            simulator.step()
        replies += act(workspace, server, cycles, rng)
        rng.choices(FAULTS, weights)[0][1](proxy, rng)
        report = workspace.sync()  # a fault is a report, never an exception
        errors += report.error_code is not None
        proxy.pass_through()
        samples.take()
        cycles += 1
        time.sleep(PAUSE_S)
    assert cycles >= 6 and errors < cycles, (cycles, errors)

    sync_until_ok(workspace, attempts=8)
    with read_session(workspace.database) as session:
        mutation_ids = list(session.scalars(select(OutboxItem.id)))
    # The simulator moves complaints to other agencies: a sent reply leaves with
    # its complaint (its text must have arrived once); the rest must be here.
    gone = [w for w in replies if moved_away_after_sending(workspace, server, w)]
    settled = {w.reply_id: workspace.reply(w.reply_id) for w in replies if w not in gone}
    sent = [r for r in settled.values() if r.state is ReplyState.SENT]
    unsettled = [(r.kind, r.state) for r in settled.values()
                 if r.state not in (ReplyState.SENT, ReplyState.CONFLICT)]
    assert not unsettled, unsettled
    assert len(sent) + len(gone) >= len(replies) // 2, "most of the day's work went out"
    for reply in settled.values():  # on the server once if sent, never if in conflict
        expected = 1 if reply.state is ReplyState.SENT else 0
        assert peers.events_with_text(server, reply.text) == expected, reply
    # The server applied each sent action once and nothing of what is in conflict.
    assert peers.mutations_applied(server, mutation_ids) == len(sent)

    first, second = samples.halves(samples.rss)
    assert statistics.median(second) <= statistics.median(first) * 1.2 + 24 * 2**20, (
        f"RSS grew: {statistics.median(first) / 2**20:.0f} -> "
        f"{statistics.median(second) / 2**20:.0f} MiB"
    )
    first, second = samples.halves(samples.fds)
    assert max(second) <= max(first) + 4, ("open files grew", first, second)
    first, second = samples.halves(samples.threads)
    assert max(second) <= max(first) + 2, ("threads grew", first, second)
    workspace.close()

