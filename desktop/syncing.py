"""When to sync: at start, every N minutes, on F5, when the network returns, after approval.

The cycle itself is the core's ``Workspace.sync``; it runs on the task runner,
so the GUI never waits on the network. Connectivity reported by
``QNetworkInformation`` is only a hint that starts an attempt (STYLE.md rule
10): only the server's answer, in the ``SyncReport``, says we are online.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from desktop.errors import is_expected
from desktop.session import Session
from desktop.settings import Settings
from desktop.workers import Task

log = logging.getLogger(__name__)

FIRST_RETRY_S = 30.0


def apply_network_settings(workspace: Any, settings: Settings) -> None:
    """Proxy and CA bundle from Pengaturan into the core's network options."""
    options = getattr(workspace, "network", None)
    if options is None or not dataclasses.is_dataclass(options):
        return
    workspace.network = dataclasses.replace(
        options, proxy=settings.proxy or None, ca_bundle=settings.ca_bundle or None
    )


class SyncController(QObject):
    """Runs at most one sync at a time.

    Signals:
        started(): a cycle began.
        progressed(int, int, str): done, total, what is happening.
        finished(object): the ``SyncReport`` (or the exception, when the core failed).
        online_changed(bool): the last answer (or silence) of the server.
    """

    started = Signal()
    progressed = Signal(int, int, str)
    finished = Signal(object)
    online_changed = Signal(bool)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: Task | None = None
        self.online = session.logged_in_online
        self.last_report: Any = None
        self.timer = QTimer(self)
        self.timer.setInterval(session.settings.sync_interval_minutes * 60_000)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.network: QNetworkInformation | None = None
        self.stopped = False
        # While the server is out of reach, try again sooner than the interval.
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.on_retry_timer_timeout)
        self.retry_delay_s = FIRST_RETRY_S
        session.sync_requested.connect(self.on_session_sync_requested)
        session.settings_changed.connect(self.on_session_settings_changed)

    @property
    def available(self) -> bool:
        return callable(getattr(self.session.workspace, "sync", None))

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        """Begin the schedule: one cycle now, then every N minutes."""
        self.timer.start()
        self._watch_network()
        self.sync_now()

    def stop(self) -> None:
        """No more cycles, and a late result of a running one is dropped unseen.

        The cycle itself finishes on its worker (the runner waits for it before the
        workspace closes): cutting it short could leave a page half-applied.
        """
        self.stopped = True
        self.timer.stop()
        self.retry_timer.stop()

    def _watch_network(self) -> None:
        if self.network is not None:
            return
        if QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            self.network = QNetworkInformation.instance()
        if self.network is not None:
            self.network.reachabilityChanged.connect(self.on_network_reachabilityChanged)

    @Slot(QNetworkInformation.Reachability)
    def on_network_reachabilityChanged(  # noqa: N802 - handler named for the Qt signal
        self, reachability: QNetworkInformation.Reachability
    ) -> None:
        if reachability == QNetworkInformation.Reachability.Online:
            log.info("the system reports a network: trying a sync")
            self.sync_now()

    @Slot()
    def on_timer_timeout(self) -> None:
        self.sync_now()

    @Slot()
    def on_retry_timer_timeout(self) -> None:
        self.sync_now()

    @Slot()
    def on_session_settings_changed(self) -> None:
        settings = self.session.settings
        self.timer.setInterval(settings.sync_interval_minutes * 60_000)
        apply_network_settings(self.session.workspace, settings)

    def _schedule_retry(self, online: bool) -> None:
        """Offline: retry after 30 s, 1, 2, 4... minutes, never later than the interval."""
        if online:
            self.retry_delay_s = FIRST_RETRY_S
            self.retry_timer.stop()
            return
        interval_s = self.timer.interval() / 1000
        self.retry_timer.start(int(min(self.retry_delay_s, interval_s) * 1000))
        self.retry_delay_s = min(self.retry_delay_s * 2, interval_s)

    @Slot()
    def on_session_sync_requested(self) -> None:
        self.sync_now()

    def sync_now(self) -> bool:
        """Start a cycle unless one runs or the core has no sync yet; True if started."""
        if self.task is not None or self.stopped or not self.available:
            return False
        sync = self.session.workspace.sync
        progress_kw = "progress" in inspect.signature(sync).parameters
        self.task = self.session.runner.run(
            sync,
            on_success=self.on_task_succeeded,
            on_failure=self.on_task_failed,
            on_progress=self.on_task_progressed if progress_kw else None,
            name="sync",
        )
        self.started.emit()
        return True

    @Slot(int, int, str)
    def on_task_progressed(self, done: int, total: int, text: str) -> None:
        if not self.stopped:
            self.progressed.emit(done, total, text)

    @Slot(object)
    def on_task_succeeded(self, report: Any) -> None:
        self.task = None
        if self.stopped:
            return
        self.last_report = report
        online = bool(getattr(report, "online", False))
        self._set_online(online)
        self._schedule_retry(online)
        self.finished.emit(report)
        self.session.data_changed.emit()

    @Slot(object)
    def on_task_failed(self, error: BaseException) -> None:
        self.task = None
        if self.stopped:
            return
        log.warning("sync failed: %r", error)
        if not is_expected(error) and self.session.runner.crash_reporter is not None:
            self.session.runner.crash_reporter.report(type(error), error, error.__traceback__)
        self._set_online(False)
        self._schedule_retry(False)
        self.finished.emit(error)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)
