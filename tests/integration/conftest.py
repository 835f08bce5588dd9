"""The real reference server on loopback, a fresh database for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server.inprocess import RunningServer, start_server
from tests.integration.peers import ServerClock


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with start_server(complaints=24, rate_limit=None) as running:
        yield running


@pytest.fixture
def clock() -> ServerClock:
    return ServerClock()
