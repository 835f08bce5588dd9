"""The inbox's line for complaints the server sent that this PC could not read.

Such a complaint is held aside (quarantined) and each sync asks the server
for it again (``sync.cycle.refetch``), but until it comes readable it is in no list:
the officer must at least know that it exists, how many there are and why,
so that someone calls the LAPOR! admin (issue 14, item 3).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.session import Session
from desktop.workers import LatestRead
from sync.values import UnreadableInfo

BANNER_STYLE = "background: #fff3e0; padding: 6px;"  # the returned-draft banner's colour


class UnreadableBanner(QWidget):
    """'N laporan dari server tidak dapat dibaca' and a button for the reasons; hidden at 0.

    Reads ``Workspace.unreadable`` on the task runner, again after every change
    of the local copy (a sync may have brought one or resolved one).
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unreadable_banner")
        self.session = session
        self.items: list[UnreadableInfo] = []
        self.read = LatestRead(
            session.runner, session.workspace.unreadable, "unreadable complaints", self
        )
        self.read.ready.connect(self.show_items)
        self.setStyleSheet(BANNER_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = words.plain_label()
        self.label.setObjectName("unreadable_count")
        self.label.setWordWrap(True)
        self.details_button = QPushButton(self.tr("Lihat alasannya"))
        self.details_button.setObjectName("unreadable_details")
        self.details_button.clicked.connect(self.on_details_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button)
        self.hide()
        session.data_changed.connect(self.on_session_data_changed)
        self.refresh()

    @Slot()
    def on_session_data_changed(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.read.ask()

    @Slot(object)
    def show_items(self, items: list[UnreadableInfo]) -> None:
        self.items = items
        self.label.setText(
            self.tr(
                "%1 laporan dari server tidak dapat dibaca dan belum tampil di daftar. "
                "Setiap sinkronisasi memintanya lagi."
            ).replace("%1", str(len(items)))
        )
        self.setVisible(bool(items))

    @Slot()
    def on_details_button_clicked(self) -> None:
        dialog = UnreadableDialog(self.items, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()  # not exec(): the GUI thread keeps serving its signals


class UnreadableDialog(QDialog):
    """Each unreadable complaint: its number, since when, tries, the next try and the reason."""

    def __init__(self, items: list[UnreadableInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unreadable_dialog")
        self.setWindowTitle(self.tr("Laporan yang tidak dapat dibaca"))
        self.resize(760, 320)
        self.items = items
        layout = QVBoxLayout(self)
        intro = words.plain_label(
            self.tr(
                "Server mengirim laporan ini dalam bentuk yang tidak dapat dibaca LAPOR Desk. "
                "Laporan itu diminta lagi otomatis sampai terbaca. Bila tetap gagal, "
                "sampaikan nomor dan alasannya kepada admin LAPOR! (Salin detail)."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        headers = [self.tr("Nomor"), self.tr("Sejak"), self.tr("Dicoba lagi"),
                   self.tr("Berikutnya"), self.tr("Alasan")]
        self.table = QTableWidget(len(items), len(headers))
        self.table.setObjectName("unreadable_table")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, item in enumerate(items):
            # The reason is the core's, in English: where and why the record failed,
            # never its values; the admin reads it as it stands.
            cells = [item.id, words.format_time(item.since), str(item.tries),
                     self.next_try_text(item), item.reason]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Tutup"))
        self.copy_button = QPushButton(self.tr("Salin detail"))
        self.copy_button.setObjectName("unreadable_copy")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.on_copy_button_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def next_try_text(self, item: UnreadableInfo) -> str:
        if item.next_try_at is None:
            return self.tr("sinkronisasi berikutnya")
        return words.format_time(item.next_try_at)

    def details(self) -> str:
        """One line a complaint, for the admin: number, since, tries, reason."""
        return "\n".join(
            f"{item.id}\t{item.since.isoformat()}\t{item.tries}\t{item.reason}"
            for item in self.items
        )

    @Slot()
    def on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
