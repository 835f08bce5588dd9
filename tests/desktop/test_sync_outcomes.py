"""What the status bar and the login screen say about the server, against the real one.

Every way a cycle ends has its words and, where a person can act, its button;
a failed cycle never shows as "synced". The reference server runs on
loopback behind the fault proxy; the network is cut for real.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop.errors import DetailsDialog
from desktop.i18n import install_translators, remove_translators
from desktop.mainwindow import MainWindow
from desktop.session import Session
from desktop.settings import Settings
from desktop.statusbar import SyncStatusBar
from desktop.syncing import SyncController
from desktop.workers import TaskRunner
from server.inprocess import RunningServer, start_server
from sync.connection import tokens_name
from sync.errors import ErrorCode
from sync.values import MassRemoval, SyncOutcome, SyncReport
from sync.workspace import Workspace
from tests.conftest import MemoryKeyring
from tests.faults.proxy import FaultProxy
from tests.integration import peers
from tests.integration.peers import OFFICER


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with start_server(complaints=12, rate_limit=None) as running:
        yield running


@pytest.fixture
def online_office(tmp_path: Path, proxy: FaultProxy) -> Iterator[Workspace]:
    workspace = peers.open_profile(tmp_path / "office", proxy.url)
    peers.log_in(workspace, OFFICER)
    yield workspace
    workspace.close()


@pytest.fixture
def window(
    qtbot: QtBot, online_office: Workspace, settings: Settings, runner: TaskRunner
) -> Iterator[MainWindow]:
    user = online_office.current_user
    assert user is not None
    assert user.online
    session = Session(online_office, user, settings, runner)
    controller = SyncController(session, probe_every_s=0.3)
    main = MainWindow(session, controller)
    qtbot.addWidget(main)
    main.show()
    yield main
    controller.stop()
    runner.wait_for_done(30_000)
    QApplication.processEvents()


def bar_of(window: MainWindow) -> SyncStatusBar:
    bar = window.statusBar()
    assert isinstance(bar, SyncStatusBar)
    return bar


def sync(qtbot: QtBot, window: MainWindow) -> SyncReport:
    controller = window.sync_controller
    qtbot.wait_until(lambda: not controller.running, timeout=30_000)
    with qtbot.wait_signal(controller.finished, timeout=30_000) as blocker:
        assert controller.sync_now()
    report = blocker.args[0]
    assert isinstance(report, SyncReport)
    # The bar reads the last sync and what waits on the task runner after each cycle.
    qtbot.wait_until(lambda: not bar_of(window).standing.busy, timeout=10_000)
    return report


def test_a_cycle_that_needs_a_login_shows_as_that_with_its_button(
    qtbot: QtBot, window: MainWindow, online_office: Workspace, memory_keyring: MemoryKeyring
) -> None:
    bar = bar_of(window)
    assert sync(qtbot, window).ok
    synced_text = bar.synced_label.text()
    assert not bar.problem_label.isVisible()
    # The server forgot this PC's tokens (revoked): it answers, but nothing syncs.
    name = tokens_name(online_office.profile, online_office.profile.accounts[OFFICER].user_id)
    [key] = [k for k in memory_keyring.secrets if k[1] == name]
    memory_keyring.secrets[key] = json.dumps({"access": "dicabut", "refresh": "dicabut"})

    report = sync(qtbot, window)

    assert report.outcome == SyncOutcome.LOGIN_REQUIRED
    assert bar.problem_label.isVisible()
    assert bar.problem_label.text() == "Sinkron berhenti: masuk lagi dengan kata sandi."
    assert bar.synced_label.text() == synced_text  # the failed cycle is no "last synced"
    assert bar.action_button.isVisible() and bar.action_button.text() == "Masuk lagi"
    assert not window.sync_controller.retry_timer.isActive()  # no retry cures it
    with qtbot.wait_signal(window.session.switch_user, timeout=1000):
        bar.action_button.click()


def test_a_lost_server_shows_luring_in_seconds_and_its_return_syncs_by_itself(
    qtbot: QtBot, window: MainWindow, proxy: FaultProxy
) -> None:
    bar = bar_of(window)
    assert sync(qtbot, window).ok
    controller = window.sync_controller
    assert bar.online_label.text() == "● Daring"

    proxy.network_down("refuse")
    with qtbot.wait_signal(controller.online_changed, timeout=5_000) as lost:
        pass  # the probe finds out, no sync needed
    assert lost.args == [False]
    assert re.fullmatch(r"○ Luring · terakhir tersambung \d\d:\d\d", bar.online_label.text())
    offline = sync(qtbot, window)
    assert offline.outcome == SyncOutcome.OFFLINE
    assert bar.problem_label.text().startswith("Server tidak terjangkau; dicoba lagi pukul ")
    assert "Pekerjaan Anda tersimpan" in bar.problem_label.toolTip()

    proxy.network_up()
    with qtbot.wait_signal(controller.finished, timeout=15_000) as back:
        pass  # nobody pressed anything
    assert back.args[0].outcome == SyncOutcome.SYNCED
    assert bar.online_label.text() == "● Daring"
    assert not bar.problem_label.isVisible()


def the_question(qtbot: QtBot) -> QMessageBox:
    found: list[QMessageBox] = []

    def asked() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()]
        return bool(found)

    qtbot.wait_until(asked, timeout=30_000)
    return found[0]


def test_a_snapshot_emptying_the_office_is_asked_with_the_counts(
    qtbot: QtBot, window: MainWindow, online_office: Workspace, server: RunningServer
) -> None:
    bar = bar_of(window)
    assert sync(qtbot, window).ok
    total = len(online_office.complaints())
    for complaint_id in peers.office_complaints(server):
        peers.move_away(server, complaint_id)
    peers.expire_cursors(server)

    refused = sync(qtbot, window)
    question = the_question(qtbot)
    assert refused.outcome == SyncOutcome.MASS_REMOVAL_REFUSED
    assert question.text() == (
        f"Server tidak lagi mengirim {total} dari {total} Laporan di komputer ini."
    )
    assert bar.problem_label.text() == (
        f"Sinkron ditahan: server akan menghapus {total} dari {total} Laporan."
    )
    keep = question.findChild(QPushButton, "keep_button")
    assert keep is not None
    keep.click()
    assert len(online_office.complaints()) == total  # "no" removes nothing
    assert bar.action_button.text() == "Tinjau…"

    bar.action_button.click()  # asks again, on request
    question = the_question(qtbot)
    remove = question.findChild(QPushButton, "remove_button")
    assert remove is not None and remove.text() == f"Hapus {total} Laporan"
    with qtbot.wait_signal(window.sync_controller.finished, timeout=30_000) as agreed:
        remove.click()
    assert agreed.args[0].outcome == SyncOutcome.SYNCED
    assert online_office.complaints() == []
    assert not bar.problem_label.isVisible()


@pytest.mark.parametrize(
    ("outcome", "code", "words"),
    [
        (SyncOutcome.REFUSED, ErrorCode.FORBIDDEN, "Server menolak sinkron."),
        (SyncOutcome.ERROR, ErrorCode.TRANSPORT_ERROR, "Sinkron gagal."),
    ],
)
def test_a_refusal_or_a_broken_answer_says_so_and_shows_its_details(
    qtbot: QtBot, window: MainWindow, outcome: SyncOutcome, code: ErrorCode, words: str
) -> None:
    bar = bar_of(window)
    now = datetime.now(UTC)
    report = SyncReport(started_at=now, finished_at=now, online=True, outcome=outcome,
                        error_code=code, error_message="403 forbidden: not your office")
    window.sync_controller.last_report = report
    window.sync_controller.finished.emit(report)
    assert bar.problem_label.text() == words
    assert bar.action_button.text() == "Detail"
    bar.action_button.click()
    dialog = bar.details
    assert isinstance(dialog, DetailsDialog) and dialog.isVisible()
    assert "not your office" in dialog.details
    dialog.close()


def test_a_core_failure_reaches_the_screens_as_a_report(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One type on the signal: a crash of the core is an ERROR report, not an exception."""
    def broken(**_: Any) -> SyncReport:
        raise OSError("disk full")

    monkeypatch.setattr(window.session.workspace, "sync", broken)
    report = sync(qtbot, window)
    assert report.outcome == SyncOutcome.ERROR and "disk full" in (report.error_message or "")
    assert bar_of(window).problem_label.text() == "Sinkron gagal."


def test_a_retry_wait_is_said_instead_of_a_bar_sitting_still(
    qtbot: QtBot, window: MainWindow, proxy: FaultProxy
) -> None:
    """The server fails twice, then answers: while the cycle backs off, the bar says so."""
    bar = bar_of(window)
    seen: list[tuple[int, str]] = []

    def look(done: int, total: int, text: str) -> None:
        seen.append((bar.progress.maximum(), bar.problem_label.text()))

    window.sync_controller.progressed.connect(look)
    proxy.fail_next(2, 503)
    report = sync(qtbot, window)

    assert report.ok
    assert (0, "Server belum menjawab; mencoba lagi…") in seen  # busy, and in words
    assert not bar.problem_label.isVisible()  # gone once the cycle synced


def test_a_pc_clock_far_from_the_servers_is_said(qtbot: QtBot, window: MainWindow) -> None:
    bar = bar_of(window)
    assert not bar.clock_label.isVisible()  # this PC and the loopback server agree
    now = datetime.now(UTC)
    off = SyncReport(started_at=now, finished_at=now, online=True, clock_offset_s=-65 * 60.0)
    window.sync_controller.finished.emit(off)
    assert bar.clock_label.isVisible()
    assert bar.clock_label.text() == "Jam komputer selisih 1 jam"
    assert "jam server" in bar.clock_label.toolTip()
    window.sync_controller.finished.emit(
        SyncReport(started_at=now, finished_at=now, online=True, clock_offset_s=40.0)
    )
    assert not bar.clock_label.isVisible()  # a few seconds are no news


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_longest_status_bar_still_fits_a_1366_screen(
    qtbot: QtBot, window: MainWindow, qapp: QApplication, language: str
) -> None:
    """Offline since yesterday, a question pending, the PC's clock off: all of it in 1366 px."""
    translators = install_translators(qapp, language) if language != "id" else []
    try:
        bar = bar_of(window)
        controller = window.sync_controller
        controller.last_contact = datetime.now(UTC) - timedelta(days=1)
        controller.next_retry_at = datetime.now(UTC)
        now = datetime.now(UTC)
        for outcome in SyncOutcome:
            report = SyncReport(
                started_at=now, finished_at=now, online=False, outcome=outcome,
                error_code=ErrorCode.OFFLINE, clock_offset_s=-3 * 3600.0,
                mass_removal=MassRemoval(10_000, 10_001),
            )
            bar.declined = report.mass_removal  # no question dialog for this test
            controller.last_report = report
            bar.on_controller_online_changed(False)
            controller.finished.emit(report)
            assert window.minimumSizeHint().width() <= 1366, (outcome, bar.problem_label.text())
    finally:
        if translators:
            remove_translators(qapp, translators)
            install_translators(qapp, "id")


def test_a_busy_server_is_left_to_its_retry_time_when_the_probe_finds_it(
    qtbot: QtBot, window: MainWindow, proxy: FaultProxy
) -> None:
    controller = window.sync_controller
    proxy.fail_next(50, 429)
    busy = sync(qtbot, window)
    assert busy.outcome == SyncOutcome.BUSY
    assert bar_of(window).problem_label.text().startswith("Server sibuk; dicoba lagi pukul ")
    proxy.pass_through()
    with qtbot.wait_signal(controller.online_changed, timeout=10_000) as found:
        pass  # the probe's /health answers
    assert found.args == [True]
    assert not controller.running  # no sync before the server's own Retry-After
    assert controller.retry_timer.isActive()
