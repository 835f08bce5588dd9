"""Fixtures for screens tested against the real reference server: import them where needed.

``server`` is the integration suite's (a fresh seeded server on loopback);
``office_pc`` the office's profile on it, supervisor and officer logged in online.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.inprocess import RunningServer
from sync.workspace import Workspace
from tests.integration import peers
from tests.integration.conftest import server

__all__ = ["office_pc", "server"]


@pytest.fixture
def office_pc(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    workspace = peers.office_pc(tmp_path / "office", server.url)
    yield workspace
    workspace.close()
