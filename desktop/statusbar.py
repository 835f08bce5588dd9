"""The status bar: online or offline, last synced, how the last sync ended, items waiting, F5.

Every outcome of a cycle (``SyncOutcome``) has its words here and, where a
person can do something, its button: "Masuk lagi" when the tokens are gone,
"Tinjau…" for the mass-removal question, "Detail" for a refusal or a broken
answer. Offline and busy need nobody: the words say when the next attempt comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, assert_never

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox, QProgressBar, QPushButton, QStatusBar, QWidget

from desktop.errors import DetailsDialog, message_for_code
from desktop.syncing import RemovalConsent, SyncController
from desktop.words import age_text, format_clock, format_time, local_time, plain_label
from desktop.workers import LatestRead
from sync.values import MassRemoval, OutboxState, SyncOutcome, SyncReport, SyncStep

if TYPE_CHECKING:
    from sync import Workspace

GOOD = "color: #1b7f3b;"
WAITING = "color: #a15c00;"
NEEDS_A_PERSON = "color: #b00020;"
CLOCK_WARN_S = 5 * 60  # a PC clock this far off the server's is said on screen


@dataclass(frozen=True)
class Standing:
    """What the bar shows of the replica: read on the task runner after every change."""

    waiting: int  # outbox entries that wait to be sent
    last_synced_at: datetime | None  # server time of the last cycle that synced
    clock_offset_s: float  # the server's clock minus this PC's, as the last sync measured it


def read_standing(workspace: Workspace) -> Standing:
    """Runs on the task runner."""
    waiting = sum(1 for e in workspace.outbox() if e.state == OutboxState.PENDING)
    return Standing(waiting, workspace.last_synced_at(), workspace.clock_offset_s())


class SyncStatusBar(QStatusBar):
    """Shows what the sync controller knows and offers 'Sinkronkan sekarang'."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.online_label = plain_label()
        self.online_label.setObjectName("online_label")
        self.synced_label = plain_label()
        self.problem_label = plain_label()
        self.problem_label.setObjectName("sync_problem")
        self.problem_label.setVisible(False)
        # Cut short rather than push the window past a 1366 px screen (its tooltip explains).
        self.problem_label.setMinimumWidth(160)
        self.action_button = QPushButton()
        self.action_button.setObjectName("sync_action")
        self.action_button.setVisible(False)
        self.action_button.clicked.connect(self.on_action_button_clicked)
        self.waiting_label = plain_label()
        self.clock_label = plain_label()
        self.clock_label.setObjectName("clock_warning")
        self.clock_label.setStyleSheet(WAITING)
        self.clock_label.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setToolTip(self.tr("Menyinkronkan…"))  # no message: it would hide others
        self.progress.setVisible(False)
        self.sync_button = QPushButton(self.tr("Sinkronkan sekarang"))
        self.sync_button.setToolTip(self.tr("Sinkronkan sekarang (F5)"))
        self.sync_button.clicked.connect(self.on_sync_button_clicked)
        self.question: QMessageBox | None = None
        self.waiting_for_server = False  # the problem label says "mencoba lagi" for now
        self.asked: MassRemoval | None = None
        self.declined: MassRemoval | None = None  # not asked again for the same counts
        self.details: DetailsDialog | None = None
        for widget in (
            self.online_label,
            self.synced_label,
            self.problem_label,
            self.action_button,
            self.clock_label,
            self.waiting_label,
            self.progress,
        ):
            self.addPermanentWidget(widget)
        self.addPermanentWidget(self.sync_button)
        runner = controller.session.runner
        self.standing = LatestRead(runner, read_standing, "status sinkron", self)
        self.standing.ready.connect(self.on_standing_ready)
        self.clock_from_report = False  # a cycle's own measure beats the kept one
        controller.started.connect(self.on_controller_started)
        controller.progressed.connect(self.on_controller_progressed)
        controller.finished.connect(self.on_controller_finished)
        controller.online_changed.connect(self.on_controller_online_changed)
        controller.session.data_changed.connect(self.refresh_standing)
        self.on_controller_online_changed(controller.online)
        self.synced_label.setText(self.tr("Sinkron terakhir: %1").replace("%1", "…"))
        self.refresh_standing()

    @Slot()
    def on_sync_button_clicked(self) -> None:
        self.controller.sync_now()

    @Slot()
    def on_controller_started(self) -> None:
        self.progress.setRange(0, 0)  # busy until the first step is known
        self.progress.setVisible(True)
        self.sync_button.setEnabled(False)

    @Slot(int, int, str)
    def on_controller_progressed(self, done: int, total: int, text: str) -> None:
        if text.split(" ", 1)[0] == SyncStep.WAITING:
            # Backing off between retries: say so, rather than a bar that sits at 25 %.
            self.progress.setRange(0, 0)
            self.problem_label.setText(self.tr("Server belum menjawab; mencoba lagi…"))
            self.problem_label.setStyleSheet(WAITING)
            self.problem_label.setVisible(True)
            self.waiting_for_server = True
            return
        if self.waiting_for_server:
            self.waiting_for_server = False
            self.problem_label.setVisible(False)
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)

    @Slot(SyncReport)
    def on_controller_finished(self, report: SyncReport) -> None:
        self.waiting_for_server = False
        self.progress.setVisible(False)
        self.sync_button.setEnabled(True)
        self.show_outcome(report)
        if report.clock_offset_s is not None:
            self.clock_from_report = True
            self.show_clock_offset(report.clock_offset_s)
        self.refresh_standing()  # and the last sync: a failed cycle never moves it
        removal = report.mass_removal
        asking = report.outcome == SyncOutcome.MASS_REMOVAL_REFUSED and removal is not None
        if asking and removal is not None and removal != self.declined:
            self.ask_about_removal(removal)

    @Slot(bool)
    def on_controller_online_changed(self, online: bool) -> None:
        if online:
            self.online_label.setText(self.tr("● Daring"))
        elif self.controller.last_contact is not None:
            contact = self.controller.last_contact
            today = local_time(contact).date() == local_time(datetime.now(UTC)).date()
            self.online_label.setText(
                self.tr("○ Luring · terakhir tersambung %1").replace(
                    "%1", format_clock(contact) if today else format_time(contact)
                )
            )
        else:
            self.online_label.setText(self.tr("○ Luring"))
        self.online_label.setStyleSheet(GOOD if online else WAITING)

    # --- how the last cycle ended -----------------------------------------------------

    def show_outcome(self, report: SyncReport) -> None:
        """The words and the button of ``report.outcome``; nothing for a cycle that synced."""
        outcome = report.outcome
        if outcome == SyncOutcome.SYNCED:
            self.problem_label.setVisible(False)
            self.action_button.setVisible(False)
            return
        if outcome in (SyncOutcome.OFFLINE, SyncOutcome.BUSY):
            # Short: the bar must fit 1366 px; the tooltip says the work is kept.
            retry_at = self.controller.next_retry_at
            if outcome == SyncOutcome.OFFLINE:
                text = self.tr("Server tidak terjangkau; dicoba lagi pukul %1.")
            else:
                text = self.tr("Server sibuk; dicoba lagi pukul %1.")
            text = text.replace("%1", format_clock(retry_at))
            style, action = WAITING, ""
        elif outcome == SyncOutcome.LOGIN_REQUIRED:
            text = self.tr("Sinkron berhenti: masuk lagi dengan kata sandi.")
            style, action = NEEDS_A_PERSON, self.tr("Masuk lagi")
        elif outcome == SyncOutcome.MASS_REMOVAL_REFUSED:
            removal = report.mass_removal or MassRemoval(0, 0)
            text = (
                self.tr("Sinkron ditahan: server akan menghapus %1 dari %2 Laporan.")
                .replace("%1", str(removal.removing))
                .replace("%2", str(removal.total))
            )
            style, action = NEEDS_A_PERSON, self.tr("Tinjau…")
        elif outcome == SyncOutcome.REFUSED:
            text = self.tr("Server menolak sinkron.")
            style, action = NEEDS_A_PERSON, self.tr("Detail")
        elif outcome == SyncOutcome.ERROR:
            text = self.tr("Sinkron gagal.")
            style, action = NEEDS_A_PERSON, self.tr("Detail")
        else:
            assert_never(outcome)  # a new outcome needs its words here (mypy says so)
        self.problem_label.setText(text)
        self.problem_label.setStyleSheet(style)
        self.problem_label.setToolTip(message_for_code(report.error_code))
        self.problem_label.setVisible(True)
        self.action_button.setText(action)
        self.action_button.setVisible(bool(action))

    @Slot()
    def on_action_button_clicked(self) -> None:
        report = self.controller.last_report
        if report is None:
            return
        if report.outcome == SyncOutcome.LOGIN_REQUIRED:
            self.controller.session.switch_user.emit()
        elif report.outcome == SyncOutcome.MASS_REMOVAL_REFUSED and report.mass_removal:
            self.ask_about_removal(report.mass_removal)
        else:
            self.show_details(report)

    def show_details(self, report: SyncReport) -> None:
        details = f"{report.outcome}: {report.error_code or ''}: {report.error_message or ''}"
        self.details = DetailsDialog(
            self.tr("Sinkronisasi"), message_for_code(report.error_code), details, self
        )
        self.details.open()

    # --- the mass-removal question (decision 0007) ------------------------------------

    def ask_about_removal(self, removal: MassRemoval) -> None:
        """Ask, with the counts, whether the server's snapshot may remove that many."""
        if self.question is not None:
            return
        box = QMessageBox(self.window())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Hapus banyak Laporan?"))
        box.setText(
            self.tr("Server tidak lagi mengirim %1 dari %2 Laporan di komputer ini.")
            .replace("%1", str(removal.removing))
            .replace("%2", str(removal.total))
        )
        box.setInformativeText(
            self.tr(
                "Biasanya ini berarti Laporan dipindahkan ke instansi lain. Bila Anda "
                "setuju, Laporan itu dihapus dari komputer ini; Draf dan pekerjaan yang "
                "belum terkirim tetap disimpan. Bila ragu, tanyakan pengelola server dulu."
            )
        )
        remove = box.addButton(self.tr("Hapus %1 Laporan").replace("%1", str(removal.removing)),
                               QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Jangan hapus"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        remove.setObjectName("remove_button")
        keep.setObjectName("keep_button")
        box.finished.connect(self.on_question_finished)
        self.question = box
        self.asked = removal
        box.open()

    @Slot(int)
    def on_question_finished(self, _result: int) -> None:
        box, self.question = self.question, None
        if box is None:
            return
        agreed = box.clickedButton() is box.findChild(QPushButton, "remove_button")
        box.deleteLater()
        asked, self.asked = self.asked, None
        if asked is None:
            return
        if agreed:
            self.declined = None
            self.controller.sync_now(RemovalConsent(asked.removing))
        else:
            self.declined = asked

    def show_clock_offset(self, offset_s: float) -> None:
        """Say so when this PC's clock and the server's disagree by more than a few minutes."""
        off = abs(offset_s) > CLOCK_WARN_S
        self.clock_label.setVisible(off)
        if off:
            now = datetime.now(UTC)
            self.clock_label.setText(
                self.tr("Jam komputer selisih %1").replace(
                    "%1", age_text(now - timedelta(seconds=abs(offset_s)), now)
                )
            )
            self.clock_label.setToolTip(
                self.tr(
                    "Jam komputer ini berbeda dengan jam server. Tenggat dan waktu memakai "
                    "jam server. Minta pengelola TI membetulkan jam komputer ini."
                )
            )

    # --- counters --------------------------------------------------------------------

    @Slot()
    def refresh_standing(self) -> None:
        """Read what waits, the last sync and the clock again (on the task runner)."""
        self.standing.ask(self.controller.session.workspace)

    @Slot(object)
    def on_standing_ready(self, standing: Standing) -> None:
        waiting = str(standing.waiting)
        self.waiting_label.setText(self.tr("Menunggu dikirim: %1").replace("%1", waiting))
        at = standing.last_synced_at
        text = format_time(at) if at is not None else self.tr("belum pernah")
        self.synced_label.setText(self.tr("Sinkron terakhir: %1").replace("%1", text))
        if not self.clock_from_report:
            self.show_clock_offset(standing.clock_offset_s)
