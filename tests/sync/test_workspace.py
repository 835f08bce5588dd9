"""The public face: open, the inbox with its filters and pages, detail, login, close."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sync import protocol
from sync.errors import ErrorCode, WorkspaceError
from sync.store import records
from sync.store.database import write_session
from sync.store.migrate import current_revision, head_revision
from sync.values import DeadlineState, ReplyState
from sync.workspace import Workspace
from tests.helpers.replica import FAST_KDF, PASSWORDS, T0, complaint, office, user

NOW = T0 + timedelta(hours=1)  # Monday 2 November 2026, 10:00 WITA


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T01:00:00+00:00")


# Assigned on these days, a verified complaint's first follow-up (5 working days) falls due:
INBOX = [
    complaint("LAP-ONTIME", title="Lampu taman mati", assigned_at=at("2026-11-02")),  # 9 Nov
    complaint("LAP-OVERDUE", title="Sampah pasar", assigned_at=at("2026-10-20"),
              category={"id": "kebersihan", "name": "Kebersihan"}),  # 27 Oct
    complaint("LAP-TODAY", title="Antrean KTP", assigned_at=at("2026-10-26")),  # 2 Nov
    complaint("LAP-SOON", title="Air PDAM keruh", assigned_at=at("2026-10-28")),  # 4 Nov
    complaint("LAP-DONE", title="Jalan berlubang", status="completed",
              assigned_at=at("2026-10-01")),
]


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = office(tmp_path / "profile", *INBOX, clock=lambda: NOW)
    yield workspace
    workspace.close()


def ids(summaries: list[object]) -> list[str]:
    return [s.id for s in summaries]  # type: ignore[attr-defined]


def test_open_creates_a_migrated_profile_and_reopens_it(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "new", "http://127.0.0.1:9", kdf_n=FAST_KDF)
    assert current_revision(ws.database) == head_revision()
    profile_id = ws.profile.profile_id
    ws.close()
    with pytest.raises(WorkspaceError) as raised:
        ws.complaints()
    assert raised.value.code == ErrorCode.LOCKED_PROFILE
    with Workspace.open(tmp_path / "new", kdf_n=FAST_KDF) as again:
        assert again.profile.profile_id == profile_id
        assert again.profile.server_url == "http://127.0.0.1:9"
        assert again.complaints() == []


def test_inbox_puts_the_most_urgent_first_and_closed_last(ws: Workspace) -> None:
    inbox = ws.complaints()
    assert ids(inbox) == ["LAP-OVERDUE", "LAP-TODAY", "LAP-SOON", "LAP-ONTIME", "LAP-DONE"]
    deadlines = {s.id: s.deadline for s in inbox}
    assert deadlines["LAP-OVERDUE"] is not None
    assert deadlines["LAP-OVERDUE"].due == date(2026, 10, 27)
    assert deadlines["LAP-OVERDUE"].state is DeadlineState.OVERDUE
    assert deadlines["LAP-ONTIME"] is not None
    assert deadlines["LAP-ONTIME"].working_days_left == 5
    assert deadlines["LAP-DONE"] is not None
    assert deadlines["LAP-DONE"].state is DeadlineState.DONE


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (DeadlineState.OVERDUE, ["LAP-OVERDUE"]),
        (DeadlineState.DUE_TODAY, ["LAP-TODAY"]),
        (DeadlineState.DUE_SOON, ["LAP-SOON"]),
        (DeadlineState.ON_TIME, ["LAP-ONTIME"]),
        (DeadlineState.DONE, ["LAP-DONE"]),
    ],
)
def test_filter_by_deadline_state_agrees_with_the_shown_state(
    ws: Workspace, state: DeadlineState, expected: list[str]
) -> None:
    found = ws.complaints(deadline_state=state)
    assert ids(found) == expected
    assert all(s.deadline is not None and s.deadline.state is state for s in found)
    assert ws.count_complaints(deadline_state=state) == len(expected)


def test_deadlines_run_on_server_time_not_the_pc_clock(ws: Workspace) -> None:
    with write_session(ws.database) as session:
        from sync.store.local import SyncState

        state = session.get(SyncState, 1)
        assert state is not None
        state.server_offset_s = timedelta(days=2).total_seconds()  # the PC is 2 days behind
    assert ids(ws.complaints(deadline_state=DeadlineState.OVERDUE)) == ["LAP-OVERDUE", "LAP-TODAY"]


def test_filters_search_and_paging(ws: Workspace) -> None:
    assert ids(ws.complaints(status="completed")) == ["LAP-DONE"]
    assert ids(ws.complaints(category_id="kebersihan")) == ["LAP-OVERDUE"]
    assert ids(ws.complaints(search="pdam")) == ["LAP-SOON"]
    assert ids(ws.complaints(search="air pd")) == ["LAP-SOON"]  # as you type
    assert ids(ws.complaints(search='"(-*')) == ids(ws.complaints())  # nothing to search for
    assert ws.count_complaints(search="pdam") == 1
    assert ws.count_complaints() == 5
    pages = [ws.complaints(offset=n, limit=2) for n in (0, 2, 4)]
    assert [ids(p) for p in pages] == [["LAP-OVERDUE", "LAP-TODAY"], ["LAP-SOON", "LAP-ONTIME"],
                                       ["LAP-DONE"]]


def test_reply_state_shows_and_filters(ws: Workspace) -> None:
    draft = ws.draft_reply("LAP-SOON", "Pipa sudah diganti.")
    ws.submit_for_approval(draft)
    [summary] = ws.complaints(reply_state=ReplyState.AWAITING_APPROVAL)
    assert (summary.id, summary.reply_state, summary.has_local_changes) == (
        "LAP-SOON", ReplyState.AWAITING_APPROVAL, True)
    assert ws.count_complaints(reply_state=ReplyState.AWAITING_APPROVAL) == 1
    others = [s for s in ws.complaints() if s.id != "LAP-SOON"]
    assert all(s.reply_state is None and not s.has_local_changes for s in others)


def test_detail_has_timeline_attachments_and_replies(ws: Workspace) -> None:
    sha = "c" * 64
    rich = complaint(
        "LAP-TODAY", version=3, assigned_at=at("2026-10-26"), confidential=True,
        events=[
            {"id": "e1", "at": T0 - timedelta(days=3), "type": "submitted", "text": "Masuk"},
            {"id": "e2", "at": T0 - timedelta(days=1), "type": "reporter_reply",
             "actor": {"id": "rep", "name": "Pelapor", "role": "reporter"}, "text": "Kapan?",
             "attachments": [{"id": "a1", "filename": "foto.png", "mime": "image/png",
                              "size": 5, "sha256": sha}]},
        ],
    )
    with write_session(ws.database) as session:
        records.upsert_complaint(session, rich, ws.rules)
    draft = ws.draft_reply("LAP-TODAY", "Besok.")
    detail = ws.complaint("LAP-TODAY")
    assert detail.version == 3 and detail.summary.confidential
    assert detail.reporter is not None and detail.reporter.name == "Budi Santoso"
    assert [(e.id, e.actor_name, e.attachment_ids) for e in detail.events] == [
        ("e1", None, ()), ("e2", "Pelapor", ("a1",))]
    assert [(a.id, a.download_state, a.local_path) for a in detail.attachments] == [
        ("a1", "missing", None)]
    assert [(r.id, r.state, r.base_version) for r in detail.replies] == [
        (draft, ReplyState.DRAFT, 3)]
    assert detail.summary.deadline is not None
    assert detail.summary.deadline.state is DeadlineState.DUE_TODAY


def test_an_anonymous_reporter_never_shows(ws: Workspace) -> None:
    with write_session(ws.database) as session:
        records.upsert_complaint(session, complaint("LAP-ANON", anonymous=True), ws.rules)
    detail = ws.complaint("LAP-ANON")
    assert detail.reporter is None and detail.summary.anonymous


def test_unknown_complaint_is_not_found(ws: Workspace) -> None:
    with pytest.raises(WorkspaceError) as raised:
        ws.complaint("LAP-NONE")
    assert raised.value.code == ErrorCode.NOT_FOUND


def test_a_removed_complaint_with_a_draft_stays_visible(ws: Workspace) -> None:
    ws.draft_reply("LAP-TODAY", "Setengah jadi")
    with write_session(ws.database) as session:
        records.remove_complaint(session, "LAP-TODAY")
        records.remove_complaint(session, "LAP-SOON")
    assert "LAP-SOON" not in ids(ws.complaints())
    assert ws.complaint("LAP-TODAY").removed


def test_outbox_lists_in_the_order_of_the_actions(ws: Workspace) -> None:
    first = ws.draft_reply("LAP-SOON", "Catatan satu", kind="note")
    second = ws.draft_reply("LAP-TODAY", "Jawaban", kind="respond")
    ws.submit_for_approval(second)
    ws.submit_for_approval(first)
    ws.approve(second, "siti", PASSWORDS["siti"])
    assert [(e.reply_id, e.type, e.attempts, e.last_error) for e in ws.outbox()] == [
        (first, "note", 0, None), (second, "respond", 0, None)]


def test_offline_login_locks_after_five_failures_for_five_minutes(tmp_path: Path) -> None:
    clock = {"now": NOW}
    ws = office(tmp_path / "p", clock=lambda: clock["now"])
    left = []
    for _ in range(4):
        with pytest.raises(WorkspaceError) as raised:
            ws.login("ani", "salah")
        assert raised.value.code == ErrorCode.INVALID_CREDENTIALS
        left.append(raised.value.details["tries_left"])
    assert left == [4, 3, 2, 1]  # the login screen warns on the last ones
    with pytest.raises(WorkspaceError) as raised:
        ws.login("ani", "salah")
    # The fifth failure says at once that the account is now locked, and for how long.
    assert raised.value.code == ErrorCode.ACCOUNT_LOCKED
    assert raised.value.details["retry_after_s"] == 300
    with pytest.raises(WorkspaceError) as raised:
        ws.login("ani", PASSWORDS["ani"])
    assert raised.value.code == ErrorCode.ACCOUNT_LOCKED
    assert 0 < raised.value.details["retry_after_s"] <= 301
    ws.close()
    # The lock outlives the process: it is in the profile, not in memory.
    reopened = Workspace.open(tmp_path / "p", kdf_n=FAST_KDF, clock=lambda: clock["now"])
    with pytest.raises(WorkspaceError):
        reopened.login("ani", PASSWORDS["ani"])
    clock["now"] = NOW + timedelta(minutes=5, seconds=1)
    assert reopened.login("ani", PASSWORDS["ani"]).role == "officer"
    assert reopened.current_user is not None and reopened.current_user.username == "ani"
    reopened.close()


def test_unknown_user_cannot_log_in_offline_and_is_told_the_server_is_needed(
    ws: Workspace,
) -> None:
    # The server does not answer and nobody by that name logged in here before:
    # "wrong password" would be a lie, the person must be told to get a network.
    with pytest.raises(WorkspaceError) as raised:
        ws.login("mallory", "x")
    assert raised.value.code == ErrorCode.OFFLINE
    assert ws.current_user is not None and ws.current_user.username == "ani"
    # A known user with a wrong password is still refused as such offline.
    with pytest.raises(WorkspaceError) as raised:
        ws.login("ani", "salah")
    assert raised.value.code == ErrorCode.INVALID_CREDENTIALS


def test_a_supervisor_keeps_one_signing_key_across_logins(ws: Workspace) -> None:
    siti = ws.profile.accounts["siti"]
    assert siti.signing_public_key is not None and not siti.signing_key_registered
    assert ws.profile.accounts["ani"].signing_public_key is None
    # What sync.connection.register_signing_key does once the server took the key.
    ws.profile.update_account("siti", lambda a: replace(a, signing_key_registered=True))
    ws.remember_user(user("siti", "supervisor"), PASSWORDS["siti"])  # a later online login
    again = ws.profile.accounts["siti"]
    assert again.signing_public_key == siti.signing_public_key and again.signing_key_registered
    protocol.load_public_key(again.signing_public_key or "")
    saved = json.loads((ws.profile.directory / "profile.json").read_text())
    assert saved["accounts"]["siti"]["signing_key_registered"] is True


def test_new_office_rules_recompute_due_dates_on_open(tmp_path: Path) -> None:
    profile_dir = tmp_path / "p"
    office(profile_dir, *INBOX, clock=lambda: NOW).close()
    (profile_dir / "rules.json").write_text(json.dumps({"first_followup_working_days": 10}))
    ws = Workspace.open(profile_dir, kdf_n=FAST_KDF, clock=lambda: NOW)
    [ontime] = [s for s in ws.complaints() if s.id == "LAP-ONTIME"]
    assert ontime.deadline is not None and ontime.deadline.due == date(2026, 11, 16)
    assert ws.count_complaints(deadline_state=DeadlineState.OVERDUE) == 0
    ws.close()


def test_times_come_back_aware_utc(ws: Workspace) -> None:
    summary = ws.complaints(search="lampu taman")[0]
    assert summary.assigned_at == at("2026-11-02") and summary.assigned_at.tzinfo == UTC


def test_sort_by_a_column_either_way(ws: Workspace) -> None:
    by_title = ids(ws.complaints(sort="title"))
    assert by_title == ["LAP-SOON", "LAP-TODAY", "LAP-DONE", "LAP-ONTIME", "LAP-OVERDUE"]
    assert ids(ws.complaints(sort="title", descending=True)) == by_title[::-1]
    assert ids(ws.complaints(sort="deadline", descending=True))[0] == "LAP-DONE"
    assert ids(ws.complaints(sort="id", offset=1, limit=1)) == ["LAP-ONTIME"]
    with pytest.raises(WorkspaceError):
        ws.complaints(sort="body; DROP TABLE complaints")
