"""After a sync, the person hears what changed: new complaints, returned replies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Slot
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.notifier import Snapshot, messages
from desktop.session import Session
from desktop.syncing import SyncController
from sync.store import records
from sync.store.database import write_session
from sync.values import SyncReport
from tests.helpers.replica import PASSWORDS, complaint


class Heard(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    @Slot(str)
    def on_notified(self, line: str) -> None:
        self.lines.append(line)


def test_messages_name_each_change_once() -> None:
    before = Snapshot(complaints=4, due_soon=0, returned=0, sent=1)
    after = Snapshot(complaints=6, due_soon=1, returned=1, sent=1)
    assert messages(before, after) == [
        "2 Laporan baru",
        "1 Laporan segera mencapai Tenggat",
        "1 Tindak Lanjut dikembalikan Atasan",
    ]
    assert messages(after, after) == []


def test_changes_found_after_a_sync_reach_the_status_bar(
    qtbot: QtBot, session: Session, workspace: Any
) -> None:
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    window.notifier.refresh()  # the first look, without waiting for its timer
    qtbot.wait_until(lambda: window.notifier.before is not None, timeout=5000)
    # What a sync would bring: a new complaint, and a reply returned at another desk.
    with write_session(workspace.database) as db:
        records.upsert_complaint(db, complaint("LAP-2026-0000099"), workspace.rules)
    reply_id = workspace.draft_reply("LAP-2026-0000001", "Segera kami tangani.")
    workspace.submit_for_approval(reply_id)
    workspace.return_draft(reply_id, "siti", PASSWORDS["siti"], "Lebih rinci.")
    heard = Heard()
    window.notifier.notified.connect(heard.on_notified)
    now = datetime.now(UTC)
    window.sync_controller.finished.emit(SyncReport(started_at=now, finished_at=now, online=True))
    qtbot.wait_until(lambda: len(heard.lines) == 2, timeout=5000)
    assert heard.lines == ["1 Laporan baru", "1 Tindak Lanjut dikembalikan Atasan"]
    assert window.statusBar().currentMessage() == "1 Tindak Lanjut dikembalikan Atasan"
