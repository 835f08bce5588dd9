"""Kotak Keluar: what waits to be sent, how long the oldest has waited, errors in plain words."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import message_for_code
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.models.table import Column, ValueTableModel
from desktop.session import Session
from desktop.views.common import Screen, list_table, page_title
from desktop.workers import LatestRead
from sync.values import OutboxEntry, OutboxState

if TYPE_CHECKING:
    from sync import Workspace

_STATE_COLORS = {
    OutboxState.CONFLICT: "#b26a00",
    OutboxState.REJECTED: "#c62828",
    OutboxState.SENT: "#1b7f3b",
}


def mutation_type_name(kind: str) -> str:
    from sync.values import ReplyKind

    try:
        return words.reply_kind_name(ReplyKind(kind))
    except ValueError:
        return kind


def error_text(entry: OutboxEntry) -> str:
    """Why it stopped in plain words; the server's own words follow, whole, for the curious."""
    said = (entry.last_error or "").strip()
    if entry.error_code is None:
        return said
    sentence = message_for_code(entry.error_code)
    return f"{sentence} ({said})" if said else sentence


class OutboxModel(ValueTableModel[OutboxEntry]):
    context = "OutboxModel"

    def __init__(self) -> None:
        super().__init__(
            [
                Column(
                    QT_TRANSLATE_NOOP("OutboxModel", "Jenis"), lambda e: mutation_type_name(e.type)
                ),
                Column(QT_TRANSLATE_NOOP("OutboxModel", "Laporan"), lambda e: e.complaint_id),
                Column(
                    QT_TRANSLATE_NOOP("OutboxModel", "Keadaan"),
                    lambda e: words.outbox_state_name(e.state),
                    color=lambda e: _STATE_COLORS.get(e.state),
                ),
                Column(
                    QT_TRANSLATE_NOOP("OutboxModel", "Dibuat"),
                    lambda e: words.format_time(e.created_at),
                    sort=lambda e: e.created_at,
                ),
                Column(
                    QT_TRANSLATE_NOOP("OutboxModel", "Percobaan"),
                    lambda e: str(e.attempts),
                    sort=lambda e: e.attempts,
                ),
                Column(QT_TRANSLATE_NOOP("OutboxModel", "Keterangan"), error_text),
            ]
        )


def read_outbox(workspace: Workspace) -> list[OutboxEntry]:
    """Runs on the task runner: the outbox, oldest first."""
    return sorted(workspace.outbox(), key=lambda e: e.created_at)


class OutboxView(Screen):
    """The outbox; 'Coba lagi' asks for a sync, a conflict opens the reply to revise.

    Read on the task runner after every change (``LatestRead``).
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = OutboxModel()
        self.title = page_title(self.tr("Kotak Keluar"))
        self.summary = words.plain_label()
        self.summary.setObjectName("outbox_summary")
        self.table = list_table(self.model, "outbox_table")
        self.table.doubleClicked.connect(self.on_table_doubleClicked)
        self.retry_button = QPushButton(self.tr("Coba lagi"))
        self.retry_button.setObjectName("outbox_retry")
        self.retry_button.clicked.connect(self.on_retry_button_clicked)
        self.open_button = QPushButton(self.tr("Buka laporan"))
        self.open_button.clicked.connect(self.on_open_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.read = LatestRead(session.runner, read_outbox, "kotak keluar", self)
        self.read.ready.connect(self.on_read_ready)
        session.data_changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.read.ask(self.session.workspace)

    @Slot(object)
    def on_read_ready(self, entries: list[OutboxEntry]) -> None:
        self.model.set_rows(entries)
        waiting = [e for e in entries if e.state == OutboxState.PENDING]
        trouble = [e for e in entries if e.state in (OutboxState.CONFLICT, OutboxState.REJECTED)]
        if not waiting and not trouble:
            self.summary.setText(self.tr("Tidak ada yang menunggu dikirim."))
        else:
            text = self.tr("%1 menunggu dikirim").replace("%1", str(len(waiting)))
            if waiting:
                oldest = words.age_text(waiting[0].created_at, datetime.now(UTC))
                text += " · " + self.tr("yang tertua sudah %1").replace("%1", oldest)
            if trouble:
                text += " · " + self.tr("%1 perlu diperiksa").replace("%1", str(len(trouble)))
            self.summary.setText(text)

    def selected(self) -> OutboxEntry | None:
        index = self.table.currentIndex()
        return self.model.value(index.row()) if index.isValid() else None

    @Slot()
    def on_retry_button_clicked(self) -> None:
        self.session.sync_requested.emit()

    @Slot()
    def on_open_button_clicked(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.session.open_complaint.emit(entry.complaint_id)

    @Slot(QModelIndex)
    def on_table_doubleClicked(self, index: QModelIndex) -> None:
        entry = self.model.value(index.row())
        if entry is None:
            return
        if entry.state in (OutboxState.CONFLICT, OutboxState.REJECTED) and entry.reply_id:
            self.session.open_complaint.emit(entry.complaint_id)
            self.session.edit_reply.emit(entry.complaint_id, entry.reply_id, entry.type)
        else:
            self.session.open_complaint.emit(entry.complaint_id)
