"""``lapor-desk --demo``: the reference server in this process, behind a cuttable line.

Only this module imports ``server``, and only inside ``start_demo``, so the
normal app never loads it.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from desktop.netcut import Relay

log = logging.getLogger(__name__)

DEMO_COMPLAINTS = 60
SIMULATOR_EVERY_S = 20.0


class Demo(QObject):
    """The running demo: its server, the relay in front of it, its users, its Demo menu."""

    def __init__(
        self,
        server: Any,
        relay: Relay,
        profile_dir: Path,
        users: list[tuple[str, str, str]],  # username, password, role ("officer"...)
        temporary: bool = False,  # the profile is ours to remove on stop
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.server = server
        self.relay = relay
        self.profile_dir = profile_dir
        self.users = users
        self.temporary = temporary
        self.url = f"http://127.0.0.1:{relay.port}"  # the app reaches the server via the relay
        self.cut_action: QAction | None = None
        self._stopping = threading.Event()
        self._simulator: threading.Thread | None = None

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

    def start_simulator(self, every_s: float = SIMULATOR_EVERY_S) -> None:
        """Reporters and national admins at work on the server, one step every few seconds."""
        from server.simulate import Simulator  # the demo path only

        simulator = Simulator(self.server.database)

        def run() -> None:
            while not self._stopping.wait(every_s):
                try:
                    log.info("demo simulator: %s", simulator.step())
                except Exception:  # the demo goes on without one step
                    log.exception("demo simulator step failed")

        self._simulator = threading.Thread(target=run, name="demo-simulator", daemon=True)
        self._simulator.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._simulator is not None:
            self._simulator.join(10)
        self.relay.stop()
        stop = getattr(self.server, "stop", None)
        if callable(stop):
            stop()
        if self.temporary:
            shutil.rmtree(self.profile_dir, ignore_errors=True)


def start_demo(
    profile_dir: Path | None = None, complaints: int = DEMO_COMPLAINTS, simulate: bool = True
) -> Demo:
    """Start the seeded reference server on a free loopback port, and the relay before it.

    The server's database is always fresh (a temp file it removes on stop); the
    client's profile is ``profile_dir`` or a new temp folder.
    """
    from server.inprocess import start_server  # the demo path only

    base = profile_dir or Path(tempfile.mkdtemp(prefix="lapor-demo-"))
    server = start_server(complaints=complaints)
    relay = Relay("127.0.0.1", server.port)
    office = server.seeded.offices[0] if server.seeded and server.seeded.offices else ""
    users = [
        (u.username, u.password, u.role)
        for u in (server.seeded.users if server.seeded else [])
        if u.office_id == office
    ]
    log.info("demo server on %s, relay on %s", server.url, relay.port)
    demo = Demo(server, relay, base, users, temporary=profile_dir is None)
    if simulate:
        demo.start_simulator()
    return demo
