"""Screens filled from the core's lists: categories, templates, the last sync, a first login."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.controller import AppController
from desktop.mainwindow import MainWindow
from desktop.session import Session
from desktop.settings import Settings
from desktop.syncing import SyncController
from desktop.views.inbox import InboxView
from desktop.views.reply_editor import ReplyEditor
from desktop.words import format_time
from desktop.workers import TaskRunner
from sync import protocol
from sync.store import records
from sync.store.database import write_session
from sync.store.local import SyncState
from sync.values import ReplyKind
from tests.desktop.conftest import open_editor
from tests.helpers.replica import FAST_KDF, T0, office


def test_the_category_filter_lists_the_offices_categories_and_narrows(
    qtbot: QtBot, session: Session
) -> None:
    view = InboxView(session)
    qtbot.addWidget(view)
    combo = view.filters["category"]
    assert not combo.isHidden()
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "adm", "infra", "pju"]
    qtbot.wait_until(lambda: combo.itemText(combo.findData("pju")) == "Penerangan Jalan (1)",
                     timeout=5000)
    combo.setCurrentIndex(combo.findData("pju"))
    qtbot.wait_until(
        lambda: [view.model.summary(r).id for r in range(view.model.rowCount())]  # type: ignore[union-attr]
        == ["LAP-2026-0000003"],
        timeout=5000,
    )


def test_the_reply_editor_offers_the_servers_templates(qtbot: QtBot, session: Session) -> None:
    with write_session(session.workspace.database) as db:
        records.upsert_template(db, protocol.Template(
            id="tpl-1", title="Terima kasih", type="respond",
            body="Terima kasih, laporan Anda kami tindak lanjuti."))
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, "LAP-2026-0000001", None, ReplyKind.RESPOND)
    assert [editor.templates.itemText(i) for i in range(editor.templates.count())] == [
        "Sisipkan Templat…", "Terima kasih"]
    editor.templates.activated.emit(1)
    assert editor.text.toPlainText() == "Terima kasih, laporan Anda kami tindak lanjuti."


def test_the_status_bar_shows_the_last_sync_of_an_earlier_session(
    qtbot: QtBot, session: Session
) -> None:
    synced = T0 - timedelta(hours=2)
    with write_session(session.workspace.database) as db:
        state = db.get(SyncState, 1)
        assert state is not None
        state.last_success = synced
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    expected = f"Sinkron terakhir: {format_time(synced)}"
    qtbot.wait_until(lambda: window.statusBar().synced_label.text() == expected, timeout=5000)


def test_a_first_login_without_the_server_says_the_network_is_needed(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner
) -> None:
    profile = tmp_path / "office"
    office(profile).close()  # ani, siti and bayu logged in here before; dewi never did
    settings = Settings(profile / "settings.ini")
    settings.server_url = "http://127.0.0.1:9"

    def factory(profile_dir: Path, url: str) -> Any:
        from sync.workspace import Workspace

        return Workspace.open(profile_dir, url, kdf_n=FAST_KDF)

    controller = AppController(settings, profile, runner, workspace_factory=factory)
    controller.start()
    login = controller.login_view
    assert login is not None
    login.username.setText("dewi")
    login.password.setText("rahasia-dewi")
    login.login_button.click()
    qtbot.wait_until(lambda: login.message.text() != "Sedang masuk…", timeout=10_000)
    assert login.message.text() == (
        "Server tidak dapat dihubungi, dan masuk pertama kali di komputer ini perlu server. "
        "Sambungkan komputer ke jaringan kantor, lalu masuk lagi; sesudah itu Anda dapat "
        "masuk di sini tanpa jaringan."
    )
    controller.shutdown()
    QApplication.processEvents()
