"""The real reference server on loopback, a fresh database for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server.inprocess import RunningServer, start_server


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with start_server(complaints=24, rate_limit=None) as running:
        yield running
