"""The hub against the LAPOR! v3 simulator: complaints come down, approved replies go up once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from server.db import Complaint
from server.upstream.tables import UpstreamQuarantine
from sync.values import Delivery, ReplyKind, ReplyState
from sync.workspace import Workspace
from tests.integration.peers import OFFICER, SUPERVISOR, log_in, open_profile, password
from tests.server.upstream.hubs import DEFAULT_USER_ID, HubPeer

TITLE = "Lampu jalan mati di Jl. Raya Kuta sejak sepekan"


def _officer(tmp_path: Path, hub: HubPeer, name: str = "pc1") -> Workspace:
    """The office PC: its supervisor logged in once (a signing key), then the officer."""
    workspace = open_profile(tmp_path / name, hub.server.url)
    log_in(workspace, SUPERVISOR)
    log_in(workspace, OFFICER)
    return workspace


def _new_upstream_complaint(hub: HubPeer, title: str = TITLE) -> tuple[int, str]:
    upstream_id = hub.sim.state.add_complaint(
        title, "Sudah tujuh malam gelap, rawan kecelakaan.", disposition_id=101
    )
    return upstream_id, f"LAPOR-{upstream_id}"


def _approved_reply(workspace: Workspace, complaint_id: str, text: str) -> str:
    draft = workspace.draft_reply(complaint_id, text, kind=ReplyKind.RESPOND)
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, password(SUPERVISOR))
    return draft


def _reply(workspace: Workspace, complaint_id: str, draft_id: str):
    return next(r for r in workspace.complaint(complaint_id).replies if r.id == draft_id)


def test_a_complaint_filed_upstream_reaches_the_office(tmp_path: Path, hub: HubPeer) -> None:
    upstream_id, complaint_id = _new_upstream_complaint(hub)
    report = hub.poll()
    assert complaint_id in report.changed_ids
    workspace = _officer(tmp_path, hub)
    assert workspace.sync().ok
    titles = {c.id: c.title for c in workspace.complaints()}
    assert titles[complaint_id] == TITLE
    # Not yet verified upstream: not the office's to answer, so not on the hub at all.
    unverified = [
        c.id for c in hub.sim.state.complaints() if c.status_name == "Belum Terverifikasi"
    ]
    assert unverified and not {f"LAPOR-{i}" for i in unverified} & set(titles)
    workspace.close()


def test_a_poll_with_nothing_new_changes_nothing(hub: HubPeer) -> None:
    hub.poll()
    again = hub.poll()
    assert again.read == 0 and again.changed_ids == []


def test_status_change_and_reporter_reply_reach_the_office(tmp_path: Path, hub: HubPeer) -> None:
    upstream_id, complaint_id = _new_upstream_complaint(hub)
    hub.poll()
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    hub.sim.state.add_reporter_reply(upstream_id, "Sampai hari ini lampunya masih mati.")
    hub.sim.state.set_status(upstream_id, "Dalam Proses")
    hub.poll()
    assert workspace.sync().ok
    detail = workspace.complaint(complaint_id)
    assert detail.summary.status == "in_progress"
    replies = [e for e in detail.events if e.type == "reporter_reply"]
    assert [e.text for e in replies] == ["Sampai hari ini lampunya masih mati."]
    workspace.close()


def test_an_approved_reply_appears_upstream_once(tmp_path: Path, hub: HubPeer) -> None:
    upstream_id, complaint_id = _new_upstream_complaint(hub)
    hub.poll()
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    text = "Terima kasih. Petugas PJU akan memperbaiki lampu pada Kamis pagi."
    draft = _approved_reply(workspace, complaint_id, text)
    assert workspace.sync().ok
    assert _reply(workspace, complaint_id, draft).delivery == Delivery.WAITING
    hub.push_until_settled()
    posted = [f for f in hub.sim.state.followups(upstream_id) if f.content == text]
    assert len(posted) == 1
    assert posted[0].user_id == DEFAULT_USER_ID
    # Coming back in the next poll, the hub's own post is not a second reply.
    hub.poll()
    assert workspace.sync().ok
    detail = workspace.complaint(complaint_id)
    assert [e.text for e in detail.events if e.type == "response"] == [text]
    assert _reply(workspace, complaint_id, draft).delivery == Delivery.DELIVERED
    workspace.close()


# Each fault, and whether the post arrives while its answer is lost (the hub must then find
# its own post instead of posting again) or is turned away before anything happens.
FAULTS = {
    "lost-reply": ({"lost_reply_after_post": 1, "hang_s": 1.5}, True),
    "5xx-after-post": ({"fail_after_post_5xx": 2}, True),
    "timeouts": ({"slow_s": 1.2}, False),
    "5xx-before-post": (
        {"fail_5xx": {"count": 3, "method": "POST", "path": "/complaints/followup/add"}},
        False,
    ),
    "5xx-on-reads": ({"fail_5xx": {"count": 2, "method": "GET", "path": "*followups*"}}, False),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_reply_goes_up_exactly_once_under_faults(
    tmp_path: Path, hub: HubPeer, name: str
) -> None:
    fault, answer_lost = FAULTS[name]
    upstream_id, complaint_id = _new_upstream_complaint(hub)
    hub.poll()
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    text = "Laporan Saudara sudah kami teruskan ke UPT PJU Kuta untuk perbaikan."
    draft = _approved_reply(workspace, complaint_id, text)
    workspace.sync()
    hub.sim.state.set_faults(**fault)
    reports = []
    try:
        reports += [hub.push_when_due() for _ in range(4)]
        hub.sim.state.clear_faults()
        reports += [hub.push_when_due() for _ in range(10) if hub.open_jobs()]
    finally:
        hub.sim.state.clear_faults()
    assert hub.open_jobs() == []
    posted = [f for f in hub.sim.state.followups(upstream_id) if f.content == text]
    assert len(posted) == 1
    if answer_lost:  # it looked, found its post, and did not post again
        assert sum(r.found_after_unknown for r in reports) == 1
    else:  # nothing arrived at first: it tried again
        assert sum(len(r.retrying) for r in reports) >= 1
    hub.poll()
    workspace.sync()
    assert _reply(workspace, complaint_id, draft).delivery == Delivery.DELIVERED
    workspace.close()


def test_an_upstream_refusal_shows_on_the_reply_with_its_words(
    tmp_path: Path, hub: HubPeer
) -> None:
    upstream_id, complaint_id = _new_upstream_complaint(hub)
    hub.poll()
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    draft = _approved_reply(workspace, complaint_id, "Sedang kami tindak lanjuti.")
    workspace.sync()
    hub.sim.state.set_faults(refuse_next_post="Isi tindak lanjut terlalu singkat")
    hub.push_until_settled()
    assert hub.sim.state.followups(upstream_id) == []
    assert workspace.sync().ok
    reply = _reply(workspace, complaint_id, draft)
    assert reply.state == ReplyState.REFUSED
    assert reply.delivery == Delivery.REFUSED
    assert "Isi tindak lanjut terlalu singkat" in (reply.refusal or "")
    # Upstream never took it: the hub's status is upstream's again.
    assert workspace.complaint(complaint_id).summary.status == "verified"
    workspace.close()


def test_a_malformed_record_is_quarantined_and_the_rest_goes_on(hub: HubPeer) -> None:
    bad, bad_id = _new_upstream_complaint(hub, "Rekaman rusak")
    good, good_id = _new_upstream_complaint(hub, "Saluran air tersumbat di Jl. Sunset Road")
    hub.sim.state.set_faults(malformed_ids=[bad])
    report = hub.poll()
    assert report.quarantined == 1
    with hub.server.database.reading() as session:
        held = session.get(UpstreamQuarantine, bad)
        assert held is not None and "status_name" in held.reason
        ids = set(session.scalars(select(Complaint.id)))
    assert good_id in ids and bad_id not in ids
    hub.sim.state.clear_faults()
    hub.poll()  # quarantined records are read again at every poll
    with hub.server.database.reading() as session:
        assert session.get(UpstreamQuarantine, bad) is None
        assert session.get(Complaint, bad_id) is not None
