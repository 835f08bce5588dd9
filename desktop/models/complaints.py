"""The Laporan inbox as a lazy table: pages of summaries fetched from SQL on demand.

Sorting and filtering happen in the core's SQL (``Workspace.complaints`` with
offset and limit); the model only keeps the rows fetched so far, so 100,000
complaints cost one page of memory until the person scrolls.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop import words
from desktop.models.table import SORT_ROLE, VALUE_ROLE, ReadOnlyTableModel
from sync.values import ComplaintSummary, DeadlineState, ReplyState

SUMMARY_ROLE = VALUE_ROLE  # the ComplaintSummary of the row
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # its id

# (key sent to the core as sort, header in the source language)
# What decides the day's work comes first: which one, how urgent, how sensitive.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", QT_TRANSLATE_NOOP("ComplaintTableModel", "Nomor")),
    ("title", QT_TRANSLATE_NOOP("ComplaintTableModel", "Judul")),
    ("deadline", QT_TRANSLATE_NOOP("ComplaintTableModel", "Tenggat")),
    ("flags", QT_TRANSLATE_NOOP("ComplaintTableModel", "Tanda")),
    ("reply_state", QT_TRANSLATE_NOOP("ComplaintTableModel", "Tindak Lanjut")),
    ("status", QT_TRANSLATE_NOOP("ComplaintTableModel", "Status")),
    ("category", QT_TRANSLATE_NOOP("ComplaintTableModel", "Kategori")),
    ("type", QT_TRANSLATE_NOOP("ComplaintTableModel", "Jenis")),
)
# Deadline, ascending, is the core's own order: most urgent first, or the best
# match while searching. It travels as "no sort key" so searching keeps its ranking.
DEFAULT_SORT: str | None = None

OVERDUE_COLOR = QColor("#c62828")
DUE_SOON_COLOR = QColor("#b26a00")
CONFIDENTIAL_COLOR = QColor("#b71c1c")
_DEADLINE_COLORS = {
    DeadlineState.OVERDUE: OVERDUE_COLOR,
    DeadlineState.DUE_TODAY: DUE_SOON_COLOR,
    DeadlineState.DUE_SOON: DUE_SOON_COLOR,
}


@dataclass(frozen=True)
class ComplaintFilter:
    """What the inbox shows; every field narrows in SQL. None means 'all'."""

    search: str = ""
    status: str | None = None
    deadline: str | None = None
    category: str | None = None
    reply_state: str | None = None

    def with_(self, **changes: Any) -> ComplaintFilter:
        return replace(self, **changes)


class ComplaintSource(Protocol):
    """Where the rows come from: the Workspace, through ``WorkspaceComplaints``."""

    def fetch(
        self, flt: ComplaintFilter, sort: str | None, descending: bool, offset: int, limit: int
    ) -> list[ComplaintSummary]: ...

    def count(self, flt: ComplaintFilter) -> int: ...


class WorkspaceComplaints:
    """``ComplaintSource`` over ``Workspace.complaints`` and ``count_complaints``.

    The core orders the inbox itself (open first, most urgent deadline first;
    best match when searching). ``sortable`` says whether it also takes a
    column to sort on; the table offers header sorting only then.
    """

    def __init__(self, workspace: Any) -> None:
        self.workspace = workspace
        parameters = inspect.signature(workspace.complaints).parameters
        self.sortable = "sort" in parameters and "descending" in parameters

    @staticmethod
    def _criteria(flt: ComplaintFilter) -> dict[str, Any]:
        return {
            "search": flt.search or None,
            "status": flt.status,
            "deadline_state": DeadlineState(flt.deadline) if flt.deadline else None,
            "category_id": flt.category,
            "reply_state": ReplyState(flt.reply_state) if flt.reply_state else None,
        }

    def fetch(
        self, flt: ComplaintFilter, sort: str | None, descending: bool, offset: int, limit: int
    ) -> list[ComplaintSummary]:
        order = {"sort": sort, "descending": descending} if self.sortable else {}
        return list(
            self.workspace.complaints(**self._criteria(flt), offset=offset, limit=limit, **order)
        )

    def count(self, flt: ComplaintFilter) -> int:
        return int(self.workspace.count_complaints(**self._criteria(flt)))


class ComplaintTableModel(ReadOnlyTableModel):
    """Summaries in pages; ``set_filter`` and ``sort`` start again from the first page."""

    context = "ComplaintTableModel"

    def __init__(
        self, source: ComplaintSource, page_size: int = 200, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.page_size = page_size
        self.filter = ComplaintFilter()
        self.sort_key: str | None = DEFAULT_SORT
        self.descending = False
        self.rows: list[ComplaintSummary] = []
        self.total = 0
        self.reload()

    def column_headers(self) -> Sequence[str]:
        return [header for _, header in COLUMNS]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "deadline" and row.deadline:
            color = _DEADLINE_COLORS.get(row.deadline.state)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and key == "flags" and row.confidential:
            return QBrush(CONFIDENTIAL_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == SUMMARY_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return self._sort_value(row, key)
        return None

    @staticmethod
    def _display(row: ComplaintSummary, key: str) -> str:
        if key == "id":
            return row.id
        if key == "title":
            return row.title
        if key == "category":
            return row.category
        if key == "type":
            return words.type_name(row.type)
        if key == "status":
            return words.status_name(row.status)
        if key == "deadline":
            return words.deadline_text(row.deadline)
        if key == "flags":
            marks = []
            if row.confidential:
                marks.append(words.confidential_word())
            if row.anonymous:
                marks.append(words.anonymous_word())
            return ", ".join(marks)
        if key == "reply_state":
            return words.reply_state_name(row.reply_state)
        return ""

    @staticmethod
    def _tooltip(row: ComplaintSummary, key: str) -> str | None:
        if key == "deadline" and row.deadline is not None:
            days = row.deadline.working_days_left
            if row.deadline.state == DeadlineState.DONE:
                return None
            if days < 0:
                return QCoreApplication.translate(
                    "ComplaintTableModel", "Terlambat %1 hari kerja"
                ).replace("%1", str(-days))
            return QCoreApplication.translate("ComplaintTableModel", "Sisa %1 hari kerja").replace(
                "%1", str(days)
            )
        if key == "title":
            return words.plain_tooltip(row.title)
        return None

    @staticmethod
    def _sort_value(row: ComplaintSummary, key: str) -> Any:
        if key == "deadline":
            return row.deadline.due.isoformat() if row.deadline else ""
        if key == "flags":
            return int(row.confidential) * 2 + int(row.anonymous)
        if key == "reply_state":
            return str(row.reply_state or "")
        return str(getattr(row, key))

    # --- paging ----------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008,N802
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008,N802
        if parent.isValid() or len(self.rows) >= self.total:
            return
        page = self.source.fetch(
            self.filter, self.sort_key, self.descending, len(self.rows), self.page_size
        )
        if not page:
            self.total = len(self.rows)  # the data shrank since the count
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    # --- what to show ----------------------------------------------------------
    def reload(self) -> None:
        """Count again and start from the first page (after a sync or a local change)."""
        self.beginResetModel()
        self.total = self.source.count(self.filter)
        self.rows = self.source.fetch(
            self.filter, self.sort_key, self.descending, 0, self.page_size
        )
        self.total = max(self.total, len(self.rows))
        self.endResetModel()

    def set_filter(self, flt: ComplaintFilter) -> None:
        if flt != self.filter:
            self.filter = flt
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        self.sort_key = DEFAULT_SORT if key == "deadline" and not descending else key
        self.descending = descending
        self.reload()

    def summary(self, row: int) -> ComplaintSummary | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, complaint_id: str) -> int:
        for number, row in enumerate(self.rows):
            if row.id == complaint_id:
                return number
        return -1
