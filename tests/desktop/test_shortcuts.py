"""The keyboard: Ctrl+S saves, Ctrl+Enter submits, every action says its key, Bantuan lists them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.session import Session
from desktop.settings import Settings
from desktop.shortcuts import Shortcut, ShortcutsDialog
from desktop.syncing import SyncController
from desktop.views.approvals import ApprovalsView
from desktop.views.complaint import ComplaintView
from desktop.views.reply_editor import ReplyEditor
from desktop.workers import TaskRunner
from sync.values import ReplyKind, ReplyState
from tests.desktop.conftest import open_editor, supervisor_session

COMPLAINT = "LAP-2026-0000001"


def shown(qtbot: QtBot, widget: Any) -> Any:
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.wait_until(widget.isActiveWindow)  # window shortcuts act in the active window
    return widget


def says_its_key(button: QAbstractButton, shortcut: Shortcut) -> bool:
    return button.toolTip().endswith(f"({shortcut.key_text()})")


def test_ctrl_s_saves_and_ctrl_enter_submits_in_the_reply_editor(
    qtbot: QtBot, session: Session
) -> None:
    editor = ReplyEditor(session)
    open_editor(qtbot, editor, COMPLAINT, None, ReplyKind.RESPOND)
    shown(qtbot, editor)
    qtbot.keyClicks(editor.text, "Sudah kami tinjau.")
    qtbot.keyClick(editor.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    [reply] = session.workspace.complaint(COMPLAINT).replies  # saved at once, no autosave wait
    assert reply.text == "Sudah kami tinjau." and reply.state == ReplyState.DRAFT
    with qtbot.wait_signal(editor.submitted, timeout=3000):
        qtbot.keyClick(editor.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert session.workspace.reply(reply.id).state == ReplyState.AWAITING_APPROVAL
    assert editor.text.toPlainText() == "Sudah kami tinjau."  # no line break typed


def test_every_action_shows_its_key_in_its_tooltip(
    qtbot: QtBot, workspace: Any, session: Session, settings: Settings, runner: TaskRunner
) -> None:
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    for button, shortcut in (
        (editor.save_button, Shortcut.SAVE),
        (editor.submit_button, Shortcut.SUBMIT),
        (editor.queue_button, Shortcut.SUBMIT_TO_QUEUE),
        (editor.withdraw_button, Shortcut.WITHDRAW),
        (editor.attach_button, Shortcut.ATTACH),
        (editor.print_button, Shortcut.PRINT),
        (editor.back_button, Shortcut.BACK),
    ):
        assert says_its_key(button, shortcut), button.toolTip()
    # The attach tooltip changes with the reply: the key stays in it.
    open_editor(qtbot, editor, COMPLAINT, None, ReplyKind.RESPOND)
    assert says_its_key(editor.attach_button, Shortcut.ATTACH)
    assert editor.submit_button.toolTip() == (
        "Ajukan Persetujuan (Catatan: ke Kotak Keluar) (Ctrl+Return)"
    )

    view = ComplaintView(session)
    qtbot.addWidget(view)
    assert says_its_key(view.action_buttons[ReplyKind.RESPOND], Shortcut.RESPOND)
    assert says_its_key(view.action_buttons[ReplyKind.COMPLETE], Shortcut.COMPLETE)
    assert says_its_key(view.action_buttons[ReplyKind.REQUEST_REASSIGNMENT], Shortcut.REASSIGN)
    assert says_its_key(view.action_buttons[ReplyKind.NOTE], Shortcut.NOTE)
    approvals = ApprovalsView(supervisor_session(workspace, settings, runner))
    qtbot.addWidget(approvals)
    assert says_its_key(approvals.approve_button, Shortcut.APPROVE)
    assert says_its_key(approvals.return_button, Shortcut.RETURN)


def test_a_key_opens_the_complaints_action_and_bantuan_lists_every_key(
    qtbot: QtBot, session: Session
) -> None:
    view = ComplaintView(session)
    view.load(COMPLAINT)
    shown(qtbot, view)
    with qtbot.wait_signal(session.edit_reply, timeout=3000) as opened:
        qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert opened.args == [COMPLAINT, "", ReplyKind.RESPOND.value]

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
        for r in range(dialog.table.rowCount())
    }
    assert rows["Ctrl+S"] == "Simpan Draf" and rows["F1"] == "Pintasan papan ketik"
    assert dialog.table.rowCount() == len(Shortcut)


def test_the_main_window_has_a_bantuan_menu_that_opens_the_list(
    qtbot: QtBot, session: Session
) -> None:
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Bantuan" in menus
    assert window.shortcuts_action.shortcut().toString() == "F1"
    window.shortcuts_action.trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()
