"""Tindak Lanjut, Persetujuan and Kotak Keluar: an officer drafts, a supervisor decides."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.settings import Settings
from desktop.views.approvals import ApprovalsView, pending_approvals
from desktop.views.complaint import ComplaintView
from desktop.views.inbox import InboxView
from desktop.views.outbox import OutboxView
from desktop.views.reply_editor import ReplyEditor, fill_template
from desktop.workers import TaskRunner
from sync.values import ReplyKind, ReplyState
from tests.desktop.conftest import open_editor, supervisor_session
from tests.desktop.test_translations import english  # noqa: F401 - the fixture
from tests.helpers.replica import PASSWORDS, write_transactions

COMPLAINT = "LAP-2026-0000001"


def replies(workspace: Any, complaint_id: str = COMPLAINT) -> list[Any]:
    return list(workspace.complaint(complaint_id).replies)


def draft_and_submit(workspace: Any, text: str = "Jalan akan diperbaiki pekan depan.") -> str:
    reply_id = workspace.draft_reply(COMPLAINT, text)
    workspace.submit_for_approval(reply_id)
    return str(reply_id)


def editor_on(qtbot: QtBot, session: Session, reply_id: str | None = None) -> ReplyEditor:
    """An editor opened on COMPLAINT's reply ``reply_id`` (a new Tindak Lanjut by default)."""
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, COMPLAINT, reply_id, ReplyKind.RESPOND)
    return editor


def test_typing_is_saved_by_itself_within_seconds(qtbot: QtBot, session: Session) -> None:
    inbox = InboxView(session)
    qtbot.addWidget(inbox)
    inbox.open_complaint(COMPLAINT)
    with qtbot.wait_signal(inbox.editor.opened, timeout=10_000):
        inbox.detail.action_buttons[ReplyKind.RESPOND].click()
    editor = inbox.editor
    assert inbox.right.currentWidget() is editor
    editor.autosave.setInterval(50)
    qtbot.keyClicks(editor.text, "Terima kasih, laporan sedang kami periksa.")
    assert editor.count.text() == "42 / 20.000 karakter"
    qtbot.wait_until(lambda: bool(replies(session.workspace)), timeout=3000)
    saved = replies(session.workspace)[0]
    assert saved.text == "Terima kasih, laporan sedang kami periksa."
    assert saved.state == ReplyState.DRAFT


def test_a_new_reply_keeps_what_is_typed_while_its_report_is_still_being_read(
    qtbot: QtBot, session: Session
) -> None:
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    with qtbot.wait_signal(editor.opened, timeout=10_000):
        editor.open_for(COMPLAINT, None, ReplyKind.RESPOND)
        assert editor.loading
        qtbot.keyClicks(editor.text, "Terima kasih")  # the officer clicked and types at once
    assert editor.text.toPlainText() == "Terima kasih"
    qtbot.keyClicks(editor.text, ", kami periksa.")
    editor.flush()
    assert [r.text for r in replies(session.workspace)] == ["Terima kasih, kami periksa."]


def test_a_kept_reply_takes_no_typing_until_it_is_on_screen_then_keeps_every_word(
    qtbot: QtBot, session: Session
) -> None:
    reply_id = session.workspace.draft_reply(COMPLAINT, "Sudah kami catat.")
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    other = session.workspace.draft_reply("LAP-2026-0000002", "Teks laporan lain.", kind="note")
    open_editor(qtbot, editor, "LAP-2026-0000002", other, ReplyKind.NOTE)
    with qtbot.wait_signal(editor.opened, timeout=10_000):
        editor.open_for(COMPLAINT, reply_id, ReplyKind.RESPOND)
        # Read on the task runner: until it is here the old text cannot be typed into,
        # nor sent for the new reply.
        assert editor.loading and editor.text.isReadOnly()
        assert not editor.submit_button.isEnabled()
        assert editor.state_label.text() == "Memuat…"
    assert editor.text.toPlainText() == "Sudah kami catat."
    assert not editor.text.isReadOnly() and editor.submit_button.isEnabled()
    editor.text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.text, " Besok petugas datang.")
    editor.flush()
    assert session.workspace.reply(reply_id).text == "Sudah kami catat. Besok petugas datang."
    assert session.workspace.reply(other).text == "Teks laporan lain."


def test_a_text_over_the_contracts_limit_is_refused_with_the_limit_in_local_digits(
    qtbot: QtBot, session: Session
) -> None:
    editor = editor_on(qtbot, session)
    editor.text.setPlainText("x" * 20_001)  # protocol.MAX_TEXT_CHARS, and one more
    assert editor.count.text() == "20.001 / 20.000 karakter"
    editor.submit_button.click()
    assert editor.saved_label.text() == "Teks harus 1 sampai 20.000 karakter."
    editor.flush()
    [reply] = replies(session.workspace)
    assert reply.state == ReplyState.DRAFT  # kept, not submitted


@pytest.mark.usefixtures("english")
def test_the_limit_reads_as_english_writes_it(qtbot: QtBot, session: Session) -> None:
    editor = editor_on(qtbot, session)
    editor.text.setPlainText("")
    editor.submit_button.click()
    assert editor.saved_label.text() == "The text must be 1 to 20,000 characters."


def test_closing_saves_what_was_typed_and_reopening_continues_it(
    qtbot: QtBot, session: Session
) -> None:
    editor = editor_on(qtbot, session)
    qtbot.keyClicks(editor.text, "Draf pertama")
    editor.flush()  # what the main window does on close
    [reply] = replies(session.workspace)
    assert reply.text == "Draf pertama"
    qtbot.keyClicks(editor.text, ", lalu disunting")
    editor.flush()
    again = editor_on(qtbot, session, reply.id)
    assert again.text.toPlainText() == "Draf pertama, lalu disunting"
    assert len(replies(session.workspace)) == 1


def test_a_new_bukan_wewenang_draft_is_one_write_with_its_agency(
    qtbot: QtBot, session: Session
) -> None:
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, COMPLAINT, None, ReplyKind.REQUEST_REASSIGNMENT)
    editor.autosave.setInterval(60_000)  # the draft is made by the flush below
    qtbot.keyClicks(editor.agency.lineEdit(), "Dinas PUPR Provinsi")
    qtbot.keyClicks(editor.text, "Jalan provinsi, bukan wewenang kami.")
    with write_transactions(session.workspace.database) as writes:
        editor.flush()
    assert len(writes) == 1
    [reply] = replies(session.workspace)
    assert (reply.kind, reply.suggested_agency) == (
        ReplyKind.REQUEST_REASSIGNMENT, "Dinas PUPR Provinsi"
    )


def test_submitting_is_confirmed_and_can_be_undone_until_the_supervisor_decides(
    qtbot: QtBot, session: Session
) -> None:
    editor = editor_on(qtbot, session)
    qtbot.keyClicks(editor.text, "Sudah kami tindak lanjuti.")
    with qtbot.wait_signal(session.notice, timeout=3000) as notice, qtbot.wait_signal(
        editor.opened, timeout=10_000
    ):
        editor.submit_button.click()
    assert notice.args == [
        "Diajukan untuk Persetujuan: LAP-2026-0000001. Bisa dibatalkan sampai Atasan memutuskan."
    ]
    [reply] = replies(session.workspace)
    assert reply.state == ReplyState.AWAITING_APPROVAL
    # The editor stays on it: waiting for the supervisor, no silent edits, and an undo
    # in the place where "Ajukan Persetujuan" was.
    assert editor.text.isReadOnly()
    assert editor.withdraw_button.isVisibleTo(editor)
    assert not editor.submit_button.isVisibleTo(editor)
    with qtbot.wait_signal(session.notice, timeout=3000) as notice, qtbot.wait_signal(
        editor.opened, timeout=10_000
    ):
        editor.withdraw_button.click()
    assert notice.args == ["Pengajuan dibatalkan: LAP-2026-0000001 kembali menjadi Draf."]
    assert replies(session.workspace)[0].state == ReplyState.DRAFT
    assert not editor.text.isReadOnly() and editor.submit_button.isVisibleTo(editor)


def test_a_submission_cannot_be_taken_back_once_the_supervisor_decided(
    qtbot: QtBot, session: Session
) -> None:
    reply_id = draft_and_submit(session.workspace)
    editor = editor_on(qtbot, session, reply_id)
    assert editor.withdraw_button.isVisibleTo(editor)
    session.workspace.return_draft(reply_id, "siti", PASSWORDS["siti"], "Kurang lengkap.")
    session.workspace.login("ani", PASSWORDS["ani"])
    with qtbot.wait_signal(editor.opened, timeout=10_000):
        editor.withdraw_button.click()  # the supervisor was quicker: said, and nothing breaks
    assert session.workspace.reply(reply_id).state == ReplyState.RETURNED
    assert not editor.withdraw_button.isVisibleTo(editor)


def test_a_returned_reply_shows_the_supervisors_comment(qtbot: QtBot, session: Session) -> None:
    ws = session.workspace
    reply_id = draft_and_submit(ws)
    ws.return_draft(reply_id, "siti", PASSWORDS["siti"], "Sebutkan tanggal perbaikannya.")
    editor = editor_on(qtbot, session, reply_id)
    assert not editor.returned_banner.isHidden()
    assert "Sebutkan tanggal perbaikannya." in editor.returned_banner.text()
    assert not editor.text.isReadOnly()


def test_templates_fill_the_reports_own_date_and_keep_anonymous_reporters_anonymous(
    workspace: Any,
) -> None:
    body = "Yth. {nama_pelapor}, laporan {nomor} ({judul}) tanggal {tanggal}."
    # {tanggal} is the day the reporter sent the report (31 October), not today.
    named = fill_template(body, workspace.complaint(COMPLAINT))
    assert named == (
        "Yth. Budi Santoso, laporan LAP-2026-0000001 (Jalan rusak di Desa Sukamaju) "
        "tanggal 31/10/2026."
    )
    anonymous = fill_template(body, workspace.complaint("LAP-2026-0000003"))
    assert anonymous.startswith("Yth. Anonim,")


def test_a_supervisor_approves_with_the_password_and_the_reply_enters_the_outbox(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    reply_id = draft_and_submit(workspace)
    session = supervisor_session(workspace, settings, runner)
    view = ApprovalsView(session)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 1
    assert view.reply_text.toPlainText() == "Jalan akan diperbaiki pekan depan."
    assert view.complaint.title.text() == "Jalan rusak di Desa Sukamaju"

    [item] = view.model.rows
    assert item.id == reply_id and not item.from_office_queue
    view.start_decision(True, item, "salah-sandi", "")
    qtbot.wait_until(lambda: not view.busy, timeout=5000)
    assert (
        workspace.reply(reply_id).state == ReplyState.AWAITING_APPROVAL
    )  # refused: wrong password

    with qtbot.wait_signal(session.sync_requested, timeout=5000):
        view.start_decision(True, item, PASSWORDS["siti"], "")
    assert workspace.reply(reply_id).state in (ReplyState.APPROVED, ReplyState.QUEUED)
    qtbot.wait_until(lambda: view.model.rowCount() == 0, timeout=3000)
    assert pending_approvals(workspace) == []

    outbox = OutboxView(session)
    qtbot.addWidget(outbox)
    qtbot.wait_until(lambda: outbox.model.rowCount() == 1, timeout=5000)
    assert outbox.model.index(0, 2).data() == "Menunggu dikirim"
    assert outbox.summary.text().startswith("1 menunggu dikirim")


def test_a_supervisor_returns_with_a_comment(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    reply_id = draft_and_submit(workspace)
    session = supervisor_session(workspace, settings, runner)
    view = ApprovalsView(session)
    qtbot.addWidget(view)
    view.start_decision(False, view.model.rows[0], PASSWORDS["siti"], "Terlalu singkat.")
    qtbot.wait_until(lambda: view.model.rowCount() == 0, timeout=5000)
    reply = workspace.reply(reply_id)
    assert reply.state == ReplyState.RETURNED and reply.return_comment == "Terlalu singkat."


def test_models_of_the_small_lists_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    reply_id = draft_and_submit(workspace)
    session = supervisor_session(workspace, settings, runner)
    approvals = ApprovalsView(session)
    qtmodeltester.check(approvals.model)
    workspace.approve(reply_id, "siti", PASSWORDS["siti"])
    outbox = OutboxView(session)
    qtbot.wait_until(lambda: outbox.model.rowCount() == 1, timeout=5000)
    qtmodeltester.check(outbox.model)
    assert outbox.model.index(0, 1).data(Qt.ItemDataRole.DisplayRole) == COMPLAINT


def test_the_action_buttons_stay_in_one_place_from_report_to_report(
    qtbot: QtBot, session: Session
) -> None:
    view = ComplaintView(session)
    qtbot.addWidget(view)
    view.resize(560, 700)
    view.show()
    places = []
    # A long title and body, then a short one: the buttons must not move between them.
    for complaint_id in ("LAP-2026-0000002", "LAP-2026-0000003", "LAP-2026-0000001"):
        view.load(complaint_id)
        QApplication.processEvents()  # the layouts settle on the posted LayoutRequest
        QApplication.processEvents()
        button = view.action_buttons[ReplyKind.RESPOND]
        places.append(button.mapTo(view, button.rect().topLeft()))
    assert len(set((p.x(), p.y()) for p in places)) == 1, places
