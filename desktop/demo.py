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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from desktop.netcut import Relay

if TYPE_CHECKING:
    from server.inprocess import RunningServer

log = logging.getLogger(__name__)

DEMO_COMPLAINTS = 60
SIMULATOR_EVERY_S = 20.0


class Demo(QObject):
    """The running demo: its server, the relay in front of it, its users, its Demo menu."""

    def __init__(
        self,
        server: RunningServer,
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
        self.upstream: Any = None  # with --upstream: the LAPOR! v3 simulator behind the hub

    @Slot(object)
    def on_main_window_shown(self, window: Any) -> None:
        menu = window.add_menu(self.tr("Demo"))
        self.cut_action = QAction(self.tr("Putuskan jaringan"), window)
        self.cut_action.setCheckable(True)
        self.cut_action.setChecked(self.relay.is_cut)
        self.cut_action.toggled.connect(self.on_cut_action_toggled)
        menu.addAction(self.cut_action)
        if self.upstream is not None:
            menu.addSeparator()
            new = menu.addAction(self.tr("Laporan baru di SP4N-LAPOR!"))
            new.triggered.connect(self.on_new_upstream_complaint_triggered)
            reply = menu.addAction(self.tr("Pelapor membalas di SP4N-LAPOR!"))
            reply.triggered.connect(self.on_upstream_reporter_reply_triggered)

    @Slot()
    def on_new_upstream_complaint_triggered(self) -> None:
        """A citizen files a report on SP4N-LAPOR!; the hub brings it down at once."""
        number = self.upstream.state.add_complaint(
            # A citizen's words, not the app's: data, not translated.
            "Jalan berlubang di depan sekolah",
            "Lubangnya makin besar setelah hujan; anak-anak harus turun ke jalan.",
            disposition_id=UPSTREAM_INSTITUTIONS["kantor-demo"],
        )
        log.info("demo: complaint %s filed on the SP4N-LAPOR! simulator", number)
        self.server.app.state.upstream.poll_soon()

    @Slot()
    def on_upstream_reporter_reply_triggered(self) -> None:
        """The reporter answers the office's newest follow-up on SP4N-LAPOR!."""
        answered = [c for c in self.upstream.state.complaints() if c.status_name == "Dalam Proses"]
        if answered:
            self.upstream.state.add_reporter_reply(
                answered[-1].id, "Terima kasih, tetapi belum ada perbaikan sampai hari ini."
            )
            self.server.app.state.upstream.poll_soon()

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
        self.server.stop()
        if self.upstream is not None:
            self.upstream.stop()
        if self.temporary:
            shutil.rmtree(self.profile_dir, ignore_errors=True)


def start_demo(
    profile_dir: Path | None = None,
    complaints: int = DEMO_COMPLAINTS,
    simulate: bool = True,
    upstream: bool = False,
) -> Demo:
    """Start the seeded reference server on a free loopback port, and the relay before it.

    The server's database is always fresh (a temp file it removes on stop); the
    client's profile is ``profile_dir`` or a new temp folder. With ``upstream``
    the server is a hub in front of a LAPOR! v3 simulator, whose complaints are
    the office's (none are seeded on the hub itself).
    """
    from server.inprocess import start_server  # the demo path only

    base = profile_dir or Path(tempfile.mkdtemp(prefix="lapor-demo-"))
    sim, hub = _start_upstream(base) if upstream else (None, None)
    server = start_server(complaints=0 if upstream else complaints, incidents=not upstream,
                          upstream=hub)
    relay = Relay("127.0.0.1", server.port)
    office = server.seeded.offices[0] if server.seeded and server.seeded.offices else ""
    users = [
        (u.username, u.password, u.role)
        for u in (server.seeded.users if server.seeded else [])
        if u.office_id == office
    ]
    log.info("demo server on %s, relay on %s", server.url, relay.port)
    demo = Demo(server, relay, base, users, temporary=profile_dir is None)
    demo.upstream = sim
    if simulate and not upstream:  # on a hub the national side is SP4N-LAPOR!'s simulator
        demo.start_simulator()
    return demo


# The simulator's institutions for the hub's seeded offices, and the agency's account.
UPSTREAM_INSTITUTIONS = {"kantor-demo": 101, "kantor-lain": 102}
UPSTREAM_USER_ID = 9001


def _start_upstream(base: Path) -> tuple[Any, Any]:
    """A seeded LAPOR! v3 simulator, and the hub's connection to it (profile written to base)."""
    from server.upstream.hub import Hub
    from server.upstream.lapor_v3 import LaporV3
    from server.upstream.profile import Credentials, load_profile
    from server.upstream.simulator import SimState, start_simulator

    sim = start_simulator(SimState.seeded(complaints=40, seed=2026))
    offices = "\n".join(f'"{office}" = {n}' for office, n in UPSTREAM_INSTITUTIONS.items())
    path = base / "demo-upstream.toml"
    base.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'extends = "lapor-v3"\n\n[upstream]\nbase_url = "{sim.url}"\n\n'
        f"[poll]\ninterval_s = 15\nlease_s = 5\n\n[offices]\n{offices}\n\n"
        f"[users]\ndefault = {UPSTREAM_USER_ID}\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    connector = LaporV3(profile, Credentials(sim.authorization, sim.token))
    log.info("demo SP4N-LAPOR! simulator on %s", sim.url)
    return sim, Hub(profile, connector, lease_s=profile.doc.poll.lease_s)
