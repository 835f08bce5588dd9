"""POST /mutations: effects, idempotency, check order, approvals, conflicts, reviews."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from server.complaints import forward, move, national_event
from server.db import Complaint, MutationRecord, User
from server.seed import DEMO_OFFICE, OTHER_OFFICE
from tests.server.conftest import API, Api, Clock, mutation

CID = "LAP-2026-9000001"
SUPERVISOR = "u-atasan1"


def _forward(api: Api, clock: Clock, complaint_id: str = CID, office: str = DEMO_OFFICE) -> None:
    data = {
        "id": complaint_id,
        "type": "pengaduan",
        "title": "Jalan berlubang",
        "body": "Jalan di Kuta berlubang.",
        "category": {"id": "infrastruktur", "name": "Infrastruktur"},
        "channel": "web",
        "anonymous": False,
        "confidential": False,
        "reporter": {"name": "I Wayan Putra", "phone": None, "email": None},
        "location": None,
        "status": "verified",
        "submitted_at": "2026-11-20T01:00:00Z",
        "verified_at": "2026-11-21T01:00:00Z",
        "due_at": None,
        "events": [],
        "attachments": [],
        "rating": None,
    }
    with api.db.writing() as session:
        forward(session, data, office, clock())


def _event(api: Api, clock: Clock, event_type: str, status: str | None = None) -> None:
    with api.db.writing() as session:
        row = session.get(Complaint, CID)
        assert row is not None
        national_event(session, row, event_type, clock(), "dari nasional", status)


@pytest.fixture
def office(api: Api, clock: Clock) -> dict[str, Any]:
    """An open complaint in the demo office, an officer's headers, a supervisor's key."""
    _forward(api, clock)
    return {
        "officer": api.headers("petugas1"),
        "key": api.register_key("atasan1"),
    }


def _respond(
    api: Api,
    key: Ed25519PrivateKey,
    mutation_id: str,
    base: int,
    text: str = "Sudah kami perbaiki.",
    **kw: Any,
) -> dict[str, Any]:
    payload = {"text": text, "attachment_ids": kw.pop("attachment_ids", [])}
    mutation_type = kw.pop("mutation_type", "respond")
    approval = api.approval(
        key, kw.pop("supervisor", SUPERVISOR), mutation_type, CID, base, payload, **kw
    )
    return mutation(mutation_id, mutation_type, CID, base, payload, approval)


def test_a_note_applies_once_and_a_replay_is_a_duplicate(api: Api, office: dict[str, Any]) -> None:
    note = mutation("m-1", "note", CID, 1, {"text": "Catatan internal"})
    [first] = api.push(office["officer"], note)
    assert first["status"] == "applied" and first["error"] is None
    assert first["complaint"]["version"] == 2
    assert first["complaint"]["events"][-1]["type"] == "note"
    assert first["complaint"]["events"][-1]["actor"]["id"] == "u-petugas1"
    [again] = api.push(office["officer"], note)
    assert again["status"] == "duplicate"
    assert again["complaint"]["version"] == 2
    changed = {**note, "payload": {"text": "Lain"}}
    [clash] = api.push(office["officer"], changed)
    assert clash["status"] == "rejected" and clash["error"]["code"] == "validation_error"
    assert api.complaint(office["officer"], CID)["version"] == 2


def test_respond_needs_a_valid_approval_and_moves_to_in_progress(
    api: Api, office: dict[str, Any]
) -> None:
    bare = mutation("r-0", "respond", CID, 1, {"text": "Tanpa tanda tangan", "attachment_ids": []})
    [refused] = api.push(office["officer"], bare)
    assert refused["status"] == "rejected"
    assert refused["error"]["code"] == "invalid_approval"
    assert refused["complaint"]["version"] == 1
    [done] = api.push(office["officer"], _respond(api, office["key"], "r-1", 1))
    assert done["status"] == "applied"
    assert done["complaint"]["status"] == "in_progress"
    assert done["complaint"]["events"][-1]["type"] == "response"
    assert done["complaint"]["events"][-1]["text"] == "Sudah kami perbaiki."


def test_forged_approvals_are_refused(api: Api, office: dict[str, Any]) -> None:
    officer_key = api.register_key("petugas1")
    other_key = api.register_key("atasan.lain")
    wrong_hash = _respond(api, office["key"], "f-2", 1, text="Teks yang disetujui")
    wrong_hash["payload"] = {"text": "Teks yang dikirim", "attachment_ids": []}
    tampered = _respond(api, office["key"], "f-5", 1)
    tampered["approval"]["signature"] = tampered["approval"]["signature"][::-1]
    forged = [
        _respond(api, officer_key, "f-1", 1, supervisor="u-petugas1"),
        wrong_hash,
        _respond(api, office["key"], "f-3", 1, device_id="pc-tak-dikenal"),
        _respond(api, other_key, "f-4", 1, supervisor="u-atasan.lain"),
        tampered,
        _respond(api, Ed25519PrivateKey.generate(), "f-6", 1),  # a key nobody registered
    ]
    results = api.push(office["officer"], *forged)
    assert [r["error"]["code"] for r in results] == ["invalid_approval"] * len(forged)
    assert api.complaint(office["officer"], CID)["version"] == 1


def test_an_inactive_supervisors_approval_is_refused(api: Api, office: dict[str, Any]) -> None:
    with api.db.writing() as session:
        user = session.get(User, SUPERVISOR)
        assert user is not None
        user.active = False
    [result] = api.push(office["officer"], _respond(api, office["key"], "i-1", 1))
    assert result["error"]["code"] == "invalid_approval"


def test_an_offline_approval_passes_once_its_key_is_registered(
    api: Api, office: dict[str, Any]
) -> None:
    laptop_key = Ed25519PrivateKey.generate()
    signed = _respond(api, laptop_key, "o-1", 1, device_id="laptop")
    [early] = api.push(office["officer"], signed)
    assert early["error"]["code"] == "invalid_approval"
    from sync.protocol import public_key_b64

    put = api.client.put(
        f"{API}/me/signing-key",
        json={"device_id": "laptop", "public_key": public_key_b64(laptop_key)},
        headers=api.headers("atasan1", "laptop"),
    )
    assert put.status_code == 204
    [late] = api.push(office["officer"], signed)
    assert late["status"] == "applied"


def test_an_approval_on_a_note_is_ignored(api: Api, office: dict[str, Any]) -> None:
    note = mutation("n-1", "note", CID, 1, {"text": "x"}, approval={"rubbish": "yes"})
    [result] = api.push(office["officer"], note)
    assert result["status"] == "applied"


def test_another_offices_complaint_is_forbidden(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    _forward(api, clock, "LAP-2026-9000002", OTHER_OFFICE)
    results = api.push(
        office["officer"],
        mutation("x-1", "note", "LAP-2026-9000002", 1, {"text": "intip"}),
        mutation("x-2", "note", "LAP-TIDAK-ADA", 1, {"text": "intip"}),
        mutation("x-3", "note", "x' OR '1'='1", 1, {"text": "'; DROP TABLE complaints; --"}),
    )
    assert [(r["status"], r["error"]["code"], r["complaint"]) for r in results] == [
        ("rejected", "forbidden", None)
    ] * 3
    with api.db.reading() as session:
        assert session.execute(select(func.count()).select_from(Complaint)).scalar_one() == 14


def test_checks_run_office_body_approval_conflict(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    _forward(api, clock, "LAP-2026-9000002", OTHER_OFFICE)
    foreign_and_malformed = mutation("c-1", "respond", "LAP-2026-9000002", 1, {"txt": ""})
    malformed_unsigned = mutation("c-2", "respond", CID, 1, {"text": ""})
    _event(api, clock, "reporter_reply")  # now version 2: a respond on 1 conflicts
    unsigned_conflicting = mutation("c-3", "respond", CID, 1, {"text": "ok", "attachment_ids": []})
    results = api.push(
        office["officer"], foreign_and_malformed, malformed_unsigned, unsigned_conflicting
    )
    assert [r["error"]["code"] for r in results] == [
        "forbidden",
        "validation_error",
        "invalid_approval",
    ]


def test_body_validation(api: Api, office: dict[str, Any]) -> None:
    too_long = "x" * 20_001
    results = api.push(
        office["officer"],
        mutation("v-1", "note", CID, 1, {"text": ""}),
        mutation("v-2", "note", CID, 1, {"text": too_long}),
        mutation("v-3", "note", CID, 1, {"text": "ok", "extra": 1}),
        mutation("v-4", "note", CID, 2, {"text": "base from the future"}),
        mutation("v-5", "note", CID, 0, {"text": "no version 0"}),
        mutation("v-6", "terbang", CID, 1, {"text": "unknown type"}),
        mutation("v-7", "note", CID, 1, {"text": 3.5}),
        _respond(api, office["key"], "v-8", 1, attachment_ids=["upload-tak-ada"]),
    )
    assert [(r["status"], (r["error"] or {}).get("code")) for r in results] == [
        ("rejected", "validation_error")
    ] * 8
    # A text of exactly 20,000 code points (not bytes) is fine.
    [ok] = api.push(office["officer"], mutation("v-9", "note", CID, 1, {"text": "é" * 20_000}))
    assert ok["status"] == "applied"


def test_a_reporter_reply_or_response_after_base_is_a_conflict(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    _event(api, clock, "reporter_reply")
    [conflict] = api.push(office["officer"], _respond(api, office["key"], "k-1", 1))
    assert conflict["status"] == "conflict"
    assert conflict["error"]["code"] == "conflict"
    assert conflict["complaint"]["version"] == 2
    # Drafted on the new version, it goes through; a note never conflicts.
    [ok] = api.push(office["officer"], _respond(api, office["key"], "k-2", 2))
    assert ok["status"] == "applied"
    [note] = api.push(office["officer"], mutation("k-3", "note", CID, 1, {"text": "lama"}))
    assert note["status"] == "applied"


def test_a_note_or_rating_after_base_is_no_conflict(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    _event(api, clock, "rating")
    api.push(office["officer"], mutation("q-1", "note", CID, 2, {"text": "catatan"}))
    [ok] = api.push(office["officer"], _respond(api, office["key"], "q-2", 1))
    assert ok["status"] == "applied"


def test_closing_after_base_is_a_conflict_and_closed_at_base_is_rejected(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    _event(api, clock, "status", "archived")
    [conflict] = api.push(office["officer"], _respond(api, office["key"], "z-1", 1))
    assert conflict["status"] == "conflict"
    assert conflict["complaint"]["status"] == "archived"
    for kind in ("respond", "complete"):
        [closed] = api.push(
            office["officer"], _respond(api, office["key"], f"z-{kind}", 2, mutation_type=kind)
        )
        assert (closed["status"], closed["error"]["code"]) == ("rejected", "validation_error")


def test_a_complaint_that_left_the_office_conflicts_without_a_record(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    with api.db.writing() as session:
        row = session.get(Complaint, CID)
        assert row is not None
        move(session, row, OTHER_OFFICE, clock(), None)
    results = api.push(
        office["officer"],
        _respond(api, office["key"], "l-1", 1),
        mutation("l-2", "note", CID, 1, {"text": "masih?"}),
    )
    assert [(r["status"], r["complaint"]) for r in results] == [("conflict", None)] * 2


def test_complete_and_request_reassignment(api: Api, office: dict[str, Any]) -> None:
    payload = {"reason": "Bukan wewenang kecamatan", "suggested_agency": "Dinas PUPR"}
    approval = api.approval(office["key"], SUPERVISOR, "request_reassignment", CID, 1, payload)
    [moved] = api.push(
        office["officer"], mutation("a-1", "request_reassignment", CID, 1, payload, approval)
    )
    assert moved["status"] == "applied"
    event = moved["complaint"]["events"][-1]
    assert event["type"] == "note"
    assert "Bukan wewenang kecamatan" in event["text"] and "Dinas PUPR" in event["text"]
    [done] = api.push(
        office["officer"], _respond(api, office["key"], "a-2", 2, mutation_type="complete")
    )
    assert done["complaint"]["status"] == "completed"
    [after] = api.push(office["officer"], _respond(api, office["key"], "a-3", 3))
    assert after["error"]["code"] == "validation_error"


def test_a_signed_approval_is_good_for_one_mutation_id_once(
    api: Api, office: dict[str, Any]
) -> None:
    """A reassignment request adds only a note, so nothing voids its approval but its use."""
    payload = {"reason": "Bukan wewenang kecamatan", "suggested_agency": "Dinas PUPR"}
    approval = api.approval(office["key"], SUPERVISOR, "request_reassignment", CID, 1, payload)
    first = mutation("r-1", "request_reassignment", CID, 1, payload, approval)
    assert api.push(office["officer"], first)[0]["status"] == "applied"
    replays = [
        mutation(f"r-{n}", "request_reassignment", CID, 1, payload, dict(approval))
        for n in (2, 3)
    ]
    results = api.push(office["officer"], *replays)
    assert [(r["status"], (r["error"] or {}).get("code")) for r in results] == [
        ("rejected", "invalid_approval")
    ] * 2
    [again] = api.push(office["officer"], first)
    assert again["status"] == "duplicate"
    events = api.complaint(office["officer"], CID)["events"]
    assert sum("Bukan wewenang kecamatan" in e["text"] for e in events) == 1


def test_a_finished_upload_becomes_the_events_attachment(api: Api, office: dict[str, Any]) -> None:
    import hashlib

    data = b"%PDF-1.4 surat balasan"
    created = api.client.post(
        f"{API}/uploads",
        json={
            "filename": "balasan.pdf",
            "mime": "application/pdf",
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
        headers=office["officer"],
    ).json()
    patch = api.client.patch(
        f"{API}/uploads/{created['upload_id']}",
        content=data,
        headers={
            **office["officer"],
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert patch.status_code == 204
    [done] = api.push(
        office["officer"],
        _respond(api, office["key"], "u-1", 1, attachment_ids=[created["upload_id"]]),
    )
    assert done["status"] == "applied"
    [meta] = done["complaint"]["events"][-1]["attachments"]
    assert meta["id"] == created["upload_id"] and meta["size"] == len(data)


@pytest.mark.parametrize("base", ["1", 1.0, True], ids=["string", "float", "bool"])
def test_base_version_is_a_json_integer_only(
    api: Api, office: dict[str, Any], base: Any
) -> None:
    note = {**mutation("bv-1", "note", CID, 1, {"text": "x"}), "base_version": base}
    [result] = api.push(office["officer"], note)
    assert (result["status"], result["error"]["code"]) == ("rejected", "validation_error")
    assert "base_version" in result["error"]["message"]
    assert api.complaint(office["officer"], CID)["version"] == 1


def test_a_lone_surrogate_is_refused_as_text_that_is_not_unicode(
    api: Api, office: dict[str, Any]
) -> None:
    import json

    note = mutation("ls-1", "note", CID, 1, {"text": "\ud800"})
    response = api.client.post(
        f"{API}/mutations",
        content=json.dumps({"device_id": "pc-1", "mutations": [note]}).encode(),
        headers={**office["officer"], "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert (result["status"], result["error"]["code"]) == ("rejected", "validation_error")
    assert "not valid Unicode" in result["error"]["message"]
    assert "float" not in result["error"]["message"]


def test_too_many_or_id_less_mutations_are_refused_whole(api: Api, office: dict[str, Any]) -> None:
    many = [mutation(f"b-{n}", "note", CID, 1, {"text": "x"}) for n in range(101)]
    response = api.client.post(
        f"{API}/mutations", json={"device_id": "pc-1", "mutations": many}, headers=office["officer"]
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    nameless = api.client.post(
        f"{API}/mutations",
        json={"device_id": "pc-1", "mutations": [{"type": "note"}]},
        headers=office["officer"],
    )
    assert nameless.status_code == 422
    with api.db.reading() as session:
        assert session.execute(select(func.count()).select_from(MutationRecord)).scalar_one() == 0


# --- reviews ------------------------------------------------------------------


def _submit(
    api: Api, headers: dict[str, str], mutation_id: str, review_id: str = "rev-1", base: int = 1
) -> dict[str, Any]:
    payload = {
        "review_id": review_id,
        "mutation_type": "respond",
        "payload": {"text": "Draf balasan", "attachment_ids": []},
    }
    [result] = api.push(headers, mutation(mutation_id, "submit_review", CID, base, payload))
    return result


def _review(api: Api, headers: dict[str, str], review_id: str = "rev-1") -> dict[str, Any]:
    for item in api.pull(headers):
        if item["kind"] == "review" and item["id"] == review_id:
            data: dict[str, Any] = item["data"]
            return data
    raise AssertionError("review not in the feed")


def _decide(
    api: Api,
    key: Ed25519PrivateKey,
    mutation_id: str,
    decision: str,
    base: int = 1,
    sign_envelope: bool = False,
) -> dict[str, Any]:
    payload = {"review_id": "rev-1", "decision": decision, "comment": "Setuju"}
    inner = {"text": "Draf balasan", "attachment_ids": []}
    if sign_envelope:
        approval = api.approval(key, SUPERVISOR, "decide_review", CID, base, payload)
    else:
        approval = api.approval(key, SUPERVISOR, "respond", CID, 1, inner)
    return mutation(mutation_id, "decide_review", CID, base, payload, approval)


def test_a_review_is_queued_returned_and_resubmitted(api: Api, office: dict[str, Any]) -> None:
    officer = office["officer"]
    assert _submit(api, officer, "s-1")["status"] == "applied"
    review = _review(api, officer)
    assert (review["state"], review["author_id"], review["base_version"]) == (
        "pending",
        "u-petugas1",
        1,
    )
    ret = mutation(
        "s-2",
        "decide_review",
        CID,
        1,
        {"review_id": "rev-1", "decision": "return", "comment": "Perbaiki"},
    )
    [by_officer] = api.push(officer, ret)
    assert by_officer["error"]["code"] == "forbidden"
    [by_supervisor] = api.push(api.headers("atasan1"), ret)
    assert by_supervisor["status"] == "applied"
    review = _review(api, officer)
    assert review["state"] == "returned"
    assert review["decision"]["by"] == SUPERVISOR and review["decision"]["comment"] == "Perbaiki"
    assert _submit(api, officer, "s-3")["status"] == "applied"
    assert _review(api, officer)["state"] == "pending"
    assert api.complaint(officer, CID)["version"] == 1  # reviews never touch the record


def test_approving_a_review_applies_its_reply_in_the_same_step(
    api: Api, office: dict[str, Any]
) -> None:
    officer = office["officer"]
    _submit(api, officer, "s-1")
    [envelope] = api.push(
        officer, _decide(api, office["key"], "d-0", "approve", sign_envelope=True)
    )
    assert envelope["error"]["code"] == "invalid_approval"
    [approved] = api.push(api.headers("atasan1"), _decide(api, office["key"], "d-1", "approve"))
    assert approved["status"] == "applied"
    assert approved["complaint"]["status"] == "in_progress"
    last = approved["complaint"]["events"][-1]
    assert (last["type"], last["text"], last["actor"]["id"]) == (
        "response",
        "Draf balasan",
        "u-petugas1",
    )
    review = _review(api, officer)
    assert review["state"] == "approved" and review["decision"]["by"] == SUPERVISOR
    # The approval was used by d-1: under another id it is spent.
    [twice] = api.push(officer, _decide(api, office["key"], "d-2", "approve", base=2))
    assert twice["error"]["code"] == "invalid_approval"
    assert api.complaint(officer, CID)["version"] == 2


def test_an_approved_review_that_conflicts_stays_pending(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    _submit(api, office["officer"], "s-1")
    _event(api, clock, "reporter_reply")
    [result] = api.push(office["officer"], _decide(api, office["key"], "d-1", "approve", base=2))
    assert result["status"] == "conflict"
    assert _review(api, office["officer"])["state"] == "pending"
    assert result["complaint"]["version"] == 2


def test_the_author_of_a_review_cannot_approve_it(api: Api, office: dict[str, Any]) -> None:
    supervisor = api.headers("atasan1")
    assert _submit(api, supervisor, "s-1")["status"] == "applied"
    [own] = api.push(supervisor, _decide(api, office["key"], "d-1", "approve"))
    assert (own["status"], (own["error"] or {}).get("code")) == ("rejected", "invalid_approval")
    assert _review(api, supervisor)["state"] == "pending"
    assert api.complaint(supervisor, CID)["version"] == 1


def test_a_review_of_another_office_is_forbidden(
    api: Api, office: dict[str, Any], clock: Clock
) -> None:
    _submit(api, office["officer"], "s-1")
    _forward(api, clock, "LAP-2026-9000002", OTHER_OFFICE)
    other = api.headers("atasan.lain")
    payload = {"review_id": "rev-1", "decision": "return", "comment": "bukan urusan saya"}
    [result] = api.push(other, mutation("o-1", "decide_review", "LAP-2026-9000002", 1, payload))
    assert result["error"]["code"] == "forbidden"
