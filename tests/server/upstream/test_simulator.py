"""The LAPOR! v3 simulator over real loopback HTTP: shape, auth, posts, faults, control."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from server.upstream.simulator import (
    DEFAULT_AUTHORIZATION,
    DEFAULT_TOKEN,
    FailRule,
    RunningSimulator,
    SimError,
    SimState,
    start_simulator,
)
from tests.server.conftest import Clock

PROFILE = Path(__file__).resolve().parents[3] / "server/upstream/profiles/lapor-v3.toml"
FOLLOWUP_ADD = "/complaints/followup/add"


@pytest.fixture
def sim() -> Iterator[RunningSimulator]:
    with start_simulator(SimState.seeded(complaints=25, seed=7)) as running:
        yield running


@pytest.fixture
def http(sim: RunningSimulator) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers.update(sim.headers)
        yield session


def _results(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["results"]


def _post_followup(
    sim: RunningSimulator,
    http: requests.Session,
    cid: int,
    content: str,
    *,
    timeout: float = 5.0,
    **extra: str,
) -> requests.Response:
    form = {
        "user_id": "7",
        "institution_from_id": "101",
        "institution_to_id": "101",
        "complaint_id": str(cid),
        "info_disposition": "",
        "template_code": "",
        "rating": "0",
        "is_secret": "0",
        "content": content,
        **extra,
    }
    return http.post(sim.url + FOLLOWUP_ADD, data=form, timeout=timeout)


def _verified(sim: RunningSimulator) -> int:
    return next(c.id for c in sim.state.complaints() if c.status_name == "Terverifikasi")


def _get_path(record: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        assert isinstance(record, dict) and key in record, dotted
        record = record[key]
    return record


# Shape


def test_the_listing_pages_laravel_style_to_the_end(
    sim: RunningSimulator, http: requests.Session
) -> None:
    url: str | None = sim.url + "/complaints?page=1&page_size=10"
    seen: list[int] = []
    while url is not None:
        results = _results(http.get(url))
        assert results["page_size"] == 10 and results["total"] == 25
        for item in results["data"]:
            assert {"id", "title", "status_name", "disposition_id", "updated_at"} <= set(item)
            assert isinstance(item["id"], int)
        seen += [item["id"] for item in results["data"]]
        url = results["next_page_url"]
        assert url is None or url.startswith(sim.url + "/complaints?")
    assert seen == sorted(seen) and len(set(seen)) == 25


def test_the_detail_carries_every_field_the_shipped_profile_reads(
    sim: RunningSimulator, http: requests.Session
) -> None:
    fields = tomllib.loads(PROFILE.read_text(encoding="utf-8"))["fields"]
    for c in sim.state.complaints()[:6]:
        results = _results(http.get(f"{sim.url}/complaints/{c.id}/complaint"))
        record = results["data"]
        for spec in fields["complaint"].values():
            if record.get("user") is None and spec["path"].startswith("user."):
                continue  # an anonymous reporter's user is null
            _get_path(record, spec["path"])
        assert record["id"] == c.id and record["is_anonymous"] in (0, 1)
        for entry in record["status_logs"]:
            assert datetime.strptime(entry["timestamp"], "%d-%m-%Y %H:%M:%S")
            assert entry["note"]
        for log in results["data_logs"]:
            assert "{{status_new}}" in log["content"] or "{{institution_to}}" in log["content"]
            data = json.loads(log["data"])
            assert data["status_old"]["name"] and data["status_new"]["name"]
        assert json.loads(results["data_logs"][-1]["data"])["status_new"]["name"] == c.status_name


def test_times_are_jakarta_local_and_ids_integers() -> None:
    state = SimState(clock=Clock(datetime(2026, 12, 1, 1, 0, 0, tzinfo=UTC)))
    cid = state.add_complaint("Jalan rusak", "Jalan berlubang di Kuta.", is_anonymous=True)
    with start_simulator(state) as sim:
        record = _results(
            requests.get(f"{sim.url}/complaints/{cid}/complaint", headers=sim.headers)
        )
    assert record["data"]["created_at"] == "01-12-2026 08:00:00"
    assert isinstance(record["data"]["id"], int)
    assert record["data"]["user"] is None


def test_the_seed_is_deterministic_and_spread_like_an_inbox() -> None:
    one, two = SimState.seeded(complaints=60, seed=5), SimState.seeded(complaints=60, seed=5)
    assert [(c.title, c.status_name) for c in one.complaints()] == [
        (c.title, c.status_name) for c in two.complaints()
    ]
    complaints = one.complaints()
    statuses = [c.status_name for c in complaints]
    assert statuses.count("Terverifikasi") > statuses.count("Selesai") > 0
    assert "Belum Terverifikasi" in statuses and "Dalam Proses" in statuses
    assert any(c.is_anonymous and c.reporter is None for c in complaints)
    assert any(c.is_secret for c in complaints)
    assert all(c.rating is None or 1 <= c.rating <= 5 for c in complaints)
    assert any(c.rating for c in complaints if c.status_name == "Selesai")
    in_progress = [c for c in complaints if c.status_name == "Dalam Proses"]
    assert all(one.followups(c.id) for c in in_progress)
    assert {c.disposition_id for c in complaints} == {101, 102}


def test_masters_list_templates_and_agencies(sim: RunningSimulator, http: requests.Session) -> None:
    templates = _results(http.get(sim.url + "/masters/templates?page_size=1000"))["data"]
    assert templates and set(templates[0]) == {"template_code", "title", "type", "content"}
    agencies = _results(http.get(sim.url + "/masters/institutions/external?page_size=1000"))
    ids = {a["id"] for a in agencies["data"]}
    assert {101, 102} <= ids and len(ids) > 2 and agencies["next_page_url"] is None


def test_an_unknown_complaint_is_404_with_a_message(
    sim: RunningSimulator, http: requests.Session
) -> None:
    response = http.get(sim.url + "/complaints/1/complaint")
    assert response.status_code == 404 and response.json()["message"]


# Auth


def test_every_route_needs_both_headers(sim: RunningSimulator) -> None:
    cid = _verified(sim)
    for headers in (
        {},
        {"Authorization": DEFAULT_AUTHORIZATION},
        {"token": DEFAULT_TOKEN},
        {"Authorization": "Bearer wrong", "token": DEFAULT_TOKEN},
    ):
        for path in (f"/complaints/{cid}/complaint", "/complaints", "/_sim/faults"):
            response = requests.get(sim.url + path, headers=headers, timeout=5)
            assert response.status_code == 401
            assert response.json() == {"message": "Unauthorized"}
    response = requests.post(sim.url + FOLLOWUP_ADD, data={"complaint_id": str(cid)}, timeout=5)
    assert response.status_code == 401 and sim.state.followups(cid) == []


def test_credentials_and_base_path_are_configurable() -> None:
    with start_simulator(
        SimState.seeded(complaints=2), base_path="sandbox-konsolidasi/1.0/", token="t2"
    ) as sim:
        assert sim.url.endswith("/sandbox-konsolidasi/1.0")
        assert sim.headers == {"Authorization": DEFAULT_AUTHORIZATION, "token": "t2"}
        assert requests.get(sim.url + "/complaints", headers=sim.headers).status_code == 200
        assert "t2" not in repr(sim)


# Posts


def test_a_post_appears_in_the_followups_and_moves_the_status(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = _verified(sim)
    before = _results(http.get(f"{sim.url}/complaints/{cid}/complaint"))["data"]["updated_at"]
    response = http.post(
        sim.url + FOLLOWUP_ADD,
        data={
            "complaint_id": str(cid),
            "content": "Sudah kami tinjau.",
            "institution_from_id": "101",
        },
        files={"attachment[1]": ("b.pdf", b"%PDF"), "attachment[0]": ("a.jpg", b"\xff\xd8")},
    )
    assert response.status_code == 200, response.text
    followups = _results(http.get(f"{sim.url}/complaints/{cid}/followups?page=1"))["data"]
    ours = followups[-1]
    assert ours["content"] == "Sudah kami tinjau." and ours["user_type"] == "instansi"
    assert [a["file_name"] for a in ours["attachments"]] == ["a.jpg", "b.pdf"]
    detail = _results(http.get(f"{sim.url}/complaints/{cid}/complaint"))["data"]
    assert detail["status_name"] == "Dalam Proses" and detail["updated_at"] != before
    assert sim.state.followups(cid)[-1].attachments[1].content == b"%PDF"

    assert _post_followup(sim, http, cid, "Selesai diperbaiki.", is_complete="1").ok
    assert sim.state.complaint(cid).status_name == "Selesai"


def test_a_post_without_content_or_for_no_complaint_is_refused(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = _verified(sim)
    for response in (
        _post_followup(sim, http, cid, "  "),
        _post_followup(sim, http, 999, "Isi"),
        _post_followup(sim, http, cid, "Isi", institution_from_id="9999"),
        http.post(sim.url + FOLLOWUP_ADD, data={"complaint_id": str(cid)}),
    ):
        assert response.status_code == 422 and response.json()["message"]
    assert sim.state.followups(cid) == []


def test_followups_page_by_ten_oldest_first(sim: RunningSimulator, http: requests.Session) -> None:
    cid = _verified(sim)
    for n in range(12):
        sim.state.add_reporter_reply(cid, f"balasan {n}")
    first = _results(http.get(f"{sim.url}/complaints/{cid}/followups?page=1"))
    assert [f["content"] for f in first["data"]] == [f"balasan {n}" for n in range(10)]
    assert all(f["user_type"] == "pelapor" for f in first["data"])
    second = _results(http.get(first["next_page_url"]))
    assert [f["content"] for f in second["data"]] == ["balasan 10", "balasan 11"]
    assert second["next_page_url"] is None


def test_two_changes_within_a_second_both_change_updated_at() -> None:
    state = SimState.seeded(complaints=4, clock=Clock())  # a clock that never moves
    cid = state.complaints()[0].id
    with start_simulator(state) as sim:
        stamps = []
        for change in (
            lambda: state.set_status(cid, "Dalam Proses"),
            lambda: state.add_reporter_reply(cid, "Terima kasih."),
            lambda: state.rate(cid, 4, "Cukup baik."),
            lambda: state.move(cid, 201),
        ):
            change()
            listing = _results(requests.get(sim.url + "/complaints", headers=sim.headers))
            stamps.append(next(i["updated_at"] for i in listing["data"] if i["id"] == cid))
    assert len(set(stamps)) == 4
    assert state.complaint(cid).disposition_id == 201


def test_a_move_request_is_recorded_and_an_unknown_agency_refused(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = _verified(sim)
    body = {"is_request": 1, "reason": "201", "reason_description": "Bukan wewenang kami"}
    response = http.post(
        f"{sim.url}/complaints/process/{cid}/reject", json={**body, "not_authority": 1}
    )
    assert 200 <= response.status_code < 300, response.text
    [move] = sim.state.moves_requested
    assert (move.complaint_id, move.institution_id, move.not_authority) == (cid, 201, True)
    refused = http.post(f"{sim.url}/complaints/process/{cid}/reject", json={**body, "reason": 77})
    assert refused.status_code == 422 and "77" in refused.json()["message"]
    assert len(sim.state.moves_requested) == 1


def test_the_request_log_counts_requests_and_bytes(
    sim: RunningSimulator, http: requests.Session
) -> None:
    sim.state.reset_request_log()
    http.get(sim.url + "/complaints?page=1&page_size=5")
    _post_followup(sim, http, _verified(sim), "Isi")
    http.get(sim.url + "/_sim/faults")
    get, post = sim.state.request_log
    assert (get.method, get.path, get.query, get.status) == (
        "GET",
        "/complaints",
        "page=1&page_size=5",
        200,
    )
    assert get.bytes_out > 0 and post.bytes_in > 0 and post.path == FOLLOWUP_ADD
    sim.state.reset_request_log()
    assert sim.state.request_log == []


# Faults


def test_lost_reply_stores_the_post_then_times_the_caller_out(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = _verified(sim)
    sim.state.set_faults(lost_reply_after_post=1, hang_s=0.6)
    with pytest.raises(requests.Timeout):
        _post_followup(sim, http, cid, "Balasan yang hilang", timeout=0.2)
    assert [f.content for f in sim.state.followups(cid)] == ["Balasan yang hilang"]
    assert sim.state.faults.lost_reply_after_post == 0
    # A patient caller gets the gateway's 504 instead; used up, the next post answers.
    sim.state.set_faults(lost_reply_after_post=1, hang_s=0.1)
    assert _post_followup(sim, http, cid, "Kedua").status_code == 504
    assert _post_followup(sim, http, cid, "Ketiga").status_code == 200
    assert len(sim.state.followups(cid)) == 3


def test_a_refused_post_does_not_use_up_the_lost_reply(
    sim: RunningSimulator, http: requests.Session
) -> None:
    sim.state.set_faults(lost_reply_after_post=1, hang_s=0.1)
    assert _post_followup(sim, http, 999, "Isi").status_code == 422
    assert sim.state.faults.lost_reply_after_post == 1


def test_fail_5xx_answers_without_doing_anything(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = _verified(sim)
    sim.state.set_faults(fail_5xx=[FailRule(count=2, method="POST", path=FOLLOWUP_ADD, status=502)])
    assert http.get(sim.url + "/complaints").status_code == 200  # another route: untouched
    assert [_post_followup(sim, http, cid, "Isi").status_code for _ in range(3)] == [502, 502, 200]
    assert len(sim.state.followups(cid)) == 1
    sim.state.set_faults(fail_5xx=1)  # the next request, whatever it is
    response = http.get(sim.url + "/complaints")
    assert response.status_code == 503 and response.json()["message"]
    assert http.get(sim.url + "/complaints").status_code == 200


def test_fail_after_post_5xx_stores_then_answers_502(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = _verified(sim)
    sim.state.set_faults(fail_after_post_5xx=1)
    assert _post_followup(sim, http, cid, "Isi").status_code == 502
    assert len(sim.state.followups(cid)) == 1
    assert sim.state.complaint(cid).status_name == "Dalam Proses"


def test_slow_delays_every_answer(sim: RunningSimulator, http: requests.Session) -> None:
    sim.state.set_faults(slow_s=0.3)
    started = time.monotonic()
    assert http.get(sim.url + "/masters/templates").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_renamed_field_is_renamed_in_the_detail(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = next(c.id for c in sim.state.complaints() if c.reporter is not None)
    renames = {"title": "judul", "user.name": "nama", "status_logs.note": "catatan"}
    sim.state.set_faults(renamed_fields=renames)
    record = _results(http.get(f"{sim.url}/complaints/{cid}/complaint"))["data"]
    assert "title" not in record and record["judul"] == sim.state.complaint(cid).title
    assert "name" not in record["user"] and record["user"]["nama"]
    assert all(set(log) == {"catatan", "timestamp"} for log in record["status_logs"])
    listing = _results(http.get(sim.url + "/complaints"))["data"]
    assert all("title" in item for item in listing)


def test_a_malformed_id_lacks_its_status_name(
    sim: RunningSimulator, http: requests.Session
) -> None:
    bad, good = [c.id for c in sim.state.complaints()[:2]]
    sim.state.set_faults(malformed_ids=[bad])
    assert "status_name" not in _results(http.get(f"{sim.url}/complaints/{bad}/complaint"))["data"]
    assert "status_name" in _results(http.get(f"{sim.url}/complaints/{good}/complaint"))["data"]


def test_refuse_next_post_answers_422_once_and_stores_nothing(
    sim: RunningSimulator, http: requests.Session
) -> None:
    cid = _verified(sim)
    sim.state.set_faults(refuse_next_post="Konten mengandung kata terlarang")
    refused = _post_followup(sim, http, cid, "Isi")
    assert refused.status_code == 422
    assert refused.json() == {"message": "Konten mengandung kata terlarang"}
    assert sim.state.followups(cid) == []
    assert _post_followup(sim, http, cid, "Isi").status_code == 200


def test_bad_faults_are_refused_whole() -> None:
    state = SimState()
    with pytest.raises(ValueError, match="unknown fault"):
        state.set_faults(slow_s=1.0, lost_reply=1)
    with pytest.raises(ValueError):
        state.set_faults(fail_5xx={"count": 1, "status": 404})
    assert state.faults.slow_s == 0.0


# Control routes


def test_control_routes_set_faults_and_act_upstream(
    sim: RunningSimulator, http: requests.Session
) -> None:
    control = sim.url + "/_sim"
    faults = _results(
        http.post(control + "/faults", json={"fail_5xx": {"count": 1, "path": "/complaints"}})
    )
    assert faults["data"]["fail_5xx"][0]["count"] == 1
    assert http.get(sim.url + "/complaints").status_code == 503
    bad = http.post(control + "/faults", json={"no_such_fault": 1})
    assert bad.status_code == 422 and "no_such_fault" in bad.json()["message"]

    created = _results(
        http.post(
            control + "/complaints",
            json={
                "title": "Pohon tumbang",
                "content": "Pohon tumbang di Jl. Raya Kuta.",
                "reporter": {"name": "Ni Made Lestari"},
            },
        ),
        201,
    )
    cid = created["data"]["id"]
    listing = _results(http.get(sim.url + "/complaints?page=3&page_size=10"))["data"]
    assert listing[-1]["id"] == cid and listing[-1]["status_name"] == "Terverifikasi"

    _results(
        http.post(f"{control}/complaints/{cid}/reporter-reply", json={"content": "Foto menyusul."}),
        201,
    )
    followups = _results(http.get(f"{sim.url}/complaints/{cid}/followups"))["data"]
    assert [(f["content"], f["user_type"]) for f in followups] == [("Foto menyusul.", "pelapor")]

    _results(http.post(f"{control}/complaints/{cid}/status", json={"status_name": "Diarsipkan"}))
    assert sim.state.complaint(cid).status_name == "Diarsipkan"
    refused = http.post(f"{control}/complaints/{cid}/status", json={"status_name": "Hilang"})
    assert refused.status_code == 422
    _results(http.post(f"{control}/complaints/{cid}/rating", json={"score": 5}))
    _results(http.post(f"{control}/complaints/{cid}/move", json={"institution_id": 102}))
    assert (sim.state.complaint(cid).rating, sim.state.complaint(cid).disposition_id) == (5, 102)
    assert http.delete(control + "/faults").ok and sim.state.faults.fail_5xx == []


def test_python_api_errors_name_the_problem() -> None:
    state = SimState.seeded(complaints=1)
    with pytest.raises(SimError, match="tidak ditemukan"):
        state.add_reporter_reply(42, "x")
    with pytest.raises(SimError):
        state.rate(state.complaints()[0].id, 6)


def test_serve_prints_where_and_how_to_reach_it() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        f"from server.upstream.simulator import serve; serve(port={port}, complaints=3, token='t9')"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        base = f"http://127.0.0.1:{port}/lapor/3.0.0"
        assert base in lines[0] and DEFAULT_AUTHORIZATION in lines[1] and "t9" in lines[2]
        headers = {"Authorization": DEFAULT_AUTHORIZATION, "token": "t9"}
        deadline = time.monotonic() + 10
        while True:
            try:
                listing = _results(requests.get(base + "/complaints", headers=headers, timeout=2))
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert listing["total"] == 3
    finally:
        process.terminate()
        process.communicate(timeout=10)
