"""Errors in words: expected ones calmly, unexpected ones once, in a crash dialog.

The core raises ``WorkspaceError`` with a stable code; this module turns the
code into an Indonesian (or English) sentence. Anything else that escapes is
an unexpected error: ``sys.excepthook`` and ``threading.excepthook`` log it
and hand it, by a queued signal, to a dialog in the GUI thread; the app keeps
running.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.logs import redact
from sync.errors import OFFLINE, WorkspaceError

log = logging.getLogger(__name__)


def message_for_code(code: str) -> str:
    """A sentence for a core or server error code; a general one for unknown codes."""
    # The literal strings sit in the calls so that lupdate finds them.
    messages = {
        "not_found": QCoreApplication.translate(
            "errors", "Data yang dicari tidak ada lagi. Mungkin sudah dipindahkan."
        ),
        "illegal_transition": QCoreApplication.translate(
            "errors", "Langkah ini tidak bisa dilakukan pada keadaan sekarang."
        ),
        "not_allowed": QCoreApplication.translate(
            "errors", "Anda tidak berwenang melakukan langkah ini."
        ),
        "forbidden": QCoreApplication.translate(
            "errors", "Anda tidak berwenang melakukan langkah ini."
        ),
        "invalid_credentials": QCoreApplication.translate(
            "errors", "Nama pengguna atau kata sandi salah."
        ),
        "account_locked": QCoreApplication.translate(
            "errors",
            "Akun dikunci sementara karena terlalu banyak percobaan masuk. Coba lagi nanti.",
        ),
        "not_logged_in": QCoreApplication.translate("errors", "Silakan masuk terlebih dahulu."),
        "validation_error": QCoreApplication.translate(
            "errors", "Isian belum lengkap atau tidak sesuai. Periksa kembali."
        ),
        "locked_profile": QCoreApplication.translate(
            "errors", "Profil ini terkunci. Masuk sekali dengan kata sandi Anda untuk membukanya."
        ),
        "wrong_key": QCoreApplication.translate(
            "errors", "Kunci profil tidak cocok. Masuk dengan kata sandi Anda."
        ),
        "offline": QCoreApplication.translate(
            "errors", "Tidak ada sambungan ke server. Pekerjaan Anda tersimpan di komputer ini."
        ),
        "invalid_token": QCoreApplication.translate(
            "errors", "Sesi Anda berakhir. Silakan masuk lagi."
        ),
        "token_expired": QCoreApplication.translate(
            "errors", "Sesi Anda berakhir. Silakan masuk lagi."
        ),
        "invalid_approval": QCoreApplication.translate(
            "errors", "Persetujuan ditolak server: tanda tangan tidak sah."
        ),
        "too_large": QCoreApplication.translate(
            "errors", "Berkas terlalu besar (paling besar 25 MiB)."
        ),
        "unsupported_media_type": QCoreApplication.translate(
            "errors", "Jenis berkas ini tidak diterima."
        ),
        "rate_limited": QCoreApplication.translate(
            "errors", "Server sedang sibuk. Aplikasi akan mencoba lagi sebentar lagi."
        ),
        "login_required": QCoreApplication.translate(
            "errors", "Masuk lagi selagi tersambung ke server untuk mengunggah berkas."
        ),
        "unreadable": QCoreApplication.translate("errors", "Berkas tidak dapat dibaca."),
        "conflict": QCoreApplication.translate(
            "errors", "Laporan berubah di server sejak Draf dibuat. Periksa perubahannya."
        ),
    }
    return messages.get(
        code,
        QCoreApplication.translate(
            "errors", "Terjadi kesalahan. Pekerjaan Anda tetap tersimpan di komputer ini."
        ),
    )


def describe_login(error: BaseException) -> tuple[str, str]:
    """``describe`` for a failed login, where "offline" means a first login needs the server."""
    message, details = describe(error)
    if isinstance(error, WorkspaceError) and error.code == OFFLINE:
        message = QCoreApplication.translate(
            "errors", "Server tidak dapat dihubungi; masuk pertama kali perlu jaringan."
        )
    return message, details


def describe(error: BaseException) -> tuple[str, str]:
    """(sentence for people, details for the support desk) of an expected error."""
    if isinstance(error, WorkspaceError):
        return message_for_code(error.code), redact(f"{error.code}: {error.message}")
    if isinstance(error, OSError):
        return (
            QCoreApplication.translate(
                "errors", "Berkas atau folder tidak dapat dibaca atau ditulis."
            ),
            redact(f"{type(error).__name__}: {error}"),
        )
    return message_for_code(""), redact(f"{type(error).__name__}: {error}")


def is_expected(error: BaseException) -> bool:
    return isinstance(error, WorkspaceError | OSError)


class DetailsDialog(QDialog):
    """A sentence for people, and a 'Salin detail' button that copies the details."""

    def __init__(
        self, title: str, message: str, details: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.details = details
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(icon)
        self.message_label = QLabel(message)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        row.addWidget(self.message_label, 1)
        layout.addLayout(row)
        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setVisible(False)
        layout.addWidget(self.details_view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Tutup"))
        self.copy_button = QPushButton(self.tr("Salin detail"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button = QPushButton(self.tr("Lihat detail"))
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.on_copy_button_clicked)
        self.show_button.clicked.connect(self.on_show_button_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @Slot()
    def on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Tersalin"))

    @Slot()
    def on_show_button_clicked(self) -> None:
        self.details_view.setVisible(not self.details_view.isVisible())


def show_error(parent: QWidget | None, error: BaseException) -> DetailsDialog:
    """Show an expected error calmly; returns the (non-modal) dialog."""
    message, details = describe(error)
    log.info("shown to the user: %s", details)
    dialog = DetailsDialog(
        QCoreApplication.translate("errors", "Perhatian"), message, details, parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class CrashReporter(QObject):
    """Catches what nobody expected and shows it once, from the GUI thread.

    Signals:
        crashed(str): the redacted traceback of an unexpected error; emitted from
            any thread, delivered queued to ``on_crashed`` in the GUI thread.
    """

    crashed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: DetailsDialog | None = None
        self.shown: set[str] = set()
        self.crashed.connect(self.on_crashed, Qt.ConnectionType.QueuedConnection)
        self._previous_hooks: tuple[object, object] | None = None

    def install(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks  # type: ignore[assignment]
            self._previous_hooks = None

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        self.report(exc_type, exc, tb)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.report(args.exc_type, args.exc_value, args.exc_traceback)

    def report(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        text = redact("".join(traceback.format_exception(exc_type, exc, tb)))
        log.error("unexpected error:\n%s", text)
        self.crashed.emit(text)

    @Slot(str)
    def on_crashed(self, text: str) -> None:
        # One dialog at a time, and the same fault never twice: a fault in a
        # timer must not bury the user under windows.
        key = text.strip().splitlines()[-1] if text.strip() else text
        if self.dialog is not None or key in self.shown:
            return
        self.shown.add(key)
        self.dialog = DetailsDialog(
            QCoreApplication.translate("errors", "Terjadi kesalahan"),
            QCoreApplication.translate(
                "errors",
                "Terjadi kesalahan yang tidak terduga. Kejadian ini sudah dicatat di berkas log. "
                "Aplikasi tetap berjalan dan pekerjaan Anda tersimpan.",
            ),
            text,
        )
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.finished.connect(self.on_dialog_finished)
        self.dialog.show()

    @Slot(int)
    def on_dialog_finished(self, _result: int) -> None:
        self.dialog = None
