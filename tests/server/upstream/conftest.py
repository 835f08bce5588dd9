"""Fixtures of the hub's tests: a simulator and a hub in front of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.upstream.simulator import RunningSimulator, SimState, start_simulator
from tests.server.upstream.hubs import HubPeer, running_hub, write_profile


@pytest.fixture
def sim() -> Iterator[RunningSimulator]:
    with start_simulator(SimState.seeded(complaints=8, seed=7)) as running:
        yield running


@pytest.fixture
def profile_path(tmp_path: Path, sim: RunningSimulator) -> Path:
    return write_profile(tmp_path, sim)


@pytest.fixture
def hub(profile_path: Path, sim: RunningSimulator) -> Iterator[HubPeer]:
    with running_hub(profile_path, sim) as running:
        yield running
