"""Persetujuan: replies waiting for a supervisor, beside their complaint.

Approving asks for the password again: it unlocks the supervisor's signing
key, and the signature is made on this PC, offline too. The signing (a key
derivation) runs on the task runner.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import show_error
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.models.table import Column, ValueTableModel
from desktop.session import Session
from desktop.shortcuts import Shortcut, bind
from desktop.views.common import Screen, list_table, page_title
from desktop.views.complaint import ComplaintView
from desktop.views.decision import DecisionDialog, decision_error_text
from sync.errors import WorkspaceError
from sync.values import ReplyKind, ReplyState

if TYPE_CHECKING:
    from sync import Workspace

log = logging.getLogger(__name__)

TITLE_COLUMN = 1  # of ApprovalsModel: the one that stretches
CAPPED_COLUMNS = (2, 3, 5)  # kind, author, origin: elided past MAX_COLUMN_PX; number and date whole
MAX_COLUMN_PX = 110  # so that a 1366 px screen shows every column


@dataclass(frozen=True)
class Pending:
    """A reply waiting for a supervisor: drafted on this PC, or in the office's queue."""

    id: str  # the reply id (this PC) or the review id (office queue)
    from_office_queue: bool
    complaint_id: str
    title: str  # of the complaint
    kind: ReplyKind
    text: str
    suggested_agency: str
    submitted_at: datetime
    author: str  # who wrote it: two drafts on one complaint are told apart by it

    @property
    def correctable(self) -> bool:
        """A supervisor may correct a draft of this PC; a queued review is signed as it came."""
        return not self.from_office_queue


@dataclass(frozen=True)
class Decision:
    """What the supervisor is deciding: from the dialog's opening to the task's answer."""

    approving: bool
    item: Pending
    corrected: bool = False  # the text was corrected before approving


class ApprovalsModel(ValueTableModel[Pending]):
    context = "ApprovalsModel"

    def __init__(self) -> None:
        super().__init__(
            [
                Column(QT_TRANSLATE_NOOP("ApprovalsModel", "Laporan"), lambda p: p.complaint_id),
                Column(QT_TRANSLATE_NOOP("ApprovalsModel", "Judul"), lambda p: p.title),
                Column(
                    QT_TRANSLATE_NOOP("ApprovalsModel", "Jenis"),
                    lambda p: words.reply_kind_name(p.kind),
                ),
                Column(QT_TRANSLATE_NOOP("ApprovalsModel", "Penulis"), lambda p: p.author),
                Column(
                    QT_TRANSLATE_NOOP("ApprovalsModel", "Diajukan"),
                    lambda p: words.format_time(p.submitted_at),
                    sort=lambda p: p.submitted_at,
                ),
                Column(
                    QT_TRANSLATE_NOOP("ApprovalsModel", "Asal"),
                    lambda p: words.origin_name(p.from_office_queue),
                ),
            ]
        )


def pending_approvals(workspace: Workspace) -> list[Pending]:
    """Everything waiting for a supervisor here, oldest first.

    A draft of this PC that went to the office's queue is shown once, as the
    queue's item: deciding on the review is what reaches the server.
    """
    queued = [r for r in workspace.office_reviews() if r.state == "pending" and not r.decision_sent]
    queued_ids = {r.id for r in queued}
    people = workspace.people()
    found = [
        Pending(
            r.id,
            True,
            r.complaint_id,
            workspace.complaint(r.complaint_id).summary.title,
            ReplyKind(r.kind),
            r.text,
            r.suggested_agency,
            r.submitted_at,
            people.get(r.author_id, r.author_id),
        )
        for r in queued
    ]
    for summary in workspace.complaints(reply_state=ReplyState.AWAITING_APPROVAL):
        for reply in workspace.complaint(summary.id).replies:
            if reply.state == ReplyState.AWAITING_APPROVAL and reply.review_id not in queued_ids:
                found.append(
                    Pending(
                        reply.id,
                        False,
                        reply.complaint_id,
                        summary.title,
                        reply.kind,
                        reply.text,
                        reply.suggested_agency,
                        reply.updated_at,
                        people.get(reply.author_id, reply.author_id),
                    )
                )
    return sorted(found, key=lambda p: p.submitted_at)


def decide(
    workspace: Workspace,
    item: Pending,
    approving: bool,
    username: str,
    password: str,
    comment: str,
    corrected_text: str | None = None,
) -> str:
    """Runs on the task runner: unlocking the signing key takes a key derivation."""
    if item.from_office_queue:
        workspace.decide_review(item.id, username, password, approve=approving, comment=comment)
    elif approving:
        workspace.approve(item.id, username, password, corrected_text=corrected_text)
    else:
        workspace.return_draft(item.id, username, password, comment)
    return item.id


class ApprovalsView(Screen):
    """The queue on the left; the chosen reply and its complaint on the right.

    After a decision the place is kept: the next draft in the list is chosen,
    and the decision is confirmed in the status bar (``Session.notice``).
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ApprovalsModel()
        self.busy = False
        self.dialog: DecisionDialog | None = None
        self.deciding: Decision | None = None  # the one in the dialog or on the task runner
        self.shown_id = ""  # the reply in the text box, kept while the list refreshes
        self.table = list_table(self.model, "approvals_table", fit_columns=False)
        self.table.selectionModel().currentRowChanged.connect(self.on_table_currentRowChanged)
        self.summary = words.plain_label()
        self.summary.setObjectName("approvals_summary")
        # The last decision stays said here too: a sync's own line soon takes the status bar.
        self.last_decision = words.plain_label()
        self.last_decision.setObjectName("approvals_last_decision")
        self.last_decision.setStyleSheet("color: #2e7d32;")
        self.last_decision.setVisible(False)
        title = page_title(self.tr("Persetujuan"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(title)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.last_decision)
        left_layout.addWidget(self.table, 1)

        self.reply_text = QPlainTextEdit()
        self.reply_text.setObjectName("approval_reply_text")
        self.reply_heading = words.plain_label()
        self.reply_heading.setStyleSheet("font-weight: 600;")
        self.correction_hint = words.plain_label()
        self.correction_hint.setObjectName("approval_correction_hint")
        self.correction_hint.setWordWrap(True)
        self.correction_hint.setStyleSheet("color: #555;")
        self.approve_button = QPushButton(self.tr("Setujui"))
        self.approve_button.setObjectName("approve_button")
        self.approve_button.clicked.connect(self.on_approve_button_clicked)
        self.return_button = QPushButton(self.tr("Kembalikan"))
        self.return_button.setObjectName("return_button")
        self.return_button.clicked.connect(self.on_return_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.correction_hint, 1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        bind(self.approve_button, Shortcut.APPROVE, self)
        bind(self.return_button, Shortcut.RETURN, self)
        self.complaint = ComplaintView(session)
        for button in self.complaint.action_buttons.values():
            button.setVisible(False)  # a supervisor decides here; drafting is the officer's
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.reply_heading)
        right_layout.addWidget(self.reply_text, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.complaint, 2)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)  # the list wider: six columns
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        session.data_changed.connect(self.refresh)
        self.refresh()

    def _fit_columns(self) -> None:
        """Every column in sight without scrolling sideways: the title takes what is left.

        The other columns fit their contents up to a cap (a long name is elided,
        its tooltip whole), so one long name cannot push the dates out of view.
        """
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column in range(self.model.columnCount()):
            if column != TITLE_COLUMN:
                self.table.resizeColumnToContents(column)
            if column in CAPPED_COLUMNS:
                header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_PX))

    @Slot()
    def refresh(self) -> None:
        """Reload the list and keep the place: the same draft, or the one now in its row."""
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        keep = self.selected()
        self.model.set_rows(pending_approvals(self.session.workspace))
        count = self.model.rowCount()
        self.summary.setText(
            self.tr("%1 Tindak Lanjut menunggu Persetujuan").replace("%1", str(count))
            if count
            else self.tr("Tidak ada yang menunggu Persetujuan.")
        )
        ids = [p.id for p in self.model.rows]
        if keep is not None and keep.id in ids:
            row = ids.index(keep.id)
        if count:
            self.table.selectRow(min(row, count - 1))
        self._fit_columns()
        self.show_selected()

    def selected(self) -> Pending | None:
        index = self.table.currentIndex()
        return self.model.value(index.row()) if index.isValid() else None

    def show_selected(self) -> None:
        reply = self.selected()
        enabled = reply is not None and not self.busy
        self.approve_button.setEnabled(enabled)
        self.return_button.setEnabled(enabled)
        if reply is None:
            self.shown_id = ""
            self.reply_heading.setText("")
            self.reply_text.setPlainText("")
            self.correction_hint.setText("")
            self.complaint.show_detail(None)
            return
        heading = f"{words.reply_kind_name(reply.kind)} · {reply.author}"
        if reply.suggested_agency:
            heading += " · " + reply.suggested_agency
        self.reply_heading.setText(heading)
        if reply.id != self.shown_id:  # a sync's refresh leaves a correction being typed alone
            self.shown_id = reply.id
            self.reply_text.setPlainText(reply.text)
        self.reply_text.setReadOnly(not reply.correctable)
        self.correction_hint.setText(
            self.tr("Perbaikan kecil boleh langsung di teks; tercatat atas nama Anda.")
            if reply.correctable
            else self.tr("Dari antrean kantor: disetujui sebagaimana diajukan.")
        )
        self.complaint.load(reply.complaint_id)

    def corrected_text(self, item: Pending) -> str | None:
        text = self.reply_text.toPlainText()
        return text if item.correctable and item.id == self.shown_id and text != item.text else None

    @Slot(QModelIndex, QModelIndex)
    def on_table_currentRowChanged(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self.show_selected()

    @Slot()
    def on_approve_button_clicked(self) -> None:
        self.ask_and_decide(approving=True)

    @Slot()
    def on_return_button_clicked(self) -> None:
        self.ask_and_decide(approving=False)

    def ask_and_decide(self, approving: bool) -> DecisionDialog | None:
        """Open the dialog (window-modal, not blocking): it stays until the decision is made."""
        item = self.selected()
        if item is None:
            return None
        dialog = DecisionDialog(approving, self)
        dialog.submitted.connect(self.on_dialog_submitted)
        dialog.finished.connect(self.on_dialog_finished)
        self.dialog = dialog
        self.deciding = Decision(approving, item)
        dialog.open()
        return dialog

    @Slot(str, str)
    def on_dialog_submitted(self, password: str, comment: str) -> None:
        if self.deciding is not None:
            self.start_decision(self.deciding.approving, self.deciding.item, password, comment)

    @Slot(int)
    def on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def start_decision(self, approving: bool, item: Pending, password: str, comment: str) -> None:
        corrected = self.corrected_text(item) if approving else None
        self.deciding = Decision(approving, item, corrected is not None)
        self.busy = True
        self.show_selected()
        self.session.runner.run(
            decide,
            self.session.workspace,
            item,
            approving,
            self.session.user.username,
            password,
            comment,
            corrected,
            on_success=self.on_decision_succeeded if approving else self.on_return_succeeded,
            on_failure=self.on_decision_failed,
            name="approval",
        )

    def _decided(self, line: str) -> None:
        self.busy = False
        if self.dialog is not None:
            self.dialog.succeed()
        self.last_decision.setText(line)
        self.last_decision.setVisible(True)
        self.session.notice.emit(line)
        self.session.data_changed.emit()

    @Slot(object)
    def on_decision_succeeded(self, _reply_id: str) -> None:
        if self.deciding is not None:
            item = self.deciding.item
            line = (
                self.tr("Disetujui dengan perbaikan Anda: %1 (%2)")
                if self.deciding.corrected
                else self.tr("Disetujui: %1 (%2)")
            )
            self._decided(line.replace("%1", item.complaint_id).replace("%2", item.author))
        self.session.sync_requested.emit()  # an approved reply goes out as soon as it can

    @Slot(object)
    def on_return_succeeded(self, _reply_id: str) -> None:
        if self.deciding is not None:
            item = self.deciding.item
            self._decided(
                self.tr("Dikembalikan ke %2: %1")
                .replace("%1", item.complaint_id)
                .replace("%2", item.author)
            )

    @Slot(object)
    def on_decision_failed(self, error: BaseException) -> None:
        self.busy = False
        self.show_selected()
        code = error.code if isinstance(error, WorkspaceError) else type(error).__name__
        log.info("decision refused: %s", code)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.refuse(decision_error_text(error))  # the comment stays; retype the password
        else:
            show_error(self, error)
