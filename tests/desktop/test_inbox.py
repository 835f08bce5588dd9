"""Laporan: the lazy inbox model and the inbox screen over a real office replica."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.models.complaints import (
    OVERDUE_COLOR,
    ComplaintFilter,
    ComplaintTableModel,
    WorkspaceComplaints,
)
from desktop.session import Session
from desktop.views.inbox import InboxView
from desktop.workers import TaskRunner


def column(name: str) -> int:
    from desktop.models.complaints import COLUMNS

    return [key for key, _ in COLUMNS].index(name)


def shown_ids(model: ComplaintTableModel) -> list[str]:
    return [model.summary(row).id for row in range(model.rowCount())]  # type: ignore[union-attr]


def test_the_inbox_model_passes_the_model_tester_and_holds_only_a_few_pages(
    qtmodeltester: Any, workspace: Any
) -> None:
    model = ComplaintTableModel(WorkspaceComplaints(workspace), page_size=2, cache_pages=1)
    assert model.rowCount() == 4  # the scroll bar spans every match at once
    assert len(model.rows) == 2  # but only the first page was read
    last = model.summary(3)
    assert last is not None and last.id.startswith("LAP-2026-")
    assert len(model.rows) == 2  # the page seen longest ago made room
    model = ComplaintTableModel(WorkspaceComplaints(workspace), page_size=2)
    qtmodeltester.check(model)
    assert sorted(shown_ids(model)) == [f"LAP-2026-000000{i}" for i in range(1, 5)]
    model.set_filter(ComplaintFilter(status="completed"))
    assert shown_ids(model) == ["LAP-2026-0000004"]
    qtmodeltester.check(model)


def test_pages_come_from_the_worker_and_paint_as_a_mark_until_then(
    qtbot: QtBot, qtmodeltester: Any, workspace: Any, runner: TaskRunner
) -> None:
    model = ComplaintTableModel(WorkspaceComplaints(workspace), runner, page_size=2)
    assert model.loading
    with qtbot.wait_signal(model.loaded, timeout=5000):
        pass
    assert model.rowCount() == 4
    assert model.index(3, 0).data() == "…"  # asked for, not here yet
    with qtbot.wait_signal(model.dataChanged, timeout=5000):
        pass
    assert model.index(3, 0).data().startswith("LAP-2026-")
    qtmodeltester.check(model)


def test_rows_show_marks_deadlines_and_words(workspace: Any) -> None:
    model = ComplaintTableModel(WorkspaceComplaints(workspace))
    rows = {model.summary(r).id: r for r in range(model.rowCount())}  # type: ignore[union-attr]

    def cell(complaint_id: str, name: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.index(rows[complaint_id], column(name)).data(role)

    assert cell("LAP-2026-0000002", "flags") == "Rahasia"
    assert cell("LAP-2026-0000003", "flags") == "Anonim"
    assert cell("LAP-2026-0000001", "flags") == ""
    assert "Terlambat" in cell("LAP-2026-0000002", "deadline")
    overdue = cell("LAP-2026-0000002", "deadline", Qt.ItemDataRole.ForegroundRole)
    assert overdue.color() == OVERDUE_COLOR
    assert cell("LAP-2026-0000003", "type") == "Aspirasi"
    assert cell("LAP-2026-0000004", "status") == "Selesai"
    assert cell("LAP-2026-0000001", "reply_state") == "Belum ada"


def loaded_inbox(qtbot: QtBot, session: Session) -> InboxView:
    view = InboxView(session)
    qtbot.addWidget(view)
    qtbot.wait_until(lambda: not view.model.loading and view.model.rowCount() > 0, timeout=5000)
    return view


def test_search_as_you_type_narrows_the_list(qtbot: QtBot, session: Session) -> None:
    view = loaded_inbox(qtbot, session)
    assert view.model.rowCount() == 4 and view.count_label.text() == "4 Laporan"
    qtbot.keyClicks(view.search, "l")
    assert view.current_filter().search == ""  # one letter: no search yet
    qtbot.keyClicks(view.search, "ampu")
    qtbot.wait_until(lambda: shown_ids(view.model) == ["LAP-2026-0000003"], timeout=3000)
    view.search.clear()
    qtbot.wait_until(lambda: view.model.rowCount() == 4, timeout=3000)


def test_filters_carry_counts_and_narrow_the_list(qtbot: QtBot, session: Session) -> None:
    view = loaded_inbox(qtbot, session)
    status = view.filters["status"]
    qtbot.wait_until(lambda: "(1)" in status.itemText(status.findData("completed")), timeout=5000)
    assert status.itemText(status.findData("completed")) == "Selesai (1)"
    assert status.itemText(0) == "Status: semua (4)"
    deadline = view.filters["deadline"]
    assert deadline.itemText(deadline.findData("overdue")) == "Terlambat (1)"
    status.setCurrentIndex(status.findData("completed"))
    qtbot.wait_until(lambda: shown_ids(view.model) == ["LAP-2026-0000004"], timeout=5000)


def test_choosing_a_row_shows_the_complaint_beside_the_list(qtbot: QtBot, session: Session) -> None:
    view = loaded_inbox(qtbot, session)
    view.open_complaint("LAP-2026-0000002")
    detail = view.detail
    assert detail.title.text() == "Pungutan liar di loket KTP"
    assert not detail.confidential_banner.isHidden()
    view.table.selectRow(view.model.row_of("LAP-2026-0000003"))
    assert detail.complaint_id == "LAP-2026-0000003"
    assert detail.fields["reporter"].text() == "Anonim"
    assert detail.confidential_banner.isHidden()
    for label in detail.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    view.open_complaint("LAP-2026-0000001")
    assert detail.fields["reporter"].text() == "Budi Santoso · +62811000111 · budi@example.id"
    assert detail.attachments.item(0).text() == "foto-jalan.jpg (2.0 MiB) · diunduh saat sinkron"


def test_clicking_a_header_sorts_in_sql_and_deadline_order_is_the_default(
    qtbot: QtBot, session: Session
) -> None:
    view = loaded_inbox(qtbot, session)
    urgent_first = shown_ids(view.model)
    assert urgent_first[0] == "LAP-2026-0000002"  # the overdue one
    header = view.table.horizontalHeader()
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        qtbot.mouseClick(
            header.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(header.sectionViewportPosition(column("title")) + 5, 5),
        )
    titles = [view.model.summary(r).title for r in range(4)]  # type: ignore[union-attr]
    assert titles == sorted(titles)
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        view.table.sortByColumn(column("deadline"), Qt.SortOrder.AscendingOrder)
    assert shown_ids(view.model) == urgent_first
