"""Quarantined complaints are asked for again by id until readable or out of scope (issue 14)."""

from __future__ import annotations

from server.inprocess import RunningServer
from sync.workspace import Workspace
from tests.integration import peers


def test_a_record_fixed_on_the_server_in_place_comes_readable_at_the_next_sync(
    office_pc: Workspace, server: RunningServer
) -> None:
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")  # a readable version, an unreadable record

    first = office_pc.sync()

    assert first.quarantined == 1 and first.digest_ok is False
    [unreadable] = office_pc.unreadable()
    assert unreadable.id == bad and "status" in unreadable.reason
    # Fixed without a version change: the feed never sends it again, the fetch by id does.
    peers.repair_in_place(server, bad, status="in_progress")

    fixed = office_pc.sync()

    assert fixed.ok and fixed.digest_ok is True and fixed.quarantined == 0
    assert office_pc.unreadable() == []
    assert office_pc.complaint(bad).status == "in_progress"


def test_a_record_still_unreadable_is_asked_for_after_1_2_4_cycles(
    office_pc: Workspace, server: RunningServer
) -> None:
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")
    office_pc.sync()  # quarantined: first asked again at the next cycle

    asked = []
    for _ in range(8):
        office_pc.sync()
        asked.append(office_pc.unreadable()[0].tries)

    # Tried at cycles 1, 2, 4 and 8 after it came: the office's server is not hammered.
    assert asked == [1, 2, 2, 3, 3, 3, 3, 4]


def test_a_quarantined_record_that_left_the_scope_is_removed(
    office_pc: Workspace, server: RunningServer
) -> None:
    bad = peers.office_complaints(server)[0]
    peers.corrupt(server, bad, status="entah")
    office_pc.sync()
    peers.leave_silently(server, bad)  # gone without a remove the feed could carry

    report = office_pc.sync()

    assert office_pc.unreadable() == []
    assert bad not in {s.id for s in office_pc.complaints()}
    assert report.digest_ok is True
