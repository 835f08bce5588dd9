"""The operator's view: a job that used up its attempts is failed, shown, and put back in line."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from server.upstream.simulator import RunningSimulator
from server.upstream.status import print_status, retry_failed
from tests.server.upstream.hubs import running_hub, write_profile
from tests.server.upstream.test_hub import _approved_reply, _new_upstream_complaint, _officer


def test_a_failed_job_is_shown_and_retried_without_a_double_post(
    tmp_path: Path, sim: RunningSimulator
) -> None:
    path = write_profile(tmp_path, sim, push={"max_attempts": 2})
    with running_hub(path, sim) as hub:
        upstream_id, complaint_id = _new_upstream_complaint(hub)
        hub.poll()
        workspace = _officer(tmp_path, hub)
        workspace.sync()
        text = "Sudah kami teruskan ke bidang terkait."
        _approved_reply(workspace, complaint_id, text)
        workspace.sync()
        # The gateway answers 503 to every post, and the job gives up after two.
        post = "/complaints/followup/add"
        sim.state.set_faults(fail_5xx={"count": 50, "path": post, "method": "POST"})
        for _ in range(6):
            hub.push_when_due()
        assert [j.state for j in hub.jobs()] == ["failed"]
        out = io.StringIO()
        assert print_status(hub.server.database, out) == 1
        assert "failed 1" in out.getvalue() and complaint_id in out.getvalue()
        sim.state.clear_faults()
        assert retry_failed(hub.server.database) == 1
        hub.push_until_settled()
        # Put back, it looked for an earlier post first, then posted: once.
        assert [f.content for f in sim.state.followups(upstream_id)].count(text) == 1
        assert [j.state for j in hub.jobs()] == ["delivered"]
        assert print_status(hub.server.database, io.StringIO()) == 0
        workspace.close()


def test_refused_credentials_are_said_to_the_operator_and_the_hub_goes_on(
    tmp_path: Path, sim: RunningSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = {"LAPOR_UPSTREAM_AUTHORIZATION": "Bearer salah", "LAPOR_UPSTREAM_TOKEN": "salah"}
    with running_hub(write_profile(tmp_path, sim), sim, environ=wrong, workers=True) as hub:
        hub.runner.poll_soon()
        deadline = time.monotonic() + 20
        while "refused the hub's credentials (401)" not in caplog.text:
            assert time.monotonic() < deadline, caplog.text
            time.sleep(0.05)
        assert hub.runner.polls >= 1  # the loop is alive, backing off
    assert "salah" not in caplog.text
