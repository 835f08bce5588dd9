"""When to sync: at start, every N minutes, on F5, when the network returns, after approval.

The cycle itself is the core's ``Workspace.sync``; it runs on the task runner,
so the GUI never waits on the network. Connectivity reported by
``QNetworkInformation`` is only a hint that starts an attempt (STYLE.md rule
10). Between cycles a cheap probe (``Workspace.reachable``: one ``GET
/health``, never retried) runs every few seconds, backing off while the
server is silent, so "Luring" shows seconds after the cable is pulled and a
sync starts by itself when the server answers again. Only a cycle's answer,
in the ``SyncReport``, marks anything sent.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from desktop.errors import is_expected
from desktop.session import Session
from desktop.settings import Settings
from desktop.workers import Task
from sync.errors import ErrorCode, WorkspaceError
from sync.values import SyncOutcome, SyncReport

if TYPE_CHECKING:
    from sync import Workspace

log = logging.getLogger(__name__)

FIRST_RETRY_S = 30.0
PROBE_EVERY_S = 5.0  # while the server answers: a lost link shows within seconds
PROBE_BACKOFF_CAP_S = 60.0  # while it does not: 5, 10, 20, 40, 60, 60... seconds
# Outcomes another attempt soon may cure; the others wait for a person (or the interval).
RETRIED = frozenset({SyncOutcome.OFFLINE, SyncOutcome.BUSY})


def apply_network_settings(workspace: Workspace, settings: Settings) -> None:
    """Proxy and CA bundle from Pengaturan into the core's network options."""
    workspace.network = dataclasses.replace(
        workspace.network, proxy=settings.proxy or None, ca_bundle=settings.ca_bundle or None
    )


@dataclass(frozen=True)
class RemovalConsent:
    """A person's yes to a snapshot that removes up to ``removing`` complaints, for one cycle.

    Handed to ``Workspace.sync`` as ``confirm_mass_removal``; it runs on the
    worker, so it only compares numbers. A larger removal than the one agreed
    to is refused again, and asked again with its own counts.
    """

    removing: int

    def __call__(self, removing: int, total: int) -> bool:
        return removing <= self.removing


def failed_report(error: BaseException) -> SyncReport:
    """An exception out of the core, as the ``ERROR`` report the screens read."""
    now = datetime.now(UTC)
    return SyncReport(
        started_at=now,
        finished_at=now,
        online=False,
        outcome=SyncOutcome.ERROR,
        # Never None: a report that did not sync always says why (``SyncReport.ok``).
        error_code=error.code if isinstance(error, WorkspaceError) else ErrorCode.INTERNAL_ERROR,
        error_message=f"{type(error).__name__}: {error}",
    )


class SyncController(QObject):
    """Runs at most one sync at a time, and watches whether the server answers.

    Signals:
        started(): a cycle began.
        progressed(int, int, str): done, total, what is happening.
        finished(SyncReport): how the cycle ended; a failure of the core comes as an
            ``ERROR`` report too, so every listener reads one type.
        online_changed(bool): the server answered (a cycle or a probe), or fell silent.
    """

    started = Signal()
    progressed = Signal(int, int, str)
    finished = Signal(SyncReport)
    online_changed = Signal(bool)

    def __init__(
        self,
        session: Session,
        parent: QObject | None = None,
        *,
        probe_every_s: float = PROBE_EVERY_S,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.task: Task | None = None
        self.probe_task: Task | None = None
        self.online = session.logged_in_online
        self.last_report: SyncReport | None = None
        # When the server last answered anything: "Luring" says since when.
        self.last_contact: datetime | None = (
            datetime.now(UTC) if self.online else session.workspace.last_synced_at()
        )
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
        self.next_retry_at: datetime | None = None
        self.probe_every_s = probe_every_s
        self.probe_delay_s = probe_every_s
        self.probe_timer = QTimer(self)
        self.probe_timer.setSingleShot(True)
        self.probe_timer.timeout.connect(self.on_probe_timer_timeout)
        session.sync_requested.connect(self.on_session_sync_requested)
        session.settings_changed.connect(self.on_session_settings_changed)

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        """Begin the schedule: one cycle now, then every N minutes, probes in between."""
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
        self.probe_timer.stop()

    def _watch_network(self) -> None:
        if self.network is not None:
            return
        if QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            self.network = QNetworkInformation.instance()
        if self.network is not None:
            self.network.reachabilityChanged.connect(self.on_network_reachabilityChanged)

    @Slot(QNetworkInformation.Reachability)
    def on_network_reachabilityChanged(
        self, reachability: QNetworkInformation.Reachability
    ) -> None:
        if reachability == QNetworkInformation.Reachability.Online:
            log.info("the system reports a network: trying a sync")
            self.sync_now()
        else:
            log.info("the system reports %s: asking the server", reachability)
            self.probe_now()

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

    @Slot()
    def on_session_sync_requested(self) -> None:
        self.sync_now()

    def _schedule_retry(self, outcome: SyncOutcome) -> None:
        """Offline or busy: retry after 30 s, 1, 2, 4... minutes, never later than the interval.

        Synced resets the delay. An outcome that needs a person (log in, the
        mass-removal question, a refusal) is not retried soon: the same answer
        would come back.
        """
        if outcome not in RETRIED:
            if outcome == SyncOutcome.SYNCED:
                self.retry_delay_s = FIRST_RETRY_S
            self.retry_timer.stop()
            self.next_retry_at = None
            return
        interval_s = self.timer.interval() / 1000
        delay_s = min(self.retry_delay_s, interval_s)
        self.retry_timer.start(int(delay_s * 1000))
        self.next_retry_at = datetime.now(UTC) + timedelta(seconds=delay_s)
        self.retry_delay_s = min(self.retry_delay_s * 2, interval_s)

    def sync_now(self, consent: RemovalConsent | None = None) -> bool:
        """Start a cycle unless one runs; True if started.

        ``consent`` is a person's answer to the mass-removal question, for this cycle only.
        """
        if self.task is not None or self.stopped:
            return False
        self.task = self.session.runner.run(
            self.session.workspace.sync,
            confirm_mass_removal=consent,
            on_success=self.on_task_succeeded,
            on_failure=self.on_task_failed,
            on_progress=self.on_task_progressed,
            name="sync",
        )
        self.started.emit()
        return True

    @Slot(int, int, str)
    def on_task_progressed(self, done: int, total: int, text: str) -> None:
        if not self.stopped:
            self.progressed.emit(done, total, text)

    @Slot(object)
    def on_task_succeeded(self, report: SyncReport) -> None:
        self.task = None
        if self.stopped:
            return
        self._settle(report)
        self.session.data_changed.emit()

    @Slot(object)
    def on_task_failed(self, error: BaseException) -> None:
        self.task = None
        if self.stopped:
            return
        log.warning("sync failed: %r", error)
        if not is_expected(error) and self.session.runner.crash_reporter is not None:
            self.session.runner.crash_reporter.report(type(error), error, error.__traceback__)
        self._settle(failed_report(error))

    def _settle(self, report: SyncReport) -> None:
        self.last_report = report
        if report.online:
            self.last_contact = report.finished_at
        self._set_online(report.online)
        self._schedule_retry(report.outcome)
        self._schedule_probe(report.online)
        self.finished.emit(report)

    # --- the probe: does the server answer, between cycles? ------------------------

    def probe_now(self) -> None:
        """Ask the server at once: one cheap GET /health on the task runner."""
        if self.stopped or self.probe_task is not None:
            return
        self.probe_timer.stop()
        self.probe_task = self.session.runner.run(
            self.session.workspace.reachable,
            on_success=self.on_probe_succeeded,
            on_failure=self.on_probe_failed,
            name="probe",
        )

    @Slot()
    def on_probe_timer_timeout(self) -> None:
        self.probe_now()

    @Slot(object)
    def on_probe_succeeded(self, reachable: bool) -> None:
        self.probe_task = None
        if self.stopped:
            return
        was_online = self.online
        if reachable:
            self.last_contact = datetime.now(UTC)
        self._set_online(reachable)
        self._schedule_probe(reachable)
        last = self.last_report
        # Only after silence: a busy server answers /health at once, and its
        # Retry-After is the retry timer's to keep, not the probe's to override.
        if reachable and not was_online and (last is None or last.outcome == SyncOutcome.OFFLINE):
            log.info("the server answers again: syncing")
            self.sync_now()

    @Slot(object)
    def on_probe_failed(self, error: BaseException) -> None:
        self.probe_task = None
        log.warning("connectivity probe failed: %r", error)
        self._schedule_probe(False)

    def _schedule_probe(self, reachable: bool) -> None:
        """Every few seconds while it answers; backing off to a minute while it does not."""
        if self.stopped:
            return
        if reachable:
            self.probe_delay_s = self.probe_every_s
        delay_s = self.probe_delay_s
        if not reachable:
            self.probe_delay_s = min(self.probe_delay_s * 2, PROBE_BACKOFF_CAP_S)
        self.probe_timer.start(int(delay_s * 1000))

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)
