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
from datetime import UTC, datetime, timedelta
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
from desktop.words import format_clock
from sync.errors import ErrorCode, WorkspaceError

log = logging.getLogger(__name__)


def message_for_code(code: ErrorCode | None) -> str:
    """A sentence for a core or server error code; a general one without a code."""
    # The literal strings sit in the calls so that lupdate finds them; a test holds every
    # member of ErrorCode worded here, in both languages.
    messages = {
        ErrorCode.NOT_FOUND: QCoreApplication.translate(
            "errors", "Data yang dicari tidak ada lagi. Mungkin sudah dipindahkan."
        ),
        ErrorCode.ILLEGAL_TRANSITION: QCoreApplication.translate(
            "errors", "Langkah ini tidak bisa dilakukan pada keadaan sekarang."
        ),
        ErrorCode.NOT_ALLOWED: QCoreApplication.translate(
            "errors", "Anda tidak berwenang melakukan langkah ini."
        ),
        ErrorCode.FORBIDDEN: QCoreApplication.translate(
            "errors", "Anda tidak berwenang melakukan langkah ini."
        ),
        ErrorCode.INVALID_CREDENTIALS: QCoreApplication.translate(
            "errors", "Nama pengguna atau kata sandi salah."
        ),
        ErrorCode.ACCOUNT_LOCKED: QCoreApplication.translate(
            "errors",
            "Akun dikunci sementara karena terlalu banyak percobaan masuk. Coba lagi "
            "nanti.",
        ),
        ErrorCode.NOT_LOGGED_IN: QCoreApplication.translate(
            "errors", "Silakan masuk terlebih dahulu."
        ),
        ErrorCode.VALIDATION: QCoreApplication.translate(
            "errors", "Isian belum lengkap atau tidak sesuai. Periksa kembali."
        ),
        ErrorCode.LOCKED_PROFILE: QCoreApplication.translate(
            "errors", "Profil ini terkunci. Masuk sekali dengan kata sandi Anda untuk membukanya."
        ),
        ErrorCode.WRONG_KEY: QCoreApplication.translate(
            "errors", "Kunci profil tidak cocok. Masuk dengan kata sandi Anda."
        ),
        ErrorCode.CANCELLED: QCoreApplication.translate(
            "errors", "Dihentikan sebelum selesai. Tidak ada yang berubah."
        ),
        ErrorCode.INVALID_RULES: QCoreApplication.translate(
            "errors",
            "Berkas aturan tenggat kantor tidak dapat dipakai. Hubungi pengelola "
            "aplikasi.",
        ),
        ErrorCode.UNREADABLE: QCoreApplication.translate("errors", "Berkas tidak dapat dibaca."),
        ErrorCode.OFFLINE: QCoreApplication.translate(
            "errors", "Tidak ada sambungan ke server. Pekerjaan Anda tersimpan di komputer ini."
        ),
        ErrorCode.LOGIN_REQUIRED: QCoreApplication.translate(
            "errors",
            "Masuk lagi dengan kata sandi selagi tersambung ke server. "
            "Pekerjaan Anda tetap tersimpan.",
        ),
        ErrorCode.TRANSPORT_ERROR: QCoreApplication.translate(
            "errors",
            "Jawaban server tidak dapat dipakai. Pekerjaan Anda tetap tersimpan; hubungi "
            "pengelola server bila berulang.",
        ),
        ErrorCode.MASS_REMOVAL_REFUSED: QCoreApplication.translate(
            "errors",
            "Server akan menghapus sebagian besar laporan kantor dari komputer ini. Tidak "
            "ada yang dihapus sebelum Anda setuju.",
        ),
        ErrorCode.DIGEST_MISMATCH: QCoreApplication.translate(
            "errors", "Salinan di komputer ini berbeda dari server; laporan diambil ulang."
        ),
        ErrorCode.SERVER_ERROR: QCoreApplication.translate(
            "errors", "Server menolak permintaan ini. Salin detail untuk pengelola server."
        ),
        ErrorCode.TOKEN_EXPIRED: QCoreApplication.translate(
            "errors", "Sesi Anda berakhir. Silakan masuk lagi."
        ),
        ErrorCode.INVALID_TOKEN: QCoreApplication.translate(
            "errors", "Sesi Anda berakhir. Silakan masuk lagi."
        ),
        ErrorCode.CURSOR_EXPIRED: QCoreApplication.translate(
            "errors", "Server meminta semua laporan diambil ulang dari awal."
        ),
        ErrorCode.INVALID_APPROVAL: QCoreApplication.translate(
            "errors", "Persetujuan ditolak server: tanda tangan tidak sah."
        ),
        ErrorCode.OFFSET_MISMATCH: QCoreApplication.translate(
            "errors", "Unggahan berkas terputus; dilanjutkan pada sinkronisasi berikutnya."
        ),
        ErrorCode.CHECKSUM_MISMATCH: QCoreApplication.translate(
            "errors", "Berkas rusak dalam perjalanan; diunggah ulang dari awal."
        ),
        ErrorCode.TOO_LARGE: QCoreApplication.translate(
            "errors", "Berkas terlalu besar (paling besar 25 MiB)."
        ),
        ErrorCode.UNSUPPORTED_MEDIA_TYPE: QCoreApplication.translate(
            "errors", "Jenis berkas ini tidak diterima."
        ),
        ErrorCode.RATE_LIMITED: QCoreApplication.translate(
            "errors", "Server sedang sibuk. Aplikasi akan mencoba lagi sebentar lagi."
        ),
        ErrorCode.KEY_EXISTS: QCoreApplication.translate(
            "errors",
            "Kunci tanda tangan perangkat ini berbeda dari yang dikenal server. Masuk lagi "
            "selagi tersambung.",
        ),
        ErrorCode.RANGE_NOT_SATISFIABLE: QCoreApplication.translate(
            "errors", "Unduhan berkas tidak cocok dengan server; diunduh ulang dari awal."
        ),
        ErrorCode.METHOD_NOT_ALLOWED: QCoreApplication.translate(
            "errors",
            "Server tidak mengenal permintaan ini. Mungkin versi server berbeda; hubungi "
            "pengelola server.",
        ),
        ErrorCode.CONFLICT: QCoreApplication.translate(
            "errors", "Laporan berubah di server sejak Draf dibuat. Periksa perubahannya."
        ),
        ErrorCode.INTERNAL_ERROR: QCoreApplication.translate(
            "errors", "Server sedang bermasalah. Aplikasi akan mencoba lagi nanti."
        ),
        ErrorCode.BAD_GATEWAY: QCoreApplication.translate(
            "errors", "Server sedang bermasalah. Aplikasi akan mencoba lagi nanti."
        ),
        ErrorCode.UNAVAILABLE: QCoreApplication.translate(
            "errors", "Server sedang tidak tersedia. Aplikasi akan mencoba lagi nanti."
        ),
    }
    if code is None or code not in messages:
        return QCoreApplication.translate(
            "errors", "Terjadi kesalahan. Pekerjaan Anda tetap tersimpan di komputer ini."
        )
    return messages[code]

# The contract's lockout (SYNC-API.md, Authentication): ten failed logins of one name
# from one address within 15 minutes lock it there for 15 minutes. The server does
# not say how many tries are left, so the login screen counts its own failures.
SERVER_LOCKOUT_FAILURES = 10
SERVER_LOCKOUT_S = 15 * 60
WARN_WHEN_TRIES_LEFT = 3


def describe_login(
    error: BaseException, failures_here: int = 0, demo: bool = False
) -> tuple[str, str]:
    """``describe`` for a failed login: what to do, how many tries are left, until when locked.

    ``failures_here`` counts the server's refusals of this name in this run of the
    app; an offline refusal carries its own ``tries_left``.
    """
    message, details = describe(error)
    if not isinstance(error, WorkspaceError):
        return message, details
    if error.code == ErrorCode.OFFLINE:
        message = QCoreApplication.translate(
            "errors",
            "Server tidak dapat dihubungi, dan masuk pertama kali di komputer ini perlu "
            "server. Sambungkan komputer ke jaringan kantor, lalu masuk lagi; sesudah itu "
            "Anda dapat masuk di sini tanpa jaringan.",
        )
        if demo:
            message += " " + QCoreApplication.translate(
                "errors", "Di mode demo: hilangkan centang “Jaringan demo terputus” di bawah."
            )
    elif error.code == ErrorCode.ACCOUNT_LOCKED:
        wait = error.details.get("retry_after_s")
        if isinstance(wait, int | float) and wait > 0:
            message = _locked_until(float(wait))
    elif error.code == ErrorCode.INVALID_CREDENTIALS:
        left = error.details.get("tries_left")
        if not isinstance(left, int):
            left = SERVER_LOCKOUT_FAILURES - failures_here if failures_here else None
        if left is not None and left <= 0:  # that was the last: the server locks it now
            message = _locked_until(SERVER_LOCKOUT_S)
        elif left is not None and left <= WARN_WHEN_TRIES_LEFT:
            message += " " + QCoreApplication.translate(
                "errors", "Tersisa %1 percobaan sebelum akun dikunci sementara."
            ).replace("%1", str(left))
    return message, details


def _locked_until(wait_s: float) -> str:
    until = datetime.now(UTC) + timedelta(seconds=wait_s)
    return QCoreApplication.translate(
        "errors",
        "Akun dikunci karena terlalu banyak percobaan masuk, sampai pukul %1. "
        "Tanyakan Atasan bila Anda lupa kata sandi.",
    ).replace("%1", format_clock(until))


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
    return message_for_code(None), redact(f"{type(error).__name__}: {error}")


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
