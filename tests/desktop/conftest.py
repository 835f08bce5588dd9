"""Fixtures of the desktop tests: a profile's settings, the task runner, a crash reporter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.errors import CrashReporter
from desktop.settings import Settings
from desktop.workers import TaskRunner


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
