"""Hypothesis interleaves offline work, approvals, server changes, faults and syncs.

Whatever the order, once the network heals and a sync runs: the digests
match, every reply that says "sent" arrived exactly once, every other one
ended in conflict and never arrived, and no reply was lost or changed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from server.inprocess import start_server
from sync.errors import WorkspaceError
from sync.values import ReplyState
from tests.faults.office import (
    Work,
    assert_converged,
    moved_away_after_sending,
    office_pc,
    sync_until_ok,
)
from tests.faults.proxy import FaultProxy
from tests.faults.test_sync_faults import FAULTS
from tests.integration import peers
from tests.integration.peers import SUPERVISOR

# Faults that heal within a cycle or end it quickly; the blackhole is covered elsewhere.
FAULT_NAMES = sorted(FAULTS)


class OfficeAndServer(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="lapor-stateful-"))
        self.server = start_server(complaints=16, rate_limit=None)
        self.proxy = FaultProxy("127.0.0.1", self.server.port)
        self.workspace = office_pc(self.directory / "office", self.proxy.url)
        self.work: list[Work] = []
        self.drafts: list[Work] = []  # taken back to draft and left there
        self.withdrawn: list[str] = []  # texts taken back before they left: never sent
        self.counter = 0

    def _text(self, what: str) -> str:
        self.counter += 1
        return f"{what} {self.counter}"

    def _complaint(self, index: int) -> str | None:
        open_ids = [
            s.id for s in self.workspace.complaints() if s.status in ("verified", "in_progress")
        ]
        return open_ids[index % len(open_ids)] if open_ids else None

    @initialize()
    def some_work_waits(self) -> None:
        """Every run starts with queued work, so even a short one has something to lose."""
        self.approved_reply(0)
        self.note(1)

    @rule(index=st.integers(0, 50))
    def approved_reply(self, index: int) -> None:
        complaint_id = self._complaint(index)
        if complaint_id is None:
            return
        text = self._text("Tanggapan")
        try:
            draft = self.workspace.draft_reply(complaint_id, text)
        except WorkspaceError:
            return  # closed here already: the officer cannot start one
        self.workspace.submit_for_approval(draft)
        self.workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
        self.work.append(Work(draft, text))

    @rule(index=st.integers(0, 50))
    def note(self, index: int) -> None:
        complaint_id = self._complaint(index)
        if complaint_id is None:
            return
        text = self._text("Catatan")
        note = self.workspace.draft_reply(complaint_id, text, kind="note")
        self.workspace.submit_for_approval(note)
        self.work.append(Work(note, text))

    def _positions_in(self, state: ReplyState) -> list[int]:
        """Where in ``work`` the replies in ``state`` are (sent ones may have left)."""
        return [
            n
            for n, w in enumerate(self.work)
            if not moved_away_after_sending(self.workspace, self.server, w)
            and self.workspace.reply(w.reply_id).state is state
        ]

    def _queue_again(self, position: int, text: str) -> None:
        """A draft again with ``text``: submit (and approve a reply) so it is queued."""
        item = Work(self.work[position].reply_id, text)
        try:
            self.workspace.submit_for_approval(item.reply_id)
            if self.workspace.reply(item.reply_id).kind.value != "note":
                self.workspace.approve(item.reply_id, SUPERVISOR, peers.password(SUPERVISOR))
        except WorkspaceError:
            # Closed here meanwhile: it stays a draft, kept, and must never reach the server.
            self.work.pop(position)
            self.drafts.append(item)
            return
        self.work[position] = item

    @rule(index=st.integers(0, 50))
    def edit_while_queued(self, index: int) -> None:
        """Taken back before it left, or refused because it may be on its way."""
        queued = self._positions_in(ReplyState.QUEUED)
        if not queued:
            return
        position = queued[index % len(queued)]
        text = self._text("Diubah")
        try:
            self.workspace.update_draft(self.work[position].reply_id, text)
        except WorkspaceError:
            return  # tried already: only the server's answer settles it now
        self.withdrawn.append(self.work[position].text)
        self._queue_again(position, text)

    @rule(index=st.integers(0, 50))
    def revise_after_conflict(self, index: int) -> None:
        conflicts = self._positions_in(ReplyState.CONFLICT)
        if not conflicts:
            return
        position = conflicts[index % len(conflicts)]
        item = self.work[position]
        if self.workspace.complaint(self.workspace.reply(item.reply_id).complaint_id).removed:
            return  # gone from the office: nothing to revise on
        self.workspace.revise(item.reply_id)
        self._queue_again(position, item.text)

    @rule(index=st.integers(0, 50), change=st.sampled_from(["note", "reply", "complete", "move"]))
    def server_changes(self, index: int, change: str) -> None:
        ids = peers.office_complaints(self.server)
        if not ids:
            return
        complaint_id = ids[index % len(ids)]
        if change == "note":
            peers.admin_notes(self.server, complaint_id, "catatan admin")
        elif change == "reply":
            peers.reporter_replies(self.server, complaint_id, "balasan pelapor")
        elif change == "complete":
            peers.admin_completes(self.server, complaint_id)
        else:
            peers.move_away(self.server, complaint_id)

    @rule()
    def cursor_expires(self) -> None:
        ids = peers.office_complaints(self.server)
        if ids:
            peers.admin_notes(self.server, ids[0], "sebelum purge")
            peers.expire_cursors(self.server)

    @rule(fault=st.sampled_from(FAULT_NAMES))
    def sync_under_fault(self, fault: str) -> None:
        break_network, _ = FAULTS[fault]  # how the cycle ends is test_sync_faults.py's concern
        break_network(self.proxy)
        self.workspace.sync(confirm_mass_removal=lambda removing, total: True)
        self.proxy.pass_through()

    @rule()
    def sync(self) -> None:
        report = self.workspace.sync(confirm_mass_removal=lambda removing, total: True)
        assert report.ok, report

    @invariant()
    def nothing_lost(self) -> None:
        for item in self.drafts:
            assert self.workspace.reply(item.reply_id).text == item.text
        for item in self.work:
            if not moved_away_after_sending(self.workspace, self.server, item):
                assert self.workspace.reply(item.reply_id).text == item.text

    def teardown(self) -> None:
        try:
            self.proxy.pass_through()
            sync_until_ok(self.workspace)
            assert_converged(self.workspace, self.server, self.work, all_sent=False)
            for withdrawn in self.withdrawn:
                assert peers.events_with_text(self.server, withdrawn) == 0
            for item in self.drafts:
                reply = self.workspace.reply(item.reply_id)
                assert reply.state is ReplyState.DRAFT and reply.text == item.text
                assert peers.events_with_text(self.server, item.text) == 0
        finally:
            self.workspace.close()
            self.proxy.close()
            self.server.stop()
            shutil.rmtree(self.directory, ignore_errors=True)


def test_any_interleaving_converges_exactly_once() -> None:
    run_state_machine_as_test(
        OfficeAndServer,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
