"""Persetujuan as a supervisor meets it: the decision dialog, the queue's columns, its place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.views.approvals import ApprovalsView
from desktop.workers import TaskRunner
from sync.values import ReplyState
from tests.desktop.conftest import supervisor_session
from tests.helpers.replica import PASSWORDS, user

ANI = "Ni Made Ariani Kusumawati, S.Sos."
COMPLAINTS = ("LAP-2026-0000001", "LAP-2026-0000002", "LAP-2026-0000003")


def submitted(workspace: Any, complaint_id: str, text: str = "Diperbaiki pekan depan.") -> str:
    reply_id = workspace.draft_reply(complaint_id, text)
    workspace.submit_for_approval(reply_id)
    return str(reply_id)


def approvals(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner
) -> ApprovalsView:
    view = ApprovalsView(supervisor_session(workspace, settings, runner))
    qtbot.addWidget(view)
    view.resize(1196, 700)  # the page beside the navigation of a 1366x768 window
    view.show()
    return view


def test_a_mistyped_password_keeps_the_return_dialog_and_the_comment(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    reply_id = submitted(workspace, COMPLAINTS[0])
    view = approvals(qtbot, workspace, settings, runner)
    dialog = view.ask_and_decide(approving=False)
    assert dialog is not None and dialog.isVisible()

    # No comment yet: the password is not asked, and "Kembalikan" is refused.
    assert not dialog.password.isEnabled()
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.message.text() == "Catatan untuk Petugas belum diisi."

    qtbot.keyClicks(dialog.comment, "Sebutkan tanggal perbaikannya.")
    assert dialog.password.isEnabled()
    qtbot.keyClicks(dialog.password, "salah-ketik")
    dialog.ok_button.click()
    qtbot.wait_until(lambda: not view.busy, timeout=10_000)
    QApplication.processEvents()
    assert dialog.isVisible()
    assert dialog.comment.toPlainText() == "Sebutkan tanggal perbaikannya."
    assert dialog.message.text() == "Kata sandi salah. Ketik lagi kata sandi Anda."
    assert dialog.password.text() == "" and dialog.ok_button.isEnabled()
    assert workspace.reply(reply_id).state is ReplyState.AWAITING_APPROVAL

    qtbot.keyClicks(dialog.password, PASSWORDS["siti"])
    with qtbot.wait_signal(view.session.notice, timeout=10_000) as notice:
        dialog.ok_button.click()
    assert not dialog.isVisible()
    assert notice.args == ["Dikembalikan ke Ani: LAP-2026-0000001"]
    reply = workspace.reply(reply_id)
    assert reply.state is ReplyState.RETURNED
    assert reply.return_comment == "Sebutkan tanggal perbaikannya."


def test_the_queue_names_each_author_fits_its_columns_and_keeps_its_place(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    # A name as offices write them: long, with a title.
    workspace.remember_user(user("ani", "officer", full_name=ANI), PASSWORDS["ani"])
    for complaint_id in COMPLAINTS:
        submitted(workspace, complaint_id)
    view = approvals(qtbot, workspace, settings, runner)
    table, model = view.table, view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Penulis" in headers and "Diajukan" in headers
    author = headers.index("Penulis")
    assert [model.index(r, author).data() for r in range(3)] == [ANI] * 3
    # Every column in sight: nothing needs scrolling sideways.
    width = table.viewport().width()
    header = table.horizontalHeader()
    for column in range(model.columnCount()):
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= width
        assert header.sectionSize(column) >= 40
    assert not table.horizontalScrollBar().isVisible()

    table.selectRow(1)
    second, third = model.rows[1], model.rows[2]
    view.ask_and_decide(approving=True)
    assert view.dialog is not None
    qtbot.keyClicks(view.dialog.password, PASSWORDS["siti"])
    with qtbot.wait_signal(view.session.notice, timeout=10_000) as notice:
        view.dialog.ok_button.click()
    assert notice.args == [f"Disetujui: {second.complaint_id} ({ANI})"]
    assert view.last_decision.text() == notice.args[0]  # still said once a sync takes the bar
    qtbot.wait_until(lambda: model.rowCount() == 2, timeout=5000)
    # The place is kept: the draft that came after the approved one is chosen now.
    assert view.selected() == third


def test_a_supervisor_corrects_the_text_before_approving_and_the_history_says_so(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    reply_id = submitted(workspace, COMPLAINTS[0], "Jalan diperbaiki pekan depan")
    view = approvals(qtbot, workspace, settings, runner)
    assert not view.reply_text.isReadOnly()
    view.reply_text.moveCursor(view.reply_text.textCursor().MoveOperation.End)
    qtbot.keyClicks(view.reply_text, ". Terima kasih.")
    view.ask_and_decide(approving=True)
    assert view.dialog is not None
    qtbot.keyClicks(view.dialog.password, PASSWORDS["siti"])
    with qtbot.wait_signal(view.session.notice, timeout=10_000) as notice:
        view.dialog.ok_button.click()
    assert notice.args == ["Disetujui dengan perbaikan Anda: LAP-2026-0000001 (Ani)"]
    reply = workspace.reply(reply_id)
    assert reply.text == "Jalan diperbaiki pekan depan. Terima kasih."
    assert reply.state in (ReplyState.APPROVED, ReplyState.QUEUED)
    siti = next(i for i, name in workspace.people().items() if name == "Siti")
    assert reply.corrected_by == siti and reply.approved_by == siti
