"""The simulated national side: what offices see of it in their feed."""

from __future__ import annotations

from typing import Any

from server.complaints import national_event
from server.db import Complaint
from server.simulate import Simulator
from tests.server.conftest import Api, Clock


def _feed(api: Api) -> dict[str, dict[str, Any]]:
    return {
        i["id"]: i["data"] for i in api.pull(api.headers("petugas1")) if i["kind"] == "complaint"
    }


def test_simulated_actions_reach_the_offices_feed(api: Api, clock: Clock) -> None:
    before = _feed(api)
    simulator = Simulator(api.db, seed=3, clock=clock)
    done = [simulator.step() for _ in range(40)]
    assert any(line.startswith("forwarded") for line in done)
    assert any(line.startswith("reporter") for line in done)
    after = _feed(api)
    assert set(after) != set(before) or any(
        after[i]["version"] > before[i]["version"] for i in after
    )
    for data in after.values():
        assert data["version"] >= 1


def test_silence_after_a_reply_closes_the_report(api: Api, clock: Clock) -> None:
    with api.db.writing() as session:
        row = session.get(Complaint, "LAP-2026-0000001")
        assert row is not None
        national_event(session, row, "response", clock(), "Sudah ditindaklanjuti.", "in_progress")
    simulator = Simulator(api.db, clock=clock)
    clock.advance(days=8)  # six working days: too soon for this one
    closed = _close_all(simulator)
    assert "LAP-2026-0000001" not in closed
    assert _feed(api)["LAP-2026-0000001"]["status"] == "in_progress"
    clock.advance(days=7)
    assert _close_all(simulator) == ["LAP-2026-0000001"]
    closed_now = _feed(api)["LAP-2026-0000001"]
    assert closed_now["status"] == "completed"
    assert closed_now["events"][-1]["type"] == "status"


def _close_all(simulator: Simulator) -> list[str]:
    closed = []
    while (line := simulator.auto_close()) is not None:
        closed.append(line.split()[1])
    return closed
