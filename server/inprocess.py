"""The reference server on a free loopback port, in a background thread.

For the desktop demo and for tests that need a real peer over HTTP::

    with start_server() as server:          # a fresh SQLite file, demo data
        requests.get(server.api_url + "/health")
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from fastapi import FastAPI

from server.app import create_app, stop_upstream
from server.config import Settings
from server.db import Database
from server.seed import SeedReport
from server.seed import seed as seed_database
from sync.protocol import API_PREFIX


@dataclass
class RunningServer:
    """A started server. ``url`` is its root; ``api_url`` adds ``/api/v1``."""

    url: str
    api_url: str
    app: FastAPI
    database: Database
    seeded: SeedReport | None
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _tempdir: str | None = field(default=None, repr=False)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        """Stop serving, close the database, and remove a temporary database file."""
        stop_upstream(self.app)
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self.database.dispose()
        self.app.state.services.db.dispose()
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_in_thread(
    app: Any, host: str, port: int, *, name: str, date_header: bool = True, shutdown_s: int
) -> tuple[uvicorn.Server, threading.Thread, int]:
    """Serve an ASGI app on ``host:port`` (0: a free port) from a daemon thread, once started.

    Returns the uvicorn server (``should_exit`` stops it), its thread and the bound port.
    """
    # IPPROTO_TCP spelt out: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it each answer's body waits ~40 ms behind its head (Nagle + delayed ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(
        app,
        log_level="warning",
        date_header=date_header,
        server_header=False,
        # The app reads X-Forwarded-For itself, from trusted proxies only.
        proxy_headers=False,
        # The same pure-Python HTTP stack everywhere the demo and the tests run;
        # lapor-server run takes httptools and uvloop where installed ([server]).
        http="h11",
        loop="asyncio",
        lifespan="off",
        timeout_graceful_shutdown=shutdown_s,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.01)
    return server, thread, int(sock.getsockname()[1])


def start_server(
    db_url: str | None = None,
    *,
    seed: bool = True,
    offices: int = 2,
    complaints: int = 10,
    random_seed: int = 2026,
    now: datetime | None = None,
    incidents: bool = False,
    settings: Settings | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    **overrides: Any,
) -> RunningServer:
    """Serve ``db_url`` (default: a new SQLite file in a temp dir, removed on stop).

    With ``seed`` an empty database first gets the demo data (``server.seed``):
    ``offices`` offices, the first ``kantor-demo``, and ``complaints`` complaints
    (with ``incidents``, the demo's stories after them: ``server.seed_incidents``).
    ``overrides`` go to ``create_app`` (e.g. ``access_token_ttl_s=2``, ``rate_limit=None``).
    """
    tempdir = None
    if db_url is None:
        tempdir = tempfile.mkdtemp(prefix="lapor-server-")
        db_url = f"sqlite:///{Path(tempdir) / 'server.db'}"
    app = create_app(db_url, settings, **overrides)
    database = Database(db_url)
    report = None
    if seed:
        report = seed_database(
            database, offices=offices, complaints=complaints, seed=random_seed, now=now,
            incidents=incidents,
        )
    # date_header off: the app sets Date from its own clock.
    server, thread, bound = serve_in_thread(
        app, host, port, name="lapor-server", date_header=False, shutdown_s=5
    )
    root = f"http://{host}:{bound}"
    return RunningServer(root, root + API_PREFIX, app, database, report, server, thread, tempdir)
