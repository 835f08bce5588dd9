"""The report stays in sight while the officer writes the reply, and can be quoted from."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QTextCursor
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.settings import Settings
from desktop.views.complaint import ComplaintView
from desktop.views.inbox import InboxView
from desktop.views.reply_editor import ReplyEditor
from sync.store import records
from sync.store.database import write_session
from sync.values import ReplyKind, ReplyState
from tests.desktop.conftest import open_editor
from tests.helpers.replica import T0, complaint

COMPLAINT = "LAP-2026-0000001"
ANONYMOUS = "LAP-2026-0000003"
REPORTER = ("Budi Santoso", "+62811000111", "budi@example.id")


def replies(workspace: Any, complaint_id: str = COMPLAINT) -> list[Any]:
    return list(workspace.complaint(complaint_id).replies)


def shown_editor(qtbot: QtBot, session: Session, complaint_id: str = COMPLAINT) -> ReplyEditor:
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    editor.resize(480, 760)  # the width the inbox leaves it on a 1280-pixel screen
    editor.show()
    qtbot.wait_exposed(editor)
    open_editor(qtbot, editor, complaint_id, None, ReplyKind.RESPOND)
    return editor


def drag_split(qtbot: QtBot, editor: ReplyEditor, dy: int) -> None:
    """Drag the handle between the report and the text, as a person does."""
    handle = editor.splitter.handle(1)
    middle = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(handle, middle + QPoint(0, dy))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle + QPoint(0, dy))


def test_the_report_is_in_sight_while_writing_and_typing_still_saves(
    qtbot: QtBot, session: Session
) -> None:
    inbox = InboxView(session)
    qtbot.addWidget(inbox)
    inbox.resize(1110, 760)
    inbox.show()
    qtbot.wait_exposed(inbox)
    inbox.open_complaint(COMPLAINT)
    with qtbot.wait_signal(inbox.editor.opened, timeout=10_000):
        inbox.detail.action_buttons[ReplyKind.RESPOND].click()
    editor = inbox.editor
    assert inbox.right.currentWidget() is editor
    assert editor.report.isVisible() and editor.report.height() >= 150
    assert editor.text.isVisible() and editor.text.height() >= 150
    report = editor.report.toPlainText()
    for fact in (
        "Jalan rusak di Desa Sukamaju",
        "Jl. Melati 3 · Denpasar Barat",
        "Jalan berlubang sejak tiga bulan, membahayakan pengendara motor.",
        "Laporan diterima",
    ):
        assert fact in report

    editor.autosave.setInterval(50)
    qtbot.keyClicks(editor.text, "Kami akan memeriksa lokasi.")
    qtbot.wait_until(lambda: bool(replies(session.workspace)), timeout=3000)
    [saved] = replies(session.workspace)
    assert saved.text == "Kami akan memeriksa lokasi." and saved.state == ReplyState.DRAFT
    assert editor.report.toPlainText() == report  # writing leaves the report as it was
    assert editor.report.isReadOnly()


def test_the_report_reads_as_the_complaint_view_does(qtbot: QtBot, session: Session) -> None:
    view = ComplaintView(session)
    qtbot.addWidget(view)
    view.load(COMPLAINT)
    editor = shown_editor(qtbot, session)
    report = editor.report.toPlainText()
    assert report.startswith(view.title.text())
    assert len(view.fields) == 9
    for key, label in view.fields.items():
        assert label.text() and f": {label.text()}\n" in report, key
    assert view.body.toPlainText() in report
    events = [view.timeline.item(i).text() for i in range(view.timeline.count())]
    assert events and all(event in report for event in events)
    assert report.index(view.body.toPlainText()) < report.index(events[0])


def test_a_hidden_reporter_stays_hidden_beside_the_reply(qtbot: QtBot, session: Session) -> None:
    editor = shown_editor(qtbot, session, ANONYMOUS)
    assert "Pelapor: Anonim\n" in editor.report.toPlainText()
    # Same rule as the complaint view even if an identity were present: anonim wins.
    named = session.workspace.complaint(COMPLAINT)
    flagged = dataclasses.replace(
        named, summary=dataclasses.replace(named.summary, anonymous=True)
    )
    assert flagged.reporter is not None
    editor.report.show_detail(flagged)
    view = ComplaintView(session)
    qtbot.addWidget(view)
    view.show_detail(flagged)
    report = editor.report.toPlainText()
    assert view.fields["reporter"].text() == "Anonim"
    assert "Pelapor: Anonim\n" in report
    assert not any(part in report for part in REPORTER)


def test_the_split_and_a_folded_report_are_remembered(
    qtbot: QtBot, session: Session, settings: Settings
) -> None:
    editor = shown_editor(qtbot, session)
    before = editor.splitter.sizes()[0]
    drag_split(qtbot, editor, -120)
    report_height = editor.splitter.sizes()[0]
    assert report_height < before - 60

    again = shown_editor(qtbot, session)
    assert abs(again.splitter.sizes()[0] - report_height) <= 2

    again.report_toggle.click()  # "Sembunyikan laporan"
    assert again.report.height() == 0 and again.text.height() > 400
    assert again.report_toggle.text() == "Tampilkan laporan"
    again.report_toggle.click()  # back at the height the person chose
    assert abs(again.report.height() - report_height) <= 2
    again.report_toggle.click()
    settings.sync()  # what the main window does on close
    restarted = Session(session.workspace, session.user, Settings(settings.path), session.runner)
    folded = shown_editor(qtbot, restarted)
    assert folded.report.height() == 0 and not folded.report_toggle.isChecked()
    folded.report_toggle.click()  # shown again, at the usual share
    assert folded.report_toggle.text() == "Sembunyikan laporan"
    assert folded.report.height() >= 150


def test_a_fact_from_the_report_can_be_copied_into_the_reply(
    qtbot: QtBot, session: Session
) -> None:
    editor = shown_editor(qtbot, session)
    editor.autosave.setInterval(50)
    found = editor.report.document().find("Jl. Melati 3")
    assert not found.isNull()
    editor.report.setTextCursor(found)
    editor.report.setFocus()
    qtbot.keySequence(editor.report, QKeySequence.StandardKey.Copy)
    assert QGuiApplication.clipboard().text() == "Jl. Melati 3"
    editor.text.setFocus()
    qtbot.keyClicks(editor.text, "Petugas meninjau ")
    qtbot.keySequence(editor.text, QKeySequence.StandardKey.Paste)
    assert editor.text.toPlainText() == "Petugas meninjau Jl. Melati 3"
    qtbot.wait_until(
        lambda: [r.text for r in replies(session.workspace)] == ["Petugas meninjau Jl. Melati 3"],
        timeout=3000,
    )
    # The report itself cannot be changed by a stray keystroke.
    editor.report.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.report, "x")
    assert not editor.report.toPlainText().endswith("x")


def test_an_event_a_sync_brings_shows_up_while_the_text_stays(
    qtbot: QtBot, session: Session, workspace: Any
) -> None:
    editor = shown_editor(qtbot, session)
    qtbot.keyClicks(editor.text, "Sedang kami periksa")
    newer = complaint(
        COMPLAINT,
        version=2,
        events=[
            *complaint(COMPLAINT).model_dump()["events"],
            {
                "id": "ev-2",
                "at": T0 + timedelta(minutes=30),
                "type": "reporter_reply",
                "text": "Lubangnya makin besar setelah hujan.",
            },
        ],
    )
    with write_session(workspace.database) as db:
        records.upsert_complaint(db, newer, workspace.rules)
    session.data_changed.emit()  # what the sync controller says after a pull
    qtbot.wait_until(
        lambda: "Lubangnya makin besar setelah hujan." in editor.report.toPlainText(), timeout=5000
    )
    assert editor.text.toPlainText() == "Sedang kami periksa"
    editor.flush()
    assert [r.text for r in replies(workspace)] == ["Sedang kami periksa"]
