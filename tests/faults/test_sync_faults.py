"""The fault matrix: a real server behind a proxy that breaks the network, then heals.

For every fault: the cycle under it ends in a report (never an exception);
once the network heals, digests match, every action took effect exactly
once on the server, and no draft was lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from server.inprocess import RunningServer, start_server
from sync.errors import ErrorCode, WorkspaceError
from sync.values import SyncOutcome
from tests.faults.office import assert_converged, office_pc, queue_work, sync_until_ok
from tests.faults.proxy import FaultProxy
from tests.integration import peers
from tests.integration.peers import SUPERVISOR

Fault = Callable[[FaultProxy], None]

# Each fault, and how the cycle under it may end: most are cured by the transport's
# retries within the cycle; the rest must say so (never "synced" over lost work).
# Where a cut lands depends on the answers' sizes and timing, a cut can also end
# the cycle offline, busy or as a broken answer (CUT).
SYNCED, BUSY, OFFLINE = {SyncOutcome.SYNCED}, {SyncOutcome.BUSY}, {SyncOutcome.OFFLINE}
CUT = {SyncOutcome.SYNCED, SyncOutcome.OFFLINE, SyncOutcome.BUSY, SyncOutcome.ERROR}
FAULTS: dict[str, tuple[Fault, set[SyncOutcome]]] = {
    "cut request after 300 bytes": (lambda p: p.cut_after(300, "up"), CUT),
    "cut request after 4 kB": (lambda p: p.cut_after(4_000, "up"), CUT),
    "cut answer after 200 bytes": (lambda p: p.cut_after(200, "down"), CUT),
    "cut answer after 6 kB (lost push answer)": (lambda p: p.cut_after(6_000, "down"), CUT),
    "cut answer after 40 kB (mid pull)": (lambda p: p.cut_after(40_000, "down"), CUT),
    "cut every connection after 5 kB": (
        lambda p: p.cut_after(5_000, "down", every=True), CUT),
    "delay 150 ms": (lambda p: p.set_latency(0.15), SYNCED),
    "drip 30 kB/s": (lambda p: p.throttle(30_000), SYNCED),
    "503 burst": (lambda p: p.fail_next(3, 503), SYNCED),
    "500 burst longer than the retries": (lambda p: p.fail_next(12, 500), BUSY),
    "429 with Retry-After": (lambda p: p.fail_next(2, 429, retry_after=0), SYNCED),
    "truncated body": (lambda p: p.truncate_next(20), CUT),
    "truncated bodies, several": (lambda p: p.truncate_next(500, count=4), CUT),
    "connection reset": (lambda p: p.network_down("reset"), OFFLINE),
    "connection refused": (lambda p: p.network_down("refuse"), OFFLINE),
}


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with start_server(complaints=24, rate_limit=None) as running:
        yield running



@pytest.mark.parametrize(("fault", "ends"), FAULTS.values(), ids=FAULTS.keys())
def test_after_any_fault_heals_everything_arrived_exactly_once(
    fault: Fault, ends: set[SyncOutcome], tmp_path: Path, server: RunningServer, proxy: FaultProxy
) -> None:
    workspace = office_pc(tmp_path / "office", proxy.url)
    work = queue_work(workspace, server, "f")
    peers.admin_notes(server, peers.office_complaints(server)[-1], "perubahan di server")

    fault(proxy)
    broken = workspace.sync()  # a report, whatever happened
    # ... and a truthful one: cured within the cycle, or the fault said as what it is.
    assert broken.outcome in ends, broken
    proxy.pass_through()
    sync_until_ok(workspace)

    assert_converged(workspace, server, work)
    workspace.close()


def test_a_blackholed_link_stalls_out_and_heals(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy
) -> None:
    workspace = office_pc(tmp_path / "office", proxy.url)
    work = queue_work(workspace, server, "b", notes=1)
    workspace.network = dataclasses.replace(peers.FAST, stall_timeout=0.5)
    proxy.network_down("blackhole")

    broken = workspace.sync()

    assert not broken.online and broken.error_code == ErrorCode.OFFLINE
    proxy.network_up()
    sync_until_ok(workspace)
    assert_converged(workspace, server, work)
    workspace.close()


def test_a_lost_answer_to_a_push_is_resent_and_counted_as_duplicates(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy
) -> None:
    workspace = office_pc(tmp_path / "office", proxy.url)
    work = queue_work(workspace, server, "d")
    workspace.network = dataclasses.replace(peers.FAST, max_attempts=1)
    proxy.cut_after(100, "down")  # the server acts, its answer never arrives

    lost = workspace.sync()

    assert not lost.online and lost.applied == 0
    assert peers.mutations_applied(server) == len(work)  # the server did act
    proxy.pass_through()
    again = sync_until_ok(workspace)
    assert again.duplicates == len(work) and again.applied == 0
    assert_converged(workspace, server, work)
    workspace.close()


def test_an_approval_sent_before_the_feed_said_so_is_not_asked_again(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy
) -> None:
    """Sent, and the pull after it failed: the queue must not offer the review again.

    Signed again in the same second, it is the same statement, which the
    server refuses as an approval used twice (the crash test met this).
    """
    officer = office_pc(tmp_path / "officer", server.url)
    draft = officer.draft_reply(peers.open_complaints(server)[0], "Antrean, disetujui sekali.")
    review_id = officer.submit_for_office_review(draft)
    assert officer.sync().ok
    supervisor = office_pc(tmp_path / "supervisor", proxy.url)
    supervisor.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR), approve=True)

    proxy.fail_next(50, 500, path="/changes")
    broken = supervisor.sync()
    assert broken.applied == 1 and not broken.ok, broken
    assert peers.review_state(server, review_id) == "approved"

    waiting = {review.id: review for review in supervisor.office_reviews()}
    assert waiting[review_id].decision_sent  # shown as decided, not as a task
    with pytest.raises(WorkspaceError) as refused:
        supervisor.decide_review(review_id, SUPERVISOR, peers.password(SUPERVISOR), approve=True)
    assert refused.value.code is ErrorCode.ILLEGAL_TRANSITION

    proxy.pass_through()
    sync_until_ok(supervisor)
    assert review_id not in {review.id for review in supervisor.office_reviews()}
    assert supervisor.outbox() == []  # nothing refused, nothing left
    assert peers.events_with_text(server, "Antrean, disetujui sekali.") == 1
