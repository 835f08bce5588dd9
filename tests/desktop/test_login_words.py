"""The login screen and the small words: what to do offline, lockout, the demo's network switch.

Logins run through the real ``AppController`` and a real core: a cached office
whose server never answers (offline logins), the reference server on loopback
(online lockout), and the demo behind its cuttable line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import words
from desktop.controller import AppController
from desktop.demo import Demo
from desktop.i18n import install_translators, remove_translators
from desktop.mainwindow import MainWindow
from desktop.session import Session
from desktop.settings import Settings
from desktop.statusbar import SyncStatusBar
from desktop.syncing import SyncController
from desktop.views.login import LoginView
from desktop.workers import TaskRunner
from server.inprocess import start_server
from sync.store.database import write_session
from sync.store.local import SyncState
from tests.helpers.replica import NOWHERE, PASSWORDS, office

CLOCK = re.compile(r"sampai pukul \d\d:\d\d\.")


def attempt(qtbot: QtBot, view: LoginView, username: str, password: str) -> str:
    """Type and press Masuk; the sentence the screen shows once the login ended."""
    view.username.setText(username)
    view.password.setText(password)
    view.login_button.click()
    qtbot.wait_until(lambda: view.login_button.isEnabled(), timeout=30_000)
    return view.message.text()


@pytest.fixture
def cached_office(tmp_path: Path) -> Iterator[Any]:
    workspace = office(tmp_path / "office")
    workspace.logout()
    yield workspace
    workspace.close()


@pytest.fixture
def offline_app(
    cached_office: Any, tmp_path: Path, runner: TaskRunner
) -> Iterator[AppController]:
    settings = Settings(tmp_path / "office" / "settings.ini")
    settings.server_url = NOWHERE
    app = AppController(settings, tmp_path / "office", runner,
                        workspace_factory=lambda directory, url: cached_office)
    app.start()
    yield app
    app.workspace = None  # the fixture closes it
    app.shutdown()
    QApplication.processEvents()


def test_offline_the_last_tries_are_warned_and_the_lock_says_until_when(
    qtbot: QtBot, offline_app: AppController
) -> None:
    view = offline_app.login_view
    assert view is not None
    said = [attempt(qtbot, view, "ani", "salah") for _ in range(5)]
    assert said[0] == "Nama pengguna atau kata sandi salah."
    assert said[2] == (
        "Nama pengguna atau kata sandi salah. "
        "Tersisa 2 percobaan sebelum akun dikunci sementara."
    )
    assert said[3].endswith("Tersisa 1 percobaan sebelum akun dikunci sementara.")
    assert said[4].startswith("Akun dikunci karena terlalu banyak percobaan masuk, sampai pukul ")
    assert CLOCK.search(said[4])
    # The right password now gets the same answer, not a vague one.
    assert CLOCK.search(attempt(qtbot, view, "ani", PASSWORDS["ani"]))


def test_online_the_servers_last_tries_are_warned_too(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner
) -> None:
    with start_server(complaints=2, rate_limit=None) as server:
        settings = Settings(tmp_path / "p" / "settings.ini")
        settings.server_url = server.url
        app = AppController(settings, tmp_path / "p", runner)
        app.start()
        view = app.login_view
        assert view is not None
        said = [attempt(qtbot, view, "petugas1", "salah") for _ in range(10)]
        app.shutdown()
    assert said[5] == "Nama pengguna atau kata sandi salah."
    assert said[6].endswith("Tersisa 3 percobaan sebelum akun dikunci sementara.")
    assert said[8].endswith("Tersisa 1 percobaan sebelum akun dikunci sementara.")
    # The tenth failure locks the name on the server: the screen says until when.
    assert said[9].startswith("Akun dikunci karena terlalu banyak percobaan masuk, sampai pukul ")


def test_the_login_screen_reaches_the_demo_network_and_says_what_to_do_offline(
    qtbot: QtBot, demo: Demo, controller: AppController
) -> None:
    view = controller.login_view
    assert view is not None
    assert view.windowTitle() == "Masuk"  # Qt adds " — LAPOR Desk" itself
    lines = [w.text() for w in view.demo_box.findChildren(type(view.message))]
    assert "atasan1 / demo-atasan1 · Atasan (Pejabat Penghubung)" in lines
    assert not any("))" in line for line in lines)

    view.demo_network.setChecked(True)
    assert demo.relay.is_cut
    said = attempt(qtbot, view, "atasan1", "demo-atasan1")  # never logged in on this PC
    assert said.startswith("Server tidak dapat dihubungi, dan masuk pertama kali")
    assert "Sambungkan komputer ke jaringan kantor" in said
    assert said.endswith("hilangkan centang “Jaringan demo terputus” di bawah.")

    view.demo_network.setChecked(False)
    assert not demo.relay.is_cut
    view.password.setText("demo-atasan1")
    with qtbot.wait_signal(controller.main_window_shown, timeout=30_000):
        view.login_button.click()


def test_times_are_shown_in_the_offices_zone_not_the_pcs(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    """A PC on UTC showed 02/12 beside a card's 03/12 for a WITA office (UTC+8)."""
    with write_session(workspace.database) as db:
        SyncState.of(db).last_success = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    session = Session(workspace, workspace.current_user, settings, runner)
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    bar = window.statusBar()
    assert isinstance(bar, SyncStatusBar)
    assert workspace.rules.timezone == "Asia/Makassar"
    qtbot.wait_until(lambda: bar.synced_label.text() == "Sinkron terakhir: 03/12/2026 07:30")


def test_month_names_are_of_one_style_in_both_languages(qapp: QApplication) -> None:
    indonesian = [words.month_short(m) for m in range(1, 13)]
    assert indonesian[6:10] == ["Jul", "Agu", "Sep", "Okt"]
    translators = install_translators(qapp, "en")
    try:
        english = [words.month_short(m) for m in range(1, 13)]
    finally:
        remove_translators(qapp, translators)
        install_translators(qapp, "id")
    assert english[6:10] == ["Jul", "Aug", "Sep", "Oct"]  # never "Sept"
    assert all(len(name) == 3 for name in indonesian + english)
