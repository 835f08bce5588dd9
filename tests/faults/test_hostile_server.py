"""A hostile or broken server against the real client: ``Workspace.sync()`` never breaks.

Every case of ``tests/faults/hostile/corpus.py`` is served by a loopback
server to a real profile that holds local work (an unsent draft, an approved
reply waiting for its supervisor's key, an internal note in the outbox). For
each: ``sync()`` returns a report (no exception), the poison is refused
with a clear code or set aside in quarantine while the rest goes in,
nothing local is lost, and once the server heals the next sync succeeds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sync.cli import EXIT_ERROR, run_sync
from sync.errors import WorkspaceError
from sync.protocol import Approval, load_public_key, verify_approval
from sync.store.database import read_session
from sync.store.local import OutboxItem, Quarantine
from sync.store.models import Complaint
from sync.values import ReplyState, SyncOutcome
from sync.workspace import Workspace
from tests.faults.hostile.corpus import CASES, DEEP, Case, case_ids
from tests.faults.hostile.server import (
    GOOD_IDS,
    PREFIX,
    WORKED_ON,
    HostileServer,
    change,
    wire,
)
from tests.helpers import replica
from tests.helpers.scripted_http import Answer
from tests.integration.peers import FAST

NOTED_ON = GOOD_IDS[2]
PC_CLOCK = replica.T0 + timedelta(hours=1)  # what the office PC's (fake) clock says


@dataclass(frozen=True)
class LocalWork:
    draft: str
    approved: str
    note: str


TEXTS = {
    "draft": "Draf yang belum dikirim <b>jangan hilang</b>",
    "approved": "Laporan kami tutup: jalan sudah diaspal.",
    "note": "Catatan internal: cek lokasi Senin.",
}


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def office_at(directory: Path, url: str) -> tuple[Workspace, LocalWork]:
    """Officer ani online at ``url``, with local work the poison must not touch."""
    workspace = replica.office(
        directory, replica.complaint(WORKED_ON), replica.complaint(NOTED_ON)
    )
    workspace.profile.set_server_url(url)
    workspace.network = FAST
    workspace.login("ani", replica.PASSWORDS["ani"])
    draft = workspace.draft_reply(WORKED_ON, TEXTS["draft"])
    approved = workspace.draft_reply(WORKED_ON, TEXTS["approved"], kind="complete")
    workspace.submit_for_approval(approved)
    # siti's key never reached this server: her approval waits in the outbox.
    workspace.approve(approved, "siti", replica.PASSWORDS["siti"])
    # On another complaint, so it need not wait behind siti's approval.
    note = workspace.draft_reply(NOTED_ON, TEXTS["note"], kind="note")
    workspace.submit_for_approval(note)
    return workspace, LocalWork(draft, approved, note)


def assert_nothing_lost(workspace: Workspace, work: LocalWork) -> None:
    draft = workspace.reply(work.draft)
    assert (draft.text, draft.state) == (TEXTS["draft"], ReplyState.DRAFT)
    approved = workspace.reply(work.approved)
    assert (approved.text, approved.state) == (TEXTS["approved"], ReplyState.QUEUED)
    note = workspace.reply(work.note)
    assert note.text == TEXTS["note"]
    assert note.state in (ReplyState.QUEUED, ReplyState.SENT, ReplyState.REFUSED)
    waiting = {entry.reply_id for entry in workspace.outbox()}
    assert work.approved in waiting
    assert workspace.complaint(WORKED_ON).summary.id == WORKED_ON


def quarantined_ids(workspace: Workspace) -> dict[str, str]:
    with read_session(workspace.database) as session:
        return {row.record_id: row.raw for row in session.scalars(select(Quarantine))}


@pytest.mark.parametrize("case", CASES, ids=case_ids())
def test_a_hostile_answer_never_breaks_sync_nor_loses_work(
    case: Case, tmp_path: Path, hostile: HostileServer
) -> None:
    workspace, work = office_at(tmp_path / "office", hostile.url)
    if case.poison is not None:
        hostile.poison[case.route] = case.poison
    if case.items is not None:
        hostile.extra_items.extend(case.items())

    report = workspace.sync()  # must return, whatever came back

    if case.expect == "error":
        assert report.error_code == case.code, report
    else:
        assert report.ok, report
        for complaint_id in GOOD_IDS:
            assert workspace.complaint(complaint_id).summary.id == complaint_id
    if case.expect == "quarantine":
        held = quarantined_ids(workspace)
        assert set(case.quarantined) <= set(held), held.keys()
        assert report.quarantined >= len(case.quarantined)
    if case.check is not None:
        case.check(workspace)
    assert_nothing_lost(workspace, work)

    hostile.heal()
    if case.healed is not None:
        case.healed(hostile)
    healed = workspace.sync()
    assert healed.ok and healed.digest_ok, healed
    assert_nothing_lost(workspace, work)
    assert workspace.reply(work.note).state in (ReplyState.SENT, ReplyState.REFUSED)
    workspace.close()


def synced_with_items(directory: Path, hostile: HostileServer, name: str) -> Workspace:
    """A profile after one sync of the page that carries the named case's items."""
    [case] = [c for c in CASES if c.name.startswith(name)]
    workspace, _ = office_at(directory, hostile.url)
    assert case.items is not None
    hostile.extra_items.extend(case.items())
    workspace.sync()
    return workspace


def test_a_quarantined_anonim_record_keeps_no_identity(
    tmp_path: Path, hostile: HostileServer
) -> None:
    workspace = synced_with_items(tmp_path / "office", hostile, "an anonim record")
    raw = quarantined_ids(workspace)["LAP-2026-0000040"]
    for secret in ("Rahasia Wibowo", "+62811999000", "rahasia@example.id"):
        assert secret not in raw
    assert json.loads(raw)["anonymous"] is True  # the rest is kept to show what was wrong


def test_duplicates_in_a_page_leave_the_newest_version(
    tmp_path: Path, hostile: HostileServer
) -> None:
    workspace = synced_with_items(tmp_path / "office", hostile, "duplicate ids")
    assert workspace.complaint(GOOD_IDS[1]).summary.title == "versi 3"


def test_new_complaints_of_a_page_go_in_around_one_the_replica_refuses(
    tmp_path: Path, hostile: HostileServer
) -> None:
    """New complaints are inserted a page at a time; one bad row must not cost the others."""
    fresh = [f"LAP-2026-00001{n:02d}" for n in range(6)]
    twice = {"id": "ev-x", "at": "2026-11-01T00:00:00Z", "type": "submitted", "text": "a"}
    items = [change(wire(replica.complaint(cid, title=f"Sumur kering {n}")), seq=100 + n)
             for n, cid in enumerate(fresh)]
    items.insert(3, change(wire(replica.complaint("LAP-2026-0000199", events=[twice, twice])),
                           seq=150))
    items.append({"seq": 160, "kind": "complaint", "id": fresh[4], "op": "remove"})
    workspace, work = office_at(tmp_path / "office", hostile.url)
    hostile.extra_items.extend(items)

    report = workspace.sync()

    assert report.ok, report
    assert "LAP-2026-0000199" in quarantined_ids(workspace)
    kept = [cid for cid in fresh if cid != fresh[4]]
    found = workspace.complaints(search="sumur kering", limit=50)
    assert sorted(c.id for c in found) == kept  # in the replica and in the search index
    with pytest.raises(WorkspaceError):
        workspace.complaint(fresh[4])
    assert_nothing_lost(workspace, work)
    workspace.close()


def test_a_date_in_1900_does_not_move_the_office_clock(tmp_path: Path) -> None:
    """A server clock off by a century is broken, not an office PC's wrong time."""
    century = (datetime.now(UTC) - datetime(1900, 1, 1, tzinfo=UTC)).total_seconds()
    with HostileServer(clock_offset=-century) as hostile:
        workspace, work = office_at(tmp_path / "office", hostile.url)
        report = workspace.sync()
        assert report.ok, report
        assert workspace.server_now().year >= 2026
        assert_nothing_lost(workspace, work)


def test_a_date_header_a_year_ahead_moves_neither_the_office_clock_nor_last_synced(
    tmp_path: Path,
) -> None:
    """Only a Date the feed's own server_time agrees with sets the office's clock."""
    year = 365 * 24 * 3600.0
    with HostileServer(clock_offset=year, feed_clock_offset=0.0) as hostile:
        workspace, work = office_at(tmp_path / "office", hostile.url)
        report = workspace.sync()
        assert report.ok, report
        assert abs(workspace.server_now() - PC_CLOCK) < timedelta(minutes=1)
        synced = workspace.last_synced_at()
        assert synced is not None and abs(synced - datetime.now(UTC)) < timedelta(minutes=1)
        assert report.clock_offset_s is not None and abs(report.clock_offset_s) < 60
        assert any("Date header" in note for note in report.notes)
        assert_nothing_lost(workspace, work)


def test_a_server_whose_clock_and_feed_agree_sets_the_office_clock(tmp_path: Path) -> None:
    """The office PC an hour behind (a wrong clock): deadlines follow the server."""
    with HostileServer(clock_offset=3600.0) as hostile:
        workspace, _ = office_at(tmp_path / "office", hostile.url)
        report = workspace.sync()
        assert report.ok, report
        assert report.clock_offset_s is not None and 3590 < report.clock_offset_s < 3610
        ahead = workspace.server_now() - PC_CLOCK
        assert timedelta(minutes=59) < ahead < timedelta(minutes=61)


def test_a_server_that_takes_any_password_cannot_hand_out_a_supervisors_key(
    tmp_path: Path, hostile: HostileServer
) -> None:
    """An officer points the app at her own server, which says her password is siti's.

    The cached siti is overwritten (the server has spoken), but siti's real
    signing key stays sealed under siti's password: whatever the officer
    signs now verifies under a new key the national server never registered.
    """
    workspace, _ = office_at(tmp_path / "office", hostile.url)
    real_key = load_public_key(str(workspace.profile.accounts["siti"].signing_public_key))
    officer_password = replica.PASSWORDS["ani"]
    draft = workspace.draft_reply(NOTED_ON, "Disetujui oleh saya sendiri")
    workspace.submit_for_approval(draft)
    workspace.login("siti", officer_password)  # the hostile server vouches for it
    workspace.approve(draft, "siti", officer_password)
    signed = workspace.reply(draft)
    [entry] = [e for e in workspace.outbox() if e.reply_id == draft]
    with read_session(workspace.database) as session:
        approval = Approval.model_validate(session.get(OutboxItem, entry.mutation_id).approval)
    assert signed.approved_by == "siti"
    assert not verify_approval(
        real_key, approval, mutation_type="respond", complaint_id=NOTED_ON,
        base_version=1, payload={"text": "Disetujui oleh saya sendiri", "attachment_ids": []},
    )


TOKEN_ANSWERS: dict[str, Any] = {
    "not JSON": Answer(200, raw_body=b"<html>Masuk Wi-Fi</html>"),
    "no user": Answer(200, {"access_token": "a", "refresh_token": "r", "expires_in": 900}),
    "a token that is a number": Answer(200, {"access_token": 7, "refresh_token": "r",
                                             "expires_in": 900, "user": None}),
    "another user than asked": None,  # filled below: the server vouches for bayu
    "nested 1,100 levels deep": Answer(200, raw_body=DEEP),
}


@pytest.mark.parametrize("answer", TOKEN_ANSWERS.keys())
def test_a_broken_login_answer_is_refused_and_work_stays(
    answer: str, tmp_path: Path, hostile: HostileServer
) -> None:
    workspace, work = office_at(tmp_path / "office", hostile.url)
    given = TOKEN_ANSWERS[answer]
    if given is None:
        given = Answer(200, hostile.token_answer("bayu"))
    hostile.poison["token"] = lambda server, seen: given
    before = workspace.profile.accounts["bayu"].verifier
    with pytest.raises(WorkspaceError) as refused:
        workspace.login("ani", replica.PASSWORDS["ani"])
    assert refused.value.code == "transport_error"
    assert workspace.profile.accounts["bayu"].verifier == before  # nobody re-keyed
    assert workspace.current_user is not None and workspace.current_user.username == "ani"
    assert_nothing_lost(workspace, work)


def test_an_anonim_identity_a_server_sends_is_never_stored(
    tmp_path: Path, hostile: HostileServer
) -> None:
    identity = {"name": "Rahasia Wibowo", "phone": "+62811999000", "email": "r@contoh.id"}
    hostile.extra_items.append(
        change(wire(replica.complaint("LAP-2026-0000041", anonymous=True, reporter=identity)),
               seq=61)
    )
    workspace, _ = office_at(tmp_path / "office", hostile.url)
    assert workspace.sync().ok
    with read_session(workspace.database) as session:
        row = session.scalar(select(Complaint).where(Complaint.id == "LAP-2026-0000041"))
        assert row is not None and row.anonymous
        assert (row.reporter_name, row.reporter_phone, row.reporter_email) == (None, None, None)
    assert workspace.complaint("LAP-2026-0000041").reporter is None


def test_a_hostile_answer_ends_the_headless_sync_with_1_and_a_sentence(
    tmp_path: Path, hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace, _ = office_at(tmp_path / "office", hostile.url)
    workspace.close()
    hostile.poison["changes"] = lambda server, seen: Answer(200, raw_body=DEEP)

    code = run_sync(tmp_path / "office", options=FAST)

    out = capsys.readouterr()
    assert code == EXIT_ERROR
    assert "outcome=error" in out.out
    assert "jawaban server tidak dapat dipakai" in out.err and "Traceback" not in out.err


def test_ids_from_the_server_never_climb_the_url_path(
    tmp_path: Path, hostile: HostileServer
) -> None:
    """An office id and an attachment id of ``../../x`` stay one quoted segment each."""
    climbing = replica.complaint(WORKED_ON, attachments=[{
        "id": "../../x", "filename": "a.pdf", "mime": "application/pdf", "size": 4,
        "sha256": "ab" * 32,
    }])
    hostile.complaints = [wire(climbing)] + hostile.complaints[1:]
    workspace, work = office_at(tmp_path / "office", hostile.url)
    report = workspace.sync()
    paths = [seen.path.split("?", 1)[0] for seen in hostile.http.seen]
    assert f"{PREFIX}/attachments/..%2F..%2Fx" in paths
    assert f"{PREFIX}/x" not in paths and not any("/../" in path for path in paths)
    assert report.ok, report  # one bad file, not a failed sync

    answer = hostile.token_answer("ani")
    answer["user"]["office_id"] = "../../x"
    hostile.poison["token"] = lambda server, seen: Answer(200, answer)
    workspace.login("ani", replica.PASSWORDS["ani"])
    refused = workspace.sync()
    paths = [seen.path.split("?", 1)[0] for seen in hostile.http.seen]
    assert f"{PREFIX}/offices/..%2F..%2Fx/changes" in paths
    assert f"{PREFIX}/x/changes" not in paths
    assert refused.outcome == SyncOutcome.REFUSED  # the server knows no such office
    assert_nothing_lost(workspace, work)
