"""Abuse of the reference server: guessing, crossing offices, reusing approvals, SQL.

What tests/server already proves (the ten-failure lockout, forged
approvals, another office's feed, mutations, uploads and reviews being
forbidden, SQL in login, paths and cursor) is not repeated here; these are
the ways around those walls a determined insider or outsider would try next.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import pytest
from sqlalchemy import func, select

from server.complaints import move, touched
from server.db import Attachment, Complaint, Review, User
from server.feed import publish
from server.seed import DEMO_OFFICE, OTHER_OFFICE, demo_password
from server.uploads import store_file
from tests.server.conftest import API, Api, Clock, mutation

SUPERVISOR = "u-atasan1"
EVIL = "x' OR '1'='1'; DROP TABLE complaints; --"


def _login(api: Api, username: str, password: str) -> Any:
    return api.client.post(
        f"{API}/auth/token",
        json={"username": username, "password": password, "device_id": "pc-1"},
    )


def _lock(api: Api, username: str, clock: Clock) -> None:
    for _ in range(10):
        assert _login(api, username, "tebakan").status_code == 401
        clock.advance(seconds=5)


def _open_complaints(api: Api, office: str = DEMO_OFFICE) -> list[tuple[str, int]]:
    with api.db.reading() as session:
        rows = session.execute(
            select(Complaint.id, Complaint.version)
            .where(Complaint.office_id == office, Complaint.status.in_(["verified", "in_progress"]))
            .order_by(Complaint.id)
        )
        return [(row[0], row[1]) for row in rows]


def _counts(api: Api) -> tuple[int, int, int]:
    with api.db.reading() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (User, Complaint, Review)
        )


def _upload(api: Api, headers: dict[str, str], data: bytes) -> str:
    body = {"filename": "surat.pdf", "mime": "application/pdf", "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}
    created = api.client.post(f"{API}/uploads", json=body, headers=headers)
    assert created.status_code == 201, created.text
    upload_id: str = created.json()["upload_id"]
    patched = api.client.patch(
        f"{API}/uploads/{upload_id}", content=data,
        headers={**headers, "Upload-Offset": "0",
                 "Content-Type": "application/offset+octet-stream"},
    )
    assert patched.status_code == 204, patched.text
    return upload_id


# --- guessing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant", ["PETUGAS1", "Petugas1", " petugas1", "petugas1 ", "\tpetugas1"]
)
def test_a_locked_name_is_not_dodged_by_case_or_spaces(
    api: Api, clock: Clock, variant: str
) -> None:
    _lock(api, "petugas1", clock)
    assert _login(api, variant, demo_password("petugas1")).status_code != 200


def test_unknown_names_lock_like_real_ones_so_none_can_be_told_apart(
    api: Api, clock: Clock
) -> None:
    _lock(api, "petugas1", clock)
    _lock(api, "tidak.ada.orangnya", clock)
    real = _login(api, "petugas1", "lagi")
    ghost = _login(api, "tidak.ada.orangnya", "lagi")
    assert real.status_code == ghost.status_code == 423
    assert real.json()["error"]["code"] == ghost.json()["error"]["code"] == "account_locked"
    assert real.json()["error"]["details"].keys() == ghost.json()["error"]["details"].keys()


def test_a_guesser_locks_one_name_not_the_office(api: Api, clock: Clock) -> None:
    _lock(api, "petugas1", clock)
    for colleague in ("petugas2", "atasan1"):
        assert _login(api, colleague, demo_password(colleague)).status_code == 200


def test_guessed_tokens_get_nothing(api: Api) -> None:
    real = api.login("petugas1")
    guesses = [secrets.token_urlsafe(32) for _ in range(20)]
    guesses += [real["access_token"][:-1], real["access_token"] + "x", real["refresh_token"][:-2],
                real["access_token"].upper(), "", " ", EVIL]
    for guess in guesses:
        feed = api.client.get(f"{API}/offices/{DEMO_OFFICE}/digest",
                              headers={"Authorization": f"Bearer {guess}"})
        assert feed.status_code == 401, guess
        refreshed = api.client.post(f"{API}/auth/refresh", json={"refresh_token": guess})
        assert refreshed.status_code in (401, 422), guess
        assert "access_token" not in refreshed.text
    # The real pair still works: guesses do not revoke what they did not find.
    assert api.client.post(f"{API}/auth/refresh",
                           json={"refresh_token": real["refresh_token"]}).status_code == 200


# --- one office never reaches another's -------------------------------------------------


def test_another_offices_file_can_be_neither_probed_nor_attached(api: Api) -> None:
    ours = api.headers("petugas1")
    theirs = api.headers("petugas.lain")
    data = b"%PDF-1.4 rahasia kantor demo"
    upload_id = _upload(api, ours, data)
    # The same bytes from the other office: a new upload, never "you already have it".
    probe = api.client.post(
        f"{API}/uploads",
        json={"filename": "x.pdf", "mime": "application/pdf", "size": len(data),
              "sha256": hashlib.sha256(data).hexdigest()},
        headers=theirs,
    )
    assert probe.status_code == 201 and not probe.json().get("complete")
    assert probe.json()["upload_id"] != upload_id
    [their_complaint, *_] = _open_complaints(api, OTHER_OFFICE)
    note = mutation("steal-1", "respond", their_complaint[0], their_complaint[1],
                    {"text": "lihat lampiran", "attachment_ids": [upload_id]})
    key = api.register_key("atasan.lain")
    note["approval"] = api.approval(key, "u-atasan.lain", "respond", their_complaint[0],
                                    their_complaint[1], note["payload"])
    [result] = api.push(theirs, note)
    assert (result["status"], result["error"]["code"]) == ("rejected", "validation_error")
    assert api.client.get(f"{API}/attachments/{upload_id}", headers=theirs).status_code == 403


def test_another_offices_feed_holds_nothing_of_ours(api: Api) -> None:
    ours = api.headers("petugas1")
    [(complaint_id, version), *_] = _open_complaints(api)
    review = mutation("rev-ours", "submit_review", complaint_id, version, {
        "review_id": "rev-rahasia", "mutation_type": "respond",
        "payload": {"text": "draf internal kantor demo", "attachment_ids": []}})
    assert api.push(ours, review)[0]["status"] == "applied"
    with api.db.reading() as session:
        our_ids = set(session.scalars(select(Complaint.id)
                                      .where(Complaint.office_id == DEMO_OFFICE)))
        our_users = set(session.scalars(select(User.id).where(User.office_id == DEMO_OFFICE)))
    items = api.pull(api.headers("petugas.lain"), office=OTHER_OFFICE)
    assert items, "the other office has a feed of its own"
    names = {(item["kind"], item["id"]) for item in items}
    assert not {("complaint", cid) for cid in our_ids} & names
    assert not {("user", uid) for uid in our_users} & names
    assert ("review", "rev-rahasia") not in names
    assert "draf internal kantor demo" not in str(items)


def test_a_complaint_that_left_takes_the_reporters_files_with_it(
    api: Api, clock: Clock
) -> None:
    [(complaint_id, _), *_] = _open_complaints(api)
    with api.db.writing() as session:
        upload = store_file(session, "att-pelapor-1", "", "pelapor", "ktp.png", "image/png",
                            b"\x89PNG\r\n\x1a\nfoto ktp", clock())
        session.flush()
        session.add(Attachment(upload_id=upload.id, complaint_id=complaint_id))
    ours, theirs = api.headers("petugas1"), api.headers("petugas.lain")
    url = f"{API}/attachments/att-pelapor-1"
    assert api.client.get(url, headers=ours).status_code == 200
    assert api.client.get(url, headers=theirs).status_code == 403
    with api.db.writing() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        move(session, row, OTHER_OFFICE, clock(), None)
    assert api.client.get(url, headers=ours).status_code == 403
    assert api.client.get(url, headers=theirs).status_code == 200


# --- approvals captured on the wire ---------------------------------------------------


def test_a_captured_approval_fits_no_other_action(api: Api) -> None:
    """An officer who saw one signed approval tries it on everything else she could send."""
    officer = api.headers("petugas1")
    key = api.register_key("atasan1")
    (first, version), (second, second_version), *_ = _open_complaints(api)
    payload = {"text": "Sudah kami perbaiki.", "attachment_ids": []}
    approval = api.approval(key, SUPERVISOR, "respond", first, version, payload)

    def attempt(mutation_id: str, kind: str, complaint_id: str, base: int,
                body: dict[str, Any]) -> str:
        [result] = api.push(officer, mutation(mutation_id, kind, complaint_id, base, body,
                                              dict(approval)))
        return f"{result['status']}:{(result['error'] or {}).get('code')}"

    other_complaint = attempt("re-1", "respond", second, second_version, payload)
    as_complete = attempt("re-2", "complete", first, version, payload)
    other_text = attempt("re-3", "respond", first, version,
                         {"text": "Teks lain sama sekali.", "attachment_ids": []})
    assert [other_complaint, as_complete, other_text] == ["rejected:invalid_approval"] * 3
    assert attempt("re-ok", "respond", first, version, payload) == "applied:None"
    assert attempt("re-ok", "respond", first, version, payload) == "duplicate:None"
    # The same signed action under a new id: the approval is spent, the reply never twice.
    assert attempt("re-4", "respond", first, version, payload) == "rejected:invalid_approval"
    # Later versions of the record need a new signature.
    newer = api.complaint(officer, first)["version"]
    assert attempt("re-5", "respond", first, newer, payload) == "rejected:invalid_approval"
    events = api.complaint(officer, first)["events"]
    assert sum(e["text"] == payload["text"] for e in events) == 1


# --- SQL in every parameter -------------------------------------------------------------


def test_sql_in_every_parameter_is_only_data(api: Api) -> None:
    before = _counts(api)
    officer = api.headers("petugas1")
    c = api.client
    answers = [
        c.get(f"{API}/offices/{DEMO_OFFICE}/changes", params={"limit": EVIL}, headers=officer),
        c.get(f"{API}/attachments/att-kantor-demo-1",
              headers={**officer, "Range": f"bytes={EVIL}"}),
        c.get(f"{API}/attachments/att-kantor-demo-1",
              headers={**officer, "If-None-Match": EVIL}),
        c.head(f"{API}/uploads/{EVIL}", headers=officer),
        c.patch(f"{API}/uploads/{EVIL}", content=b"x",
                headers={**officer, "Upload-Offset": "0",
                         "Content-Type": "application/offset+octet-stream"}),
        c.post(f"{API}/uploads", json={"filename": EVIL, "mime": EVIL, "size": 1,
                                       "sha256": EVIL}, headers=officer),
        c.post(f"{API}/auth/refresh", json={"refresh_token": EVIL}),
        c.post(f"{API}/auth/logout", json={"refresh_token": EVIL}),
        c.put(f"{API}/me/signing-key", json={"device_id": EVIL, "public_key": EVIL},
              headers=officer),
        c.post(f"{API}/mutations", json={"device_id": EVIL, "mutations": [
            mutation(EVIL, EVIL, EVIL, 1, {"text": EVIL}),
            mutation("sql-2", "decide_review", _open_complaints(api)[0][0], 1,
                     {"review_id": EVIL, "decision": "return", "comment": EVIL}),
        ]}, headers=api.headers("atasan1")),
    ]
    assert all(a.status_code < 500 for a in answers), [(a.status_code, a.text) for a in answers]
    upload_id = c.post(
        f"{API}/uploads", json={"filename": EVIL, "mime": "text/plain", "size": 0,
                                "sha256": hashlib.sha256(b"").hexdigest()}, headers=officer
    ).json()["upload_id"]
    disposition = c.get(f"{API}/attachments/{upload_id}", headers=officer).headers[
        "Content-Disposition"]
    assert "DROP" in disposition  # kept as a name, nothing more
    # A note whose text is SQL is stored word for word.
    complaint_id, version = _open_complaints(api)[0]
    [note] = api.push(officer, mutation("sql-3", "note", complaint_id, version, {"text": EVIL}))
    assert note["status"] == "applied" and note["complaint"]["events"][-1]["text"] == EVIL
    assert _counts(api) == before
    assert api.login("petugas1")["user"]["username"] == "petugas1"


# --- an anonim reporter ---------------------------------------------------------------


def test_an_anonim_identity_stored_nationally_never_reaches_an_office(
    api: Api, clock: Clock
) -> None:
    """The national side kept the identity of an anonim report: the office gets none of it."""
    complaint_id, version = _open_complaints(api)[0]
    secret = {"name": "Sri Rahayu", "phone": "+62812000111", "email": "sri@contoh.id"}
    with api.db.writing() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        row.data = {**row.data, "anonymous": True, "reporter": secret}
        publish(session, clock(), touched(row))
    officer = api.headers("petugas1")
    fed = api.complaint(officer, complaint_id)
    [note] = api.push(officer, mutation("anon-1", "note", complaint_id, version,
                                       {"text": "dicek"}))
    [again] = api.push(officer, mutation("anon-1", "note", complaint_id, version,
                                        {"text": "dicek"}))
    for shown in (fed, note["complaint"], again["complaint"]):
        assert shown["anonymous"] is True and shown["reporter"] is None
        assert "Sri Rahayu" not in str(shown)
