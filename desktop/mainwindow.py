"""The main window: navigation on the left, one screen at a time, the status bar below."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPoint, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from desktop.notifier import Notifier
from desktop.session import Session
from desktop.shortcuts import Shortcut, add_help_menu
from desktop.statusbar import SyncStatusBar
from desktop.syncing import SyncController
from desktop.views.common import Screen
from desktop.words import role_name

log = logging.getLogger(__name__)

FIRST_RUN_SIZE = QSize(1280, 800)
# What a window manager adds around the window: a title bar, thin borders.
FRAME_ALLOWANCE = QSize(16, 40)


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    build: Callable[[Session], Screen]
    supervisors_only: bool = False


def default_pages() -> list[Page]:
    """The screens in the order of the navigation; imported late to keep start-up light."""
    from desktop.views.approvals import ApprovalsView
    from desktop.views.inbox import InboxView
    from desktop.views.outbox import OutboxView
    from desktop.views.performance import PerformanceView
    from desktop.views.settings import SettingsView

    return [
        Page("inbox", QCoreApplication.translate("MainWindow", "Laporan"), InboxView),
        Page("outbox", QCoreApplication.translate("MainWindow", "Kotak Keluar"), OutboxView),
        Page(
            "approvals",
            QCoreApplication.translate("MainWindow", "Persetujuan"),
            ApprovalsView,
            supervisors_only=True,
        ),
        Page("performance", QCoreApplication.translate("MainWindow", "Kinerja"), PerformanceView),
        Page("settings", QCoreApplication.translate("MainWindow", "Pengaturan"), SettingsView),
    ]


class _Pages(dict[str, Screen]):
    """The screens built so far; asking for another one builds it."""

    def __init__(self, build: Callable[[str], Screen]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> Screen:
        widget = self._build(key)
        self[key] = widget
        return widget


class MainWindow(QMainWindow):
    """The office's work in one window.

    Signals:
        closing(): the window is about to close (layout already saved).
    """

    closing = Signal()

    def __init__(
        self,
        session: Session,
        sync_controller: SyncController,
        pages: list[Page] | None = None,
        tray: QSystemTrayIcon | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.session = session
        self.sync_controller = sync_controller
        self.setWindowTitle(self.tr("LAPOR Desk"))
        self.pages = _Pages(self._build_page)
        self.specs: dict[str, Page] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; }"
            "QListWidget#navigation::item { padding: 8px 10px; }"
        )
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # Screens are built when first shown: Kinerja reads every record, and the
        # inbox should not wait for it at start.
        for page in pages if pages is not None else default_pages():
            if page.supervisors_only and not session.is_supervisor:
                continue
            self.specs[page.key] = page
            self.stack.addWidget(QWidget())  # stands in until the screen is built
            item = QListWidgetItem(page.title)
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.on_nav_currentRowChanged)
        self.nav.setCurrentRow(0)

        self.status_bar = SyncStatusBar(sync_controller, self)
        self.setStatusBar(self.status_bar)
        self._build_menus()
        self._restore_layout()
        session.open_complaint.connect(self.on_session_open_complaint)
        session.notice.connect(self.on_notifier_notified)  # the same line in the status bar
        self.notifier = Notifier(session, sync_controller, tray, parent=self)
        self.notifier.notified.connect(self.on_notifier_notified)

    def _build_menus(self) -> None:
        self.sync_action = QAction(self.tr("Sinkronkan sekarang"), self)
        self.sync_action.setShortcut(Shortcut.SYNC.keys)
        self.sync_action.triggered.connect(self.on_sync_action_triggered)
        self.addAction(self.sync_action)

        self.switch_user_action = QAction(self.tr("Ganti pengguna"), self)
        self.switch_user_action.setShortcut(Shortcut.SWITCH_USER.keys)
        self.switch_user_action.triggered.connect(self.on_switch_user_action_triggered)
        self.quit_action = QAction(self.tr("Keluar"), self)
        self.quit_action.setShortcut(Shortcut.QUIT.keys)
        self.quit_action.triggered.connect(self.on_quit_action_triggered)

        file_menu = self.menuBar().addMenu(self.tr("&Berkas"))
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        file_menu.addAction(self.switch_user_action)
        file_menu.addAction(self.quit_action)
        self.shortcuts_action = add_help_menu(self)

        # Who is logged in, with "Ganti pengguna" one click away.
        user = self.session.user
        self.user_button = QToolButton()
        self.user_button.setObjectName("user_button")
        self.user_button.setText(f"{user.full_name} · {role_name(user.role)}")
        self.user_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        user_menu = QMenu(self.user_button)
        user_menu.addAction(self.switch_user_action)
        self.user_button.setMenu(user_menu)
        self.menuBar().setCornerWidget(self.user_button, Qt.Corner.TopRightCorner)

    def add_menu(self, title: str) -> QMenu:
        """A top-level menu for a feature that is not always there (the Demo menu)."""
        return self.menuBar().addMenu(title)

    def _build_page(self, key: str) -> Screen:
        spec = self.specs[key]  # KeyError for a screen this person does not have
        index = list(self.specs).index(key)
        widget = spec.build(self.session)
        widget.setObjectName(f"page_{key}")
        stand_in = self.stack.widget(index)
        self.stack.insertWidget(index, widget)
        if stand_in is not None:
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
        return widget

    @Slot(int)
    def on_nav_currentRowChanged(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            self.stack.setCurrentWidget(self.pages[list(self.specs)[row]])

    def show_page(self, key: str) -> Screen:
        widget = self.pages[key]
        self.nav.setCurrentRow(list(self.specs).index(key))
        return widget

    def current_page_key(self) -> str:
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    @Slot()
    def on_sync_action_triggered(self) -> None:
        self.sync_controller.sync_now()

    @Slot()
    def on_quit_action_triggered(self) -> None:
        self.close()

    @Slot()
    def on_switch_user_action_triggered(self) -> None:
        self.session.switch_user.emit()

    @Slot(str)
    def on_notifier_notified(self, line: str) -> None:
        self.statusBar().showMessage(line, 15_000)

    @Slot(str)
    def on_session_open_complaint(self, complaint_id: str) -> None:
        if "inbox" in self.specs:
            from desktop.views.inbox import InboxView  # loaded with the screen already

            inbox = self.show_page("inbox")
            if isinstance(inbox, InboxView):
                inbox.open_complaint(complaint_id)

    def _restore_layout(self) -> None:
        settings = self.session.settings
        if settings.window_geometry.isEmpty() or not self.restoreGeometry(
                settings.window_geometry):
            self.fit_first_run()
        if not settings.window_state.isEmpty():
            self.restoreState(settings.window_state)

    def fit_first_run(self) -> None:
        """The first run: the preferred size where it fits, else the whole available screen.

        Available means without the taskbar; the window manager's title bar and
        borders come on top of the size asked for (``FRAME_ALLOWANCE``). A 1366x768
        laptop, the usual office PC, gets the whole screen, maximised.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        room = available.size() - FRAME_ALLOWANCE
        if room.expandedTo(FIRST_RUN_SIZE) == room:  # it fits: centred
            self.resize(FIRST_RUN_SIZE)
            self.move(available.topLeft() + QPoint(
                (room.width() - FIRST_RUN_SIZE.width()) // 2,
                (room.height() - FIRST_RUN_SIZE.height()) // 2))
            return
        self.resize(room)  # also the size it returns to from maximised
        self.move(available.topLeft())
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def save_layout(self) -> None:
        settings = self.session.settings
        settings.window_geometry = self.saveGeometry()
        settings.window_state = self.saveState()
        for widget in self.pages.values():
            widget.save_layout()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for widget in self.pages.values():
            widget.flush()  # screens with unsaved typing (the reply editor) save it now
        self.save_layout()
        self.closing.emit()
        super().closeEvent(event)
