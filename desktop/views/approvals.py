"""Persetujuan: replies waiting for a supervisor, beside their complaint.

Approving asks for the password again: it unlocks the supervisor's signing
key, and the signature is made on this PC, offline too. The signing (a key
derivation) runs on the task runner.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import show_error
from desktop.models.table import Column, ValueTableModel
from desktop.session import Session
from desktop.views.common import list_table, page_title
from desktop.views.complaint import ComplaintView
from sync.values import ReplyKind, ReplyState

log = logging.getLogger(__name__)


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


class DecisionDialog(QDialog):
    """Password again (and a comment when returning)."""

    def __init__(self, approving: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Setujui") if approving else self.tr("Kembalikan"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            words.plain_label(
                self.tr("Persetujuan ditandatangani dengan kata sandi Anda.")
                if approving
                else self.tr("Tulis apa yang perlu diperbaiki oleh Petugas.")
            )
        )
        form = QFormLayout()
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("decision_comment")
        self.comment.setVisible(not approving)
        if not approving:
            form.addRow(self.tr("Catatan"), self.comment)
        self.password = QLineEdit()
        self.password.setObjectName("decision_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Kata sandi"), self.password)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Setujui") if approving else self.tr("Kembalikan")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Batal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def pending_approvals(workspace: Any) -> list[Pending]:
    """Everything waiting for a supervisor here, oldest first.

    A draft of this PC that went to the office's queue is shown once, as the
    queue's item: deciding on the review is what reaches the server.
    """
    queued = [r for r in workspace.office_reviews() if r.state == "pending" and not r.decision_sent]
    queued_ids = {r.id for r in queued}
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
                    )
                )
    return sorted(found, key=lambda p: p.submitted_at)


def decide(
    workspace: Any, item: Pending, approving: bool, username: str, password: str, comment: str
) -> str:
    """Runs on the task runner: unlocking the signing key takes a key derivation."""
    if item.from_office_queue:
        workspace.decide_review(item.id, username, password, approve=approving, comment=comment)
    elif approving:
        workspace.approve(item.id, username, password)
    else:
        workspace.return_draft(item.id, username, password, comment)
    return item.id


class ApprovalsView(QWidget):
    """The queue on the left; the chosen reply and its complaint on the right."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ApprovalsModel()
        self.busy = False
        self.table = list_table(self.model, "approvals_table")
        self.table.selectionModel().currentRowChanged.connect(self.on_table_currentRowChanged)
        self.summary = words.plain_label()
        self.summary.setObjectName("approvals_summary")
        title = page_title(self.tr("Persetujuan"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(title)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.table, 1)

        self.reply_text = QPlainTextEdit()
        self.reply_text.setObjectName("approval_reply_text")
        self.reply_text.setReadOnly(True)
        self.reply_heading = words.plain_label()
        self.reply_heading.setStyleSheet("font-weight: 600;")
        self.approve_button = QPushButton(self.tr("Setujui"))
        self.approve_button.setObjectName("approve_button")
        self.approve_button.clicked.connect(self.on_approve_button_clicked)
        self.return_button = QPushButton(self.tr("Kembalikan"))
        self.return_button.setObjectName("return_button")
        self.return_button.clicked.connect(self.on_return_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
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
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        session.data_changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.model.set_rows(pending_approvals(self.session.workspace))
        count = self.model.rowCount()
        self.summary.setText(
            self.tr("%1 Tindak Lanjut menunggu Persetujuan").replace("%1", str(count))
            if count
            else self.tr("Tidak ada yang menunggu Persetujuan.")
        )
        if count and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
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
            self.reply_heading.setText("")
            self.reply_text.setPlainText("")
            self.complaint.show_detail(None)
            return
        heading = words.reply_kind_name(reply.kind)
        if reply.suggested_agency:
            heading += " · " + reply.suggested_agency
        self.reply_heading.setText(heading)
        self.reply_text.setPlainText(reply.text)
        self.complaint.load(reply.complaint_id)

    @Slot(QModelIndex, QModelIndex)
    def on_table_currentRowChanged(self, _current: QModelIndex, _previous: QModelIndex) -> None:  # noqa: N802
        self.show_selected()

    @Slot()
    def on_approve_button_clicked(self) -> None:
        self.ask_and_decide(approving=True)

    @Slot()
    def on_return_button_clicked(self) -> None:
        self.ask_and_decide(approving=False)

    def ask_and_decide(self, approving: bool) -> None:
        reply = self.selected()
        if reply is None:
            return
        dialog = DecisionDialog(approving, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start_decision(
            approving, reply, dialog.password.text(), dialog.comment.toPlainText().strip()
        )

    def start_decision(self, approving: bool, item: Pending, password: str, comment: str) -> None:
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
            on_success=self.on_decision_succeeded if approving else self.on_return_succeeded,
            on_failure=self.on_decision_failed,
            name="approval",
        )

    @Slot(object)
    def on_decision_succeeded(self, _reply_id: str) -> None:
        self.busy = False
        self.session.data_changed.emit()
        self.session.sync_requested.emit()  # an approved reply goes out as soon as it can

    @Slot(object)
    def on_return_succeeded(self, _reply_id: str) -> None:
        self.busy = False
        self.session.data_changed.emit()

    @Slot(object)
    def on_decision_failed(self, error: BaseException) -> None:
        self.busy = False
        self.show_selected()
        show_error(self, error)
