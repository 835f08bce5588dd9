"""Finding a complaint in the inbox (issue 13, items 1-3): by number, in the header's order,
the matched words marked, and the complaint beside the list always the one chosen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.settings import Settings
from desktop.views.highlight import HIGHLIGHT
from desktop.views.inbox import InboxView, column_of
from desktop.workers import TaskRunner
from sync.store import records
from sync.store.database import write_session
from tests.helpers.replica import T0, complaint, office


@pytest.fixture
def office_complaints() -> list[Any]:
    """Numbers out of deadline order; "jalan" in some titles; a text that mentions 61."""
    def one(number: int, title: str, days_ago: int, **fields: Any) -> Any:
        return complaint(f"LAP-2026-{number:07d}", title=title, body=fields.pop("body", "Isi."),
                         assigned_at=T0 - timedelta(days=days_ago), **fields)
    return [
        one(61, "Retribusi pasar naik tanpa pemberitahuan", 1),
        one(7, "Jalan rusak di Desa Sukamaju", 2),
        one(8, "Lampu jalan padam", 6),
        one(9, "Jalan jalan jalan: lubang besar di jalan desa", 0, body="Jalan jalan jalan."),
        one(10, "Sampah di RT 61 tidak diangkut", 4),
        one(11, "Antrean puskesmas terlalu lama", 3),
    ]


def shown_ids(view: InboxView) -> list[str]:
    return [view.model.summary(row).id for row in range(view.model.rowCount())]  # type: ignore[union-attr]


def shown_inbox(qtbot: QtBot, session: Session) -> InboxView:
    session.settings.similar_shown = 0  # the list at its own width: Pengaduan Serupa hidden
    view = InboxView(session)
    qtbot.addWidget(view)
    view.resize(1196, 640)
    view.show()
    qtbot.wait_exposed(view)
    qtbot.wait_until(lambda: not view.model.loading and view.model.rowCount() == 6, timeout=5000)
    return view


def search(qtbot: QtBot, view: InboxView, typed: str) -> None:
    view.search.clear()
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        qtbot.keyClicks(view.search, typed)
    qtbot.wait_until(lambda: not view.model.loading and view.model.filter.search == typed,
                     timeout=5000)


def click_row(qtbot: QtBot, view: InboxView, row: int) -> None:
    rect = view.table.visualRect(view.model.index(row, column_of("title")))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.parametrize("typed", ["LAP-2026-0000061", "0000061", "61"])
def test_a_complaint_number_finds_it_first(qtbot: QtBot, session: Session, typed: str) -> None:
    view = shown_inbox(qtbot, session)
    search(qtbot, view, typed)
    found = shown_ids(view)
    assert found[0] == "LAP-2026-0000061"
    # "61" is also a word in one title: that one is found too, after the number.
    assert found == (["LAP-2026-0000061", "LAP-2026-0000010"] if typed == "61"
                     else ["LAP-2026-0000061"])
    assert view.count_label.text() == f"{len(found)} Laporan"


def test_search_results_follow_the_header_and_relevance_can_be_chosen(
    qtbot: QtBot, session: Session
) -> None:
    view = shown_inbox(qtbot, session)
    header = view.table.horizontalHeader()
    by_deadline = shown_ids(view)  # the oldest assignment is the most urgent
    search(qtbot, view, "jalan")
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == column_of(
        "deadline")
    hits = ["LAP-2026-0000007", "LAP-2026-0000008", "LAP-2026-0000009"]
    assert shown_ids(view) == [i for i in by_deadline if i in hits]
    assert shown_ids(view)[-1] == "LAP-2026-0000009"  # the best match, but the latest deadline

    assert view.order.isEnabled()
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        view.order.setCurrentIndex(view.order.findText("Urutan: Relevansi"))
    assert shown_ids(view)[0] == "LAP-2026-0000009"
    assert not header.isSortIndicatorShown()  # the header shows no column's order now

    # A column clicked sorts by it, and the choice says so.
    number = header.sectionViewportPosition(column_of("id")) + 5
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(number, header.height() // 2))
    assert view.order.currentData() == "" and header.isSortIndicatorShown()
    assert shown_ids(view) == sorted(hits)


def highlighted_pixels(image: QImage, rect: Any) -> int:
    wanted = HIGHLIGHT.rgb()
    return sum(1 for x in range(rect.left(), rect.right()) for y in range(rect.top(),
               rect.bottom()) if QColor(image.pixel(x, y)).rgb() == wanted)


def test_matched_words_are_marked_in_the_list(qtbot: QtBot, session: Session) -> None:
    view = shown_inbox(qtbot, session)
    search(qtbot, view, "padam")
    image = view.table.viewport().grab().toImage()
    row = view.model.row_of("LAP-2026-0000008")
    title = view.table.visualRect(view.model.index(row, column_of("title")))
    number = view.table.visualRect(view.model.index(row, column_of("id")))
    assert highlighted_pixels(image, title) > 50  # "padam" on a marker's yellow
    assert highlighted_pixels(image, number) == 0  # the number was not searched
    search(qtbot, view, "61")
    image = view.table.viewport().grab().toImage()
    number = view.table.visualRect(view.model.index(0, column_of("id")))
    assert highlighted_pixels(image, number) > 20  # the number's digits
    view.search.clear()
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        view.search_timer.timeout.emit()
    assert highlighted_pixels(view.table.viewport().grab().toImage(),
                              view.table.viewport().rect()) == 0


def test_a_new_search_leaves_no_complaint_beside_it_that_it_does_not_list(
    qtbot: QtBot, session: Session
) -> None:
    view = shown_inbox(qtbot, session)
    click_row(qtbot, view, view.model.row_of("LAP-2026-0000011"))
    assert view.detail.complaint_id == "LAP-2026-0000011"
    assert view.detail.action_buttons[next(iter(view.detail.action_buttons))].isVisible()
    search(qtbot, view, "jalan")
    assert view.detail.complaint_id == ""
    assert view.detail.empty.isVisible()
    assert not any(b.isVisible() for b in view.detail.action_buttons.values())
    # One the search still lists stays, marked.
    click_row(qtbot, view, view.model.row_of("LAP-2026-0000008"))
    search(qtbot, view, "lampu")
    assert view.detail.complaint_id == "LAP-2026-0000008"
    assert view.table.selectionModel().isRowSelected(0)


def test_after_a_sync_reorders_rows_a_click_opens_the_complaint_under_the_cursor(
    qtbot: QtBot, session: Session, workspace: Any
) -> None:
    view = shown_inbox(qtbot, session)
    click_row(qtbot, view, 2)
    chosen = view.detail.complaint_id
    before = shown_ids(view)
    # The national side sends a complaint more urgent than all: every row moves down one.
    with write_session(workspace.database) as db:
        records.upsert_complaint(db, complaint("LAP-2026-0000099", title="Banjir di pasar",
                                               assigned_at=T0 - timedelta(days=30)),
                                 workspace.rules)
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        session.data_changed.emit()
    assert shown_ids(view) == ["LAP-2026-0000099", *before]
    assert view.detail.complaint_id == chosen
    assert view.table.selectionModel().selectedRows()[0].row() == 3  # marked where it went
    # The list stays where the person scrolled it: marking is not moving.
    view.table.setMaximumHeight(110)  # room for three rows or so
    bar = view.table.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 0, timeout=5000)
    view.table.scrollToBottom()
    assert view.table.rowViewportPosition(3) < 0  # the marked one is above, out of sight
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        session.data_changed.emit()
    assert bar.value() == bar.maximum() and view.table.selectionModel().isRowSelected(3)
    view.table.setMaximumHeight(10_000)
    view.table.scrollToTop()
    qtbot.wait_until(lambda: bar.maximum() == 0, timeout=5000)
    # A click opens what the row shows; so does the arrow key from the marked one.
    click_row(qtbot, view, 2)
    assert view.detail.complaint_id == before[1] == shown_ids(view)[2]
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.detail.complaint_id == before[2]


def test_a_newly_opened_report_starts_at_its_top(qtbot: QtBot, session: Session) -> None:
    view = shown_inbox(qtbot, session)
    view.resize(1196, 420)  # a short window: the report scrolls
    click_row(qtbot, view, 0)
    bar = view.detail.scroll_area.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 0, timeout=5000)
    bar.setValue(bar.maximum())
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        view.session.data_changed.emit()  # the same one, reloaded after a sync: stays put
    assert bar.value() == bar.maximum() > 0
    click_row(qtbot, view, 1)
    assert bar.value() == 0


def test_a_layout_saved_in_relevance_order_starts_in_the_headers_order(
    qtbot: QtBot, session: Session
) -> None:
    view = shown_inbox(qtbot, session)
    search(qtbot, view, "jalan")
    with qtbot.wait_signal(view.model.loaded, timeout=5000):
        view.order.setCurrentIndex(view.order.findText("Urutan: Relevansi"))
    view.save_layout()
    again = shown_inbox(qtbot, session)
    assert again.table.horizontalHeader().isSortIndicatorShown()
    assert again.order.currentData() == "" and again.model.sort_key is None


def test_the_open_complaint_is_marked_when_its_page_arrives_after_a_reload(
    qtbot: QtBot, tmp_path: Path, settings: Settings, runner: TaskRunner
) -> None:
    many = [complaint(f"LAP-2026-{n:07d}", assigned_at=T0 - timedelta(hours=n))
            for n in range(1, 231)]  # more than a page (200)
    workspace = office(tmp_path / "many", *many)
    try:
        session = Session(workspace, workspace.current_user, settings, runner)
        view = InboxView(session)
        qtbot.addWidget(view)
        view.resize(1196, 640)
        view.show()
        qtbot.wait_until(lambda: view.model.rowCount() == 230, timeout=5000)
        view.table.scrollToBottom()
        qtbot.wait_until(lambda: view.model.summary(225) is not None, timeout=5000)
        click_row(qtbot, view, 225)
        chosen = view.detail.complaint_id
        assert chosen == view.model.summary(225).id  # type: ignore[union-attr]
        with qtbot.wait_signal(view.model.loaded, timeout=5000):
            session.data_changed.emit()  # a sync: only the first page is read again
        qtbot.wait_until(lambda: view.table.selectionModel().isRowSelected(225), timeout=5000)
        assert view.detail.complaint_id == chosen
        runner.wait_for_done(10_000)
    finally:
        workspace.close()
