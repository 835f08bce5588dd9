"""The change feed under concurrent writers: no reader ever skips a change."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from server.db import Database
from server.feed import ChangeRef, publish, read_page
from server.inprocess import start_server
from server.seed import DEMO_OFFICE, demo_password


def test_a_seq_taken_by_an_open_transaction_holds_back_later_ones(seeded_url: str) -> None:
    """The case that loses changes elsewhere: seq N commits after seq N+1."""
    db = Database(seeded_url)
    now = datetime.now(UTC)
    with db.reading() as session:
        start = read_page(session, DEMO_OFFICE, None, 1000, now).cursor
    first_open, second_done = threading.Event(), threading.Event()
    release_first = threading.Event()

    def first() -> None:
        with db.writing() as session:
            publish(session, now, ChangeRef(DEMO_OFFICE, "complaint", "LAP-2026-0000001"))
            first_open.set()
            release_first.wait(10)

    def second() -> None:
        first_open.wait(10)
        with db.writing() as session:
            publish(session, now, ChangeRef(DEMO_OFFICE, "complaint", "LAP-2026-0000003"))
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_open.wait(10)
    # While the first writer is open, the second may not commit a later seq.
    assert not second_done.wait(0.5)
    with db.reading() as session:
        assert read_page(session, DEMO_OFFICE, start, 1000, now).items == []
    release_first.set()
    for thread in threads:
        thread.join(20)
    with db.reading() as session:
        items = read_page(session, DEMO_OFFICE, start, 1000, now).items
    assert [i["id"] for i in items] == ["LAP-2026-0000001", "LAP-2026-0000003"]
    db.dispose()


def _login(client: httpx.Client, username: str) -> dict[str, str]:
    body = {"username": username, "password": demo_password(username), "device_id": "pc"}
    token = client.post("/auth/token", json=body).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_paging_reader_sees_every_writers_last_change(db_url: str) -> None:
    with start_server(db_url, rate_limit=None, complaints=8, offices=1) as server:
        with httpx.Client(base_url=server.api_url, timeout=60) as client:
            headers = _login(client, "petugas1")
        snapshot = _drain(server.api_url, headers, None, {})
        versions = {i: d["version"] for (k, i), d in snapshot[1].items() if k == "complaint"}
        errors: list[BaseException] = []

        def write(complaint_id: str) -> None:
            try:
                with httpx.Client(base_url=server.api_url, timeout=60) as client:
                    base = versions[complaint_id]
                    for n in range(8):
                        note = {
                            "id": str(uuid.uuid4()),
                            "type": "note",
                            "complaint_id": complaint_id,
                            "base_version": base,
                            "created_at": "2026-11-27T08:00:00Z",
                            "payload": {"text": f"catatan {n}"},
                        }
                        body = {"device_id": "pc", "mutations": [note]}
                        [result] = client.post("/mutations", json=body, headers=headers).json()[
                            "results"
                        ]
                        assert result["status"] == "applied", result
            except BaseException as exc:
                errors.append(exc)

        writers = [threading.Thread(target=write, args=(cid,)) for cid in list(versions)[:4]]
        for thread in writers:
            thread.start()
        seen: dict[tuple[str, str], dict[str, Any]] = dict(snapshot[1])
        cursor = snapshot[0]
        seqs: list[int] = []
        while any(t.is_alive() for t in writers):
            cursor, _ = _drain(server.api_url, headers, cursor, seen, seqs, limit=3)
        for thread in writers:
            thread.join()
        cursor, _ = _drain(server.api_url, headers, cursor, seen, seqs, limit=3)
        assert errors == []
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
        final = _drain(server.api_url, headers, None, {})[1]
        for key, data in final.items():
            assert seen[key] == data, key
        for complaint_id in list(versions)[:4]:
            assert seen[("complaint", complaint_id)]["version"] == versions[complaint_id] + 8


def _drain(
    api_url: str,
    headers: dict[str, str],
    cursor: str | None,
    seen: dict[tuple[str, str], dict[str, Any]],
    seqs: list[int] | None = None,
    limit: int = 1000,
) -> tuple[str, dict[tuple[str, str], dict[str, Any]]]:
    """Page until has_more is false, applying items to ``seen`` as a client would."""
    with httpx.Client(base_url=api_url, timeout=60) as client:
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            page = client.get(f"/offices/{DEMO_OFFICE}/changes", params=params, headers=headers)
            assert page.status_code == 200, page.text
            body = page.json()
            for item in body["items"]:
                if seqs is not None:
                    seqs.append(item["seq"])
                if item["op"] == "remove":
                    seen.pop((item["kind"], item["id"]), None)
                else:
                    seen[(item["kind"], item["id"])] = item["data"]
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return cursor, seen


def test_the_same_mutation_sent_at_once_from_many_retries_applies_once(db_url: str) -> None:
    with start_server(db_url, rate_limit=None, complaints=2, offices=1) as server:
        with httpx.Client(base_url=server.api_url, timeout=60) as client:
            headers = _login(client, "petugas1")
        note = {
            "id": str(uuid.uuid4()),
            "type": "note",
            "complaint_id": "LAP-2026-0000001",
            "base_version": 1,
            "created_at": "2026-11-27T08:00:00Z",
            "payload": {"text": "dikirim berkali-kali"},
        }
        statuses: list[str] = []
        start = threading.Barrier(6)

        def send() -> None:
            with httpx.Client(base_url=server.api_url, timeout=60) as client:
                start.wait(10)
                body = {"device_id": "pc", "mutations": [note]}
                answer = client.post("/mutations", json=body, headers=headers).json()
                statuses.append(answer["results"][0]["status"])

        senders = [threading.Thread(target=send) for _ in range(6)]
        for thread in senders:
            thread.start()
        for thread in senders:
            thread.join(60)
        assert sorted(statuses) == ["applied"] + ["duplicate"] * 5
        _, seen = _drain(server.api_url, headers, None, {})
        events = seen[("complaint", "LAP-2026-0000001")]["events"]
        assert [e["text"] for e in events].count("dikirim berkali-kali") == 1
