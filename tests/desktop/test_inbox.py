"""Laporan: the lazy inbox model and the inbox screen over a real office replica."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt
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


def column(name: str) -> int:
    from desktop.models.complaints import COLUMNS

    return [key for key, _ in COLUMNS].index(name)


def shown_ids(model: ComplaintTableModel) -> list[str]:
    return [model.summary(row).id for row in range(model.rowCount())]  # type: ignore[union-attr]


def test_the_inbox_model_passes_the_model_tester_while_paging(
    qtmodeltester: Any, workspace: Any
) -> None:
    model = ComplaintTableModel(WorkspaceComplaints(workspace), page_size=2)
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert sorted(shown_ids(model)) == [f"LAP-2026-000000{i}" for i in range(1, 5)]
    model.set_filter(ComplaintFilter(status="completed"))
    assert shown_ids(model) == ["LAP-2026-0000004"]
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


def test_search_as_you_type_narrows_the_list(qtbot: QtBot, session: Session) -> None:
    view = InboxView(session)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 4
    qtbot.keyClicks(view.search, "lampu")
    qtbot.wait_until(lambda: shown_ids(view.model) == ["LAP-2026-0000003"], timeout=3000)
    view.search.clear()
    qtbot.wait_until(lambda: view.model.rowCount() == 4, timeout=3000)


def test_filters_carry_counts_and_narrow_the_list(qtbot: QtBot, session: Session) -> None:
    view = InboxView(session)
    qtbot.addWidget(view)
    status = view.filters["status"]
    qtbot.wait_until(lambda: "(1)" in status.itemText(status.findData("completed")), timeout=5000)
    assert status.itemText(status.findData("completed")) == "Selesai (1)"
    assert status.itemText(0) == "Status: semua (4)"
    deadline = view.filters["deadline"]
    assert deadline.itemText(deadline.findData("overdue")) == "Terlambat (1)"
    status.setCurrentIndex(status.findData("completed"))
    assert shown_ids(view.model) == ["LAP-2026-0000004"]


def test_choosing_a_row_shows_the_complaint_beside_the_list(qtbot: QtBot, session: Session) -> None:
    view = InboxView(session)
    qtbot.addWidget(view)
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


def test_clicking_a_header_sorts_in_sql_and_deadline_order_is_the_default(
    qtbot: QtBot, session: Session
) -> None:
    view = InboxView(session)
    qtbot.addWidget(view)
    urgent_first = shown_ids(view.model)
    assert urgent_first[0] == "LAP-2026-0000002"  # the overdue one
    header = view.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(column("title")) + 5, 5),
    )
    titles = [view.model.summary(r).title for r in range(4)]  # type: ignore[union-attr]
    assert titles == sorted(titles)
    view.table.sortByColumn(column("deadline"), Qt.SortOrder.AscendingOrder)
    assert shown_ids(view.model) == urgent_first
