"""Kejadian Sama: other reports of the same incident, confirmed or dismissed, answered together.

Beside the complaint, above Pengaduan Serupa (issue 16). Suggestions come from
``Workspace.linked``; the officer's decision is an office note on both reports
(``confirm_link``/``dismiss_link``), so other PCs see it after a sync. A group
of confirmed reports can be answered with one text (``GroupAnswerDialog``):
each report gets its own draft, submitted, approved and sent on its own.
Reads and the link decisions run on the task runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import show_error
from desktop.session import Session
from desktop.views.common import Card, discard
from sync import protocol
from sync.incidents import IncidentLink, LinkState
from sync.workspace import Workspace


def find_links(workspace: Workspace, complaint_id: str) -> tuple[str, list[IncidentLink]]:
    """Runs on the task runner; the id comes back so a late answer is known as late."""
    return complaint_id, workspace.linked(complaint_id)


def decide(workspace: Workspace, here: str, other: str, state: LinkState) -> LinkState:
    """Runs on the task runner: a note on each report, in the outbox at once."""
    if state is LinkState.CONFIRMED:
        workspace.confirm_link(here, other)
    else:
        workspace.dismiss_link(here, other)
    return state


def link_title(link: IncidentLink) -> str:
    return link.title if link.title is not None else words.confidential_title()


class IncidentCard(Card):
    """One other report: number, date, title, place; Sama / Bukan while only suggested.

    Signals:
        open_requested(str): the other report's id, to open it.
        decided(str, object): the other report's id and the ``LinkState`` chosen.
    """

    open_requested = Signal(str)
    decided = Signal(str, object)

    def __init__(self, link: IncidentLink, parent: QWidget | None = None) -> None:
        super().__init__("incident_card", parent)
        self.link = link
        layout = self.rows
        day = words.format_date(link.submitted_at.astimezone().date())
        head = QHBoxLayout()
        self.open_button = QToolButton()
        self.open_button.setObjectName("incident_open")
        self.open_button.setAutoRaise(True)
        self.open_button.setText(link.complaint_id)
        self.open_button.setToolTip(
            QCoreApplication.translate("IncidentSection", "Buka laporan ini")
        )
        head.addWidget(self.open_button)
        head.addWidget(words.plain_label(day))
        head.addStretch(1)
        layout.addLayout(head)
        self.title = words.plain_label(link_title(link))
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.title)
        if link.district:
            layout.addWidget(words.plain_label(link.district))
        self.state = words.plain_label()
        self.state.setObjectName("incident_state")
        layout.addWidget(self.state)
        buttons = QHBoxLayout()
        self.same_button = QPushButton(
            QCoreApplication.translate("IncidentSection", "Kejadian sama")
        )
        self.same_button.setObjectName("incident_confirm")
        self.same_button.setToolTip(QCoreApplication.translate(
            "IncidentSection", "Tautkan kedua laporan; tersimpan sebagai catatan kantor"))
        self.not_button = QPushButton(QCoreApplication.translate("IncidentSection", "Bukan"))
        self.not_button.setObjectName("incident_dismiss")
        self.not_button.setToolTip(QCoreApplication.translate(
            "IncidentSection", "Bukan kejadian yang sama; tidak disarankan lagi"))
        buttons.addStretch(1)
        buttons.addWidget(self.same_button)
        buttons.addWidget(self.not_button)
        layout.addLayout(buttons)
        confirmed = link.state is LinkState.CONFIRMED
        self.state.setText(
            QCoreApplication.translate("IncidentSection", "✓ Dikonfirmasi kejadian sama")
            if confirmed
            else QCoreApplication.translate("IncidentSection", "Disarankan: mungkin kejadian sama")
        )
        self.state.setStyleSheet("color: #2e7d32;" if confirmed else "color: #555555;")
        self.same_button.setVisible(not confirmed)
        self.not_button.setText(
            QCoreApplication.translate("IncidentSection", "Lepas tautan")
            if confirmed
            else QCoreApplication.translate("IncidentSection", "Bukan")
        )
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.same_button.clicked.connect(self.on_same_button_clicked)
        self.not_button.clicked.connect(self.on_not_button_clicked)

    @Slot()
    def on_open_button_clicked(self) -> None:
        self.open_requested.emit(self.link.complaint_id)

    @Slot()
    def on_same_button_clicked(self) -> None:
        self.decided.emit(self.link.complaint_id, LinkState.CONFIRMED)

    @Slot()
    def on_not_button_clicked(self) -> None:
        self.decided.emit(self.link.complaint_id, LinkState.DISMISSED)


class IncidentSection(QWidget):
    """The Kejadian Sama list of the open complaint.

    Signals:
        open_requested(str): the officer asked to open another report.
        group_requested(str, list): this complaint and its confirmed links (``IncidentLink``),
            to be answered together.
    """

    open_requested = Signal(str)
    group_requested = Signal(str, list)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_section")
        self.session = session
        self.complaint_id = ""
        self.shown_for = ""
        self.links: list[IncidentLink] = []
        self.cards: list[IncidentCard] = []
        heading = words.plain_label(self.tr("Kejadian Sama"))
        heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.status = words.plain_label()
        self.status.setObjectName("incident_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555555;")
        self.group_button = QPushButton(self.tr("Jawab Bersama…"))
        self.group_button.setObjectName("incident_group")
        self.group_button.setToolTip(self.tr(
            "Satu teks untuk laporan ini dan laporan yang dikonfirmasi sama; "
            "tiap laporan mendapat drafnya sendiri"))
        self.group_button.clicked.connect(self.on_group_button_clicked)
        self.list_layout = QVBoxLayout()
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(heading)
        layout.addWidget(self.status)
        layout.addLayout(self.list_layout)
        layout.addWidget(self.group_button, 0, Qt.AlignmentFlag.AlignRight)
        self._shown([])
        # A decision here, on the other panel or from a sync changes what is linked.
        session.data_changed.connect(self.on_session_data_changed)

    @Slot()
    def on_session_data_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def show_for(self, complaint_id: str) -> None:
        self.complaint_id = complaint_id
        self.refresh()

    def clear(self) -> None:
        self.complaint_id = self.shown_for = ""
        self._shown([])

    def refresh(self) -> None:
        if not self.complaint_id:
            return
        self.session.runner.run(
            find_links, self.session.workspace, self.complaint_id,
            on_success=self.on_links_found, on_failure=self.on_task_failed,
            name="kejadian sama",
        )

    @Slot(object)
    def on_links_found(self, result: tuple[str, list[IncidentLink]]) -> None:
        complaint_id, links = result
        if complaint_id != self.complaint_id:
            return  # another complaint was opened meanwhile
        self.shown_for = complaint_id
        self._shown(links)

    def confirmed(self) -> list[IncidentLink]:
        return [link for link in self.links if link.state is LinkState.CONFIRMED]

    def _shown(self, links: list[IncidentLink]) -> None:
        discard(self.list_layout, list(self.cards))
        self.links, self.cards = list(links), []
        for link in self.links:
            card = IncidentCard(link)
            card.open_requested.connect(self.open_requested)
            card.decided.connect(self.decide)
            self.list_layout.addWidget(card)
            self.cards.append(card)
        self.status.setText(
            self.tr("Tidak ada laporan lain tentang kejadian ini.") if not self.links else ""
        )
        self.status.setVisible(not self.links)
        self.group_button.setVisible(bool(self.confirmed()))

    def cards_enabled(self) -> bool:
        """False while a decision is being written (its buttons wait)."""
        return all(card.not_button.isEnabled() for card in self.cards)

    @Slot(str, object)
    def decide(self, other: str, state: LinkState) -> None:
        for card in self.cards:
            card.same_button.setEnabled(False)  # once: the notes are in the outbox
            card.not_button.setEnabled(False)
        self.session.runner.run(
            decide, self.session.workspace, self.complaint_id, other, state,
            on_success=self.on_decided, on_failure=self.on_task_failed,
            name="keputusan kejadian sama",
        )

    @Slot(object)
    def on_decided(self, state: LinkState) -> None:
        self.session.notice.emit(
            self.tr("Ditautkan sebagai kejadian sama; terkirim saat sinkronisasi.")
            if state is LinkState.CONFIRMED
            else self.tr("Tautan dilepas; tidak disarankan lagi.")
        )
        self.session.data_changed.emit()  # the notes in both histories; this list again

    @Slot(object)
    def on_task_failed(self, error: BaseException) -> None:
        self.refresh()  # the buttons back, as the replica says
        show_error(self, error)

    @Slot()
    def on_group_button_clicked(self) -> None:
        if self.complaint_id:
            self.group_requested.emit(self.complaint_id, self.confirmed())


@dataclass(frozen=True)
class GroupAnswer:
    """What the officer chose in the dialog."""

    complaint_ids: list[str]
    text: str
    submit: bool  # straight on to the supervisor's approval, each on its own


class GroupAnswerDialog(QDialog):
    """One text for the reports of one incident; each gets its own draft."""

    def __init__(self, complaint_id: str, others: list[IncidentLink], text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Jawab Bersama"))
        self.resize(620, 520)
        intro = words.plain_label(self.tr(
            "Teks ini menjadi draf Tindak Lanjut tersendiri di tiap laporan yang dicentang. "
            "Nomor, nama pelapor, tanggal dan judul diisi untuk masing-masing; "
            "tiap draf disetujui dan dikirim sendiri-sendiri."))
        intro.setWordWrap(True)
        self.reports = QListWidget()
        self.reports.setObjectName("group_reports")
        for cid, title in [(complaint_id, self.tr("laporan yang dibuka")),
                           *((link.complaint_id, link_title(link)) for link in others)]:
            item = QListWidgetItem(f"{cid} · {title}")
            item.setData(Qt.ItemDataRole.UserRole, cid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.reports.addItem(item)
        self.reports.setMaximumHeight(140)
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("group_text")
        self.text.setPlaceholderText(self.tr("Tulis Tindak Lanjut untuk semua laporan ini…"))
        self.submit_box = QCheckBox(self.tr("Langsung ajukan tiap draf untuk Persetujuan"))
        self.submit_box.setChecked(True)
        self.problem = words.plain_label()
        self.problem.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("Buat Draf"),
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("group_ok")
        buttons.addButton(self.tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reports)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.submit_box)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def answer(self) -> GroupAnswer:
        ids = [
            str(self.reports.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.reports.count())
            if self.reports.item(row).checkState() == Qt.CheckState.Checked
        ]
        return GroupAnswer(ids, self.text.toPlainText(), self.submit_box.isChecked())

    @Slot()
    def on_accepted(self) -> None:
        chosen = self.answer()
        if len(chosen.complaint_ids) < 2:
            self.problem.setText(self.tr("Centang paling sedikit dua laporan."))
        elif not chosen.text.strip():
            self.problem.setText(self.tr("Tulis teksnya dulu."))
        elif len(chosen.text) > protocol.MAX_TEXT_CHARS:
            self.problem.setText(self.tr("Teks harus 1 sampai %1 karakter.").replace(
                "%1", QLocale().toString(protocol.MAX_TEXT_CHARS)))
        else:
            self.accept()
