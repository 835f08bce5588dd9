"""Pieces several screens share: the base of a main-window screen, a page title and a
read-only list table."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

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
