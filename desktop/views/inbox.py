"""Laporan: the inbox with search as you type and filters with counts, the complaint beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QSignalBlocker,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import show_error
from desktop.models.complaints import (
    COLUMNS,
    RELEVANCE,
    ComplaintFilter,
    ComplaintTableModel,
    WorkspaceComplaints,
)
from desktop.session import Session
from desktop.shortcuts import Shortcut, bind
from desktop.views.common import Screen, list_table
from desktop.views.complaint import ComplaintView
from desktop.views.highlight import HighlightDelegate
from desktop.views.incident_links import GroupAnswerDialog
from desktop.views.reply_editor import ReplyEditor
from desktop.views.similar_panel import SimilarPanel
from desktop.views.unreadable import UnreadableBanner
from desktop.workers import LatestRead
from sync import matching
from sync.errors import WorkspaceError
from sync.incidents import IncidentLink
from sync.values import DeadlineState, ReplyKind, ReplyState

if TYPE_CHECKING:
    from sync import Workspace


SEARCH_DEBOUNCE_MS = 250
MIN_SEARCH = 2  # characters
STATUSES = ("verified", "in_progress", "completed", "archived")
DEADLINES = (
    DeadlineState.OVERDUE,
    DeadlineState.DUE_TODAY,
    DeadlineState.DUE_SOON,
    DeadlineState.ON_TIME,
    DeadlineState.DONE,
)
REPLY_STATES = tuple(state.value for state in ReplyState)
LIST_SHARE = 64  # per cent of the width for the list, until the person moves the splitter
LIST_SHARE_BESIDE_SIMILAR = 56  # the same, while Pengaduan Serupa is a column beside the editor
# Shown in the complaint beside the list; at 1366 pixels the title would have no room
# (the deadline column says "Selesai"/"Diarsipkan" for closed ones; the filter has status).
HIDDEN_BY_DEFAULT = ("category", "type", "status")
MAX_COLUMN_WIDTH = 170  # no column but the title grows wider than this


def column_of(key: str) -> int:
    return [name for name, _ in COLUMNS].index(key)


def _typical_texts(key: str) -> list[str]:
    """What a column usually shows, to size it; the widest of each kind."""
    if key == "id":
        return ["LAP-2026-0000000"]
    if key == "deadline":
        return [f"00/00/2026 · {words.deadline_state_name(d)}" for d in DEADLINES[:-1]]
    if key == "flags":
        return [words.confidential_word(), words.anonymous_word()]
    if key == "reply_state":
        # "Belum ada" (none yet) is what most rows say.
        return [words.reply_state_name(None), words.reply_state_name(ReplyState.DRAFT),
                words.reply_state_name(ReplyState.SENT)]
    if key == "status":
        return [words.status_name(s) for s in STATUSES]
    if key == "category":
        return ["Infrastruktur"]  # longer names are elided; the tooltip has them
    if key == "type":
        return [words.type_name("pengaduan"), words.type_name("aspirasi")]
    return []


Facets = tuple[dict[str, dict[str | None, int]], list[tuple[str, str]]]


def facet_counts(
    source: WorkspaceComplaints, base: ComplaintFilter, workspace: Workspace
) -> Facets:
    """Counts for every choice of every filter, each with the other filters (not the search),
    and the categories they were counted for.

    Runs on the task runner: per filter one grouped count and one count of
    "all" (a COUNT per choice was about 30 queries, 2.3 s at 100,000 complaints).
    """
    categories = category_choices(workspace)
    counts: dict[str, dict[str | None, int]] = {}
    for key in ("status", "deadline", "category", "reply_state"):
        everything = base.with_(**{key: None})
        by_value: dict[str | None, int] = {
            value: n for value, n in source.count_by(everything, key).items()
        }
        by_value[None] = source.count(everything)
        counts[key] = by_value
    return counts, categories


def category_choices(workspace: Workspace) -> list[tuple[str, str]]:
    """(id, name) of the office's categories, by name (the core's order)."""
    return [(c.id, c.name) for c in workspace.categories()]


class InboxView(Screen):
    """The list of complaints on the left; the chosen one, or its reply editor, on the right."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.source = WorkspaceComplaints(session.workspace)
        self.model = ComplaintTableModel(self.source, session.runner, parent=self)
        self.model.loaded.connect(self.on_model_loaded)
        self.model.dataChanged.connect(self.on_model_dataChanged)
        self.counts = LatestRead(session.runner, facet_counts, "inbox counts", self)
        self.counts.ready.connect(self.on_counts_ready)

        self.search = QLineEdit()
        self.search.setObjectName("inbox_search")
        self.search.setPlaceholderText(self.tr("Cari nomor, judul, isi laporan…"))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.search_timer.timeout.connect(self.on_search_timer_timeout)
        self.search.textChanged.connect(self.on_search_textChanged)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)  # Ctrl+F
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self.on_find_action_triggered)
        self.addAction(self.find_action)
        self.count_label = words.plain_label()
        self.count_label.setObjectName("inbox_count")
        # One letter would match nearly every complaint (the slowest search there
        # is, and no help): say why the list did not change.
        self.search_hint = words.plain_label(
            self.tr("Ketik minimal %1 huruf untuk mencari").replace("%1", str(MIN_SEARCH)))
        self.search_hint.setObjectName("inbox_search_hint")
        self.search_hint.setEnabled(False)  # greyed: a hint, not data
        self.search_hint.hide()

        # Read here once, then with each count off the GUI thread (the profile may
        # close before a count comes back).
        self.categories = category_choices(session.workspace)
        self.filters: dict[str, QComboBox] = {}
        filter_row = QHBoxLayout()
        for key in ("status", "deadline", "category", "reply_state"):
            combo = QComboBox()
            combo.setObjectName(f"filter_{key}")
            # Narrow enough for a 1024-pixel screen; the open list shows the full text.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(9)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(self.on_filter_currentIndexChanged)
            self.filters[key] = combo
            filter_row.addWidget(combo)
        self._fill_filters({})

        self.table = list_table(self.model, "inbox_table", fit_columns=False)
        # The words a search matched, marked in the number and the title.
        self.highlighter = HighlightDelegate(self.search_spans, self.table)
        for key in ("id", "title"):
            self.table.setItemDelegateForColumn(column_of(key), self.highlighter)
        header = self.table.horizontalHeader()
        # The core sorts by any column in SQL.
        deadline = [key for key, _ in COLUMNS].index("deadline")
        header.setSortIndicator(deadline, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header.setSortIndicatorShown(True)
        self._size_columns()
        if not session.settings.inbox_header.isEmpty():
            header.restoreState(session.settings.inbox_header)
            # Saved while "Relevansi" hid it, perhaps; the next start has no search.
            header.setSortIndicatorShown(True)
        self.sync_column_actions()
        self.selecting = False  # the list marks the open complaint: not a person's choice
        self.table.selectionModel().currentRowChanged.connect(self.on_table_currentRowChanged)

        # While searching the rows follow the header's order (the deadline's by
        # default); this offers the best match first instead.
        self.order = QComboBox()
        self.order.setObjectName("inbox_order")
        self.order.addItem(self.tr("Urutan: kolom"), "")
        self.order.addItem(self.tr("Urutan: Relevansi"), RELEVANCE)
        self.order.setToolTip(self.tr("Relevansi: yang paling cocok dengan pencarian di atas"))
        self.order.setEnabled(False)  # nothing is more relevant than another without a search
        self.order.currentIndexChanged.connect(self.on_order_currentIndexChanged)
        header.sortIndicatorChanged.connect(self.on_header_sortIndicatorChanged)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.search_hint)
        search_row.addWidget(self.count_label)
        search_row.addWidget(self.order)
        self.similar_toggle = QToolButton()
        self.similar_toggle.setObjectName("similar_toggle")
        self.similar_toggle.setText(self.tr("Serupa"))
        self.similar_toggle.setToolTip(self.tr("Pengaduan Serupa"))
        self.similar_toggle.setCheckable(True)
        search_row.addWidget(self.similar_toggle)
        left_layout.addLayout(search_row)
        left_layout.addLayout(filter_row)
        # Complaints the server sent unreadable are in no list: said above it.
        self.unreadable = UnreadableBanner(session)
        left_layout.addWidget(self.unreadable)
        left_layout.addWidget(self.table, 1)

        self.detail = ComplaintView(session)
        self.editor = ReplyEditor(session)
        self.editor.closed.connect(self.on_editor_closed)
        self.right = QStackedWidget()
        self.right.addWidget(self.detail)
        self.right.addWidget(self.editor)
        # The office's memory (issue 16): a section of the report's page, so the
        # list keeps its titles at 1366x768, and a column beside the reply editor,
        # where the writer uses it. Each hides on request ("Serupa"), remembered.
        self.similar = SimilarPanel(session, embedded=True)
        self.detail.sections.addWidget(self.similar)
        self.similar_beside = SimilarPanel(session)
        for panel in (self.similar, self.similar_beside):
            panel.draft_ready.connect(self.on_similar_draft_ready)
            panel.incidents.open_requested.connect(self.open_complaint)
            panel.incidents.group_requested.connect(self.on_group_requested)
        self.beside = QSplitter(Qt.Orientation.Horizontal)
        self.beside.setChildrenCollapsible(False)
        self.beside.addWidget(self.right)
        self.beside.addWidget(self.similar_beside)
        self.beside.setStretchFactor(0, 3)
        self.beside.setStretchFactor(1, 2)
        self.beside.setSizes([660, 340])
        if not session.settings.similar_splitter.isEmpty():
            self.beside.restoreState(session.settings.similar_splitter)
        self.similar.setVisible(bool(session.settings.similar_shown))
        self.similar_beside.setVisible(False)  # the editor is not open yet
        self.sizes_without_beside: list[int] = []
        self.similar_toggle.setChecked(self.similar_wanted())
        self.similar_toggle.toggled.connect(self.on_similar_toggle_toggled)
        self.right.currentChanged.connect(self.on_right_currentChanged)
        bind(self.similar_toggle, Shortcut.SIMILAR, self)

        share = LIST_SHARE
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.beside)
        self.splitter.setChildrenCollapsible(False)
        # The list holds the day's work and its columns; the complaint needs less.
        self.splitter.setStretchFactor(0, share)
        self.splitter.setStretchFactor(1, 100 - share)
        self.splitter.setSizes([share * 10, (100 - share) * 10])
        if not session.settings.inbox_splitter.isEmpty():
            self.splitter.restoreState(session.settings.inbox_splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        session.data_changed.connect(self.on_session_data_changed)
        session.edit_reply.connect(self.on_session_edit_reply)
        # Counted after the rows arrive: the list on screen comes first.
        self.counts_due = True

    def _size_columns(self) -> None:
        """The title takes what is left; other columns fit their usual words at this font."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(48)
        metrics = self.table.fontMetrics()
        padding = 2 * metrics.averageCharWidth()  # the cell's margins
        for column, (key, _) in enumerate(COLUMNS):
            if key == "title":
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            texts = [str(self.model.headerData(column, Qt.Orientation.Horizontal)),
                     *_typical_texts(key)]
            width = max(metrics.horizontalAdvance(text) for text in texts) + padding
            self.table.setColumnWidth(column, min(width, MAX_COLUMN_WIDTH))
            header.setSectionHidden(column, key in HIDDEN_BY_DEFAULT)
        # Right-click on the header shows or hides a column; kept with the header's state.
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for column, (key, _) in enumerate(COLUMNS):
            if key in ("id", "title"):
                continue
            action = QAction(str(self.model.headerData(column, Qt.Orientation.Horizontal)),
                             header)
            action.setObjectName(f"column_{key}")
            action.setCheckable(True)
            action.setData(column)
            action.toggled.connect(self.on_column_action_toggled)
            header.addAction(action)

    def sync_column_actions(self) -> None:
        """Tick the header menu's columns as they are shown (after restoring a layout)."""
        header = self.table.horizontalHeader()
        for action in header.actions():
            action.blockSignals(True)
            action.setChecked(not header.isSectionHidden(int(action.data())))
            action.blockSignals(False)

    @Slot(bool)
    def on_column_action_toggled(self, shown: bool) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.table.horizontalHeader().setSectionHidden(int(action.data()), not shown)

    # --- filters -----------------------------------------------------------------
    def _choices(self, key: str) -> list[tuple[str | None, str]]:
        if key == "status":
            return [
                (None, self.tr("Status: semua")),
                *((s, words.status_name(s)) for s in STATUSES),
            ]
        if key == "deadline":
            return [
                (None, self.tr("Tenggat: semua")),
                *((d.value, words.deadline_state_name(d)) for d in DEADLINES),
            ]
        if key == "category":
            return [(None, self.tr("Kategori: semua")), *self.categories]
        return [
            (None, self.tr("Tindak Lanjut: semua")),
            *((r, words.reply_state_name(r)) for r in REPLY_STATES),
        ]


    def _fill_filters(self, counts: dict[str, dict[str | None, int]]) -> None:
        for key, combo in self.filters.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            counted = counts.get(key)
            for value, label in self._choices(key):
                count = None if counted is None else counted.get(value, 0)
                combo.addItem(label if count is None else f"{label} ({count})", value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.setVisible(combo.count() > 1)  # no categories yet: no category filter
            combo.blockSignals(False)

    def current_filter(self) -> ComplaintFilter:
        values = {key: combo.currentData() for key, combo in self.filters.items()}
        typed = self.search.text().strip()
        # One letter matches nearly everything and is the slowest search there is;
        # the list waits for the second (search_hint says so).
        return ComplaintFilter(search=typed if len(typed) >= MIN_SEARCH else "", **values)

    def refresh_counts(self) -> None:
        filters = self.current_filter().with_(search="")
        self.counts.ask(self.source, filters, self.session.workspace)

    @Slot(object)
    def on_counts_ready(self, facets: Facets) -> None:
        counts, self.categories = facets
        self._fill_filters(counts)

    # --- reacting ----------------------------------------------------------------
    @Slot(str)
    def on_search_textChanged(self, text: str) -> None:
        self.search_hint.setVisible(0 < len(text.strip()) < MIN_SEARCH)
        self.search_timer.start()  # restarts: the query runs once typing pauses

    @Slot()
    def on_search_timer_timeout(self) -> None:
        # The filter counts leave the search out: typing costs one query, not thirty.
        flt = self.current_filter()
        self.order.setEnabled(bool(flt.search))
        if not flt.search:
            self.order.setCurrentIndex(0)  # back to the header's order
        self.model.set_filter(flt)

    @Slot(int)
    def on_order_currentIndexChanged(self, _index: int) -> None:
        header = self.table.horizontalHeader()
        relevance = self.order.currentData() == RELEVANCE
        header.setSortIndicatorShown(not relevance)  # the header shows no column's order then
        if relevance:
            self.model.sort_by_relevance()
        else:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    @Slot(int, Qt.SortOrder)
    def on_header_sortIndicatorChanged(self, _section: int, _order: Qt.SortOrder) -> None:
        # A column clicked: the table sorts by it (its own slot); the choice says so.
        if self.order.currentData() == RELEVANCE:
            self.order.blockSignals(True)
            self.order.setCurrentIndex(0)
            self.order.blockSignals(False)
            self.table.horizontalHeader().setSortIndicatorShown(True)

    def search_spans(self, index: Any, text: str) -> list[tuple[int, int]]:
        """What to mark in a cell: the words (or the number) of the search on screen."""
        typed = self.model.shown_search
        if not typed:
            return []
        if COLUMNS[index.column()][0] == "id":
            span = matching.number_span(text, typed)
            return [span] if span is not None else []
        return matching.spans(text, typed)

    @Slot(int)
    def on_filter_currentIndexChanged(self, _index: int) -> None:
        self.apply_filter()

    def apply_filter(self) -> None:
        self.counts_due = True
        self.model.set_filter(self.current_filter())

    @Slot(QModelIndex, QModelIndex)
    def on_table_currentRowChanged(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.selecting:
            return
        summary = self.model.summary(current.row())
        if summary is not None:
            self.show_complaint(summary.id)

    @Slot()
    def on_session_data_changed(self) -> None:
        self.model.reload()
        if self.detail.complaint_id and self.right.currentWidget() is self.detail:
            self.detail.load(self.detail.complaint_id)
        self.counts_due = True

    @Slot()
    def on_find_action_triggered(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot()
    def on_model_loaded(self) -> None:
        self.count_label.setText(
            self.tr("%1 Laporan").replace("%1", QLocale().toString(self.model.total))
        )
        if self.counts_due:
            self.counts_due = False
            self.refresh_counts()
        shown = self.detail.complaint_id
        if shown and not self.model.follows and self.right.currentWidget() is self.detail:
            # No longer listed (a new search, or a sync moved it out): its buttons
            # must not act on a complaint the person no longer sees.
            self.detail.clear()
            self.similar.clear()
            self.model.follow = ""
        elif shown:
            self.select(shown)  # the same complaint marked, wherever the reload put it

    @Slot(QModelIndex, QModelIndex)
    def on_model_dataChanged(self, first: QModelIndex, last: QModelIndex) -> None:
        # A page read after a reload may hold the open complaint: mark it there.
        shown = self.detail.complaint_id
        if shown and not self.table.selectionModel().hasSelection():
            row = self.model.row_of(shown)
            if first.row() <= row <= last.row():
                self.select(shown)

    @Slot(str, str, str)
    def on_session_edit_reply(self, complaint_id: str, reply_id: str, kind: str) -> None:
        self.editor.open_for(complaint_id, reply_id or None, kind)
        self.right.setCurrentWidget(self.editor)
        self.similar_beside.show_for(complaint_id)

    def similar_wanted(self) -> bool:
        """The person's choice for the panel where they are: beside the report or the editor."""
        settings = self.session.settings
        editing = self.right.currentWidget() is self.editor
        return bool(settings.similar_with_editor if editing else settings.similar_shown)

    @Slot(bool)
    def on_similar_toggle_toggled(self, shown: bool) -> None:
        if self.right.currentWidget() is self.editor:
            self.session.settings.similar_with_editor = int(shown)
            self.show_beside(shown)
        else:
            self.session.settings.similar_shown = int(shown)
            self.similar.setVisible(shown)  # shown again: it reads the open complaint's

    @Slot(int)
    def on_right_currentChanged(self, _index: int) -> None:
        with QSignalBlocker(self.similar_toggle):
            self.similar_toggle.setChecked(self.similar_wanted())
        editing = self.right.currentWidget() is self.editor
        self.show_beside(editing and bool(self.session.settings.similar_with_editor))

    def show_beside(self, shown: bool) -> None:
        """The column beside the editor; the list gives it room while it is there."""
        if shown != self.similar_beside.isHidden():
            return  # already so
        self.similar_beside.setVisible(shown)
        sizes = self.splitter.sizes()
        if shown and sum(sizes) > 0:
            self.sizes_without_beside = sizes  # the list as the person had it, for after
            total = sum(sizes)
            share = LIST_SHARE_BESIDE_SIMILAR
            self.splitter.setSizes([total * share // 100, total - total * share // 100])
        elif not shown and self.sizes_without_beside:
            self.splitter.setSizes(self.sizes_without_beside)

    @Slot(str, str)
    def on_similar_draft_ready(self, complaint_id: str, text: str) -> None:
        """A reply reused: into the editor of this complaint, opened for a reply if need be."""
        editing = self.right.currentWidget() is self.editor
        if not editing or self.editor.complaint_id != complaint_id or self.editor.text.isReadOnly():
            button = self.detail.action_buttons[ReplyKind.RESPOND]
            if self.detail.complaint_id != complaint_id or not button.isEnabled():
                return
            reply_id = self.detail.editable_reply(ReplyKind.RESPOND)
            self.session.edit_reply.emit(complaint_id, reply_id, ReplyKind.RESPOND.value)
        self.editor.offer(text)

    @Slot(str, list)
    def on_group_requested(self, complaint_id: str, links: list[IncidentLink]) -> None:
        """Jawab Bersama: the editor's text (if it is on this report) as everyone's draft."""
        editing = (self.right.currentWidget() is self.editor
                   and self.editor.complaint_id == complaint_id
                   and self.editor.kind == ReplyKind.RESPOND)
        if editing:
            self.editor.flush()  # its draft is this report's copy: saved first
        text = self.editor.text.toPlainText() if editing else ""
        dialog = GroupAnswerDialog(complaint_id, links, text, self)
        if dialog.exec() != GroupAnswerDialog.DialogCode.Accepted:
            return
        chosen = dialog.answer()
        ws = self.session.workspace
        drafts: list[str] = []
        try:
            drafts = ws.draft_group(chosen.complaint_ids, chosen.text, written_for=complaint_id)
            if chosen.submit:
                for draft in drafts:
                    ws.submit_for_approval(draft)
        except WorkspaceError as error:
            show_error(self, error)  # what was drafted stays, each on its report
        else:
            self.session.notice.emit(
                (self.tr("Diajukan untuk Persetujuan di %1 laporan: %2") if chosen.submit
                 else self.tr("Draf Tindak Lanjut dibuat di %1 laporan: %2"))
                .replace("%1", str(len(drafts)))
                .replace("%2", ", ".join(chosen.complaint_ids))
            )
        self.session.data_changed.emit()
        if editing and drafts and complaint_id in chosen.complaint_ids:
            # The editor shows this report's copy as it now stands.
            mine = drafts[chosen.complaint_ids.index(complaint_id)]
            self.session.edit_reply.emit(complaint_id, mine, ReplyKind.RESPOND.value)

    @Slot()
    def on_editor_closed(self) -> None:
        self.right.setCurrentWidget(self.detail)
        if self.detail.complaint_id:
            self.detail.load(self.detail.complaint_id)

    # --- for the main window -------------------------------------------------------
    def show_complaint(self, complaint_id: str) -> None:
        if self.right.currentWidget() is self.editor:
            self.editor.flush()
            self.right.setCurrentWidget(self.detail)
        self.model.follow = complaint_id  # followed by id: rows move when a sync reorders
        self.detail.load(complaint_id)
        self.similar.show_for(complaint_id)

    def open_complaint(self, complaint_id: str) -> None:
        self.select(complaint_id, reveal=True)
        self.show_complaint(complaint_id)

    def select(self, complaint_id: str, reveal: bool = False) -> None:
        """Mark this complaint's row, if held, as the current one, without opening it again.

        Through the selection model with its signals on: the view must move its
        own current row too, or its next click or arrow key starts from a stale
        one. The list stays where the person scrolled it unless ``reveal``.
        """
        row = self.model.row_of(complaint_id)
        if row < 0:
            return
        index = self.model.index(row, column_of("title"))
        scrolls = self.table.hasAutoScroll()
        self.selecting = True
        self.table.setAutoScroll(False)
        try:
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self.table.setAutoScroll(scrolls)
            self.selecting = False
        if reveal:
            self.table.scrollTo(index)

    def flush(self) -> None:
        self.editor.flush()

    def save_layout(self) -> None:
        self.session.settings.inbox_header = self.table.horizontalHeader().saveState()
        now = self.splitter.sizes()
        if not self.similar_beside.isHidden() and self.sizes_without_beside:
            self.splitter.setSizes(self.sizes_without_beside)  # the list's own width is kept
        self.session.settings.inbox_splitter = self.splitter.saveState()
        self.splitter.setSizes(now)
        self.session.settings.similar_splitter = self.beside.saveState()
