"""Pieces several screens share: a page title and a read-only list table."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from desktop.words import plain_label


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
