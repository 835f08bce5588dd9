"""``lapor-desk --demo``: the reference server in this process, behind a cuttable line.

Only this module imports ``server``, and only inside ``start_demo``, so the
normal app never loads it.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from desktop.netcut import Relay

log = logging.getLogger(__name__)


class Demo(QObject):
    """The running demo: its server, the relay in front of it, its users, its Demo menu."""

    def __init__(
        self,
        server: Any,
        relay: Relay,
        profile_dir: Path,
        users: list[tuple[str, str, str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.server = server
        self.relay = relay
        self.profile_dir = profile_dir
        self.users = users
        self.url = f"http://127.0.0.1:{relay.port}"
        self.cut_action: QAction | None = None

    @Slot(object)
    def on_main_window_shown(self, window: Any) -> None:
        menu = window.add_menu(self.tr("Demo"))
        self.cut_action = QAction(self.tr("Putuskan jaringan"), window)
        self.cut_action.setCheckable(True)
        self.cut_action.setChecked(self.relay.is_cut)
        self.cut_action.toggled.connect(self.on_cut_action_toggled)
        menu.addAction(self.cut_action)

    @Slot(bool)
    def on_cut_action_toggled(self, cut: bool) -> None:
        if cut:
            self.relay.cut()
        else:
            self.relay.restore()

    def stop(self) -> None:
        self.relay.stop()
        stop = getattr(self.server, "stop", None)
        if callable(stop):
            stop()


def start_demo(profile_dir: Path | None = None) -> Demo:
    """Start the seeded reference server on a free loopback port, and the relay before it."""
    from server.inprocess import start_server  # the demo path only

    base = profile_dir or Path(tempfile.mkdtemp(prefix="lapor-demo-"))
    server = start_server(data_dir=base / "server")
    relay = Relay("127.0.0.1", int(server.port))
    users = [
        (str(u.username), str(u.password), str(u.role)) for u in getattr(server, "demo_users", ())
    ]
    return Demo(server, relay, base / "client", users)
