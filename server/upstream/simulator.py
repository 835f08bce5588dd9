"""A SP4N-LAPOR! v3 simulator: the national side, as far as public code shows it.

It speaks what ``../shared/api/LAPOR-V3-OBSERVED.md`` records and what the
shipped profile (``profiles/lapor-v3.toml``) guesses, so the hub's connector
can be tested over loopback::

    with start_simulator(SimState.seeded(complaints=20)) as sim:
        requests.get(sim.url + "/complaints", headers=sim.headers)
        sim.state.add_reporter_reply(cid, "Belum ada petugas yang datang.")
        sim.state.set_faults(lost_reply_after_post=1, hang_s=0.5)

Faults, complaints and replies can also be set over HTTP (``/_sim/...``),
e.g. ``POST {url}/_sim/faults {"fail_5xx": 2}``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from server.inprocess import serve_in_thread
from server.upstream.simulator_app import (
    DEFAULT_AUTHORIZATION,
    DEFAULT_BASE_PATH,
    DEFAULT_TOKEN,
    create_simulator_app,
    normalise_base_path,
)
from server.upstream.simulator_faults import FailRule, Faults
from server.upstream.simulator_records import Attachment, Complaint, Followup, Reporter
from server.upstream.simulator_state import SimError, SimState

__all__ = [
    "DEFAULT_AUTHORIZATION",
    "DEFAULT_BASE_PATH",
    "DEFAULT_TOKEN",
    "Attachment",
    "Complaint",
    "FailRule",
    "Faults",
    "Followup",
    "Reporter",
    "RunningSimulator",
    "SimError",
    "SimState",
    "create_simulator_app",
    "serve",
    "start_simulator",
]


@dataclass
class RunningSimulator:
    """A started simulator. ``url`` is its base URL, base path included."""

    url: str
    state: SimState
    app: FastAPI
    authorization: str = field(repr=False)
    token: str = field(repr=False)
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        """The two headers every request needs."""
        return {"Authorization": self.authorization, "token": self.token}

    @property
    def port(self) -> int:
        return int(self.url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_simulator(
    state: SimState | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    base_path: str = DEFAULT_BASE_PATH,
    authorization: str = DEFAULT_AUTHORIZATION,
    token: str = DEFAULT_TOKEN,
) -> RunningSimulator:
    """Serve ``state`` (default: 20 seeded complaints) in a background thread."""
    state = state if state is not None else SimState.seeded()
    app = create_simulator_app(state, base_path=base_path, authorization=authorization, token=token)
    # A lost-reply fault may be hanging: do not wait for it on stop.
    server, thread, bound = serve_in_thread(
        app, host, port, name="the LAPOR! v3 simulator", shutdown_s=1
    )
    url = f"http://{host}:{bound}{normalise_base_path(base_path)}"
    return RunningSimulator(url, state, app, authorization, token, server, thread)


def serve(
    host: str = "127.0.0.1",
    port: int = 8090,
    *,
    complaints: int = 50,
    seed: int = 2026,
    institutions: Mapping[int, str] | None = None,
    authorization: str = DEFAULT_AUTHORIZATION,
    token: str = DEFAULT_TOKEN,
    base_path: str = DEFAULT_BASE_PATH,
    faults: Mapping[str, object] | None = None,
) -> None:
    """Run the simulator in the foreground (``lapor-server upstream simulate``) until stopped."""
    state = SimState.seeded(complaints=complaints, seed=seed, institutions=institutions)
    if faults:
        state.set_faults(**faults)
    app = create_simulator_app(state, base_path=base_path, authorization=authorization, token=token)
    # Printed, never logged: these are the simulator's own made-up credentials, which
    # the hub's profile must be given to talk to it.
    print(f"LAPOR! v3 simulator: http://{host}:{port}{normalise_base_path(base_path)}")
    print(f"  Authorization: {authorization}")
    print(f"  token: {token}")
    own = ", ".join(f"{k} {v}" for k, v in state.institutions.items())
    print(f"  {complaints} complaints (seed {seed}) for: {own}")
    print("  faults: POST .../_sim/faults; complaints: POST .../_sim/complaints", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
