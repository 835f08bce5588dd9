"""The main window, the status bar, Kinerja, Pengaturan, and logging in through the controller."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop.controller import AppController
from desktop.mainwindow import MainWindow
from desktop.session import Session
from desktop.settings import Settings
from desktop.syncing import SyncController
from desktop.views.performance import PerformanceView
from desktop.views.settings import SettingsForm
from desktop.workers import TaskRunner
from sync.kpi import Period
from tests.desktop.conftest import supervisor_session
from tests.helpers.replica import FAST_KDF, PASSWORDS, office


def nav_titles(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def make_window(qtbot: QtBot, session: Session) -> MainWindow:
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    return window


def test_officers_and_supervisors_see_their_screens(
    qtbot: QtBot, session: Session, workspace: Any, settings: Settings, runner: TaskRunner
) -> None:
    window = make_window(qtbot, session)
    assert nav_titles(window) == ["Laporan", "Kotak Keluar", "Kinerja", "Pengaturan"]
    boss = make_window(qtbot, supervisor_session(workspace, settings, runner))
    assert nav_titles(boss) == ["Laporan", "Kotak Keluar", "Persetujuan", "Kinerja", "Pengaturan"]
    boss.nav.setCurrentRow(2)
    assert boss.stack.currentWidget() is boss.pages["approvals"]


def test_the_status_bar_says_offline_and_what_waits(qtbot: QtBot, session: Session) -> None:
    window = make_window(qtbot, session)
    bar = window.statusBar()
    assert bar.online_label.text() == "○ Luring"
    qtbot.wait_until(lambda: bar.waiting_label.text() == "Menunggu dikirim: 0", timeout=5000)
    qtbot.wait_until(lambda: bar.synced_label.text() == "Sinkron terakhir: belum pernah")
    assert window.sync_action.shortcut().toString() == "F5"
    reply_id = session.workspace.draft_reply("LAP-2026-0000001", "Catatan untuk arsip", kind="note")
    session.workspace.submit_for_approval(reply_id)  # a note goes to the outbox at once
    session.data_changed.emit()  # read on the task runner: the count follows
    qtbot.wait_until(lambda: bar.waiting_label.text() == "Menunggu dikirim: 1", timeout=5000)


def test_the_window_layout_is_remembered(qtbot: QtBot, session: Session) -> None:
    window = make_window(qtbot, session)
    window.resize(window.minimumSizeHint().width(), 620)  # the offscreen screen is 800 wide
    inbox = window.pages["inbox"]
    inbox.table.setColumnWidth(2, 222)  # the deadline; the title only stretches
    window.show()
    qtbot.wait_exposed(window)
    inbox.splitter.setSizes([300, 400])
    chosen = inbox.splitter.sizes()
    category = inbox.table.horizontalHeader().findChild(QAction, "column_category")
    category.trigger()  # shown from the header's menu
    window.close()
    assert not session.settings.window_geometry.isEmpty()
    again = make_window(qtbot, session)
    again.show()
    qtbot.wait_exposed(again)
    assert again.height() == 620
    restored = again.pages["inbox"]
    assert restored.table.columnWidth(2) == 222
    assert restored.splitter.sizes() == chosen
    assert not restored.table.isColumnHidden(6)
    assert restored.table.horizontalHeader().findChild(QAction, "column_category").isChecked()


def test_performance_shows_figures_and_exports_csv_and_pdf(
    qtbot: QtBot, qtmodeltester: Any, session: Session, tmp_path: Path
) -> None:
    view = PerformanceView(session)
    qtbot.addWidget(view)
    view.set_period(Period.month(2026, 11))
    # Three complaints reached the office in November, one in October.
    qtbot.wait_until(lambda: view.cards["received"].text() == "3", timeout=10_000)
    assert view.data is not None and view.data.by_status["completed"] == 1
    categories = [view.category_model.index(r, 0).data() for r in range(3)]
    assert categories == ["Administrasi Kependudukan", "Infrastruktur", "Penerangan Jalan"]
    assert view.category_model.index(1, 1).data() == "2"
    qtmodeltester.check(view.category_model)
    qtmodeltester.check(view.officer_model)
    view.export_csv(tmp_path / "kinerja.csv")
    with (tmp_path / "kinerja.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Periode" and rows[1][:4] == ["2026-11", "Kantor", "", "3"]
    view.export_pdf(tmp_path / "kinerja.pdf")
    assert (tmp_path / "kinerja.pdf").read_bytes().startswith(b"%PDF")


def test_settings_refuse_plain_http_to_another_computer(qtbot: QtBot, settings: Settings) -> None:
    form = SettingsForm(settings)
    qtbot.addWidget(form)
    form.server_url.setText("http://lapor.contoh.go.id")
    form.save_button.click()
    assert "https://" in form.message.text()
    assert settings.server_url == ""
    form.server_url.setText("https://lapor.contoh.go.id")
    form.interval.setValue(15)
    with qtbot.wait_signal(form.language_changed):
        form.language.setCurrentIndex(form.language.findData("en"))
        form.save_button.click()
    assert (settings.server_url, settings.sync_interval_minutes, settings.language) == (
        "https://lapor.contoh.go.id",
        15,
        "en",
    )


def test_logging_in_opens_the_main_window_and_switching_user_takes_two_clicks(
    qtbot: QtBot, tmp_path: Path, runner: TaskRunner
) -> None:
    profile = tmp_path / "office"
    office(profile).close()  # a PC where ani, siti and bayu have logged in before
    settings = Settings(profile / "settings.ini")
    settings.server_url = "http://127.0.0.1:9"
    settings.known_users = ("ani", "siti")

    def factory(profile_dir: Path, url: str) -> Any:
        from sync.workspace import Workspace

        return Workspace.open(profile_dir, url, kdf_n=FAST_KDF)

    controller = AppController(settings, profile, runner, workspace_factory=factory)
    controller.start()
    login = controller.login_view
    assert login is not None and login.server_url.isHidden()  # asked on the first run only
    login.username.setText("ani")
    login.password.setText("salah")
    login.login_button.click()
    qtbot.wait_until(lambda: login.message.text() != "Sedang masuk…", timeout=10_000)
    assert login.message.text() == "Nama pengguna atau kata sandi salah."

    login.password.setText(PASSWORDS["ani"])
    with qtbot.wait_signal(controller.main_window_shown, timeout=10_000):
        login.login_button.click()
    window = controller.window
    assert window is not None and window.session.user.username == "ani"

    window.switch_user_action.trigger()  # click one: the user menu's "Ganti pengguna"
    login = controller.login_view
    assert login is not None and controller.window is None
    siti = login.findChild(type(login.login_button), "known_user_siti")
    qtbot.mouseClick(siti, Qt.MouseButton.LeftButton)  # click two: the known user
    assert login.username.text() == "siti"
    login.password.setText(PASSWORDS["siti"])
    with qtbot.wait_signal(controller.main_window_shown, timeout=10_000):
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert controller.window is not None and controller.window.session.is_supervisor
    controller.shutdown()
    QApplication.processEvents()


def test_office_days_off_go_to_the_rules_the_deadlines_use(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    from datetime import date

    from sync.deadlines import Rules

    rules_path = tmp_path / "rules.json"
    rules_path.write_text('{"first_followup_working_days": 4}', encoding="utf-8")
    form = SettingsForm(settings, rules_path)
    qtbot.addWidget(form)
    form.holiday_date.setDate(date(2026, 12, 24))
    form.findChild(QPushButton, "add_holiday").click()
    form.save_button.click()
    rules = Rules.load(override=rules_path)
    assert rules.office_days_off == frozenset({date(2026, 12, 24)})
    assert rules.first_followup_working_days == 4  # the office's other rules stay
    again = SettingsForm(settings, rules_path)
    qtbot.addWidget(again)
    assert again.holiday_dates() == (date(2026, 12, 24),)


def test_offline_the_next_attempt_comes_sooner_and_backs_off(
    qtbot: QtBot, session: Session
) -> None:
    import dataclasses

    ws = session.workspace  # its server address answers nothing
    ws.network = dataclasses.replace(ws.network, max_attempts=1)
    had_logged_in_online(ws)  # else the outcome is "log in again", which no retry cures
    controller = SyncController(session)
    delays = []
    for _ in range(3):
        with qtbot.wait_signal(controller.finished, timeout=20_000) as blocker:
            assert controller.sync_now()
        assert not blocker.args[0].online
        assert controller.retry_timer.isActive()
        delays.append(controller.retry_timer.interval())
    assert delays == [30_000, 60_000, 120_000]
    controller.stop()


def had_logged_in_online(workspace: Any) -> None:
    """A token pair for the user, as an earlier online login leaves in the keyring."""
    from sync.connection import tokens_name
    from sync.credentials import SecretStore

    user = workspace.current_user
    name = tokens_name(workspace.profile, user.id)
    SecretStore().set(name, json.dumps({"access": "alt", "refresh": "alt"}))
