"""Upstream credentials stay on the hub: never in a log, a client's answer, the database."""

from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path

import pytest
import requests

from server.upstream.simulator import SimState, start_simulator
from sync.values import Delivery
from tests.integration.peers import OFFICER, password
from tests.server.upstream.hubs import running_hub, write_profile
from tests.server.upstream.test_hub import _approved_reply, _new_upstream_complaint, _officer


def test_upstream_credentials_never_leave_the_hub(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    authorization = f"Bearer {secrets.token_hex(16)}"
    token = secrets.token_hex(16)
    environ = {"LAPOR_UPSTREAM_AUTHORIZATION": authorization, "LAPOR_UPSTREAM_TOKEN": token}
    caplog.set_level(logging.DEBUG)  # urllib3 and requests included
    state = SimState.seeded(complaints=6, seed=3)
    with start_simulator(state, authorization=authorization, token=token) as sim:
        path = write_profile(tmp_path, sim)
        db_file = tmp_path / "hub.db"
        with running_hub(path, sim, environ=environ, workers=True, db_file=db_file) as hub:
            _upstream_id, complaint_id = _new_upstream_complaint(hub)
            sim.state.set_faults(fail_5xx=2, refuse_next_post="Ditolak karena uji")
            hub.runner.poll_soon()
            workspace = _officer(tmp_path, hub)
            deadline = time.monotonic() + 30
            while complaint_id not in {c.id for c in workspace.complaints()}:
                assert time.monotonic() < deadline, "the hub's poller never brought it"
                hub.runner.poll_soon()
                workspace.sync()
            draft = _approved_reply(workspace, complaint_id, "Sudah kami jadwalkan.")
            workspace.sync()
            while not hub.jobs() or hub.open_jobs():
                assert time.monotonic() < deadline, "the hub's pusher never settled the job"
                time.sleep(0.05)
            workspace.sync()
            reply = next(r for r in workspace.complaint(complaint_id).replies if r.id == draft)
            assert reply.delivery == Delivery.REFUSED  # the workers really ran both ways
            answers = _client_answers(hub.server.api_url)
            workspace.close()
        stored = b"".join(p.read_bytes() for p in tmp_path.glob("hub.db*"))
    for secret in (authorization, token, authorization.removeprefix("Bearer ")):
        assert secret not in caplog.text
        assert secret not in answers
        assert secret.encode() not in stored


def _client_answers(api_url: str) -> str:
    """Everything an office's PC can read from the hub: its feed from the start, its digest."""
    with requests.Session() as http:
        login = http.post(
            f"{api_url}/auth/token",
            json={"username": OFFICER, "password": password(OFFICER), "device_id": "probe",
                  "device_name": "probe"},
            timeout=10,
        )
        login.raise_for_status()
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        pages, cursor = [login.text], None
        while True:
            params = {"limit": "1000", **({"cursor": cursor} if cursor else {})}
            page = http.get(f"{api_url}/offices/kantor-demo/changes", params=params, timeout=10)
            pages.append(page.text)
            if not page.json()["has_more"]:
                break
            cursor = page.json()["next_cursor"]
        pages.append(http.get(f"{api_url}/offices/kantor-demo/digest", timeout=10).text)
        pages.append(http.get(f"{api_url}/openapi.json", timeout=10).text)
    return "\n".join(pages)
