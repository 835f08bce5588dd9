"""Bukan Wewenang names the agency from the server's list, searchable; typing stays possible.

Against the real reference server, which serves GET /agencies (docs/API-NOTES.md).
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.settings import Settings
from desktop.views.reply_editor import ReplyEditor
from desktop.workers import TaskRunner
from server.inprocess import RunningServer
from sync.values import ReplyKind
from sync.workspace import Workspace
from tests.desktop.conftest import open_editor
from tests.desktop.online import office_pc, server  # noqa: F401 - fixtures
from tests.integration import peers

PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"



def editor_for_reassignment(
    qtbot: QtBot, ws: Workspace, settings: Settings, runner: TaskRunner, complaint_id: str
) -> ReplyEditor:
    assert ws.current_user is not None and ws.current_user.online
    session = Session(ws, ws.current_user, settings, runner)
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, complaint_id, None, ReplyKind.REQUEST_REASSIGNMENT)
    return editor


# Typing opens the completer's popup, which the offscreen platform cannot raise or grab for.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_agency_is_picked_from_the_servers_list_or_typed(
    qtbot: QtBot,
    office_pc: Workspace,  # noqa: F811
    server: RunningServer,  # noqa: F811
    settings: Settings,
    runner: TaskRunner,
) -> None:
    ws = office_pc
    first, second = peers.open_complaints(server)[:2]
    editor = editor_for_reassignment(qtbot, ws, settings, runner, first)
    picker = editor.agency
    qtbot.wait_until(lambda: PUPR in picker.names(), timeout=10_000)
    assert "Kantor Lain: Kecamatan Ubud" in picker.names()  # another office the server knows
    assert not any(name.startswith("Kantor Demo") for name in picker.names())  # not our own

    # Searchable: any part of the name, any case.
    picker.completer().setCompletionPrefix("pekerjaan umum")
    assert picker.completer().completionCount() == 1
    assert picker.completer().currentCompletion() == PUPR
    picker.setCurrentIndex(picker.findText(PUPR))
    picker.activated.emit(picker.currentIndex())  # as a click in the list does
    qtbot.keyClicks(editor.text, "Jalan ini jalan provinsi.")
    editor.flush()
    assert ws.reply(editor.reply_id or "").suggested_agency == PUPR

    # Free text stays the fallback, and the list is kept for offline use.
    other = editor_for_reassignment(qtbot, ws, settings, runner, second)
    qtbot.keyClicks(other.agency.lineEdit(), "Balai Wilayah Sungai Bali-Penida")
    qtbot.keyClicks(other.text, "Saluran irigasi milik balai.")
    other.flush()
    assert ws.reply(other.reply_id or "").suggested_agency == "Balai Wilayah Sungai Bali-Penida"
    assert PUPR in [a.name for a in ws.agencies()]
