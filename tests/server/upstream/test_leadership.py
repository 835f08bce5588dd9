"""One poller and one pusher at a time, across server processes, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from server.db import Database
from server.upstream.runner import Leadership
from server.upstream.simulator import RunningSimulator
from tests.server.conftest import Clock
from tests.server.upstream.hubs import running_hub, write_profile
from tests.server.upstream.test_hub import _approved_reply, _new_upstream_complaint, _officer


def test_one_holder_at_a_time_and_the_next_when_it_goes(db_url: str) -> None:
    database = Database(db_url)
    database.create_all()
    clock = Clock(datetime(2026, 12, 3, 8, tzinfo=UTC))
    other = Database(db_url)  # another server process
    first = Leadership(database, "pusher", lease_s=5, clock=clock)
    second = Leadership(other, "pusher", lease_s=5, clock=clock)
    poller = Leadership(database, "poller", lease_s=5, clock=clock)
    try:
        assert first.hold()
        assert not second.hold()
        assert first.hold()  # kept while it works
        assert poller.hold()  # another role
        first.release()
        assert second.hold()
        assert not first.hold()
    finally:
        for lead in (first, second, poller):
            lead.release()
        database.dispose()
        other.dispose()


def test_a_holder_that_stops_renewing_is_replaced_after_its_lease(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'hub.db'}")
    database.create_all()
    clock = Clock(datetime(2026, 12, 3, 8, tzinfo=UTC))
    gone = Leadership(database, "poller", lease_s=5, clock=clock)
    assert gone.hold()  # ... and then its process is killed: it never releases
    successor = Leadership(database, "poller", lease_s=5, clock=clock)
    assert not successor.hold()
    clock.advance(seconds=6)
    assert successor.hold()
    database.dispose()


def test_the_hub_works_on_postgresql_too(
    tmp_path: Path, db_url: str, sim: RunningSimulator
) -> None:
    with running_hub(write_profile(tmp_path, sim), sim, db_url=db_url) as hub:
        upstream_id, complaint_id = _new_upstream_complaint(hub)
        hub.poll()
        workspace = _officer(tmp_path, hub)
        workspace.sync()
        text = "Petugas kami sudah memeriksa lokasi dan menjadwalkan perbaikan."
        _approved_reply(workspace, complaint_id, text)
        workspace.sync()
        hub.push_until_settled()
        hub.poll()
        assert [f.content for f in sim.state.followups(upstream_id)] == [text]
        workspace.close()
