"""The complaint's report above the reply being written, in a split that folds the report away.

Officers quote the report's address, content and history in the reply, so it
stays in sight (``ReportText``, the complaint view's words). The split, or the
report folded away (dragged shut or by the toggle), is remembered per profile.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QSplitter, QToolButton, QWidget

from desktop.settings import Settings
from desktop.views.report import ReportText

REPORT_SHARE = 50  # per cent of the height for the report, until the person moves the split


class ReportSplit(QSplitter):
    """The report (``report``) over ``writing``; ``toggle`` folds and unfolds the report."""

    def __init__(self, settings: Settings, writing: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.settings = settings
        self.setObjectName("editor_splitter")
        self.report = ReportText()
        self.report.setObjectName("editor_report")
        self.report.setStyleSheet("background: #f5f5f5;")  # read, not written: set apart
        self.toggle = QToolButton()
        self.toggle.setObjectName("editor_report_toggle")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.toggled.connect(self.on_toggle_toggled)
        self.shown_sizes: list[int] = []  # the split to go back to after folding

        # The report folds away; the text never does.
        self.addWidget(self.report)
        self.addWidget(writing)
        self.setCollapsible(0, True)
        self.setCollapsible(1, False)
        self.setStretchFactor(0, REPORT_SHARE)
        self.setStretchFactor(1, 100 - REPORT_SHARE)
        self.setSizes([REPORT_SHARE * 10, (100 - REPORT_SHARE) * 10])
        if not settings.reply_splitter.isEmpty():
            self.restoreState(settings.reply_splitter)
        self.splitterMoved.connect(self.on_splitterMoved)
        self._show_toggle(self.sizes()[0] > 0)

    def report_shown(self) -> bool:
        return self.sizes()[0] > 0

    def _show_toggle(self, shown: bool) -> None:
        self.toggle.blockSignals(True)
        self.toggle.setChecked(shown)
        self.toggle.blockSignals(False)
        self.toggle.setArrowType(Qt.ArrowType.UpArrow if shown else Qt.ArrowType.DownArrow)
        self.toggle.setText(
            self.tr("Sembunyikan laporan") if shown else self.tr("Tampilkan laporan")
        )

    @Slot(bool)
    def on_toggle_toggled(self, shown: bool) -> None:
        sizes = self.sizes()
        total = sum(sizes) or 1000
        if shown:
            report = total * REPORT_SHARE // 100
            self.setSizes(self.shown_sizes or [report, total - report])
        else:
            self.shown_sizes = sizes
            self.setSizes([0, total])
        self._remember()

    @Slot(int, int)
    def on_splitterMoved(self, _pos: int, _index: int) -> None:
        self._remember()

    def _remember(self) -> None:
        shown = self.report_shown()
        self._show_toggle(shown)
        if shown:
            self.shown_sizes = []
        # Written to the profile's settings with the rest of the layout on close.
        self.settings.reply_splitter = self.saveState()
