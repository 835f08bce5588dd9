"""One small task runner: slow work off the GUI thread, results back by signals.

``LatestRead`` is how a screen reads for itself on the runner: one read at a
time, and only the newest answer reaches the screen.

A ``Task`` is a QObject that lives in the GUI thread; its runnable emits the
task's signals from a pool thread, and Qt queues them to the receivers.
Callbacks must therefore be bound slots of QObjects that live in the GUI
thread (STYLE.md rule 6): a lambda or ``partial`` would run in the worker
thread, where touching a widget crashes. ``run`` refuses anything else.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop.errors import CrashReporter, is_expected

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task's function by ``Progress.check`` after ``Task.cancel``."""


class Progress:
    """Handed to a task's function as ``progress=``: report steps, honour cancel."""

    def __init__(self, task: Task) -> None:
        self._task = task

    def __call__(self, done: int, total: int, text: str = "") -> None:
        self.check()
        self._task.progressed.emit(done, total, text)

    def check(self) -> None:
        if self._task.cancelled:
            raise Cancelled


class Task(QObject):
    """One piece of work on the pool.

    Signals:
        succeeded(object): the function's return value.
        failed(object): the exception it raised (``Cancelled`` after a cancel).
        progressed(int, int, str): done, total, a short text.
        finished(): after either of the first two.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.cancelled = False
        self.done = False

    def cancel(self) -> None:
        self.cancelled = True


class _Runnable(QRunnable):
    def __init__(
        self, task: Task, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        super().__init__()
        self.task, self.fn, self.args, self.kwargs = task, fn, args, kwargs
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            if not isinstance(exc, Cancelled) and not is_expected(exc):
                log.exception("task %s failed", self.task.objectName())
            self.task.failed.emit(exc)
        else:
            self.task.succeeded.emit(result)
        self.task.finished.emit()


def _check_slot(callback: Callable[..., Any] | None) -> None:
    if callback is None:
        return
    owner = getattr(callback, "__self__", None)
    if not inspect.ismethod(callback) or not isinstance(owner, QObject):
        raise TypeError(
            f"task callbacks must be bound methods of QObjects in the GUI thread, not {callback!r}"
        )


class TaskRunner(QObject):
    """Runs functions on a QThreadPool and keeps their tasks alive until they end.

    Signals:
        busy_changed(bool): True when the first task starts, False when the last ends.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        crash_reporter: CrashReporter | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool(self)
        self.crash_reporter = crash_reporter
        self.active: set[Task] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        name: str = "",
        **kwargs: Any,
    ) -> Task:
        """Run ``fn(*args, **kwargs)`` on the pool; with ``on_progress`` it also gets ``progress=``.

        Without ``on_failure`` an unexpected error goes to the crash reporter and an
        expected one is only logged; screens that can fail pass their own slot.
        """
        for callback in (on_success, on_failure, on_progress):
            _check_slot(callback)
        task = Task(name or getattr(fn, "__qualname__", "task"), self)
        if on_success is not None:
            task.succeeded.connect(on_success)
        task.failed.connect(on_failure if on_failure is not None else self.on_task_failed)
        if on_progress is not None:
            task.progressed.connect(on_progress)
            kwargs["progress"] = Progress(task)
        task.finished.connect(self.on_task_finished)
        self.active.add(task)
        if len(self.active) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Runnable(task, fn, args, kwargs))
        return task

    @Slot(object)
    def on_task_failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            return
        if is_expected(error):
            log.info("task failed: %r", error)
        elif self.crash_reporter is not None:
            self.crash_reporter.report(type(error), error, error.__traceback__)

    @Slot()
    def on_task_finished(self) -> None:
        task = self.sender()
        if isinstance(task, Task):
            task.done = True
            self.active.discard(task)
            task.deleteLater()
        if not self.active:
            self.busy_changed.emit(False)

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until the pool is idle: only for shutdown and tests."""
        return self.pool.waitForDone(msecs)


class LatestRead(QObject):
    """One screen's read on the task runner: one at a time, only the newest answer shown.

    ``ask(*args)`` starts ``fn(*args)``; asked again while a read runs, it keeps
    the newest arguments and reads again with them when that read ends. Each
    ask counts a generation, and an answer reaches ``ready`` only when no ask
    came after its own: a late answer never replaces a newer one, and a burst
    of ``data_changed`` costs at most two reads. ``drop()`` forgets what is in
    flight (the screen left what it asked about).

    A screen that says a failure itself passes ``on_failure``; without it the
    runner logs an expected error and reports a bug, as for any task.

    Signals:
        ready(object): the newest read's answer.
        failed(object): the newest read's error.
    """

    ready = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        fn: Callable[..., Any],
        name: str,
        parent: QObject | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__(parent)
        _check_slot(on_failure)
        self.runner = runner
        self.fn = fn
        self.setObjectName(name)
        self.failed.connect(on_failure if on_failure is not None else runner.on_task_failed)
        self.generation = 0  # asks so far (and drops)
        self.asked: tuple[Any, ...] | None = None  # to read once the running read ends
        self.running: Task | None = None
        self.running_generation = 0

    @property
    def busy(self) -> bool:
        """A read runs or waits: what is on screen may be about to change."""
        return self.running is not None or self.asked is not None

    def ask(self, *args: Any) -> None:
        self.generation += 1
        if self.running is not None:
            self.asked = args
            return
        self._start(args)

    def drop(self) -> None:
        """No answer in flight reaches ``ready`` any more."""
        self.generation += 1
        self.asked = None

    def _start(self, args: tuple[Any, ...]) -> None:
        self.running_generation = self.generation
        self.running = self.runner.run(
            self.fn,
            *args,
            on_success=self.on_task_succeeded,
            on_failure=self.on_task_failed,
            name=self.objectName(),
        )

    def _newest(self) -> bool:
        """After a read ended: True when its answer is the newest; else start the next read."""
        self.running = None
        if self.asked is not None:
            args, self.asked = self.asked, None
            self._start(args)
            return False
        return self.running_generation == self.generation

    @Slot(object)
    def on_task_succeeded(self, result: object) -> None:
        if self._newest():
            self.ready.emit(result)

    @Slot(object)
    def on_task_failed(self, error: BaseException) -> None:
        if self._newest():
            self.failed.emit(error)
