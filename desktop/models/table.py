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

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's value
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # what the column sorts on

T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str  # source-language text, translated in the context of the model's class
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    color: Callable[[T], str | None] | None = None


class ValueTableModel(QAbstractTableModel, Generic[T]):
    """Rows are values; ``set_rows`` replaces them all (the lists are short)."""

    context = "ValueTableModel"

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def value(self, row: int) -> T | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return QCoreApplication.translate(self.context, self.columns[section].header)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(value)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            color = column.color(value)
            return QBrush(QColor(color)) if color else None
        if role == VALUE_ROLE:
            return value
        if role == SORT_ROLE:
            return column.sort(value) if column.sort is not None else column.text(value)
        return None
