"""A small table over a list of frozen values, for lists that fit in memory (outbox, approvals).

Columns are declared, not coded: a header and a function from the value to
the text. The raw value of a row is under ``VALUE_ROLE``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop import words

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's value
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # what the column sorts on

T = TypeVar("T")
# Combined once: an enum "or" is a Python call, and a view asks for every cell it paints.
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str  # source-language text, translated in the context of the model's class
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    color: Callable[[T], str | None] | None = None


class ReadOnlyTableModel(QAbstractTableModel):
    """The shape every table of the app shares: flat, read-only, selectable rows.

    Subclasses keep ``rows`` and give ``column_headers()`` in the source language;
    the headers are translated in the context ``context``.
    """

    context = "ReadOnlyTableModel"
    rows: Sequence[Any]

    def column_headers(self) -> Sequence[str]:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.column_headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self.column_headers()
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)
        ):
            return QCoreApplication.translate(self.context, headers[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


class ValueTableModel(ReadOnlyTableModel, Generic[T]):
    """Rows are values; ``set_rows`` replaces them all (the lists are short)."""

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []

    def column_headers(self) -> Sequence[str]:
        return [column.header for column in self.columns]

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def value(self, row: int) -> T | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return words.plain_tooltip(column.text(value))  # data, never markup
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            color = column.color(value)
            return QBrush(QColor(color)) if color else None
        if role == VALUE_ROLE:
            return value
        if role == SORT_ROLE:
            return column.sort(value) if column.sort is not None else column.text(value)
        return None
