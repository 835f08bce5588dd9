"""The inbox says how many complaints came unreadable and why (issue 14, item 3)."""

from __future__ import annotations

from typing import Any

import pydantic
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.views.inbox import InboxView
from desktop.views.unreadable import UnreadableDialog
from sync import protocol
from sync.quarantine import quarantine, release
from sync.store.database import write_session
from tests.helpers.replica import T0


def set_aside(workspace: Any, complaint_id: str, status: str) -> None:
    """What the pull does with a record it cannot read."""
    raw = {"id": complaint_id, "version": 3, "status": status}
    try:
        protocol.Complaint.model_validate(raw)
    except pydantic.ValidationError as exc:
        with write_session(workspace.database) as session:
            quarantine(session, "complaint", complaint_id, raw, exc, T0)


def test_the_inbox_names_the_unreadable_complaints_and_shows_why(
    qtbot: QtBot, session: Session
) -> None:
    view = InboxView(session)
    qtbot.addWidget(view)
    view.show()
    banner = view.unreadable
    qtbot.wait_until(lambda: not banner.read.busy)
    assert banner.isHidden()  # nothing unreadable: no line at all

    set_aside(session.workspace, "LAP-2026-0000099", "entah")
    set_aside(session.workspace, "LAP-2026-0000098", "rusak")
    session.data_changed.emit()  # as after a sync

    qtbot.wait_until(banner.isVisible)
    assert banner.label.text().startswith("2 laporan dari server tidak dapat dibaca")
    banner.details_button.click()
    dialog = banner.findChild(UnreadableDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == 2
    assert {table.item(row, 0).text() for row in range(2)} == {
        "LAP-2026-0000099", "LAP-2026-0000098"}
    assert all("title" in table.item(row, 4).text() for row in range(2))  # the reason
    assert table.item(0, 3).text() == "sinkronisasi berikutnya"
    dialog.copy_button.click()
    assert "LAP-2026-0000099" in QGuiApplication.clipboard().text()

    with write_session(session.workspace.database) as db:
        release(db, "complaint", "LAP-2026-0000099")
        release(db, "complaint", "LAP-2026-0000098")
    session.data_changed.emit()
    qtbot.wait_until(banner.isHidden)
