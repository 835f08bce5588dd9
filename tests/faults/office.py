"""An office PC with work queued, and the invariants every fault test checks after healing.

- client and server digests match;
- every queued action took effect on the server exactly once (its text appears
  once, its mutation id is recorded once);
- no draft is lost: every reply is still there, and sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from server.inprocess import RunningServer
from sync.cycle.pull import replica_digest
from sync.errors import ErrorCode, WorkspaceError
from sync.store.database import read_session
from sync.store.local import OutboxItem
from sync.values import ReplyState, SyncReport
from sync.workspace import Workspace
from tests.integration import peers
from tests.integration.peers import OFFICER, SUPERVISOR


@dataclass(frozen=True)
class Work:
    reply_id: str
    text: str


def office_pc(directory: Path, url: str) -> Workspace:
    """Supervisor and officer logged in online once; the replica synced."""
    workspace = peers.open_profile(directory, url)
    peers.log_in(workspace, SUPERVISOR)
    peers.log_in(workspace, OFFICER)
    report = workspace.sync()
    assert report.ok, report
    return workspace


def queue_work(workspace: Workspace, server: RunningServer, tag: str, notes: int = 3) -> list[Work]:
    """An approved reply on each open complaint and a few internal notes, all queued."""
    work = []
    complaints = peers.open_complaints(server)
    for complaint_id in complaints:
        text = f"Tanggapan {tag} untuk {complaint_id}"
        draft = workspace.draft_reply(complaint_id, text)
        workspace.submit_for_approval(draft)
        workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
        work.append(Work(draft, text))
    for n in range(notes):
        text = f"Catatan {tag} #{n} ✓"
        note = workspace.draft_reply(complaints[n % len(complaints)], text, kind="note")
        workspace.submit_for_approval(note)
        work.append(Work(note, text))
    return work


def sync_until_ok(workspace: Workspace, attempts: int = 5) -> SyncReport:
    report = workspace.sync()
    for _ in range(attempts - 1):
        if report.ok and report.digest_ok:
            break
        report = workspace.sync()
    assert report.ok and report.digest_ok, report
    return report


def moved_away_after_sending(workspace: Workspace, server: RunningServer, item: Work) -> bool:
    """True where a reply is gone because its complaint left the office once it was sent.

    The contract keeps a record that leaves the office only while it holds
    unsent work; a sent reply goes with it. Then its text must have arrived once.
    """
    try:
        workspace.reply(item.reply_id)
    except WorkspaceError as exc:
        if exc.code != ErrorCode.NOT_FOUND:
            raise
        assert peers.events_with_text(server, item.text) == 1, item
        return True
    return False


def assert_converged(
    workspace: Workspace, server: RunningServer, work: list[Work], *, all_sent: bool = True
) -> None:
    """The invariants; with ``all_sent=False`` a reply may also end in conflict (never sent)."""
    with read_session(workspace.database) as session:
        assert replica_digest(session) == peers.digest(server)
        sent = list(session.scalars(select(OutboxItem.id).where(OutboxItem.state == "sent")))
        unsent = list(session.scalars(select(OutboxItem.id).where(OutboxItem.state != "sent")))
    assert peers.mutations_applied(server, sent) == len(sent)
    assert peers.mutations_applied(server, unsent) == 0
    for item in work:
        if moved_away_after_sending(workspace, server, item):
            continue
        reply = workspace.reply(item.reply_id)  # never lost
        assert reply.text == item.text
        settled = {ReplyState.SENT} if all_sent else {ReplyState.SENT, ReplyState.CONFLICT}
        assert reply.state in settled, (item, reply.state)
        arrived = 1 if reply.state is ReplyState.SENT else 0
        assert peers.events_with_text(server, item.text) == arrived, item
    left = [entry for entry in workspace.outbox() if entry.state.value != "conflict"]
    assert left == [], left
