"""The office change feed: snapshot, paging, removes, cursors, the digest."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import select

from server.complaints import move
from server.db import Complaint, Database
from server.feed import digest
from server.seed import DEMO_OFFICE, OTHER_OFFICE
from sync.protocol import ChangePage, scope_digest
from sync.protocol import Complaint as WireComplaint
from tests.server.conftest import API, Api, Clock, mutation


def _page(api: Api, headers: dict[str, str], **params: Any) -> Any:
    return api.client.get(f"{API}/offices/{DEMO_OFFICE}/changes", params=params, headers=headers)


def _move_away(api: Api, complaint_id: str, clock: Clock) -> None:
    with api.db.writing() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        move(session, row, OTHER_OFFICE, clock(), None)


def test_snapshot_holds_the_offices_scope_and_validates(api: Api) -> None:
    headers = api.headers("petugas1")
    items = api.pull(headers)
    kinds = {item["kind"] for item in items}
    assert kinds == {"category", "template", "user", "complaint", "review"}
    complaints = [i for i in items if i["kind"] == "complaint"]
    assert len(complaints) == 6  # 12 seeded over two offices
    for item in complaints:
        WireComplaint.model_validate(item["data"])
    users = {i["data"]["username"] for i in items if i["kind"] == "user"}
    assert users == {"petugas1", "petugas2", "atasan1"}  # never another office's people
    seqs = [i["seq"] for i in items]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_pages_follow_cursors_without_gaps_or_repeats(api: Api) -> None:
    headers = api.headers("petugas1")
    everything = api.pull(headers)
    seen: list[tuple[str, str]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 4}
        if cursor:
            params["cursor"] = cursor
        body = _page(api, headers, **params).json()
        ChangePage.model_validate(body)
        assert len(body["items"]) <= 4
        seen += [(i["kind"], i["id"]) for i in body["items"]]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    assert seen == [(i["kind"], i["id"]) for i in everything]


def test_a_record_changed_twice_comes_once_with_its_latest_state(api: Api) -> None:
    headers = api.headers("petugas1")
    cursor = _page(api, headers, limit=1000).json()["next_cursor"]
    complaint = api.complaint(headers, "LAP-2026-0000001")
    version = complaint["version"]
    for n in range(3):
        api.push(
            headers,
            mutation(f"note-{n}", "note", complaint["id"], version, {"text": f"catatan {n}"}),
        )
    body = _page(api, headers, cursor=cursor).json()
    changed = [i for i in body["items"] if i["id"] == complaint["id"]]
    assert len(changed) == 1
    assert changed[0]["data"]["version"] == version + 3
    assert changed[0]["data"]["events"][-1]["text"] == "catatan 2"


def test_a_complaint_that_leaves_comes_as_a_remove_but_never_in_a_snapshot(
    api: Api, clock: Clock
) -> None:
    headers = api.headers("petugas1")
    cursor = _page(api, headers, limit=1000).json()["next_cursor"]
    _move_away(api, "LAP-2026-0000003", clock)
    items = _page(api, headers, cursor=cursor).json()["items"]
    assert items == [
        {
            "seq": items[0]["seq"],
            "kind": "complaint",
            "id": "LAP-2026-0000003",
            "op": "remove",
            "data": None,
        }
    ]
    snapshot = api.pull(headers)
    assert all(i["op"] == "upsert" for i in snapshot)
    assert "LAP-2026-0000003" not in {i["id"] for i in snapshot}
    # The receiving office gets it as an upsert.
    other = api.pull(api.headers("petugas.lain"), OTHER_OFFICE)
    assert "LAP-2026-0000003" in {i["id"] for i in other if i["op"] == "upsert"}


def test_an_unreadable_or_foreign_or_old_cursor_is_expired(api: Api, clock: Clock) -> None:
    headers = api.headers("petugas1")
    good = _page(api, headers).json()["next_cursor"]
    other = api.client.get(
        f"{API}/offices/{OTHER_OFFICE}/changes", headers=api.headers("petugas.lain")
    ).json()["next_cursor"]
    body, _, mac = good.partition(".")
    raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[1] = 0  # a hand-edited position keeps the old signature
    forged = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=") + "." + mac
    for cursor in ["rubbish", "", "x.y", forged, other, "' OR 1=1 --"]:
        if not cursor:
            continue
        response = _page(api, headers, cursor=cursor)
        assert response.status_code == 410, cursor
        assert response.json()["error"]["code"] == "cursor_expired"
    clock.advance(days=31)
    stale = _page(api, api.headers("petugas1"), cursor=good)
    assert stale.status_code == 410


def test_another_offices_feed_and_digest_are_forbidden(api: Api) -> None:
    headers = api.headers("petugas1")
    for path in ("changes", "digest"):
        response = api.client.get(f"{API}/offices/{OTHER_OFFICE}/{path}", headers=headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_limit_is_bounded(api: Api) -> None:
    headers = api.headers("petugas1")
    for limit in (0, 1001, "banyak"):
        response = _page(api, headers, limit=limit)
        assert response.status_code == 422
        assert "query.limit" in response.json()["error"]["details"]["fields"]


def test_digest_matches_what_the_client_computes_from_the_feed(api: Api) -> None:
    headers = api.headers("petugas1")
    items = api.pull(headers)
    versions = {i["id"]: i["data"]["version"] for i in items if i["kind"] == "complaint"}
    body = api.client.get(f"{API}/offices/{DEMO_OFFICE}/digest", headers=headers).json()
    assert body["complaints"] == len(versions) == 6
    assert body["digest"] == scope_digest(versions)
    assert body["as_of_seq"] >= max(i["seq"] for i in items)


def test_digest_changes_with_a_new_version(api: Api) -> None:
    headers = api.headers("petugas1")
    before = api.client.get(f"{API}/offices/{DEMO_OFFICE}/digest", headers=headers).json()
    with api.db.reading() as session:
        row = session.scalars(select(Complaint).where(Complaint.office_id == DEMO_OFFICE)).first()
        assert row is not None
        complaint_id, version = row.id, row.version
    api.push(headers, mutation("n-1", "note", complaint_id, version, {"text": "cek"}))
    after = api.client.get(f"{API}/offices/{DEMO_OFFICE}/digest", headers=headers).json()
    assert after["digest"] != before["digest"]
    assert after["as_of_seq"] > before["as_of_seq"]


def test_the_kept_digest_still_sees_a_write_the_feed_never_announced(api: Api) -> None:
    headers = api.headers("petugas1")

    def ask() -> dict[str, Any]:
        answer: dict[str, Any] = api.client.get(
            f"{API}/offices/{DEMO_OFFICE}/digest", headers=headers).json()
        return answer

    first = ask()
    assert ask() == first  # kept: nothing moved
    elsewhere = Database(api.db.url)  # as another process would: no publish, seq stays
    with elsewhere.writing() as session:
        row = session.scalars(select(Complaint).where(Complaint.office_id == DEMO_OFFICE)).first()
        assert row is not None
        row.version += 1
    elsewhere.dispose()
    after = ask()
    assert after["as_of_seq"] == first["as_of_seq"]
    assert after["digest"] != first["digest"]
    with api.db.reading() as session:
        assert after == digest(session, DEMO_OFFICE)


def test_a_cursor_from_before_purged_removes_is_expired(api: Api, clock: Clock) -> None:
    headers = api.headers("petugas1")
    early = _page(api, headers, limit=1).json()["next_cursor"]  # a reader left behind
    _move_away(api, "LAP-2026-0000003", clock)
    clock.advance(days=29)
    behind = _page(api, api.headers("petugas1"), cursor=early, limit=1)
    assert behind.status_code == 200
    still_behind = behind.json()["next_cursor"]  # fresh, but before the remove
    clock.advance(days=2)  # the remove is now past the horizon and gets purged
    expired = _page(api, api.headers("petugas1"), cursor=still_behind, limit=1)
    assert expired.status_code == 410
    assert expired.json()["error"]["code"] == "cursor_expired"


def test_a_snapshot_begun_after_a_purge_pages_to_its_end(api: Api, clock: Clock) -> None:
    """Its pages' cursors sit below the purge, but it needs none of the purged removes.

    Refused, a full pull of an office larger than one page restarted for ever
    (the crash test met it after a purge).
    """
    _move_away(api, "LAP-2026-0000003", clock)
    clock.advance(days=31)
    headers = api.headers("petugas1")
    assert _page(api, headers, limit=1).status_code == 200  # the purge runs on a read
    seen, cursor = 0, None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = _page(api, api.headers("petugas1"), **params)
        assert response.status_code == 200, response.json()
        body = response.json()
        seen += len(body["items"])
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    assert seen == len(api.pull(api.headers("petugas1")))


def test_one_complaint_by_id_as_the_office_sees_it_or_not_found(api: Api, clock: Clock) -> None:
    headers = api.headers("petugas1")
    ours = sorted(i["id"] for i in api.pull(headers) if i["kind"] == "complaint")
    with api.db.reading() as session:
        theirs = session.scalars(
            select(Complaint.id).where(Complaint.office_id == OTHER_OFFICE)
        ).first()
        anonymous = [c.id for c in session.scalars(select(Complaint)) if c.data.get("anonymous")
                     and c.office_id == DEMO_OFFICE]

    answer = api.client.get(f"{API}/offices/{DEMO_OFFICE}/complaints/{ours[0]}", headers=headers)
    assert answer.status_code == 200 and set(answer.json()) == {"complaint"}
    got = WireComplaint.model_validate(answer.json()["complaint"])
    with api.db.reading() as session:
        now = session.get(Complaint, ours[0])
        assert now is not None and got.version == now.version  # as it is now
    for complaint_id in anonymous:  # an anonim reporter stays unknown here too
        got = api.client.get(f"{API}/offices/{DEMO_OFFICE}/complaints/{complaint_id}",
                             headers=headers)
        assert got.json()["complaint"]["reporter"] is None

    other = api.client.get(f"{API}/offices/{DEMO_OFFICE}/complaints/{theirs}", headers=headers)
    assert (other.status_code, other.json()["error"]["code"]) == (404, "not_found")
    _move_away(api, ours[1], clock)
    gone = api.client.get(f"{API}/offices/{DEMO_OFFICE}/complaints/{ours[1]}", headers=headers)
    assert gone.status_code == 404
    foreign = api.client.get(f"{API}/offices/{OTHER_OFFICE}/complaints/{theirs}",
                             headers=headers)
    assert (foreign.status_code, foreign.json()["error"]["code"]) == (403, "forbidden")
    nobody = api.client.get(f"{API}/offices/{DEMO_OFFICE}/complaints/{ours[0]}")
    assert nobody.status_code == 401
    unknown = api.client.get(f"{API}/offices/{DEMO_OFFICE}/complaints/LAP-2026-9999999",
                             headers=headers)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "not_found")
