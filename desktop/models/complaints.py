"""The Laporan inbox as a lazy table: pages of summaries fetched from SQL on demand.

Sorting and filtering happen in the core's SQL (``Workspace.complaints`` with
offset and limit). The model knows the number of matching complaints and
keeps only a few pages of them, the ones on screen lately: the scroll bar
spans all 100,000 rows, jumping to the end reads the last page only, and
memory stays at a few pages however far one scrolls. (``canFetchMore`` paging
would hold every row scrolled past and could not jump.)

With a task runner every query runs on a worker: a new search or filter
keeps the old rows on screen until the new count and first page arrive
(``loading``, then ``loaded``), and a page not yet read paints as "…" until
it comes. Without a runner (scripts, simple tests) queries run inline.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from desktop import words
from desktop.errors import is_expected
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.models.table import SORT_ROLE, VALUE_ROLE, ReadOnlyTableModel
from desktop.workers import TaskRunner
from sync.errors import ErrorCode, WorkspaceError
from sync.values import ComplaintSummary, DeadlineState, ReplyState

if TYPE_CHECKING:
    from sync import Workspace

log = logging.getLogger(__name__)

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
# Deadline, ascending, is the core's own order (most urgent first), searching too;
# it travels as "no sort key". RELEVANCE puts a search's best match first instead.
DEFAULT_SORT: str | None = None
RELEVANCE = "relevance"

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


Stop = Callable[[], bool]  # True: the answer is no longer wanted; end the query early


class ComplaintSource(Protocol):
    """Where the rows come from: the Workspace, through ``WorkspaceComplaints``.

    ``stop`` may end a query early by raising ``WorkspaceError(ErrorCode.CANCELLED)``.
    """

    def fetch(
        self, flt: ComplaintFilter, sort: str | None, descending: bool, offset: int, limit: int,
        stop: Stop | None = None,
    ) -> list[ComplaintSummary]: ...

    def count(self, flt: ComplaintFilter, stop: Stop | None = None) -> int: ...

    def contains(self, flt: ComplaintFilter, complaint_id: str) -> bool: ...


# ComplaintFilter's fields as the core names them.
_FACETS = {"status": "status", "deadline": "deadline_state", "category": "category_id",
           "reply_state": "reply_state"}


class WorkspaceComplaints:
    """``ComplaintSource`` over ``Workspace.complaints`` and ``count_complaints``.

    The core orders the inbox itself (open first, most urgent deadline first;
    best match when searching) unless given a column to sort on.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

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
        self, flt: ComplaintFilter, sort: str | None, descending: bool, offset: int, limit: int,
        stop: Stop | None = None,
    ) -> list[ComplaintSummary]:
        return list(self.workspace.complaints(
            **self._criteria(flt), offset=offset, limit=limit, sort=sort, descending=descending,
            stop=stop))

    def count(self, flt: ComplaintFilter, stop: Stop | None = None) -> int:
        return self.workspace.count_complaints(**self._criteria(flt), stop=stop)

    def contains(self, flt: ComplaintFilter, complaint_id: str) -> bool:
        """Whether ``flt`` lists this complaint (anywhere, not only on the pages held)."""
        return bool(self.workspace.count_complaints(**self._criteria(flt),
                                                    complaint_id=complaint_id))

    def count_by(self, flt: ComplaintFilter, key: str) -> dict[str, int]:
        """For each value of the filter ``key``, how many rows choosing it would show."""
        facet = _FACETS[key]
        criteria = {name: value for name, value in self._criteria(flt).items() if name != facet}
        return dict(self.workspace.count_complaints_by(facet, **criteria))


@dataclass(frozen=True)
class _Query:
    """One question to the core; its answers are kept only while it is the current one."""

    filter: ComplaintFilter
    sort: str | None
    descending: bool
    generation: int


@dataclass(frozen=True)
class _First:
    """The answer to a new query: its count, its first page, and whether it lists ``follow``."""

    query: _Query
    total: int
    rows: list[ComplaintSummary]
    follows: bool


def load_first(
    source: ComplaintSource, query: _Query, page_size: int, stop: Stop | None = None,
    follow: str = "",
) -> _First:
    """Runs on the task runner: the count and the first page of a new query, and whether
    it still lists the complaint ``follow`` (the one open beside the list).

    Stopped (a newer question came), it answers nothing: the model drops
    answers to older questions anyway.
    """
    try:
        rows = source.fetch(query.filter, query.sort, query.descending, 0, page_size, stop)
        total = source.count(query.filter, stop) if len(rows) == page_size else len(rows)
        follows = not follow or any(row.id == follow for row in rows) or (
            len(rows) == page_size and source.contains(query.filter, follow))
    except WorkspaceError as error:
        if error.code != ErrorCode.CANCELLED:
            raise
        return _First(query, 0, [], True)
    return _First(query, max(total, len(rows)), rows, follows)


def load_page(
    source: ComplaintSource, query: _Query, page: int, page_size: int
) -> tuple[_Query, int, list[ComplaintSummary]]:
    """Runs on the task runner: one more page of the current query."""
    rows = source.fetch(query.filter, query.sort, query.descending, page * page_size, page_size)
    return query, page, rows


_ANSWERED_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
    SUMMARY_ROLE, ID_ROLE, SORT_ROLE,
})


class ComplaintTableModel(ReadOnlyTableModel):
    """Complaint summaries, a page at a time, from the core's SQL.

    Signals:
        loaded(): the count and first page of a new filter or sort arrived;
            ``follows`` then says whether they still list ``follow``.
    """

    context = "ComplaintTableModel"
    loaded = Signal()

    def __init__(
        self,
        source: ComplaintSource,
        runner: TaskRunner | None = None,
        page_size: int = 200,
        cache_pages: int = 12,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.runner = runner
        self.page_size = page_size
        self.cache_pages = cache_pages
        self.filter = ComplaintFilter()
        self.sort_key: str | None = DEFAULT_SORT
        self.descending = False
        self.total = 0
        self.pages: OrderedDict[int, list[ComplaintSummary]] = OrderedDict()  # oldest use first
        self.requested: set[int] = set()
        self.query = _Query(self.filter, self.sort_key, self.descending, 0)
        self.loading = False
        self.stale = threading.Event()  # set: the question being answered is no longer wanted
        self.follow = ""  # the complaint open beside the list, followed by id across reloads
        self.follows = True
        self.shown_search = ""  # the search whose rows are on screen (for highlighting)
        self.reload()

    @property
    def rows(self) -> list[ComplaintSummary]:  # type: ignore[override]
        """The rows held in memory now, in no particular order."""
        return [row for page in self.pages.values() for row in page]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.total

    def column_headers(self) -> Sequence[str]:
        return [header for _, header in COLUMNS]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # A view asks for a dozen roles per cell at every paint; most have no answer.
        if role not in _ANSWERED_ROLES or not index.isValid() or not 0 <= index.row() < self.total:
            return None
        row = self.summary(index.row())
        key = COLUMNS[index.column()][0]
        if row is None:
            # Not read yet: it is on its way; paint a mark, never wait for SQL here.
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
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
            return words.deadline_text(row.deadline, row.status)
        if key == "flags":
            marks = []
            if row.confidential:
                marks.append(words.confidential_word())
            if row.anonymous:
                marks.append(words.anonymous_word())
            return ", ".join(marks)
        if key == "reply_state":
            return words.reply_status_text(row.reply_kind, row.reply_state)
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
        if key in ("title", "category"):  # elided when the column is narrow
            return words.plain_tooltip(row.title if key == "title" else row.category)
        if key == "reply_state" and row.reply_state is not None:  # "Menunggu Persetujuan"
            return words.reply_state_name(row.reply_state)
        if key == "flags" and row.confidential and row.anonymous:  # "Rahasia, Anonim"
            return ComplaintTableModel._display(row, key)
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

    # --- pages ---------------------------------------------------------------
    def summary(self, row: int) -> ComplaintSummary | None:
        """The summary of ``row`` if its page is at hand; asks for the page if not."""
        if not 0 <= row < self.total:
            return None
        number, offset = divmod(row, self.page_size)
        page = self.pages.get(number)
        if page is None:
            self._request(number)
            page = self.pages.get(number)  # inline loading has it now
            if page is None:
                return None
        self.pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def _request(self, number: int) -> None:
        if number in self.requested or self.loading:
            return
        self.requested.add(number)
        if self.runner is None:
            self.on_page_loaded(load_page(self.source, self.query, number, self.page_size))
            return
        self.runner.run(
            load_page,
            self.source,
            self.query,
            number,
            self.page_size,
            on_success=self.on_page_loaded,
            on_failure=self.on_load_failed,
            name="inbox page",
        )

    @Slot(object)
    def on_page_loaded(self, result: tuple[_Query, int, list[ComplaintSummary]]) -> None:
        query, number, rows = result
        self.requested.discard(number)
        if query != self.query:
            return  # an answer to an older question
        self.pages[number] = rows
        while len(self.pages) > self.cache_pages:
            self.pages.popitem(last=False)  # the page seen longest ago
        first = number * self.page_size
        last = min(first + self.page_size, self.total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    @Slot(object)
    def on_load_failed(self, error: BaseException) -> None:
        self.loading = False
        self.requested.clear()
        log.warning("inbox query failed: %r", error)
        reporter = self.runner.crash_reporter if self.runner is not None else None
        if reporter is not None and not is_expected(error):
            reporter.report(type(error), error, error.__traceback__)

    # --- what to show ----------------------------------------------------------
    def reload(self) -> None:
        """Count again and start from the first page (after a sync or a local change).

        A question still being answered is stopped, not waited for: its SQL
        ends within a millisecond or so, and its answer is dropped.
        """
        self.stale.set()
        self.stale = threading.Event()
        self.query = _Query(self.filter, self.sort_key, self.descending, self.query.generation + 1)
        self.requested.clear()
        if self.runner is None:
            self.on_first_loaded(load_first(self.source, self.query, self.page_size,
                                            follow=self.follow))
            return
        self.loading = True
        self.runner.run(
            load_first,
            self.source,
            self.query,
            self.page_size,
            self.stale.is_set,
            self.follow,
            on_success=self.on_first_loaded,
            on_failure=self.on_load_failed,
            name="inbox",
        )

    @Slot(object)
    def on_first_loaded(self, first: _First) -> None:
        if first.query != self.query:
            return  # an answer to an older question; the newest is on its way
        self.loading = False
        self.beginResetModel()
        self.total = first.total
        self.pages = OrderedDict({0: first.rows})
        self.shown_search = first.query.filter.search
        self.follows = first.follows
        self.endResetModel()
        self.loaded.emit()

    def set_filter(self, flt: ComplaintFilter) -> None:
        if flt != self.filter:
            self.filter = flt
            self.reload()

    def sort_by_relevance(self) -> None:
        """A search's best match first (the header then shows no column's order)."""
        if (self.sort_key, self.descending) != (RELEVANCE, False):
            self.sort_key, self.descending = RELEVANCE, False
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        sort_key = DEFAULT_SORT if key == "deadline" and not descending else key
        if (sort_key, descending) == (self.sort_key, self.descending):
            return  # the view restating the order it has (at start-up, twice): nothing to read
        self.sort_key, self.descending = sort_key, descending
        self.reload()

    def row_of(self, complaint_id: str) -> int:
        """The row of a complaint among the pages at hand; -1 when not held."""
        for number, page in self.pages.items():
            for offset, row in enumerate(page):
                if row.id == complaint_id:
                    return number * self.page_size + offset
        return -1
