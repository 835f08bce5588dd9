"""The status bar: online or offline, last synced, items waiting, sync progress, F5."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QProgressBar, QPushButton, QStatusBar, QWidget

from desktop.syncing import SyncController
from desktop.words import format_time, plain_label
from sync.values import OutboxState


class SyncStatusBar(QStatusBar):
    """Shows what the sync controller knows and offers 'Sinkronkan sekarang'."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.online_label = plain_label()
        self.online_label.setObjectName("online_label")
        self.synced_label = plain_label()
        self.waiting_label = plain_label()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setToolTip(self.tr("Menyinkronkan…"))  # no message: it would hide others
        self.progress.setVisible(False)
        self.sync_button = QPushButton(self.tr("Sinkronkan sekarang"))
        self.sync_button.setToolTip(self.tr("Sinkronkan sekarang (F5)"))
        self.sync_button.clicked.connect(self.on_sync_button_clicked)
        self.sync_button.setEnabled(controller.available)
        for widget in (self.online_label, self.synced_label, self.waiting_label, self.progress):
            self.addPermanentWidget(widget)
        self.addPermanentWidget(self.sync_button)
        controller.started.connect(self.on_controller_started)
        controller.progressed.connect(self.on_controller_progressed)
        controller.finished.connect(self.on_controller_finished)
        controller.online_changed.connect(self.on_controller_online_changed)
        controller.session.data_changed.connect(self.refresh_waiting)
        self.on_controller_online_changed(controller.online)
        self.show_last_synced(controller.last_report)
        self.refresh_waiting()

    @Slot()
    def on_sync_button_clicked(self) -> None:
        self.controller.sync_now()

    @Slot()
    def on_controller_started(self) -> None:
        self.progress.setRange(0, 0)  # busy until the first step is known
        self.progress.setVisible(True)
        self.sync_button.setEnabled(False)

    @Slot(int, int, str)
    def on_controller_progressed(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)

    @Slot(object)
    def on_controller_finished(self, report: Any) -> None:
        self.progress.setVisible(False)
        self.sync_button.setEnabled(True)
        if isinstance(report, BaseException) or not getattr(report, "online", False):
            self.showMessage(
                self.tr("Server tidak terjangkau. Pekerjaan Anda tersimpan, dikirim nanti."),
                10_000,
            )
        else:
            self.clearMessage()
            self.show_last_synced(report)
        self.refresh_waiting()

    @Slot(bool)
    def on_controller_online_changed(self, online: bool) -> None:
        self.online_label.setText(self.tr("● Daring") if online else self.tr("○ Luring"))
        self.online_label.setStyleSheet("color: #1b7f3b;" if online else "color: #a15c00;")

    def show_last_synced(self, report: Any) -> None:
        at = getattr(report, "finished_at", None) if report is not None else None
        if at is None:  # at start-up: the last success of an earlier session, if any
            at = self.controller.session.workspace.last_synced_at()
        text = format_time(at) if at is not None else self.tr("belum pernah")
        self.synced_label.setText(self.tr("Sinkron terakhir: %1").replace("%1", text))

    @Slot()
    def refresh_waiting(self) -> None:
        entries = self.controller.session.workspace.outbox()
        waiting = sum(1 for e in entries if e.state == OutboxState.PENDING)
        self.waiting_label.setText(self.tr("Menunggu dikirim: %1").replace("%1", str(waiting)))
