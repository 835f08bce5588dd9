"""Cetak: the reply as a letter, saved as PDF or printed, and said plainly when it cannot be.

Where no printer is installed, "Cetak ke printer…" says so and offers the PDF
(to print from another computer) instead of opening a print dialog that
prints nowhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolButton, QWidget

from desktop.letter import render, save_pdf


def installed_printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


class LetterMenu(QToolButton):
    """The "Cetak" button and its menu.

    ``letter()`` gives the letter's rich text, None while there is nothing to
    print; ``file_stem()`` the PDF's suggested name. ``printers`` lists the
    installed printers (tests pass their own).

    Signals:
        said(str): a sentence for the person (nothing to print yet).
    """

    said = Signal(str)

    def __init__(
        self,
        letter: Callable[[], str | None],
        file_stem: Callable[[], str],
        parent: QWidget | None = None,
        printers: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.letter = letter
        self.file_stem = file_stem
        self.printers = printers or installed_printers
        self.no_printer_box: QMessageBox | None = None
        self.setText(self.tr("Cetak"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.pdf_action = menu.addAction(self.tr("Simpan sebagai PDF…"))
        self.pdf_action.triggered.connect(self.on_pdf_action_triggered)
        self.printer_action = menu.addAction(self.tr("Cetak ke printer…"))
        self.printer_action.triggered.connect(self.on_printer_action_triggered)
        self.setMenu(menu)

    def save_pdf(self, path: Path) -> bool:
        document = self.letter()
        if document is None:
            self.said.emit(self._nothing_yet())
            return False
        save_pdf(document, path, self.file_stem())
        return True

    def _nothing_yet(self) -> str:
        return self.tr("Tulis Tindak Lanjut dulu; surat dicetak dari teks yang tersimpan.")

    @Slot()
    def on_pdf_action_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Simpan sebagai PDF"), f"{self.file_stem()}.pdf", "PDF (*.pdf)"
        )
        if path:
            self.save_pdf(Path(path))

    @Slot()
    def on_printer_action_triggered(self) -> None:
        if not self.printers():
            self._say_no_printer()
            return
        document = self.letter()
        if document is None:
            self.said.emit(self._nothing_yet())
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            render(document, printer)

    def _say_no_printer(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("no_printer_box")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Tidak ada printer"))
        box.setText(self.tr("Komputer ini tidak punya printer yang terpasang."))
        box.setInformativeText(
            self.tr("Simpan surat sebagai PDF, lalu cetak dari komputer yang punya printer.")
        )
        pdf = box.addButton(self.tr("Simpan sebagai PDF…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Tutup"), QMessageBox.ButtonRole.RejectRole)
        pdf.clicked.connect(self.on_pdf_action_triggered)
        self.no_printer_box = box
        box.open()
