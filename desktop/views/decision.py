"""The supervisor's decision on one reply: the comment (when returning), then the password.

The dialog stays open while the key derivation runs and after a refusal: a
mistyped password costs a retype, never the comment. Returning without a
comment is refused before the password is asked (the field stays closed).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import describe
from sync.errors import ErrorCode, WorkspaceError

ERROR_STYLE = "color: #c62828;"


def decision_error_text(error: BaseException) -> str:
    """The refusal in the dialog's words: only the password was asked, so only it is named."""
    if isinstance(error, WorkspaceError) and error.code == ErrorCode.INVALID_CREDENTIALS:
        return QCoreApplication.translate(
            "DecisionDialog", "Kata sandi salah. Ketik lagi kata sandi Anda."
        )
    return describe(error)[0]  # a sentence; its code and English detail stay in the log


class DecisionDialog(QDialog):
    """Password again, and a comment when returning.

    Signals:
        submitted(str, str): (password, comment) once both are given; the dialog
            stays open until ``succeed`` or ``refuse``.
    """

    submitted = Signal(str, str)

    def __init__(self, approving: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_dialog")
        self.approving = approving
        self.setWindowTitle(self.tr("Setujui") if approving else self.tr("Kembalikan"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(
            words.plain_label(
                self.tr("Persetujuan ditandatangani dengan kata sandi Anda.")
                if approving
                else self.tr("Tulis apa yang perlu diperbaiki oleh Petugas, lalu kata sandi Anda.")
            )
        )
        form = QFormLayout()
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("decision_comment")
        self.comment.setVisible(not approving)
        self.comment.textChanged.connect(self.on_comment_textChanged)
        if not approving:
            form.addRow(self.tr("Catatan"), self.comment)
        self.password = QLineEdit()
        self.password.setObjectName("decision_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Kata sandi"), self.password)
        layout.addLayout(form)
        self.message = words.plain_label()
        self.message.setObjectName("decision_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setText(self.tr("Setujui") if approving else self.tr("Kembalikan"))
        self.ok_button.setObjectName("decision_ok")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Batal"))
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.on_comment_textChanged()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    @Slot()
    def on_comment_textChanged(self) -> None:
        """Returning: the password is asked only once there is a comment."""
        ready = self.approving or bool(self.comment_text())
        self.password.setEnabled(ready)
        self.password.setPlaceholderText("" if ready else self.tr("Tulis catatan dulu"))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    @Slot()
    def on_buttons_accepted(self) -> None:
        if not self.approving and not self.comment_text():
            self.say(self.tr("Catatan untuk Petugas belum diisi."))
            self.comment.setFocus()
            return
        if not self.password.text():
            self.say(self.tr("Kata sandi belum diisi."))
            self.password.setFocus()
            return
        self.say(self.tr("Memeriksa kata sandi…"))
        self.message.setStyleSheet("")
        self._set_busy(True)
        self.submitted.emit(self.password.text(), self.comment_text())

    def refuse(self, text: str) -> None:
        """The decision failed: say why, keep the comment, ask for the password again."""
        self._set_busy(False)
        self.message.setStyleSheet(ERROR_STYLE)
        self.say(text)
        self.password.clear()
        self.password.setFocus()

    def succeed(self) -> None:
        self._set_busy(False)
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        self.comment.setReadOnly(busy)
        self.password.setReadOnly(busy)
        self.ok_button.setEnabled(not busy)
