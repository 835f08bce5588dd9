"""The sync cycle against the real reference server on loopback, real SQLCipher profiles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from server.inprocess import RunningServer
from sync.connection import tokens_name
from sync.errors import ErrorCode
from sync.store.database import read_session, write_session
from sync.store.local import Quarantine
from sync.values import MassRemoval, OutboxState, ReplyState, SyncOutcome
from sync.workspace import Workspace
from tests.conftest import MemoryKeyring
from tests.faults.proxy import FaultProxy
from tests.integration import peers
from tests.integration.peers import OFFICER, SUPERVISOR


@pytest.fixture
def office_pc(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    """The office's PC: the supervisor logged in online once (key registered), then the officer."""
    workspace = peers.open_profile(tmp_path / "office", server.url)
    peers.log_in(workspace, SUPERVISOR)
    peers.log_in(workspace, OFFICER)
    report = workspace.sync()
    assert report.ok, report
    yield workspace
    workspace.close()


def server_version(server: RunningServer, complaint_id: str) -> int:
    return int(peers.record(server, complaint_id)["version"])


def approved_reply(workspace: Workspace, complaint_id: str, text: str) -> str:
    draft = workspace.draft_reply(complaint_id, text)
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
    return draft


def test_officer_drafts_offline_supervisor_approves_and_the_reply_arrives_once(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy
) -> None:
    workspace = peers.open_profile(tmp_path / "office", proxy.url)
    peers.log_in(workspace, SUPERVISOR)
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    complaint_id = peers.open_complaints(server)[0]
    proxy.network_down("refuse")

    draft = approved_reply(workspace, complaint_id, "Jalan sudah kami perbaiki. Terima kasih.")
    offline = workspace.sync()

    assert not offline.online and offline.error_code == "offline"
    assert [entry.state for entry in workspace.outbox()] == [OutboxState.PENDING]
    assert workspace.reply(draft).state is ReplyState.QUEUED

    proxy.network_up()
    report = workspace.sync()

    assert report.ok and report.applied == 1 and report.digest_ok
    assert workspace.reply(draft).state is ReplyState.SENT
    assert workspace.outbox() == []
    assert peers.events_with_text(server, "Jalan sudah kami perbaiki. Terima kasih.") == 1
    detail = workspace.complaint(complaint_id)
    assert detail.summary.status == "in_progress"
    assert detail.version == peers.record(server, complaint_id)["version"]
    again = workspace.sync()
    assert again.ok and again.pushed == 0
    assert peers.events_with_text(server, "Jalan sudah kami perbaiki. Terima kasih.") == 1


def test_first_sync_copies_the_office_scope_and_the_digest_matches(
    office_pc: Workspace, server: RunningServer
) -> None:
    ids = [summary.id for summary in office_pc.complaints()]
    assert sorted(ids) == peers.office_complaints(server)
    with read_session(office_pc.database) as session:
        from sync.cycle.pull import replica_digest

        assert replica_digest(session) == peers.digest(server)


def test_a_reply_voided_by_the_reporter_goes_to_conflict_with_what_changed(
    office_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    draft = approved_reply(office_pc, complaint_id, "Balasan yang terlambat.")
    peers.reporter_replies(server, complaint_id, "Sampai sekarang belum diperbaiki!")

    report = office_pc.sync()

    assert report.ok and report.conflicts == 1
    reply = office_pc.reply(draft)
    assert reply.state is ReplyState.CONFLICT
    assert reply.text == "Balasan yang terlambat."  # the officer's words are kept
    assert any("reporter_reply" in line and "belum diperbaiki" in line
               for line in reply.conflict_changes)
    assert peers.events_with_text(server, "Balasan yang terlambat.") == 0
    # The record as it is now is here, so the officer can revise on it.
    assert office_pc.complaint(complaint_id).version == server_version(server, complaint_id)
    office_pc.revise(draft)
    office_pc.submit_for_approval(draft)
    office_pc.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
    assert office_pc.sync().applied == 1
    assert peers.events_with_text(server, "Balasan yang terlambat.") == 1


def test_a_completed_complaint_refuses_a_reply_with_the_servers_reason(
    office_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    peers.admin_completes(server, complaint_id)
    assert office_pc.sync().ok  # the replica knows it is completed now
    detail = office_pc.complaint(complaint_id)
    assert detail.summary.status == "completed"

    # A note needs no approval and goes through; the server refuses a bad body.
    note = office_pc.draft_reply(complaint_id, "Catatan internal", kind="note")
    office_pc.submit_for_approval(note)
    assert office_pc.sync().applied == 1
    assert office_pc.reply(note).state is ReplyState.SENT


def test_an_approval_for_a_complaint_closed_at_its_base_version_is_refused(
    office_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    draft = approved_reply(office_pc, complaint_id, "Tanggapan kami.")
    # Another officer's PC answered first and the record moved on: a conflict, then
    # revised on a closed record, the server refuses (validation_error) in words.
    peers.admin_completes(server, complaint_id)
    report = office_pc.sync()
    assert report.conflicts == 1
    reply = office_pc.reply(draft)
    assert reply.state is ReplyState.CONFLICT
    assert any("completed" in line for line in reply.conflict_changes)


def test_a_forged_approval_is_refused_with_the_reason(
    office_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    draft = approved_reply(office_pc, complaint_id, "Tanggapan yang diubah sesudah disetujui.")
    # Someone edits the signed text in the local database.
    from sync.store.database import write_session
    from sync.store.local import OutboxItem

    with write_session(office_pc.database) as session:
        item = session.scalars(select(OutboxItem)).one()
        item.payload = {**item.payload, "text": "Teks palsu"}

    report = office_pc.sync()

    assert report.ok and report.rejected == 1
    reply = office_pc.reply(draft)
    assert reply.state is ReplyState.REFUSED
    assert reply.refusal is not None and "invalid_approval" in reply.refusal
    assert peers.events_with_text(server, "Teks palsu") == 0
    [entry] = office_pc.outbox()
    assert entry.state is OutboxState.REJECTED and entry.error_code is ErrorCode.INVALID_APPROVAL


def test_a_malformed_record_is_quarantined_and_the_rest_applied(
    office_pc: Workspace, server: RunningServer
) -> None:
    bad, good = peers.office_complaints(server)[:2]
    peers.corrupt(server, bad, status="entah", version=0)
    peers.admin_notes(server, good, "Catatan admin nasional")

    report = office_pc.sync()

    assert report.quarantined == 1
    assert report.digest_ok is False  # the bad record cannot match: said, not hidden
    # ...and not pulled again and again: the difference is explained by the quarantine.
    assert not report.full_resync
    assert any("1 quarantined" in note for note in report.notes)
    with read_session(office_pc.database) as session:
        [row] = session.scalars(select(Quarantine)).all()
        assert (row.kind, row.record_id) == ("complaint", bad)
        assert "status" in row.reason
    events = [e.text for e in office_pc.complaint(good).events]
    assert "Catatan admin nasional" in events
    # Fixed on the server: it comes in, and the quarantine empties.
    peers.corrupt(server, bad, status="in_progress")
    fixed = office_pc.sync()
    assert fixed.digest_ok is True and fixed.quarantined == 0
    with read_session(office_pc.database) as session:
        assert session.scalars(select(Quarantine)).all() == []


def test_a_complaint_moved_away_is_removed_unless_work_hangs_on_it(
    office_pc: Workspace, server: RunningServer
) -> None:
    plain, worked = peers.open_complaints(server)[:2]
    draft = office_pc.draft_reply(worked, "Draf yang belum selesai")
    peers.move_away(server, plain)
    peers.move_away(server, worked)

    report = office_pc.sync()

    assert report.ok and report.removed == 1 and report.digest_ok
    assert plain not in {s.id for s in office_pc.complaints()}
    kept = office_pc.complaint(worked)
    assert kept.removed and office_pc.reply(draft).text == "Draf yang belum selesai"


def test_a_queued_reply_on_a_complaint_moved_away_ends_in_conflict(
    office_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.open_complaints(server)[0]
    draft = approved_reply(office_pc, complaint_id, "Terlambat: sudah dialihkan")
    peers.move_away(server, complaint_id)

    report = office_pc.sync()

    assert report.conflicts == 1
    reply = office_pc.reply(draft)
    assert reply.state is ReplyState.CONFLICT
    assert "the complaint left this office" in reply.conflict_changes[-1]
    assert office_pc.complaint(complaint_id).removed


def test_an_expired_cursor_pulls_afresh_and_reconciles(
    office_pc: Workspace, server: RunningServer
) -> None:
    gone = peers.office_complaints(server)[0]
    peers.move_away(server, gone)
    peers.admin_notes(server, peers.office_complaints(server)[0], "sesudah")
    peers.expire_cursors(server)  # the remove itself was purged: only a snapshot shows it

    report = office_pc.sync()

    assert report.ok and report.full_resync and report.digest_ok
    assert report.removed == 1
    assert gone not in {s.id for s in office_pc.complaints()}


def test_a_snapshot_that_would_empty_the_replica_asks_first(
    office_pc: Workspace, server: RunningServer
) -> None:
    for complaint_id in peers.office_complaints(server):
        peers.move_away(server, complaint_id)
    peers.expire_cursors(server)
    before = len(office_pc.complaints())
    asked: list[tuple[int, int]] = []

    def refuse(removing: int, total: int) -> bool:
        asked.append((removing, total))
        return False

    report = office_pc.sync(confirm_mass_removal=refuse)

    assert asked == [(before, before)]
    assert report.error_code == "mass_removal_refused" and not report.ok
    assert report.outcome == SyncOutcome.MASS_REMOVAL_REFUSED
    assert report.mass_removal == MassRemoval(removing=before, total=before)  # for the question
    assert len(office_pc.complaints()) == before  # nothing removed

    agreed = office_pc.sync(confirm_mass_removal=lambda removing, total: True)
    assert agreed.ok and office_pc.complaints() == []


def test_a_digest_mismatch_pulls_afresh_and_heals(
    office_pc: Workspace, server: RunningServer
) -> None:
    complaint_id = peers.office_complaints(server)[0]
    peers.silently_bump(server, complaint_id)  # the feed never says so

    report = office_pc.sync()

    assert report.ok and report.full_resync and report.digest_ok
    assert any("digest mismatch" in note for note in report.notes)
    assert office_pc.complaint(complaint_id).version == server_version(server, complaint_id)


def test_a_replica_edited_behind_the_engines_back_is_caught_by_the_kept_digest(
    office_pc: Workspace, server: RunningServer
) -> None:
    assert office_pc.sync().digest_ok  # the digest is kept now: nothing changed since
    complaint_id = peers.office_complaints(server)[0]
    with write_session(office_pc.database) as session:  # plain SQL, not the engine
        session.execute(text("UPDATE complaints SET version = version - 1 WHERE id = :id"),
                        {"id": complaint_id})

    report = office_pc.sync()

    assert report.ok and report.full_resync and report.digest_ok
    assert any("digest mismatch" in note for note in report.notes)
    assert office_pc.complaint(complaint_id).version == server_version(server, complaint_id)


def test_the_server_clock_offset_and_last_success_are_recorded(
    office_pc: Workspace,
) -> None:
    from sync.store.local import SyncState

    with read_session(office_pc.database) as session:
        state = session.get(SyncState, 1)
        assert state is not None and state.last_success is not None
        assert abs(state.server_offset_s) < 5
        assert state.cursor


def test_an_unreachable_server_is_a_report_not_an_exception(tmp_path: Path) -> None:
    workspace = peers.open_profile(tmp_path / "p", "http://127.0.0.1:9")
    report = workspace.sync()
    assert not report.online and report.error_code == "login_required"
    assert report.outcome == SyncOutcome.LOGIN_REQUIRED and not report.ok
    workspace.close()


def test_every_way_a_cycle_ends_is_its_own_outcome(
    tmp_path: Path, server: RunningServer, proxy: FaultProxy, memory_keyring: MemoryKeyring
) -> None:
    """What the status bar and ``lapor-desk sync`` tell apart: never a failure as "synced"."""
    workspace = peers.open_profile(tmp_path / "office", proxy.url)
    peers.log_in(workspace, OFFICER)
    synced = workspace.sync()
    assert (synced.outcome, synced.ok, synced.online) == (SyncOutcome.SYNCED, True, True)

    proxy.network_down("refuse")
    offline = workspace.sync()
    assert (offline.outcome, offline.ok, offline.online) == (SyncOutcome.OFFLINE, False, False)
    proxy.network_up()

    proxy.fail_next(20, 503)
    busy = workspace.sync()
    assert (busy.outcome, busy.error_code, busy.ok) == (SyncOutcome.BUSY, "offline", False)
    proxy.fail_next(20, 429)
    limited = workspace.sync()
    assert (limited.outcome, limited.error_code) == (SyncOutcome.BUSY, "rate_limited")
    proxy.pass_through()

    # A token the server no longer knows: it answered, yet nothing was synced.
    name = tokens_name(workspace.profile, workspace.profile.accounts[OFFICER].user_id)
    [key] = [k for k in memory_keyring.secrets if k[1] == name]
    memory_keyring.secrets[key] = json.dumps({"access": "dicabut", "refresh": "dicabut"})
    revoked = workspace.sync()
    assert (revoked.outcome, revoked.error_code) == (SyncOutcome.LOGIN_REQUIRED, "login_required")
    assert revoked.online and not revoked.ok
    workspace.close()
