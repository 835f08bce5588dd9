"""Pengaduan Serupa: the office's earlier complaints like the one open, with their replies.

Beside the complaint and its reply editor (issue 16). The list comes from
``Workspace.similar`` and a reply is made this complaint's text by
``Workspace.draft_from``, both on the task runner: no database read on the
GUI thread. What the officer already typed is replaced only when they agree
(``offer_text``). A confidential earlier complaint shows no title, place or
reply (the core hands none out). Every text from a report is plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import show_error
from desktop.session import Session
from desktop.views.common import Card, discard
from desktop.views.incident_links import IncidentSection
from sync.similar import Outcome, SimilarComplaint
from sync.workspace import Workspace

LIMIT = 5
ELIDE_CHARS = 140  # about two lines of the panel's width
PANEL_WIDTH = 250  # beside the report at 1366x768: its cards fit, the report keeps ~360



def find_similar(workspace: Workspace, complaint_id: str) -> tuple[str, list[SimilarComplaint]]:
    """Runs on the task runner; the id comes back so a late answer is known as late."""
    return complaint_id, workspace.similar(complaint_id, limit=LIMIT)


def draft_for(workspace: Workspace, complaint_id: str, source_id: str) -> tuple[str, str]:
    """Runs on the task runner: the source's reply, filled for ``complaint_id``."""
    return complaint_id, workspace.draft_from(complaint_id, source_id)


def outcome_text(outcome: Outcome) -> str:
    return {
        Outcome.OPEN: QCoreApplication.translate("SimilarPanel", "Belum dibalas"),
        Outcome.REPLIED: QCoreApplication.translate(
            "SimilarPanel", "Sudah dibalas, belum ada tanggapan"
        ),
        Outcome.REPLIED_AGAIN: QCoreApplication.translate("SimilarPanel", "Pelapor membalas lagi"),
        Outcome.COMPLETED: QCoreApplication.translate("SimilarPanel", "Selesai"),
        Outcome.SATISFIED: QCoreApplication.translate("SimilarPanel", "Selesai, pelapor puas"),
    }[outcome]


def elided(text: str, limit: int = ELIDE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def confirm_replace(parent: QWidget) -> bool:
    """Ask before the officer's own typing goes; Batal (keep it) is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("SimilarPanel", "Pakai balasan ini"))
    box.setText(
        QCoreApplication.translate(
            "SimilarPanel", "Teks yang sudah Anda ketik akan diganti dengan balasan ini. Ganti?"
        )
    )
    replace = box.addButton(
        QCoreApplication.translate("SimilarPanel", "Ganti"), QMessageBox.ButtonRole.AcceptRole
    )
    keep = box.addButton(
        QCoreApplication.translate("SimilarPanel", "Batal"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is replace


def offer_text(editor: QPlainTextEdit, text: str) -> bool:
    """Put ``text`` in the editor; typing already there stays unless the officer agrees.

    Through the cursor, not ``setPlainText``: Ctrl+Z brings the earlier text back.
    """
    if editor.isReadOnly():
        return False
    current = editor.toPlainText().strip()
    if current and current != text.strip() and not confirm_replace(editor):
        return False
    cursor = editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    editor.setTextCursor(cursor)
    editor.setFocus()
    return True


class SimilarCard(Card):
    """One earlier complaint: number and date, title, how it ended, the reply (elided)."""

    def __init__(self, item: SimilarComplaint, parent: QWidget | None = None) -> None:
        super().__init__("similar_card", parent)
        self.item = item
        layout = self.rows
        day = words.format_date(item.submitted_at.astimezone().date())
        head = words.plain_label(f"{item.id} · {day}")
        head.setObjectName("similar_number")
        head.setWordWrap(True)
        head.setStyleSheet("color: #555555;")
        head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(head)
        self.title = words.plain_label(
            item.title if item.title is not None else words.confidential_title()
        )
        self.title.setObjectName("similar_title")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.title)
        where = ", ".join(part for part in (item.category, item.district) if part)
        if where:
            place = words.plain_label(where)
            place.setWordWrap(True)
            layout.addWidget(place)
        self.outcome = words.plain_label(outcome_text(item.outcome))
        self.outcome.setObjectName("similar_outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet(
            "color: #2e7d32;"
            if item.outcome == Outcome.SATISFIED
            else "color: #c62828;"
            if item.outcome == Outcome.REPLIED_AGAIN
            else ""
        )
        layout.addWidget(self.outcome)

        self.reply = words.plain_label()
        self.reply.setObjectName("similar_reply")
        self.reply.setWordWrap(True)
        self.reply.setStyleSheet("background: #f5f5f5; padding: 4px;")
        self.reply.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expand = QToolButton()
        self.expand.setObjectName("similar_expand")
        self.expand.setCheckable(True)
        self.expand.setAutoRaise(True)
        self.expand.toggled.connect(self.on_expand_toggled)
        self.use_button = QPushButton(
            QCoreApplication.translate("SimilarPanel", "Pakai balasan ini")
        )
        self.use_button.setObjectName("similar_use")
        self.use_button.setToolTip(
            QCoreApplication.translate(
                "SimilarPanel", "Mulai draf dari balasan ini, diisi untuk laporan yang dibuka"
            )
        )
        if item.reply_text is not None:
            self.reply.setToolTip(item.reply_text)
            layout.addWidget(self.reply)
            layout.addWidget(self.expand, 0, Qt.AlignmentFlag.AlignLeft)  # a row each: narrow
            self.expand.setVisible(len(" ".join(item.reply_text.split())) > ELIDE_CHARS)
            self.on_expand_toggled(False)
        else:
            self.expand.setVisible(False)
            self.use_button.setVisible(False)
            if not item.confidential:
                note = words.plain_label(
                    QCoreApplication.translate("SimilarPanel", "Belum ada balasan terkirim.")
                )
                note.setStyleSheet("color: #555555;")
                layout.addWidget(note)
        layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignRight)

    @Slot(bool)
    def on_expand_toggled(self, expanded: bool) -> None:
        text = self.item.reply_text or ""
        self.reply.setText(text if expanded else elided(text))
        self.expand.setText(
            QCoreApplication.translate("SimilarPanel", "Ringkas")
            if expanded
            else QCoreApplication.translate("SimilarPanel", "Selengkapnya")
        )


class SimilarPanel(QWidget):
    """The similar earlier complaints of the one shown; reads on the task runner.

    Signals:
        draft_ready(str, str): the complaint id and the text drafted for it from a reply.
    """

    draft_ready = Signal(str, str)

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, embedded: bool = False
    ) -> None:
        """``embedded``: a section of the report's own scrolled page, not a column of its own."""
        super().__init__(parent)
        self.setObjectName("similar_in_report" if embedded else "similar_panel")
        self.session = session
        self.complaint_id = ""
        self.shown_for = ""  # the complaint whose list is on screen
        self.items: list[SimilarComplaint] = []
        self.cards: list[SimilarCard] = []
        if not embedded:
            self.setMinimumWidth(PANEL_WIDTH)

        # Kejadian Sama first: a link decided now saves a second answer later.
        self.incidents = IncidentSection(session)
        heading = words.plain_label(self.tr("Pengaduan Serupa"))
        heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        hint = words.plain_label(self.tr("Laporan kantor ini yang mirip, dengan balasannya."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        self.status = words.plain_label()
        self.status.setObjectName("similar_status")
        self.status.setWordWrap(True)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.incidents, heading, hint, self.status):
            self.list_layout.addWidget(widget)
        layout = QVBoxLayout(self)
        if embedded:  # the report's page scrolls it
            self.list_layout.addSpacing(4)
            layout.setContentsMargins(0, 8, 0, 0)
            layout.addWidget(self.list_widget)
        else:
            self.list_layout.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(self.list_widget)
            layout.setContentsMargins(6, 6, 6, 6)
            layout.addWidget(scroll, 1)
        self._show_status(self.tr("Pilih laporan untuk melihat pengaduan serupa."))

    # --- loading -------------------------------------------------------------------------
    def show_for(self, complaint_id: str) -> None:
        """Show the similar complaints of this one; read now if the panel is shown."""
        if complaint_id == self.complaint_id and self.shown_for == complaint_id:
            if self.isVisible():
                self.incidents.show_for(complaint_id)  # links change with decisions and syncs
            return
        self.complaint_id = complaint_id
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if not self.complaint_id:
            return
        self._clear_cards()
        self._show_status(self.tr("Memuat…"))
        self.incidents.show_for(self.complaint_id)
        self.session.runner.run(
            find_similar,
            self.session.workspace,
            self.complaint_id,
            on_success=self.on_similar_found,
            on_failure=self.on_task_failed,
            name="pengaduan serupa",
        )

    def clear(self) -> None:
        self.complaint_id = self.shown_for = ""
        self.items = []
        self.incidents.clear()
        self._clear_cards()
        self._show_status(self.tr("Pilih laporan untuk melihat pengaduan serupa."))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.complaint_id and self.shown_for != self.complaint_id:
            self.refresh()  # opened while hidden: read now

    @Slot(object)
    def on_similar_found(self, result: tuple[str, list[SimilarComplaint]]) -> None:
        complaint_id, items = result
        if complaint_id != self.complaint_id:
            return  # another complaint was opened meanwhile
        self.shown_for = complaint_id
        self.items = list(items)
        self._clear_cards()
        if not self.items:
            self._show_status(self.tr("Belum ada pengaduan serupa."))
            return
        self._show_status("")
        for item in self.items:
            card = SimilarCard(item)
            card.use_button.setProperty("source", item.id)
            card.use_button.clicked.connect(self.on_use_clicked)
            self.list_layout.insertWidget(self.list_layout.count() - 1, card)
            self.cards.append(card)

    @Slot(object)
    def on_task_failed(self, error: BaseException) -> None:
        self._show_status(self.tr("Pengaduan serupa tidak dapat dibaca."))
        show_error(self, error)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _clear_cards(self) -> None:
        discard(self.list_layout, list(self.cards))
        self.cards = []

    # --- a reply reused ------------------------------------------------------------------
    @Slot()
    def on_use_clicked(self) -> None:
        source = self.sender().property("source") if self.sender() is not None else None
        if source:
            self.use_reply(str(source))

    def use_reply(self, source_id: str) -> None:
        if not self.complaint_id:
            return
        self.session.runner.run(
            draft_for,
            self.session.workspace,
            self.complaint_id,
            source_id,
            on_success=self.on_draft_made,
            on_failure=self.on_draft_failed,
            name="draf dari balasan serupa",
        )

    @Slot(object)
    def on_draft_made(self, result: tuple[str, str]) -> None:
        complaint_id, text = result
        if complaint_id == self.complaint_id:  # not for a complaint left meanwhile
            self.draft_ready.emit(complaint_id, text)

    @Slot(object)
    def on_draft_failed(self, error: BaseException) -> None:
        show_error(self, error)
