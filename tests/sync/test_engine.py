"""The sync cycle's promises to the GUI: no write lock across the network, progress, state."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.inprocess import RunningServer, start_server
from sync.store.database import read_session
from sync.store.local import SyncState
from sync.values import SyncReport
from sync.workspace import Workspace
from tests.faults.office import office_pc
from tests.faults.proxy import FaultProxy
from tests.integration import peers


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with start_server(complaints=12, rate_limit=None) as running:
        yield running



@pytest.fixture
def workspace(tmp_path: Path, proxy: FaultProxy) -> Iterator[Workspace]:
    ws = office_pc(tmp_path / "office", proxy.url)
    yield ws
    ws.close()


def test_local_writes_never_wait_for_a_slow_sync(
    workspace: Workspace, server: RunningServer, proxy: FaultProxy
) -> None:
    """The cycle writes only between requests: a draft saved mid-sync takes no network time."""
    for n in range(3):
        note = workspace.draft_reply(peers.office_complaints(server)[n], f"catatan {n}",
                                     kind="note")
        workspace.submit_for_approval(note)
    peers.expire_cursors(server)
    proxy.set_latency(0.3)  # every piece of every request and answer waits
    reports: list[SyncReport] = []
    syncing = threading.Thread(target=lambda: reports.append(workspace.sync()))
    syncing.start()
    slowest, writes = 0.0, 0
    complaint_id = peers.open_complaints(server)[0]
    while syncing.is_alive():
        started = time.monotonic()
        draft = workspace.draft_reply(complaint_id, "ditulis selama sinkronisasi")
        workspace.update_draft(draft, "ditulis selama sinkronisasi, diubah")
        slowest = max(slowest, time.monotonic() - started)
        writes += 1
        time.sleep(0.02)
    syncing.join()
    assert reports and reports[0].ok
    assert writes > 5
    assert slowest < 0.5  # under one round trip (0.6 s): no write waited on the network


def test_progress_is_reported_in_order(workspace: Workspace) -> None:
    seen: list[tuple[int, int, str]] = []
    workspace.sync(progress=lambda done, total, text: seen.append((done, total, text)))
    assert seen[0] == (0, 4, "push") and seen[-1] == (4, 4, "done")
    assert [done for done, _total, _text in seen] == sorted(done for done, _t, _x in seen)


def test_an_offline_cycle_records_the_error_and_keeps_the_last_success(
    workspace: Workspace, proxy: FaultProxy
) -> None:
    with read_session(workspace.database) as session:
        state = session.get(SyncState, 1)
        assert state is not None
        success = state.last_success
    proxy.network_down("refuse")
    report = workspace.sync()
    assert not report.online and report.error_code == "offline"
    with read_session(workspace.database) as session:
        state = session.get(SyncState, 1)
        assert state is not None
        assert state.last_success == success
        assert state.last_error is not None and state.last_error.startswith("offline")
        assert state.last_error_at is not None


def test_a_wrong_pc_clock_is_corrected_by_the_servers(tmp_path: Path) -> None:
    ahead = timedelta(hours=3)
    with start_server(complaints=4, rate_limit=None,
                      clock=lambda: datetime.now(UTC) + ahead) as server:
        ws = peers.open_profile(tmp_path / "p", server.url)
        peers.log_in(ws, peers.OFFICER)
        assert ws.sync().ok
        skew = ws.server_now() - datetime.now(UTC)
        assert abs(skew - ahead) < timedelta(seconds=5)
        ws.close()


def test_a_server_asking_to_wait_long_ends_the_cycle_as_rate_limited(
    workspace: Workspace, proxy: FaultProxy
) -> None:
    proxy.fail_next(5, 429, retry_after=3600)  # longer than the backoff cap: not waited out

    report = workspace.sync()

    assert report.error_code == "rate_limited" and not report.online
    proxy.pass_through()
    assert workspace.sync().ok
