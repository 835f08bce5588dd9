"""The task runner keeps the GUI alive and brings results back to the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread, QTimer, Slot
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.workers import LatestRead, TaskRunner
from sync.errors import ErrorCode, WorkspaceError


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []
        self.errors: list[BaseException] = []
        self.steps: list[tuple[int, int, str]] = []
        self.threads: list[QThread] = []
        self.busy: list[bool] = []

    @Slot(bool)
    def on_busy(self, busy: bool) -> None:
        self.busy.append(busy)

    @Slot(object)
    def on_success(self, result: object) -> None:
        self.threads.append(QThread.currentThread())
        self.results.append(result)

    @Slot(object)
    def on_failure(self, error: BaseException) -> None:
        self.threads.append(QThread.currentThread())
        self.errors.append(error)

    @Slot(int, int, str)
    def on_progress(self, done: int, total: int, text: str) -> None:
        self.threads.append(QThread.currentThread())
        self.steps.append((done, total, text))


class Ticker(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.on_timer_timeout)

    @Slot()
    def on_timer_timeout(self) -> None:
        self.ticks += 1


def test_the_event_loop_keeps_turning_while_a_slow_task_runs(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    receiver, ticker = Receiver(), Ticker()
    ticker.timer.start()

    def slow() -> str:
        # Stands for a long sync: the worker holds until the test lets it go.
        release.wait(30)
        return "done"

    runner.run(slow, on_success=receiver.on_success)
    qtbot.wait_until(lambda: ticker.ticks >= 10, timeout=5000)
    assert receiver.results == []  # the GUI turned while the task still ran
    release.set()
    qtbot.wait_until(lambda: receiver.results == ["done"], timeout=5000)
    assert receiver.threads == [QThread.currentThread()]


def test_results_failures_and_progress_arrive_in_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    receiver = Receiver()

    def counting(progress: object) -> int:
        for step in range(3):
            progress(step + 1, 3, "langkah")  # type: ignore[operator]
        return 3

    def failing() -> None:
        raise WorkspaceError("not_found", "gone")

    runner.run(counting, on_success=receiver.on_success, on_progress=receiver.on_progress)
    runner.run(failing, on_failure=receiver.on_failure)
    qtbot.wait_until(lambda: bool(receiver.results and receiver.errors), timeout=5000)
    assert receiver.results == [3]
    assert [step[0] for step in receiver.steps] == [1, 2, 3]
    assert isinstance(receiver.errors[0], WorkspaceError)
    assert set(receiver.threads) == {QThread.currentThread()}


def test_lambdas_are_refused_as_callbacks(runner: TaskRunner) -> None:
    with pytest.raises(TypeError):
        runner.run(int, on_success=lambda value: None)


def test_busy_signal_brackets_the_work(qtbot: QtBot, runner: TaskRunner) -> None:
    receiver = Receiver()
    runner.busy_changed.connect(receiver.on_busy)
    runner.run(int, "7")
    runner.run(int, "8")
    qtbot.wait_until(lambda: not runner.active, timeout=5000)
    assert receiver.busy == [True, False]


def test_an_unexpected_error_without_a_handler_reaches_the_crash_dialog(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    def broken() -> None:
        raise ZeroDivisionError("boom")

    runner.run(broken)
    qtbot.wait_until(lambda: runner.crash_reporter.dialog is not None, timeout=5000)
    assert "ZeroDivisionError" in runner.crash_reporter.dialog.details


class Gate:
    """A read that holds until the test opens it, and says what it was asked and when."""

    def __init__(self) -> None:
        self.opened = {"first": threading.Event()}
        self.asked: list[str] = []

    def read(self, what: str) -> str:
        self.asked.append(what)
        gate = self.opened.get(what)
        if gate is not None:
            gate.wait(30)
        return f"rows of {what}"


def test_a_late_answer_never_replaces_a_newer_one(qtbot: QtBot, runner: TaskRunner) -> None:
    gate, receiver = Gate(), Receiver()
    read = LatestRead(runner, gate.read, "screen")
    read.ready.connect(receiver.on_success)
    read.ask("first")
    qtbot.wait_until(lambda: gate.asked == ["first"], timeout=5000)
    read.ask("second")
    read.ask("third")  # a burst while the first still reads: only the newest is read next
    assert read.busy
    gate.opened["first"].set()
    qtbot.wait_until(lambda: not read.busy, timeout=5000)
    assert gate.asked == ["first", "third"]
    assert receiver.results == ["rows of third"]


def test_a_dropped_read_shows_nothing_and_a_failed_one_says_why(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    gate, receiver = Gate(), Receiver()
    read = LatestRead(runner, gate.read, "screen")
    read.ready.connect(receiver.on_success)
    read.ask("first")
    read.drop()  # the screen moved on before the answer came
    gate.opened["first"].set()
    qtbot.wait_until(lambda: not read.busy, timeout=5000)
    QApplication.processEvents()
    assert receiver.results == []

    def broken() -> str:
        raise WorkspaceError(ErrorCode.NOT_FOUND, "laporan tidak ada")

    failing = LatestRead(runner, broken, "screen", on_failure=receiver.on_failure)
    failing.ask()
    qtbot.wait_until(lambda: receiver.errors != [], timeout=5000)
    assert str(receiver.errors[0]) == "laporan tidak ada"
