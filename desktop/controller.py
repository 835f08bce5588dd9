"""Start-up and the login/switch-user cycle: the login window, then the main window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from desktop.app import APPLICATION, ORGANIZATION, default_profile_dir
from desktop.collector import GuiThreadCollector
from desktop.errors import CrashReporter, describe_login
from desktop.i18n import install_translators
from desktop.logs import setup_logging
from desktop.mainwindow import MainWindow, Page
from desktop.notifier import app_icon
from desktop.session import Session
from desktop.settings import Settings
from desktop.syncing import SyncController, apply_network_settings
from desktop.views.login import LoginView
from desktop.workers import TaskRunner
from sync.errors import ErrorCode, WorkspaceError

if TYPE_CHECKING:
    from desktop.demo import Demo
    from sync import Workspace
    from sync.values import LoginInfo

log = logging.getLogger(__name__)

WorkspaceFactory = Callable[[Path, str], "Workspace"]


@dataclass(frozen=True)
class LoginResult:
    workspace: Workspace
    user: LoginInfo  # with ``online``: whether the server checked the password

    @property
    def online(self) -> bool:
        return self.user.online


def default_workspace_factory(profile_dir: Path, server_url: str) -> Workspace:
    from sync import Workspace

    return Workspace.open(profile_dir, server_url)


def open_and_login(
    factory: WorkspaceFactory,
    workspace: Workspace | None,
    settings: Settings,
    profile_dir: Path,
    server_url: str,
    username: str,
    password: str,
) -> LoginResult:
    """Runs on the task runner: opening may migrate, logging in may wait on the network."""
    if workspace is None:
        workspace = factory(profile_dir, server_url)
    apply_network_settings(workspace, settings)
    return LoginResult(workspace, workspace.login(username, password))


class AppController(QObject):
    """Owns the windows of one run: login first, then the main window; back on 'Ganti pengguna'.

    Signals:
        main_window_shown(object): the ``MainWindow`` after a login.
        login_shown(object): the ``LoginView``.
    """

    main_window_shown = Signal(object)
    login_shown = Signal(object)

    def __init__(
        self,
        settings: Settings,
        profile_dir: Path,
        runner: TaskRunner,
        demo: Demo | None = None,
        workspace_factory: WorkspaceFactory = default_workspace_factory,
        pages: list[Page] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.profile_dir = profile_dir
        self.runner = runner
        self.demo = demo
        self.workspace_factory = workspace_factory
        self.pages = pages
        self.workspace: Workspace | None = None
        self.workspace_url = ""
        self.login_view: LoginView | None = None
        self.window: MainWindow | None = None
        self.session: Session | None = None
        self.sync_controller: SyncController | None = None
        self.login_username = ""
        self.login_failures: dict[str, int] = {}  # the server's refusals per name, this run
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("LAPOR Desk")
            self.tray.show()

    def start(self) -> None:
        self.show_login()

    def show_login(self) -> None:
        view = LoginView(self.settings)
        if self.demo is not None:
            view.set_demo_credentials(self.demo.users, network_cut=self.demo.relay.is_cut)
            view.demo_network_cut.connect(self.demo.on_cut_action_toggled)
        view.login_requested.connect(self.on_login_view_login_requested)
        view.resize(520, 460)
        view.show()
        self.login_view = view
        self.login_shown.emit(view)

    @Slot(str, str, str)
    def on_login_view_login_requested(self, url: str, username: str, password: str) -> None:
        if self.workspace is not None and url != self.workspace_url:
            # Another server is another office's data: start from a fresh handle.
            self.workspace.close()
            self.workspace = None
        self.workspace_url = url
        self.login_username = username.strip().casefold()
        self.runner.run(
            open_and_login,
            self.workspace_factory,
            self.workspace,
            self.settings,
            self.profile_dir,
            url,
            username,
            password,
            on_success=self.on_login_succeeded,
            on_failure=self.on_login_failed,
            name="login",
        )

    @Slot(object)
    def on_login_succeeded(self, result: LoginResult) -> None:
        self.workspace = result.workspace
        self.login_failures.pop(self.login_username, None)
        settings = self.settings
        settings.server_url = self.workspace_url
        settings.last_username = result.user.username
        known = [
            result.user.username,
            *(u for u in settings.known_users if u != result.user.username),
        ]
        settings.known_users = tuple(known[:8])
        settings.sync()
        log.info(
            "logged in as %s (%s), online=%s", result.user.username, result.user.role, result.online
        )
        self.session = Session(result.workspace, result.user, settings, self.runner)
        self.session.switch_user.connect(self.on_session_switch_user)
        self.sync_controller = SyncController(self.session)
        self.window = MainWindow(self.session, self.sync_controller, self.pages, self.tray)
        if not result.online:
            self.window.statusBar().showMessage(
                self.tr(
                    "Masuk tanpa sambungan (luring). Pekerjaan dikirim saat server terjangkau."
                ),
                15_000,
            )
        self.window.show()
        if self.login_view is not None:
            self.login_view.clear_password()
            self.login_view.close()
            self.login_view.deleteLater()
            self.login_view = None
        self.sync_controller.start()
        self.main_window_shown.emit(self.window)

    @Slot(object)
    def on_login_failed(self, error: BaseException) -> None:
        if (
            isinstance(error, WorkspaceError)
            and error.code == ErrorCode.INVALID_CREDENTIALS
            and "tries_left" not in error.details  # the server's refusal, not the cache's
        ):
            name = self.login_username
            self.login_failures[name] = self.login_failures.get(name, 0) + 1
        message, details = describe_login(
            error, self.login_failures.get(self.login_username, 0), demo=self.demo is not None
        )
        log.info("login failed: %s", details)
        if self.login_view is not None:
            self.login_view.show_problem(message)

    @Slot()
    def on_session_switch_user(self) -> None:
        self.close_main_window()
        self.show_login()

    def close_main_window(self) -> None:
        if self.sync_controller is not None:
            self.sync_controller.stop()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.session = None

    def shutdown(self) -> None:
        self.close_main_window()
        self.runner.wait_for_done(30_000)
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        if self.demo is not None:
            self.demo.stop()


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setWindowIcon(app_icon())
    return app


def run_gui(args: argparse.Namespace) -> int:
    app = create_application()
    demo: Demo | None = None
    if args.demo:
        from desktop.demo import start_demo

        demo = start_demo(args.profile, upstream=args.upstream)
    profile_dir: Path = args.profile or (demo.profile_dir if demo else default_profile_dir())
    settings = Settings(profile_dir / "settings.ini")
    if demo is not None:
        settings.server_url = demo.url  # a new port on every start
    log_path = setup_logging(profile_dir / "logs")
    crash_reporter = CrashReporter()
    crash_reporter.install()
    collector = GuiThreadCollector()
    translators = install_translators(app, args.lang or settings.language)
    log.info("LAPOR Desk starting; profile %s, log %s", profile_dir, log_path)
    runner = TaskRunner(crash_reporter)
    controller = AppController(settings, profile_dir, runner, demo=demo)
    if demo is not None:
        controller.main_window_shown.connect(demo.on_main_window_shown)
    controller.start()
    try:
        return app.exec()
    finally:
        controller.shutdown()
        collector.stop()
        crash_reporter.uninstall()
        del translators
