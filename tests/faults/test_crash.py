"""A sync process killed with SIGKILL at dozens of random moments loses and doubles nothing.

Between kills the office keeps working (new approved replies and notes) and
the server keeps changing (notes, an expired cursor that forces a fresh
pull), so kills land in pushes, pulls, reconciles and file downloads alike.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from server.inprocess import RunningServer, start_server
from sync.store.engine import read_session
from tests.conftest import MemoryKeyring
from tests.faults.office import Work, assert_converged, office_pc, queue_work, sync_until_ok
from tests.integration import peers
from tests.integration.peers import OFFICER, SUPERVISOR

KILLS = 55
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with start_server(complaints=40, rate_limit=None) as running:
        yield running


class Runner:
    """The forking sync worker of ``crash_runner``; ``start`` gives a fresh child's pid."""

    def __init__(self, profile: Path, keyring: MemoryKeyring, log: Path) -> None:
        secrets = {name: value for (service, name), value in keyring.secrets.items()}
        self.log = log
        with log.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.crash_runner"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, cwd=ROOT,
                text=True,
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        config = {"profile": str(profile), "secrets": secrets, "user": OFFICER}
        self.stdin.write(json.dumps(config) + "\n")
        self.stdin.flush()

    def start(self) -> int:
        self.stdin.write("go\n")
        self.stdin.flush()
        return int(self.stdout.readline())

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        self.stdin.write(f"reap {pid}\n")
        self.stdin.flush()
        assert self.stdout.readline().strip() == "reaped"

    def wait_for_cycle(self, pid: int) -> None:
        """Until the child's first cycle began (its start-up takes longer on a busy PC)."""
        deadline = time.monotonic() + 20
        while f"{pid} start" not in self.log.read_text():
            assert time.monotonic() < deadline, "the sync worker never started a cycle"
            time.sleep(0.005)

    def killed_mid_sync(self) -> int:
        """Children whose last cycle started and never ended."""
        last: dict[str, str] = {}
        for line in self.log.read_text().splitlines():
            pid, _, what = line.partition(" ")
            if what in ("start", "end"):
                last[pid] = what
        return sum(1 for what in last.values() if what == "start")

    def close(self) -> None:
        self.stdin.close()
        self.process.wait(timeout=30)
        self.stdout.close()


@pytest.mark.slow
def test_syncs_killed_at_random_moments_lose_and_double_nothing(
    tmp_path: Path, server: RunningServer, memory_keyring: MemoryKeyring
) -> None:
    rng = random.Random(4)
    profile = tmp_path / "office"
    workspace = office_pc(profile, server.url)
    peers.attach(server, peers.open_complaints(server)[0], os.urandom(400_000), "bukti.png")
    work: list[Work] = queue_work(workspace, server, "k0")
    runner = Runner(profile, memory_keyring, tmp_path / "runner.log")
    try:
        for round_no in range(KILLS):
            pid = runner.start()
            if rng.random() < 0.8:  # else the kill lands while it opens the profile
                runner.wait_for_cycle(pid)
            time.sleep(rng.uniform(0.0, 0.3))
            runner.kill(pid)
            step = rng.random()
            if step < 0.35:
                complaint_id = rng.choice(peers.open_complaints(server))
                reply_text = f"Tanggapan k{round_no} {complaint_id}"
                draft = workspace.draft_reply(complaint_id, reply_text)
                workspace.submit_for_approval(draft)
                workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
                work.append(Work(draft, reply_text))
            elif step < 0.6:
                note_text = f"Catatan k{round_no}"
                complaint_id = rng.choice(peers.office_complaints(server))
                note = workspace.draft_reply(complaint_id, note_text, kind="note")
                workspace.submit_for_approval(note)
                work.append(Work(note, note_text))
            elif step < 0.8:
                peers.admin_notes(server, rng.choice(peers.office_complaints(server)), "admin")
            elif step < 0.9:
                peers.admin_notes(server, peers.office_complaints(server)[0], "purge")
                peers.expire_cursors(server)
    finally:
        runner.close()
    assert runner.killed_mid_sync() >= KILLS // 2  # most kills hit a cycle, not start-up

    sync_until_ok(workspace)

    assert_converged(workspace, server, work, all_sent=False)
    with read_session(workspace.engine) as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert workspace.verify_audit_log().ok
    workspace.close()
