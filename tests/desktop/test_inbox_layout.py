"""The inbox's layout and words: the list's share, its columns, closed work, channels."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from desktop import words
from desktop.models.complaints import COLUMNS
from desktop.session import Session
from desktop.views.inbox import InboxView
from sync.store import records
from sync.store.database import write_session
from tests.desktop.test_translations import english  # noqa: F401 - the fixture
from tests.helpers.replica import complaint


def column(name: str) -> int:
    return [key for key, _ in COLUMNS].index(name)


def shown_inbox(qtbot: QtBot, session: Session, rows: int = 4) -> InboxView:
    view = InboxView(session)
    qtbot.addWidget(view)
    view.resize(1110, 700)  # beside the navigation of a 1280-pixel window
    view.show()
    qtbot.wait_exposed(view)
    qtbot.wait_until(lambda: view.model.rowCount() == rows, timeout=5000)
    return view


def test_the_list_gets_the_larger_share_and_its_columns_fit(
    qtbot: QtBot, session: Session
) -> None:
    session.settings.similar_shown = 0  # the list's own share; beside Pengaduan Serupa, 56%
    view = shown_inbox(qtbot, session)
    listed, detail = view.splitter.sizes()
    assert listed > 1.4 * detail
    header = view.table.horizontalHeader()
    assert header.sectionResizeMode(column("title")) == QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(column("title")) >= 120
    assert view.table.horizontalScrollBar().maximum() == 0  # nothing hides to the right
    for key in ("deadline", "flags", "reply_state"):
        assert not view.table.isColumnHidden(column(key)), key
    # The columns the complaint beside shows anyway can be brought back from the header
    # (status too: the deadline column says "Selesai" or "Diarsipkan" for closed ones).
    assert view.table.isColumnHidden(column("type"))
    assert view.table.isColumnHidden(column("status"))
    type_action = next(a for a in header.actions() if a.objectName() == "column_type")
    assert not type_action.isChecked()
    type_action.trigger()
    assert not view.table.isColumnHidden(column("type"))


def test_closed_complaints_show_their_status_not_a_deadline(
    qtbot: QtBot, session: Session
) -> None:
    view = shown_inbox(qtbot, session)
    closed = view.model.row_of("LAP-2026-0000004")  # completed
    deadline = view.model.index(closed, column("deadline")).data(Qt.ItemDataRole.DisplayRole)
    assert deadline == "Selesai"
    open_row = view.model.row_of("LAP-2026-0000002")
    assert " · Terlambat" in view.model.index(open_row, column("deadline")).data()
    view.open_complaint("LAP-2026-0000004")
    assert view.detail.fields["deadline"].text() == "Selesai"


def test_the_channel_is_shown_in_words(qtbot: QtBot, session: Session) -> None:
    view = shown_inbox(qtbot, session)
    view.open_complaint("LAP-2026-0000001")
    assert view.detail.fields["channel"].text() == "Web"
    assert [words.channel_name(c) for c in ("mobile", "sms", "social_media", "walk_in")] == [
        "Aplikasi seluler", "SMS 1708", "Media sosial", "Datang langsung"]
    assert words.channel_name("fax") == "fax"  # unknown: as it came, never blank


@pytest.mark.usefixtures("english")
def test_the_reply_column_fits_its_usual_words_in_english(
    qtbot: QtBot, session: Session
) -> None:
    view = shown_inbox(qtbot, session)
    metrics = view.table.fontMetrics()
    width = view.table.horizontalHeader().sectionSize(column("reply_state"))
    assert metrics.horizontalAdvance(words.reply_state_name(None)) < width  # "None yet"


def test_a_reply_state_cut_by_its_column_reads_in_full_as_its_tooltip(
    qtbot: QtBot, session: Session
) -> None:
    draft = session.workspace.draft_reply("LAP-2026-0000001", "Jalan akan diperbaiki minggu ini.")
    session.workspace.submit_for_approval(draft)
    view = shown_inbox(qtbot, session)
    cell = view.model.index(view.model.row_of("LAP-2026-0000001"), column("reply_state"))
    assert cell.data() == cell.data(Qt.ItemDataRole.ToolTipRole) == "Menunggu Persetujuan"


def test_both_marks_read_in_full_as_the_cells_tooltip(
    qtbot: QtBot, session: Session, workspace: Any
) -> None:
    with write_session(workspace.database) as db:
        records.upsert_complaint(db, complaint("LAP-2026-0000005", confidential=True,
                                               anonymous=True, reporter=None), workspace.rules)
    view = shown_inbox(qtbot, session, rows=5)
    cell = view.model.index(view.model.row_of("LAP-2026-0000005"), column("flags"))
    assert cell.data() == cell.data(Qt.ItemDataRole.ToolTipRole) == "Rahasia, Anonim"
