"""Keyboard shortcuts: one table, shown in each button's tooltip and listed under Bantuan.

A button gets its key through ``bind``: a window-wide QAction on the screen
that holds the button, which clicks it. Qt fires it only while that screen is
shown (a page of the stack, the editor in place of the report), so two screens
may share a key; a hidden or disabled button does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Key:
    sequence: str  # QKeySequence's portable text
    what: str  # Indonesian source text, translated in the context "Shortcuts" (``tr``)
    where: str  # the screen, likewise


class Shortcut(Enum):
    """Every shortcut of the app; its words are translated where they are shown."""

    SAVE = Key(
        "Ctrl+S",
        QT_TRANSLATE_NOOP("Shortcuts", "Simpan Draf"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tindak Lanjut"),
    )
    SUBMIT = Key(
        "Ctrl+Return",
        QT_TRANSLATE_NOOP("Shortcuts", "Ajukan Persetujuan (Catatan: ke Kotak Keluar)"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tindak Lanjut"),
    )
    SUBMIT_TO_QUEUE = Key(
        "Ctrl+Shift+Return",
        QT_TRANSLATE_NOOP("Shortcuts", "Ajukan ke antrean kantor"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tindak Lanjut"),
    )
    WITHDRAW = Key(
        "Ctrl+Shift+U",
        QT_TRANSLATE_NOOP("Shortcuts", "Batalkan Pengajuan"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tindak Lanjut"),
    )
    ATTACH = Key(
        "Ctrl+Shift+A",
        QT_TRANSLATE_NOOP("Shortcuts", "Lampirkan berkas"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tindak Lanjut"),
    )
    PRINT = Key(
        "Ctrl+P",
        QT_TRANSLATE_NOOP("Shortcuts", "Cetak"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tindak Lanjut"),
    )
    BACK = Key(
        "Escape",
        QT_TRANSLATE_NOOP("Shortcuts", "Kembali ke laporan"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tindak Lanjut"),
    )
    RESPOND = Key(
        "Ctrl+R",
        QT_TRANSLATE_NOOP("Shortcuts", "Tulis Tindak Lanjut"),
        QT_TRANSLATE_NOOP("Shortcuts", "Laporan"),
    )
    COMPLETE = Key(
        "Ctrl+E",
        QT_TRANSLATE_NOOP("Shortcuts", "Selesaikan"),
        QT_TRANSLATE_NOOP("Shortcuts", "Laporan"),
    )
    REASSIGN = Key(
        "Ctrl+B",
        QT_TRANSLATE_NOOP("Shortcuts", "Bukan Wewenang"),
        QT_TRANSLATE_NOOP("Shortcuts", "Laporan"),
    )
    NOTE = Key(
        "Ctrl+Shift+N",
        QT_TRANSLATE_NOOP("Shortcuts", "Catatan Internal"),
        QT_TRANSLATE_NOOP("Shortcuts", "Laporan"),
    )
    SIMILAR = Key(
        "Ctrl+Shift+S",
        QT_TRANSLATE_NOOP("Shortcuts", "Tampilkan atau sembunyikan Pengaduan Serupa"),
        QT_TRANSLATE_NOOP("Shortcuts", "Laporan"),
    )
    APPROVE = Key(
        "Ctrl+Return",
        QT_TRANSLATE_NOOP("Shortcuts", "Setujui"),
        QT_TRANSLATE_NOOP("Shortcuts", "Persetujuan"),
    )
    RETURN = Key(
        "Ctrl+Shift+K",
        QT_TRANSLATE_NOOP("Shortcuts", "Kembalikan"),
        QT_TRANSLATE_NOOP("Shortcuts", "Persetujuan"),
    )
    SYNC = Key(
        "F5",
        QT_TRANSLATE_NOOP("Shortcuts", "Sinkronkan sekarang"),
        QT_TRANSLATE_NOOP("Shortcuts", "Semua layar"),
    )
    SWITCH_USER = Key(
        "Ctrl+Shift+L",
        QT_TRANSLATE_NOOP("Shortcuts", "Ganti pengguna"),
        QT_TRANSLATE_NOOP("Shortcuts", "Semua layar"),
    )
    QUIT = Key(
        "Ctrl+Q",
        QT_TRANSLATE_NOOP("Shortcuts", "Keluar"),
        QT_TRANSLATE_NOOP("Shortcuts", "Semua layar"),
    )
    HELP = Key(
        "F1",
        QT_TRANSLATE_NOOP("Shortcuts", "Pintasan papan ketik"),
        QT_TRANSLATE_NOOP("Shortcuts", "Semua layar"),
    )

    @property
    def keys(self) -> QKeySequence:
        return QKeySequence(self.value.sequence)

    def key_text(self) -> str:
        return self.keys.toString(QKeySequence.SequenceFormat.NativeText)


def tr(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


def with_key(tooltip: str, shortcut: Shortcut) -> str:
    """A tooltip that ends with the key: "Simpan Draf (Ctrl+S)"."""
    return f"{tooltip} ({shortcut.key_text()})" if tooltip else shortcut.key_text()


def bind(button: QAbstractButton, shortcut: Shortcut, screen: QWidget) -> QAction:
    """Give ``button`` the key of ``shortcut`` while ``screen`` has the focus, and say it."""
    action = QAction(screen)
    action.setShortcut(shortcut.keys)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(_Clicker(button, action).click_if_shown)
    screen.addAction(action)
    button.setToolTip(with_key(button.toolTip() or tr(shortcut.value.what), shortcut))
    return action


class _Clicker(QObject):
    """Clicks its button when the shortcut's action fires (a bound slot, not a lambda: STYLE 6)."""

    def __init__(self, button: QAbstractButton, parent: QObject) -> None:
        super().__init__(parent)
        self.button = button

    @Slot()
    def click_if_shown(self) -> None:
        # click() would press a hidden button too (the approvals page hides the drafting ones).
        if self.button.isVisible() and self.button.isEnabled():
            self.button.click()


class ShortcutsDialog(QDialog):
    """Bantuan › Pintasan papan ketik: every key, what it does, and where."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(tr("Pintasan papan ketik"))
        self.table = QTableWidget(len(Shortcut), 3)
        self.table.setObjectName("shortcuts_table")
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("ShortcutsDialog", "Tombol"),
                QCoreApplication.translate("ShortcutsDialog", "Fungsi"),
                QCoreApplication.translate("ShortcutsDialog", "Layar"),
            ]
        )
        for row, shortcut in enumerate(Shortcut):
            cells = (shortcut.key_text(), tr(shortcut.value.what), tr(shortcut.value.where))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            QCoreApplication.translate("ShortcutsDialog", "Tutup")
        )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 600)  # every row in sight


class _HelpMenu(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window

    @Slot()
    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def add_help_menu(window: QMainWindow) -> QAction:
    """The Bantuan menu with the shortcuts list (F1); returns its action."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("ShortcutsDialog", "&Bantuan"))
    action = QAction(tr("Pintasan papan ketik"), window)
    action.setObjectName("shortcuts_action")
    action.setShortcut(Shortcut.HELP.keys)
    action.triggered.connect(_HelpMenu(window).show_shortcuts)
    menu.addAction(action)
    return action
