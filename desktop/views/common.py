"""Pieces several screens share: the base of a main-window screen, a page title, a
read-only list table, and the bordered cards of the side lists."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.words import plain_label


class Screen(QWidget):
    """A screen of the main window (one entry of its navigation).

    The window calls these on every screen it has built; a screen with nothing
    to do keeps the defaults.
    """

    def flush(self) -> None:
        """Save what was typed and not yet saved (the window is closing)."""

    def save_layout(self) -> None:
        """Keep the screen's column widths and splitters in the settings."""


class Card(QFrame):
    """One item of a side list (Kejadian Sama, Pengaduan Serupa): a bordered box.

    Its rows go into ``rows``, top to bottom.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(f"QFrame#{name} {{ border: 1px solid #d0d0d0; border-radius: 4px; }}")
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(6, 6, 6, 6)
        self.rows.setSpacing(2)


def discard(layout: QBoxLayout, widgets: list[QWidget]) -> None:
    """Take ``widgets`` out of ``layout`` and delete them.

    Hidden at once: a nested event loop (a dialog, a screenshot) may run
    before the deferred delete, and would draw them over their successors.
    """
    for widget in widgets:
        layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()


def page_title(text: str) -> QLabel:
    label = plain_label(text)
    label.setObjectName("page_title")
    label.setStyleSheet("font-size: 16pt; font-weight: 600;")
    return label


def list_table(model: QAbstractItemModel, name: str, fit_columns: bool = True) -> QTableView:
    """A table that selects one whole row at a time and has no row numbers."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    if fit_columns:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table
