"""Fixtures of the desktop tests: a profile's settings, the task runner, a crash reporter."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from desktop.controller import AppController
from desktop.demo import Demo, start_demo
from desktop.errors import CrashReporter
from desktop.i18n import install_translators
from desktop.session import Session
from desktop.settings import Settings
from desktop.workers import TaskRunner
from tests.helpers.replica import PASSWORDS, T0, complaint, office


@pytest.fixture(autouse=True, scope="session")
def collect_in_the_gui_thread_only() -> Iterator[None]:
    """As the app does (desktop.collector): no cycle collection in a worker thread."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture(autouse=True, scope="session")
def indonesian(qapp: QApplication) -> None:
    """As the app starts by default: Indonesian words, numbers and dates."""
    install_translators(qapp, "id")


@pytest.fixture(autouse=True)
def collect_after_each_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "profile" / "settings.ini")


@pytest.fixture
def crash_reporter(qapp: QApplication) -> Iterator[CrashReporter]:
    reporter = CrashReporter()
    yield reporter
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()


@pytest.fixture
def runner(qapp: QApplication, crash_reporter: CrashReporter) -> Iterator[TaskRunner]:
    task_runner = TaskRunner(crash_reporter)
    yield task_runner
    task_runner.wait_for_done(10_000)
    # Deliver the queued results before the receivers go away.
    QApplication.processEvents()


# --- a real office: the core's Workspace over an encrypted replica -------------------


@pytest.fixture
def office_complaints() -> list[Any]:
    """Complaints that cover what the screens must show differently."""
    return [
        complaint(
            "LAP-2026-0000001",
            title="Jalan rusak di Desa Sukamaju",
            attachments=[
                {
                    "id": "att-1",
                    "filename": "foto-jalan.jpg",
                    "mime": "image/jpeg",
                    "size": 2 * 1024 * 1024,
                    "sha256": "ab" * 32,
                }
            ],
        ),
        complaint(
            "LAP-2026-0000002",
            title="Pungutan liar di loket KTP",
            confidential=True,
            assigned_at=T0 - timedelta(days=20),
            due_at=T0 - timedelta(days=13),
            category={"id": "adm", "name": "Administrasi Kependudukan"},
        ),
        complaint(
            "LAP-2026-0000003",
            title="Lampu jalan padam",
            anonymous=True,
            reporter=None,
            category={"id": "pju", "name": "Penerangan Jalan"},
            type="aspirasi",
        ),
        complaint(
            "LAP-2026-0000004",
            title="Informasi jadwal posyandu",
            type="permintaan_informasi",
            status="completed",
        ),
    ]


@pytest.fixture
def workspace(tmp_path: Path, office_complaints: list[Any]) -> Iterator[Any]:
    ws = office(tmp_path / "office", *office_complaints)
    yield ws
    ws.close()


@pytest.fixture
def session(workspace: Any, settings: Settings, runner: TaskRunner) -> Iterator[Session]:
    user = workspace.current_user
    yield Session(workspace, user, settings, runner)
    runner.wait_for_done(10_000)


def supervisor_session(workspace: Any, settings: Settings, runner: TaskRunner) -> Session:
    user = workspace.login("siti", PASSWORDS["siti"])
    return Session(workspace, user, settings, runner)


# --- the demo: the reference server in-process behind its cuttable line ------------------


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = start_demo(tmp_path / "demo", complaints=12, simulate=False)
    yield running
    running.stop()


@pytest.fixture
def controller(demo: Demo, runner: TaskRunner) -> Iterator[AppController]:
    settings = Settings(demo.profile_dir / "settings.ini")
    settings.server_url = demo.url
    app_controller = AppController(settings, demo.profile_dir, runner, demo=demo)
    app_controller.main_window_shown.connect(demo.on_main_window_shown)
    app_controller.start()
    yield app_controller
    app_controller.shutdown()
    QApplication.processEvents()


def open_editor(
    qtbot: Any, editor: Any, complaint_id: str, reply_id: str | None, kind: Any
) -> None:
    """As the officer sees it: the reply read on the task runner and on screen, ready to type."""
    with qtbot.wait_signal(editor.opened, timeout=10_000):
        editor.open_for(complaint_id, reply_id, kind)
