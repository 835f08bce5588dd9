"""A sync process killed with SIGKILL a thousand times loses and doubles nothing.

Between kills the office keeps working (approved replies, replies with a
file uploaded, internal notes, drafts sent to the office's queue and
approved there by the supervisor's signature) and the server keeps changing
(notes, new files to download, an expired cursor that forces a fresh pull),
so kills land in pushes, pulls, reconciles and file downloads alike. After
every kill the replica passes ``PRAGMA integrity_check``; every
``CHECK_EVERY`` kills, and at the end, the office heals and nothing may be
lost or doubled.

Slow (``-m "not slow"`` skips it). ``LAPOR_CRASH_KILLS`` sets the count; the
default is the full 1,000 (about 8 minutes on a busy 2-core PC,
docs/PERFORMANCE.md).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from server.inprocess import RunningServer, start_server
from sync.store.database import read_session
from sync.values import ReplyState
from sync.workspace import Workspace
from tests.conftest import MemoryKeyring
from tests.faults.office import Work, assert_converged, office_pc, queue_work, sync_until_ok
from tests.integration import peers
from tests.integration.peers import OFFICER, SUPERVISOR

KILLS = int(os.environ.get("LAPOR_CRASH_KILLS", "1000"))
CHECK_EVERY = 100  # kills between two heal-and-check rounds
ROOT = Path(__file__).resolve().parents[2]
LOG_LINE = re.compile(r"(?P<pid>\d+) (?:step (?P<step>\w+)|(?P<what>start|end))")
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

    def landed(self) -> Counter[str]:
        """Where each child was when it died: start (connecting), a step, or end (between)."""
        last: dict[str, str] = {}
        for line in self.log.read_text().splitlines():
            # A child killed mid-line leaves a fragment the next child's line follows.
            if (found := LOG_LINE.fullmatch(line)) is not None:
                last[found["pid"]] = found["step"] or found["what"]
        return Counter(last.values())

    def close(self) -> None:
        self.stdin.close()
        self.process.wait(timeout=30)
        self.stdout.close()


class Office:
    """The office's PC between kills: new work queued, the work to check at the end."""

    def __init__(self, workspace: Workspace, server: RunningServer, folder: Path) -> None:
        self.workspace = workspace
        self.server = server
        self.folder = folder
        self.work: list[Work] = []
        self.queued: set[str] = set()  # replies sent to the office's queue

    def approved_reply(self, tag: str, rng: random.Random) -> None:
        complaint_id = rng.choice(peers.open_complaints(self.server))
        reply_text = f"Tanggapan {tag} {complaint_id}"
        draft = self.workspace.draft_reply(complaint_id, reply_text)
        self.workspace.submit_for_approval(draft)
        self.workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
        self.work.append(Work(draft, reply_text))

    def reply_with_file(self, tag: str, rng: random.Random) -> None:
        """The file goes up now (online, resumable); the reply naming it waits for the sync."""
        complaint_id = rng.choice(peers.open_complaints(self.server))
        reply_text = f"Tanggapan berkas {tag} {complaint_id}"
        draft = self.workspace.draft_reply(complaint_id, reply_text)
        path = self.folder / f"{tag}.pdf"
        path.write_bytes(b"%PDF-1.4\n" + rng.randbytes(rng.randint(1_000, 200_000)))
        self.workspace.attach_file(draft, path, "application/pdf")
        self.workspace.submit_for_approval(draft)
        self.workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
        self.work.append(Work(draft, reply_text))

    def note(self, tag: str, rng: random.Random) -> None:
        note_text = f"Catatan {tag}"
        complaint_id = rng.choice(peers.office_complaints(self.server))
        note = self.workspace.draft_reply(complaint_id, note_text, kind="note")
        self.workspace.submit_for_approval(note)
        self.work.append(Work(note, note_text))

    def to_the_queue(self, tag: str, rng: random.Random) -> None:
        """A draft for the office's queue: a supervisor approves it once it came back."""
        complaint_id = rng.choice(peers.open_complaints(self.server))
        reply_text = f"Tanggapan antrean {tag} {complaint_id}"
        draft = self.workspace.draft_reply(complaint_id, reply_text)
        self.workspace.submit_for_office_review(draft)
        self.work.append(Work(draft, reply_text))
        self.queued.add(draft)

    def approve_queue(self) -> int:
        """The supervisor signs every queued draft this PC has seen and not yet decided."""
        pending = [r for r in self.workspace.office_reviews()
                   if r.state == "pending" and not r.decision_sent]
        for review in pending:
            self.workspace.decide_review(review.id, SUPERVISOR, peers.password(SUPERVISOR),
                                         approve=True)
        return len(pending)

    def heal_and_check(self) -> None:
        """Sync to rest, approve what waits in the queue, sync again: nothing lost or doubled."""
        sync_until_ok(self.workspace)
        if self.approve_queue():
            sync_until_ok(self.workspace)
        # An approval in the queue that came too late (a response went out since its
        # draft) is a conflict there: the review stays pending and nothing was sent.
        waiting = [item for item in self.work
                   if self.workspace.reply(item.reply_id).state is ReplyState.AWAITING_APPROVAL]
        for item in waiting:
            review_id = self.workspace.reply(item.reply_id).review_id
            assert item.reply_id in self.queued and review_id is not None, item
            assert peers.review_state(self.server, review_id) == "pending", item
            assert peers.events_with_text(self.server, item.text) == 0, item
        settled = [item for item in self.work if item not in waiting]
        assert_converged(self.workspace, self.server, settled, all_sent=False)


def integrity(workspace: Workspace) -> list[str]:
    """``PRAGMA integrity_check``'s lines on a fresh connection: ``["ok"]`` for a sound file.

    Fresh, as the next start would open it: on a pooled connection that read
    complaint_fts before the child wrote it, SQLite 3.53's FTS5 step of the
    check reads its cached structure and reports a blob missing that is not
    (searches there work, a fresh connection says ok).
    """
    workspace.database.dispose()
    with read_session(workspace.database) as session:
        return [str(line) for line in session.execute(text("PRAGMA integrity_check")).scalars()]


@pytest.mark.slow
def test_syncs_killed_at_random_moments_lose_and_double_nothing(
    tmp_path: Path, server: RunningServer, memory_keyring: MemoryKeyring
) -> None:
    rng = random.Random(4)
    profile = tmp_path / "office"
    workspace = office_pc(profile, server.url)
    peers.attach(server, peers.open_complaints(server)[0], os.urandom(400_000), "bukti.png")
    office = Office(workspace, server, tmp_path)
    office.work = queue_work(workspace, server, "k0")
    runner = Runner(profile, memory_keyring, tmp_path / "runner.log")
    checks = 0
    try:
        for round_no in range(1, KILLS + 1):
            pid = runner.start()
            if rng.random() < 0.8:  # else the kill lands while it opens the profile
                runner.wait_for_cycle(pid)
            time.sleep(rng.uniform(0.0, 0.3))
            runner.kill(pid)
            assert integrity(workspace) == ["ok"], f"after kill {round_no}"
            tag = f"k{round_no}"
            step = rng.random()
            if step < 0.2:
                office.approved_reply(tag, rng)
            elif step < 0.3:
                office.reply_with_file(tag, rng)
            elif step < 0.45:
                office.note(tag, rng)
            elif step < 0.55:
                office.to_the_queue(tag, rng)
            elif step < 0.65:
                office.approve_queue()
            elif step < 0.75:
                peers.admin_notes(server, rng.choice(peers.office_complaints(server)), "admin")
            elif step < 0.85:  # a file to fetch, up to a few hundred KB
                peers.attach(server, rng.choice(peers.office_complaints(server)),
                             rng.randbytes(rng.randint(50_000, 600_000)), f"{tag}.png")
            elif step < 0.9:
                peers.admin_notes(server, peers.office_complaints(server)[0], "purge")
                peers.expire_cursors(server)
            if round_no % CHECK_EVERY == 0 and round_no < KILLS:
                office.heal_and_check()
                checks += 1
    finally:
        runner.close()
    landed = runner.landed()
    landed["opening"] = KILLS - sum(landed.values())  # died before its first line
    print(f"{KILLS} kills, {checks} checks on the way; where they landed: {dict(landed)}")
    mid_sync = sum(landed[step] for step in ("push", "pull", "files", "waiting"))
    assert mid_sync >= KILLS // 2, landed  # most kills hit a cycle's work, not start-up
    for step in ("push", "pull", "files"):
        assert landed[step] >= KILLS // 50, landed  # each kind of transfer was hit

    office.heal_and_check()
    assert integrity(workspace) == ["ok"]
    assert workspace.verify_audit_log().ok
    workspace.close()
