"""Tray notifications after a sync: new complaints, deadlines close, replies decided.

What changed is read from the core's counts before and after each sync, on
the task runner; only the comparison happens in the GUI thread. Without a
system tray (a bare desktop, a test) the same words go to the status bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.session import Session
from desktop.syncing import SyncController
from desktop.workers import LatestRead
from sync.resources import resources_dir
from sync.values import DeadlineState, ReplyKind, ReplyState

if TYPE_CHECKING:
    from sync import Workspace


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "app.png"))


@dataclass(frozen=True)
class Snapshot:
    complaints: int
    due_soon: int  # due today or within the next working days, not yet followed up
    returned: int
    sent: int  # replies to the reporter (Tindak Lanjut, penyelesaian) the server has
    notes: int = 0  # Catatan Internal the server has
    requests: int = 0  # Bukan Wewenang requests the server has


def take_snapshot(workspace: Workspace) -> Snapshot:
    """Runs on the task runner: a few indexed counts."""
    # Sent replies by kind: a note or a reassignment request is no reply to the reporter.
    sent = workspace.count_sent_replies()
    return Snapshot(
        complaints=workspace.count_complaints(),
        due_soon=workspace.count_complaints(deadline_state=DeadlineState.DUE_SOON)
        + workspace.count_complaints(deadline_state=DeadlineState.DUE_TODAY),
        returned=workspace.count_complaints(reply_state=ReplyState.RETURNED),
        sent=sent.get(ReplyKind.RESPOND, 0) + sent.get(ReplyKind.COMPLETE, 0),
        notes=sent.get(ReplyKind.NOTE, 0),
        requests=sent.get(ReplyKind.REQUEST_REASSIGNMENT, 0),
    )


def messages(before: Snapshot, after: Snapshot) -> list[str]:
    """What a person wants to hear about, in their language."""

    def tr(text: str, n: int) -> str:
        return QCoreApplication.translate("Notifier", text).replace("%1", str(n))

    found = []
    if after.complaints > before.complaints:
        found.append(tr("%1 Laporan baru", after.complaints - before.complaints))
    if after.due_soon > before.due_soon:
        found.append(tr("%1 Laporan segera mencapai Tenggat", after.due_soon))
    if after.returned > before.returned:
        found.append(tr("%1 Tindak Lanjut dikembalikan Atasan", after.returned - before.returned))
    if after.sent > before.sent:
        found.append(tr("%1 Tindak Lanjut terkirim", after.sent - before.sent))
    if after.notes > before.notes:
        found.append(tr("%1 Catatan Internal tercatat di server", after.notes - before.notes))
    if after.requests > before.requests:
        found.append(tr("%1 permintaan Bukan Wewenang terkirim", after.requests - before.requests))
    return found


class Notifier(QObject):
    """Compares the office before and after each sync and says what is new.

    Signals:
        notified(str): one line per change, after a sync.
    """

    notified = Signal(str)

    def __init__(
        self,
        session: Session,
        sync_controller: SyncController,
        tray: QSystemTrayIcon | None = None,
        first_look_ms: int = 3000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.tray = tray
        self.before: Snapshot | None = None
        self.read = LatestRead(session.runner, take_snapshot, "notifier", self)
        self.read.ready.connect(self.on_snapshot_taken)
        sync_controller.finished.connect(self.on_sync_finished)
        # The first look waits a little: the inbox's first rows come first.
        self.first_look = QTimer(self)
        self.first_look.setSingleShot(True)
        self.first_look.setInterval(first_look_ms)
        self.first_look.timeout.connect(self.refresh)
        self.first_look.start()

    @Slot()
    def refresh(self) -> None:
        self.first_look.stop()
        self.read.ask(self.session.workspace)

    @Slot(object)
    def on_sync_finished(self, _report: object) -> None:
        self.refresh()

    @Slot(object)
    def on_snapshot_taken(self, after: Snapshot) -> None:
        before, self.before = self.before, after
        if before is None:
            return  # the first look: nothing to compare with
        for line in messages(before, after):
            self.notified.emit(line)
            if self.tray is not None and self.tray.isVisible():
                self.tray.showMessage(
                    "LAPOR Desk", line, QSystemTrayIcon.MessageIcon.Information, 10_000
                )

