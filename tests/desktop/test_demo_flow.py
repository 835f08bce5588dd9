"""The demo and the main flow, for real: the reference server on loopback behind a cuttable line.

An officer drafts while the network is cut, a supervisor approves on the
same PC, the network returns, and the reply reaches the server exactly once.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot
from pytestqt.qtbot import QtBot

from desktop.controller import AppController
from desktop.demo import Demo
from desktop.mainwindow import MainWindow
from sync.values import OutboxState, ReplyKind, ReplyState


def log_in(qtbot: QtBot, controller: AppController, username: str, password: str) -> MainWindow:
    login = controller.login_view
    assert login is not None
    login.username.setText(username)
    login.password.setText(password)
    with qtbot.wait_signal(controller.main_window_shown, timeout=30_000):
        login.login_button.click()
    window = controller.window
    assert window is not None
    return window


def sync_and_wait(qtbot: QtBot, window: MainWindow) -> Any:
    sync = window.sync_controller
    qtbot.wait_until(lambda: not sync.running, timeout=30_000)
    with qtbot.wait_signal(sync.finished, timeout=30_000) as blocker:
        assert sync.sync_now()
    return blocker.args[0]


def switch_user(
    qtbot: QtBot, controller: AppController, window: MainWindow, who: str, password: str
) -> MainWindow:
    qtbot.wait_until(lambda: not window.sync_controller.running, timeout=30_000)
    window.switch_user_action.trigger()
    return log_in(qtbot, controller, who, password)


def officer_after_supervisor(
    qtbot: QtBot, controller: AppController, passwords: dict[str, str]
) -> tuple[MainWindow, Any]:
    """atasan1 then petugas1 log in online (the PC caches both), and a sync: (window, report)."""
    window = log_in(qtbot, controller, "atasan1", passwords["atasan1"])
    window = switch_user(qtbot, controller, window, "petugas1", passwords["petugas1"])
    return window, sync_and_wait(qtbot, window)


def draft_on_an_open_complaint(qtbot: QtBot, window: MainWindow, text: str) -> tuple[Any, Any]:
    """Open the first verified complaint, start a reply, type ``text``: (summary, editor)."""
    target = next(s for s in window.session.workspace.complaints(status="verified"))
    inbox = window.pages["inbox"]
    inbox.open_complaint(target.id)
    with qtbot.wait_signal(inbox.editor.opened, timeout=10_000):
        window.session.edit_reply.emit(target.id, "", ReplyKind.RESPOND.value)
    qtbot.keyClicks(inbox.editor.text, text)
    return target, inbox.editor


def test_the_demo_shows_its_credentials_and_works_offline_then_sends_once(
    qtbot: QtBot, demo: Demo, controller: AppController
) -> None:
    login = controller.login_view
    assert login is not None and not login.demo_box.isHidden()
    shown = [u for u, _, _ in demo.users]
    assert {"petugas1", "atasan1"} <= set(shown)
    passwords = {u: p for u, p, _ in demo.users}

    # Both people log in online once: the PC caches them for offline work.
    window, report = officer_after_supervisor(qtbot, controller, passwords)
    assert report.online and window.statusBar().online_label.text() == "● Daring"
    inbox = window.pages["inbox"]
    qtbot.wait_until(lambda: inbox.model.rowCount() > 0, timeout=10_000)
    ws = window.session.workspace
    target = next(s for s in ws.complaints(status="verified"))

    # The cable is cut from the Demo menu: the app says Luring and keeps working.
    assert demo.cut_action is not None
    demo.cut_action.trigger()
    report = sync_and_wait(qtbot, window)
    assert not report.online
    assert window.statusBar().online_label.text().startswith("○ Luring · terakhir tersambung ")

    inbox.open_complaint(target.id)
    with qtbot.wait_signal(inbox.editor.opened, timeout=10_000):
        window.session.edit_reply.emit(target.id, "", ReplyKind.RESPOND.value)
    editor = inbox.editor
    qtbot.keyClicks(editor.text, "Tim kami sudah meninjau lokasi dan perbaikan dijadwalkan.")
    editor.submit_button.click()
    [draft] = [r for r in ws.complaint(target.id).replies if r.kind == ReplyKind.RESPOND]
    assert draft.state == ReplyState.AWAITING_APPROVAL

    # The supervisor approves on this PC, offline, with the password again.
    window = switch_user(qtbot, controller, window, "atasan1", passwords["atasan1"])
    approvals = window.pages["approvals"]
    assert approvals.model.rowCount() >= 1
    row = next(
        r for r in range(approvals.model.rowCount()) if approvals.model.value(r).id == draft.id
    )
    approvals.table.selectRow(row)
    approvals.start_decision(True, approvals.model.value(row), passwords["atasan1"], "")
    qtbot.wait_until(
        lambda: ws.reply(draft.id).state != ReplyState.AWAITING_APPROVAL, timeout=10_000
    )
    qtbot.wait_until(lambda: not window.sync_controller.running, timeout=30_000)
    assert [e.state for e in ws.outbox() if e.reply_id == draft.id] == [OutboxState.PENDING]
    waiting = window.statusBar().waiting_label
    qtbot.wait_until(lambda: waiting.text() == "Menunggu dikirim: 1", timeout=5000)

    # The network returns: the reply goes out, once, however often we sync.
    demo.cut_action.trigger()
    report = sync_and_wait(qtbot, window)
    assert report.online
    sync_and_wait(qtbot, window)
    assert ws.reply(draft.id).state == ReplyState.SENT
    responses = [e for e in ws.complaint(target.id).events if e.type == "response"]
    assert [e.text for e in responses] == [
        "Tim kami sudah meninjau lokasi dan perbaikan dijadwalkan."
    ]
    qtbot.wait_until(lambda: waiting.text() == "Menunggu dikirim: 0", timeout=5000)


def test_a_reply_in_the_office_queue_is_approved_and_sent(
    qtbot: QtBot, demo: Demo, controller: AppController
) -> None:
    passwords = {u: p for u, p, _ in demo.users}
    window, _ = officer_after_supervisor(qtbot, controller, passwords)
    ws = window.session.workspace
    target, editor = draft_on_an_open_complaint(
        qtbot, window, "Mohon maaf atas ketidaknyamanannya."
    )
    editor.queue_button.click()  # for a supervisor at another desk
    sync_and_wait(qtbot, window)

    window = switch_user(qtbot, controller, window, "atasan1", passwords["atasan1"])
    sync_and_wait(qtbot, window)
    approvals = window.pages["approvals"]
    queued = [approvals.model.value(r) for r in range(approvals.model.rowCount())]
    [item] = [p for p in queued if p.text == "Mohon maaf atas ketidaknyamanannya."]
    row = queued.index(item)
    assert item.from_office_queue and approvals.model.index(row, 5).data() == "antrean kantor"
    approvals.start_decision(True, item, passwords["atasan1"], "")
    qtbot.wait_until(lambda: approvals.model.rowCount() == len(queued) - 1, timeout=10_000)
    sync_and_wait(qtbot, window)
    sync_and_wait(qtbot, window)
    responses = [e for e in ws.complaint(target.id).events if e.type == "response"]
    assert [e.text for e in responses] == ["Mohon maaf atas ketidaknyamanannya."]


def test_an_officer_online_attaches_a_file_to_a_draft(
    qtbot: QtBot, demo: Demo, controller: AppController, tmp_path: Path
) -> None:
    passwords = {u: p for u, p, _ in demo.users}
    window = log_in(qtbot, controller, "petugas1", passwords["petugas1"])
    sync_and_wait(qtbot, window)
    ws = window.session.workspace
    _, editor = draft_on_an_open_complaint(qtbot, window, "Berita acara peninjauan terlampir.")
    minutes = tmp_path / "berita-acara.txt"
    minutes.write_text("Peninjauan lokasi, 27 November 2026.", encoding="utf-8")
    assert editor.attach(minutes)
    qtbot.wait_until(lambda: editor.uploading == 0, timeout=30_000)
    assert editor.saved_label.text() == "Terlampir: berita-acara.txt"
    qtbot.wait_until(lambda: editor.attachments.count() == 1, timeout=5000)
    # Each file with its size; it opens (unsealed from the kept copy) and comes off the draft.
    assert [editor.attachments.item(i).text() for i in range(editor.attachments.count())] == [
        "berita-acara.txt · 36 byte"
    ]
    assert len(ws.reply(editor.reply_id).attachment_ids) == 1
    opened: list[Path] = []
    editor.files.open_url = lambda url: opened.append(Path(url.toLocalFile())) or True
    editor.files.open_button.click()
    qtbot.wait_until(lambda: bool(opened), timeout=10_000)
    assert opened[0].read_text(encoding="utf-8") == "Peninjauan lokasi, 27 November 2026."
    assert editor.files.remove_button.isEnabled()
    editor.files.remove_button.click()
    qtbot.wait_until(lambda: editor.attachments.count() == 0, timeout=5000)
    assert ws.reply(editor.reply_id).attachment_ids == ()


def test_with_the_server_out_of_reach_login_is_offline_and_says_so(
    qtbot: QtBot, demo: Demo, controller: AppController
) -> None:
    passwords = {u: p for u, p, _ in demo.users}
    window = log_in(qtbot, controller, "petugas1", passwords["petugas1"])
    assert window.statusBar().online_label.text() == "● Daring"
    qtbot.wait_until(lambda: not window.sync_controller.running, timeout=30_000)
    window.switch_user_action.trigger()
    demo.relay.cut()
    window = log_in(qtbot, controller, "petugas1", passwords["petugas1"])
    # With when the server last answered: the sync a minute ago.
    assert window.statusBar().online_label.text().startswith("○ Luring · terakhir tersambung ")
    assert window.statusBar().currentMessage().startswith("Masuk tanpa sambungan (luring).")
    demo.relay.restore()


def test_a_conflict_shows_what_changed_and_the_reply_can_be_revised(
    qtbot: QtBot, demo: Demo, controller: AppController
) -> None:
    from datetime import UTC, datetime

    from server.complaints import national_event
    from server.db import Complaint

    passwords = {u: p for u, p, _ in demo.users}
    window, _ = officer_after_supervisor(qtbot, controller, passwords)
    ws = window.session.workspace
    target, editor = draft_on_an_open_complaint(qtbot, window, "Akan kami tinjau besok.")
    editor.submit_button.click()
    [draft] = [r for r in ws.complaint(target.id).replies if r.kind == ReplyKind.RESPOND]
    demo.relay.cut()  # approved offline, so nothing leaves before the server changes
    window = switch_user(qtbot, controller, window, "atasan1", passwords["atasan1"])
    approvals = window.pages["approvals"]
    item = next(p for p in approvals.model.rows if p.id == draft.id)
    approvals.start_decision(True, item, passwords["atasan1"], "")
    qtbot.wait_until(lambda: ws.reply(draft.id).state != ReplyState.AWAITING_APPROVAL)
    # Meanwhile the national admin archives the report.
    with demo.server.database.writing() as db:
        row = db.get(Complaint, target.id)
        national_event(db, row, "status", datetime.now(UTC), "Diarsipkan", status="archived")
    demo.relay.restore()
    sync_and_wait(qtbot, window)

    assert ws.reply(draft.id).state == ReplyState.CONFLICT
    outbox = window.show_page("outbox")
    qtbot.wait_until(lambda: not outbox.read.busy, timeout=5000)
    row_of = next(
        r for r in range(outbox.model.rowCount()) if outbox.model.value(r).reply_id == draft.id
    )
    assert outbox.model.index(row_of, 2).data() == "Konflik"
    editor = window.pages["inbox"].editor
    with qtbot.wait_signal(editor.opened, timeout=10_000):
        outbox.on_table_doubleClicked(outbox.model.index(row_of, 0))
    assert editor.reply_id == draft.id and not editor.returned_banner.isHidden()
    assert editor.returned_banner.text().startswith("Konflik: ")
    assert editor.text.toPlainText() == "Akan kami tinjau besok."  # the officer's words are kept


class Heartbeat(QObject):
    """Ticks every 10 ms in the GUI thread and remembers the longest silence."""

    def __init__(self) -> None:
        super().__init__()
        self.last = time.monotonic()
        self.longest_gap = 0.0
        self.ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        now = time.monotonic()
        self.longest_gap = max(self.longest_gap, now - self.last)
        self.last = now
        self.ticks += 1


def test_the_window_keeps_answering_while_a_real_sync_runs(
    qtbot: QtBot, demo: Demo, controller: AppController
) -> None:
    passwords = {u: p for u, p, _ in demo.users}
    # The first sync after a login pulls the whole office into an empty replica.
    window = log_in(qtbot, controller, "petugas1", passwords["petugas1"])
    assert window.sync_controller.running
    heartbeat = Heartbeat()
    with qtbot.wait_signal(window.sync_controller.finished, timeout=60_000) as blocker:
        pass
    report = blocker.args[0]
    assert report.online and report.pulled > 0
    assert heartbeat.ticks >= 3
    assert heartbeat.longest_gap < 0.5  # the GUI thread never waited on the network or SQL
