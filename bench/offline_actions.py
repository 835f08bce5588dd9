#!/usr/bin/env python3
"""Issue #7, bench 6: offline actions at the 95th percentile against a bare encrypted commit.

Actions, each through ``Workspace`` on an encrypted replica holding ``--size``
complaints: save a new draft, autosave it, submit it for approval, approve it
(sign and queue, in one transaction), and queue a note. The floor is a bare
SQLCipher INSERT + COMMIT with ``synchronous=FULL`` in the same folder, in the
same run: the fsyncs every durable action pays at the least.

Approving re-enters the supervisor's password: two scrypt runs at the shipped
cost (the password check and unwrapping the signing key). That cost is the
point of the password, so it is timed apart (``approve_shipped_kdf``) and the
20 ms target applies to the action with a cheap KDF.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.bulk import fill_replica, synthetic_records

TARGET_MS = 20.0
PASSWORDS = {"ani": "ani-rahasia-1", "siti": "siti-rahasia-2"}
TEXT = ("Terima kasih atas laporan Anda. Tim kami telah meninjau lokasi dan perbaikan "
        "dijadwalkan minggu ini. ") * 4


class BareCommit:
    """INSERT + COMMIT on a fresh SQLCipher file with the replica's pragmas: the floor.

    Sampled between the actions, not before them: this disk's fsync time
    drifts by 10x within a minute.
    """

    def __init__(self, directory: Path) -> None:
        import sqlcipher3

        self.conn = sqlcipher3.connect(str(directory / "floor.db"), isolation_level=None)
        self.conn.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        self.samples: list[float] = []

    def insert(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (body) VALUES (?)", (TEXT,))
        self.conn.execute("COMMIT")

    def sample(self) -> None:
        self.samples.append(common.timed_ms(self.insert))

    def close(self) -> None:
        self.conn.close()


def office(directory: Path, complaints: int, kdf_n: int) -> Any:
    """A profile with officer ani and supervisor siti cached, ani logged in offline."""
    from sync import protocol
    from sync.workspace import Workspace

    workspace = Workspace.open(directory, "", secrets=common.memory_secrets(), kdf_n=kdf_n)
    for name, role in (("ani", "officer"), ("siti", "supervisor")):
        user = protocol.User(id=name, username=name, full_name=name.title(), role=role,
                             office_id="office-1", active=True)
        workspace.remember_user(user, PASSWORDS[name])
    fill_replica(workspace.database, synthetic_records(complaints), workspace.rules)
    workspace.login("ani", PASSWORDS["ani"])
    return workspace


def open_ids(workspace: Any, count: int) -> list[str]:
    ids = [c.id for c in workspace.complaints(status="verified", limit=count)]
    if len(ids) < count:
        ids += [c.id for c in workspace.complaints(status="in_progress", limit=count - len(ids))]
    return ids


def time_actions(workspace: Any, ids: list[str], floor: BareCommit) -> dict[str, list[float]]:
    """Each action once per complaint, in the order a reply goes."""
    times: dict[str, list[float]] = {k: [] for k in
                                     ("save_draft", "autosave", "submit", "approve", "queue_note")}
    drafts: list[str] = []
    for complaint_id in ids:
        start = time.perf_counter()
        draft = workspace.draft_reply(complaint_id, TEXT)
        times["save_draft"].append((time.perf_counter() - start) * 1000)
        drafts.append(draft)
        times["autosave"].append(common.timed_ms(
            lambda d=draft: workspace.update_draft(d, TEXT + " Salam.")))
        times["submit"].append(common.timed_ms(lambda d=draft: workspace.submit_for_approval(d)))
        times["approve"].append(common.timed_ms(
            lambda d=draft: workspace.approve(d, "siti", PASSWORDS["siti"])))
        note = workspace.draft_reply(complaint_id, "Catatan internal.", kind="note")
        times["queue_note"].append(common.timed_ms(lambda n=note: workspace.submit_for_approval(n)))
        floor.sample()
        floor.sample()
    return times


def approve_at_shipped_cost(directory: Path, samples: int) -> list[float]:
    from sync.credentials import SCRYPT_N

    workspace = office(directory, 50, SCRYPT_N)
    try:
        ids = open_ids(workspace, samples)
        drafts = []
        for complaint_id in ids:
            draft = workspace.draft_reply(complaint_id, TEXT)
            workspace.submit_for_approval(draft)
            drafts.append(draft)
        return [common.timed_ms(lambda d=d: workspace.approve(d, "siti", PASSWORDS["siti"]))
                for d in drafts]
    finally:
        workspace.close()


def main(argv: list[str] | None = None) -> int:
    args = common.parser(__doc__ or "", size=2000, small=30).parse_args(argv)
    size = common.size_of(args)
    samples = args.repeat or (10 if args.small else 60)
    with common.workdir(args) as work:
        bare = BareCommit(work)
        workspace = office(work / "profile", size, common.BENCH_KDF)
        try:
            ids = open_ids(workspace, samples + 2)
            time_actions(workspace, ids[:2], bare)  # warm caches and statement compilation
            bare.samples.clear()
            times = time_actions(workspace, ids[2:], bare)
        finally:
            workspace.close()
            bare.close()
        floor = bare.samples
        shipped = approve_at_shipped_cost(work / "shipped", 1 if args.small else 8)
    floor_p95 = common.percentile(floor, 95)
    figures: dict[str, Any] = {"floor_commit_p95_ms": floor_p95,
                               "floor_commit_p50_ms": common.percentile(floor, 50)}
    checks = []
    for action, values in times.items():
        p95 = common.percentile(values, 95)
        figures[f"{action}_p95_ms"] = p95
        figures[f"{action}_p50_ms"] = common.percentile(values, 50)
        figures[f"{action}_p95_x_floor"] = common.ratio(p95, floor_p95)
        checks.append(common.check(f"{action}_p95", p95, TARGET_MS, "ms", floor=floor_p95))
    figures["approve_shipped_kdf_p95_ms"] = common.percentile(shipped, 95)
    figures["approve_shipped_kdf_x_floor"] = common.ratio(
        figures["approve_shipped_kdf_p95_ms"], floor_p95)
    common.emit("offline_actions", {"complaints": size, "samples": len(ids) - 2}, figures, checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
