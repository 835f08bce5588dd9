"""The logged-in person's workspace, shared by every screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.settings import Settings
from desktop.words import set_display_zone
from desktop.workers import TaskRunner

if TYPE_CHECKING:
    from sync import Workspace
    from sync.values import LoginInfo


class Session(QObject):
    """What every screen needs: the core, who is logged in, settings and the task runner.

    Screens never talk to each other; they tell the session that the local copy
    changed and every screen that shows it refreshes.

    Signals:
        data_changed(): the local copy changed (a local action or a sync).
        open_complaint(str): a screen asks the main window to show a complaint.
        edit_reply(str, str, str): (complaint id, reply id or "", kind) open the reply editor.
        switch_user(): the person asked to log out and let someone else in.
        sync_requested(): a screen wants a sync now (retry, after an approval).
        settings_changed(): Pengaturan were saved.
        notice(str): a screen confirms what the person just did; the main window
            shows it in the status bar.
    """

    data_changed = Signal()
    open_complaint = Signal(str)
    edit_reply = Signal(str, str, str)
    switch_user = Signal()
    sync_requested = Signal()
    settings_changed = Signal()
    notice = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        user: LoginInfo,
        settings: Settings,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.user = user
        self.settings = settings
        self.runner = runner
        set_display_zone(workspace.rules.tz)  # dates as the office reads them

    @property
    def logged_in_online(self) -> bool:
        """The server checked this person's password at login (``LoginInfo.online``)."""
        return self.user.online

    @property
    def is_supervisor(self) -> bool:
        return self.user.role == "supervisor"
