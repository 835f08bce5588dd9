"""Quarantined complaints are asked for again by id until readable or out of scope (issue 14).

The real reference server on loopback, its clock moved by the test (the
client's backoff runs on the server's clock), and the fault proxy where the
server must answer badly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from server.inprocess import RunningServer, start_server
from sync.cycle.refetch import WAIT_CAP, is_due, wait_after
from sync.store.database import read_session
from sync.store.local import Quarantine
from sync.workspace import Workspace
from tests.faults.proxy import FaultProxy
from tests.integration import peers
from tests.integration.peers import OFFICER, ServerClock


@pytest.fixture
def server(clock: ServerClock) -> Iterator[RunningServer]:
    with start_server(complaints=24, rate_limit=None, clock=clock) as running:
        yield running


@pytest.fixture
def office_pc(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    workspace = peers.office_pc(tmp_path / "office", server.url)
    yield workspace
    workspace.close()


def tries(workspace: Workspace) -> int:
    [unreadable] = workspace.unreadable()
    return unreadable.tries


def test_a_record_fixed_on_the_server_in_place_comes_readable_at_the_next_sync(
    office_pc: Workspace, server: RunningServer
) -> None:
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")  # a readable version, an unreadable record

    first = office_pc.sync()

    assert first.quarantined == 1 and first.digest_ok is False
    [unreadable] = office_pc.unreadable()
    assert unreadable.id == bad and "status" in unreadable.reason and unreadable.tries == 0
    # Fixed without a version change: the feed never sends it again, the fetch by id does.
    peers.repair_in_place(server, bad, status="in_progress", title="Jalan berlubang (diperbaiki)")

    fixed = office_pc.sync()

    assert fixed.ok and fixed.digest_ok is True and fixed.quarantined == 0
    assert office_pc.unreadable() == []
    record = office_pc.complaint(bad)
    assert (record.summary.status, record.summary.title) == (
        "in_progress", "Jalan berlubang (diperbaiki)")
    assert record.version == peers.record(server, bad)["version"]


def test_a_record_still_unreadable_is_asked_for_again_after_2_4_8_minutes(
    office_pc: Workspace, server: RunningServer, clock: ServerClock
) -> None:
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")
    office_pc.sync()  # quarantined: first asked again at the next cycle

    asked = []
    for _ in range(8):  # a sync every minute, as a busy office's PC would
        office_pc.sync()
        asked.append(tries(office_pc))
        clock.advance(minutes=1, seconds=1)  # a second over: the Date header has whole seconds

    # Asked at minutes 0, 2, 6: the office's server is not hammered.
    assert asked == [1, 1, 2, 2, 2, 2, 3, 3]
    [unreadable] = office_pc.unreadable()
    assert "status" in unreadable.reason  # the reason is the record's, still


def test_the_wait_is_kept_across_a_restart(
    tmp_path: Path, server: RunningServer, clock: ServerClock
) -> None:
    profile = tmp_path / "office"
    workspace = peers.office_pc(profile, server.url)
    peers.corrupt(server, peers.office_complaints(server)[0], status="entah")
    workspace.sync()
    workspace.sync()
    workspace.sync()
    clock.advance(minutes=2, seconds=1)
    workspace.sync()
    assert tries(workspace) == 2  # the next try is 4 minutes away
    workspace.close()

    again = peers.open_profile(profile, server.url)
    peers.log_in(again, OFFICER)
    again.sync()

    assert tries(again) == 2  # a restart did not bring the next try forward
    clock.advance(minutes=4, seconds=1)
    again.sync()
    assert tries(again) == 3
    again.close()


def test_the_wait_doubles_up_to_six_hours_and_a_clock_set_back_asks_now() -> None:
    waits = [wait_after(n) for n in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (2, 4, 8, 16)]
    assert max(waits) == WAIT_CAP == waits[-1] == timedelta(hours=6)
    assert wait_after(10_000) == WAIT_CAP
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert is_due(None, now) and is_due(now, now)
    assert not is_due(now + timedelta(minutes=1), now)
    assert is_due(now + timedelta(days=2), now)  # kept under a clock since set back


def test_a_record_never_readable_that_left_the_scope_leaves_the_quarantine(
    tmp_path: Path, server: RunningServer
) -> None:
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")
    workspace = peers.office_pc(tmp_path / "office", server.url)  # it never came readable here
    assert [u.id for u in workspace.unreadable()] == [bad]
    peers.leave_silently(server, bad)  # gone without a remove the feed could carry

    report = workspace.sync()

    # Both digests lack it now, so only the fetch by id learns it is gone (404).
    assert workspace.unreadable() == []
    assert report.ok and report.digest_ok is True
    workspace.close()


def test_a_quarantined_record_that_left_the_scope_leaves_the_replica_too(
    office_pc: Workspace, server: RunningServer
) -> None:
    bad = peers.office_complaints(server)[0]
    assert office_pc.complaint(bad)  # an older, readable copy is in the replica
    peers.corrupt(server, bad, status="entah")
    office_pc.sync()
    peers.leave_silently(server, bad)

    report = office_pc.sync()

    assert office_pc.unreadable() == []
    assert bad not in {s.id for s in office_pc.complaints()}
    assert report.removed == 1 and report.digest_ok is True


def test_a_busy_server_keeps_the_reason_and_the_record_waits(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy, clock: ServerClock
) -> None:
    workspace = peers.office_pc(tmp_path / "office", proxy.url)
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")
    workspace.sync()
    peers.repair_in_place(server, bad, status="in_progress")
    proxy.fail_next(100, 503, path=f"/complaints/{bad}")

    busy = workspace.sync()

    [unreadable] = workspace.unreadable()
    assert unreadable.tries == 1 and "status" in unreadable.reason  # not "503"
    assert busy.ok  # the feed and the digest were fine: only this record waits
    proxy.pass_through()
    workspace.sync()
    assert tries(workspace) == 1  # not due yet
    clock.advance(minutes=2, seconds=1)
    assert workspace.sync().digest_ok is True
    assert workspace.unreadable() == []
    workspace.close()


def test_a_record_still_unreadable_keeps_no_anonim_identity(
    office_pc: Workspace, server: RunningServer
) -> None:
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")
    office_pc.sync()
    secret = {"name": "Wahyuni Kartikasari", "phone": "+6281234509876", "email": "w@contoh.id"}
    # Still broken, and now anonim with the identity left in (a bug at the national side).
    peers.repair_in_place(server, bad, status="rusak", anonymous=True, reporter=secret)

    office_pc.sync()

    [unreadable] = office_pc.unreadable()
    assert unreadable.tries == 1
    with read_session(office_pc.database) as session:
        raw = json.loads(session.scalars(select(Quarantine.raw)).one())
    assert raw["status"] == "rusak" and raw["reporter"] is None
