"""The lists the desktop fills its combos from, and the last sync's time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from sync import protocol
from sync.store import records
from sync.store.database import write_session
from sync.store.local import SyncState
from sync.values import CategoryInfo, TemplateInfo
from sync.workspace import Workspace
from tests.helpers.replica import T0, complaint, office


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = office(
        tmp_path / "profile",
        complaint("LAP-1", category={"id": "infra", "name": "Infrastruktur"}),
        # Its category's own record has not arrived: the filter must still offer it.
        complaint("LAP-2", category={"id": "air", "name": "Air Bersih"}),
    )
    yield workspace
    workspace.close()


def test_categories_come_from_the_server_and_the_complaints_by_name(ws: Workspace) -> None:
    with write_session(ws.database) as session:
        records.upsert_category(session, protocol.Category(id="kebersihan", name="Kebersihan"))
        records.upsert_category(session, protocol.Category(id="infra", name="Jalan & Jembatan"))
    assert ws.categories() == [
        CategoryInfo("air", "Air Bersih"),
        CategoryInfo("infra", "Jalan & Jembatan"),  # the category record's name wins
        CategoryInfo("kebersihan", "Kebersihan"),
    ]
    assert [c.id for c in ws.complaints(category_id=ws.categories()[0].id)] == ["LAP-2"]


def test_templates_are_listed_by_title_with_their_body(ws: Workspace) -> None:
    assert ws.templates() == []
    with write_session(ws.database) as session:
        for tid, title, kind in (("t2", "tindak lanjut awal", "respond"),
                                 ("t1", "Selesai ditangani", "complete")):
            records.upsert_template(session, protocol.Template(
                id=tid, title=title, type=kind, body=f"Isi {tid}"))
    assert ws.templates() == [
        TemplateInfo("t1", "Selesai ditangani", "complete", "Isi t1"),
        TemplateInfo("t2", "tindak lanjut awal", "respond", "Isi t2"),
    ]


def test_last_synced_at_is_the_server_time_of_the_last_success(ws: Workspace) -> None:
    assert ws.last_synced_at() is None  # never synced: nothing to show
    ws.sync()  # the server does not answer: a failed cycle is no sync
    assert ws.last_synced_at() is None
    server_time = T0 + timedelta(minutes=3)
    with write_session(ws.database) as session:
        state = session.get(SyncState, 1)
        assert state is not None
        state.last_success = server_time
    assert ws.last_synced_at() == server_time
    assert ws.last_synced_at().tzinfo is not None  # type: ignore[union-attr]


def test_a_real_sync_fills_the_lists_and_the_last_sync_time(
    tmp_path: Path, memory_keyring: object
) -> None:
    from server.inprocess import start_server
    from tests.integration import peers
    from tests.integration.peers import OFFICER

    with start_server(complaints=4, rate_limit=None) as server:
        workspace = peers.open_profile(tmp_path / "p", server.url)
        workspace.login(OFFICER, peers.password(OFFICER))
        report = workspace.sync()
        assert report.ok
        assert workspace.last_synced_at() is not None
        assert abs(workspace.last_synced_at() - report.finished_at) < timedelta(minutes=1)  # type: ignore[operator]
        assert workspace.categories() and all(c.name for c in workspace.categories())
        assert any(t.body for t in workspace.templates())
        workspace.close()


def test_a_first_login_without_the_server_says_offline(
    tmp_path: Path, memory_keyring: object
) -> None:
    from sync.errors import ErrorCode, WorkspaceError
    from tests.integration import peers
    from tests.integration.peers import OFFICER

    workspace = peers.open_profile(tmp_path / "fresh", "http://127.0.0.1:9")
    with pytest.raises(WorkspaceError) as raised:
        workspace.login(OFFICER, peers.password(OFFICER))
    assert raised.value.code == ErrorCode.OFFLINE
    workspace.close()
