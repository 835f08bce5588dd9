"""Lampiran of a reply's draft: each file with its size, opened or removed from the draft.

The strip shows and asks; the reply editor decides (it must save the draft
before a file can join it). What attaching needs is said before the file
picker opens, never after a file was picked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.shortcuts import Shortcut, with_key
from sync.values import DraftFile

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the upload id of a row


def size_text(size: int) -> str:
    """Bytes as an office reads them: 2,4 MB, 310 KB."""
    if size <= 0:
        return ""
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def file_line(file: DraftFile) -> str:
    size = size_text(file.size)
    return f"{file.filename} · {size}" if size else file.filename


class AttachmentStrip(QWidget):
    """The files on one draft, and the buttons that act on them.

    Signals:
        files_chosen(list): paths the person picked (or dropped) to attach.
        open_requested(str): the upload id of a file to open.
        remove_requested(str): the upload id of a file to take off the draft.
    """

    files_chosen = Signal(list)
    open_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        open_url: Callable[[QUrl], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.open_url = open_url or QDesktopServices.openUrl  # tests pass their own
        self.list = QListWidget()
        self.list.setObjectName("editor_attachments")
        self.list.setMaximumHeight(70)
        self.list.itemActivated.connect(self.on_list_itemActivated)
        self.list.currentRowChanged.connect(self.on_list_currentRowChanged)
        self.attach_button = QPushButton(self.tr("Lampirkan berkas…"))
        self.attach_button.setObjectName("editor_attach")
        self.attach_button.clicked.connect(self.on_attach_button_clicked)
        self.open_button = QPushButton(self.tr("Buka"))
        self.open_button.setObjectName("attachment_open")
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.remove_button = QPushButton(self.tr("Hapus dari Draf"))
        self.remove_button.setObjectName("attachment_remove")
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.hint = words.plain_label()
        self.hint.setObjectName("attachment_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.editable = False
        self.attach_shortcut: Shortcut | None = None  # set by the editor that binds one

        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.list)
        left.addWidget(self.hint)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 1)
        layout.addLayout(buttons)
        self.set_ready(False, "")
        self.show_files([], editable=False)

    def show_files(self, files: list[DraftFile], editable: bool, uploading: int = 0) -> None:
        self.editable = editable
        current = self.current_id()
        self.list.clear()
        for file in files:
            item = QListWidgetItem(file_line(file))
            item.setData(ID_ROLE, file.id)
            item.setToolTip(words.plain_tooltip(file.filename))
            self.list.addItem(item)
            if file.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.setVisible(self.list.count() > 0 or uploading > 0)
        self._update_buttons()

    def set_ready(self, ready: bool, why_not: str) -> None:
        """Whether a file can be attached now; if not, say what is needed first."""
        self.attach_button.setEnabled(ready)
        tooltip = (
            self.tr("Atau tarik berkas ke sini. Paling besar 25 MiB: PDF, gambar, dokumen kantor.")
            if ready
            else why_not
        )
        if self.attach_shortcut is not None:
            tooltip = with_key(tooltip, self.attach_shortcut)
        self.attach_button.setToolTip(tooltip)
        self.hint.setText("" if ready else why_not)
        self.hint.setVisible(bool(self.hint.text()))

    def current_id(self) -> str:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else ""

    def _update_buttons(self) -> None:
        chosen = bool(self.current_id())
        self.open_button.setVisible(self.list.count() > 0)
        self.remove_button.setVisible(self.list.count() > 0)
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and self.editable)

    @Slot(int)
    def on_list_currentRowChanged(self, _row: int) -> None:
        self._update_buttons()

    @Slot(QListWidgetItem)
    def on_list_itemActivated(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(str(item.data(ID_ROLE)))

    @Slot()
    def on_attach_button_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Lampirkan berkas"))
        if paths:
            self.files_chosen.emit([Path(p) for p in paths])

    @Slot()
    def on_open_button_clicked(self) -> None:
        if self.current_id():
            self.open_requested.emit(self.current_id())

    @Slot()
    def on_remove_button_clicked(self) -> None:
        if self.current_id():
            self.remove_requested.emit(self.current_id())

    def open_path(self, path: Path) -> None:
        self.open_url(QUrl.fromLocalFile(str(path)))
