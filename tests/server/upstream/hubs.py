"""A hub (the reference server with its upstream connector) against the LAPOR! v3 simulator.

Both run on loopback. The hub's workers are not started: a test polls and
pushes by hand, so each step is one the test can name.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from server.inprocess import RunningServer, start_server
from server.upstream.hub import Hub
from server.upstream.lapor_v3 import LaporV3
from server.upstream.poller import PollReport
from server.upstream.profile import load_profile
from server.upstream.pusher import PushReport
from server.upstream.runner import UpstreamRunner
from server.upstream.simulator import DEFAULT_AUTHORIZATION, DEFAULT_TOKEN, RunningSimulator
from server.upstream.tables import UpstreamJob

# The simulator's own institutions (seeded) and the hub's offices (server.seed).
INSTITUTIONS = {"kantor-demo": 101, "kantor-lain": 102}
DEFAULT_USER_ID = 9001
ENV = {"LAPOR_UPSTREAM_AUTHORIZATION": DEFAULT_AUTHORIZATION, "LAPOR_UPSTREAM_TOKEN": DEFAULT_TOKEN}


def write_profile(
    directory: Path,
    sim: RunningSimulator,
    extra: str = "",
    *,
    top: str = "",
    poll: dict[str, float] | None = None,
    push: dict[str, float] | None = None,
) -> Path:
    """A deployment's profile for this simulator: short timeouts and backoff, as tests want.

    ``top`` holds top-level keys, ``poll`` and ``push`` replace values of those tables,
    ``extra`` adds tables.
    """
    polling = {"backoff_base_s": 0.01, "backoff_cap_s": 0.05, "lease_s": 2, **(poll or {})}
    poll_lines = "\n".join(f"{key} = {value}" for key, value in polling.items())
    pushing = {"backoff_base_s": 0.01, "backoff_cap_s": 0.05, **(push or {})}
    push_lines = "\n".join(f"{key} = {value}" for key, value in pushing.items())
    offices = "\n".join(f'"{office}" = {number}' for office, number in INSTITUTIONS.items())
    path = directory / "hub-upstream.toml"
    path.write_text(
        f"""extends = "lapor-v3"
{top}

[upstream]
base_url = "{sim.url}"
read_timeout_s = 2
write_timeout_s = 1

[poll]
{poll_lines}

[push]
{push_lines}

[offices]
{offices}

[users]
default = {DEFAULT_USER_ID}
{extra}
""",
        encoding="utf-8",
    )
    return path


@dataclass
class HubPeer:
    server: RunningServer
    sim: RunningSimulator
    runner: UpstreamRunner

    def poll(self) -> PollReport:
        return self.runner.poller.poll()

    def push(self) -> PushReport:
        return self.runner.pusher.run_due()

    def push_when_due(self) -> PushReport:
        """Wait out the next job's backoff (milliseconds here, with jitter), then push."""
        due = self.runner.pusher.next_due()
        if due is not None:
            time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
        return self.push()

    def push_until_settled(self, rounds: int = 30) -> None:
        for _ in range(rounds):
            self.push_when_due()
            if not self.open_jobs():
                return
        raise AssertionError(f"jobs still open after {rounds} rounds: {self.open_jobs()}")

    def jobs(self) -> list[UpstreamJob]:
        with self.server.database.reading() as session:
            return list(session.scalars(select(UpstreamJob).order_by(UpstreamJob.created_at)))

    def open_jobs(self) -> list[str]:
        return [j.id for j in self.jobs() if j.state in ("pending", "sending")]


@contextmanager
def running_hub(
    profile_path: Path,
    sim: RunningSimulator,
    *,
    environ: dict[str, str] | None = None,
    workers: bool = False,
    db_file: Path | None = None,
    db_url: str | None = None,
) -> Iterator[HubPeer]:
    profile = load_profile(profile_path)
    connector = LaporV3(profile, profile.credentials(environ or ENV))
    hub = Hub(profile, connector, start_workers=workers, lease_s=profile.doc.poll.lease_s)
    url = f"sqlite:///{db_file}" if db_file else db_url
    with start_server(url, complaints=0, rate_limit=None, upstream=hub) as server:
        runner = server.app.state.upstream
        assert isinstance(runner, UpstreamRunner)
        yield HubPeer(server, sim, runner)
