"""`lapor-server upstream check` against the simulator: all green, or the one field named."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from server.cli import main
from server.upstream.check import check
from server.upstream.lapor_v3 import LaporV3
from server.upstream.profile import load_profile
from server.upstream.simulator import RunningSimulator
from tests.server.upstream.hubs import ENV


def _check(profile_path: Path) -> tuple[bool, list[str], str]:
    profile = load_profile(profile_path)
    out = io.StringIO()
    report = check(LaporV3(profile, profile.credentials(ENV)), out)
    return report.ok, report.failed, out.getvalue()


def test_every_route_and_field_matches_the_simulator(
    profile_path: Path, sim: RunningSimulator
) -> None:
    ok, failed, text = _check(profile_path)
    assert ok, text
    assert failed == []
    for route in ("routes.list", "routes.detail", "routes.followups", "routes.templates",
                  "routes.institutions"):
        assert f"\n{route}  GET " in text
    # A guess the simulator bears out is said to have held.
    assert "fields.complaint.title (title = text of" in text and "[guess held]" in text
    assert "ok    fields.followup.content" in text  # a complaint with follow-ups was found


def test_a_renamed_field_is_the_one_reported(profile_path: Path, sim: RunningSimulator) -> None:
    sim.state.set_faults(renamed_fields={"title": "judul"})
    ok, failed, text = _check(profile_path)
    assert not ok
    assert failed == ["fields.complaint.title"]
    # The keys that are there, so the developer reads the right name off the line.
    line = next(x for x in text.splitlines() if "FAIL  fields.complaint.title" in x)
    assert "judul" in line


def test_check_calls_only_read_routes(profile_path: Path, sim: RunningSimulator) -> None:
    sim.state.reset_request_log()
    _check(profile_path)
    methods = {record.method for record in sim.state.request_log}
    assert methods == {"GET"}


def test_the_command_exits_by_the_outcome(
    profile_path: Path,
    sim: RunningSimulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    assert main(["upstream", "check", "--profile", str(profile_path)]) == 0
    sim.state.set_faults(renamed_fields={"status_name": "status"})
    assert main(["upstream", "check", "--profile", str(profile_path)]) == 1
    assert "Did not match: fields.complaint.status" in capsys.readouterr().out


def test_missing_credentials_are_a_sentence(
    profile_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    assert main(["upstream", "check", "--profile", str(profile_path)]) == 2
    assert "LAPOR_UPSTREAM_AUTHORIZATION" in capsys.readouterr().err
