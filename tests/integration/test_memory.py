"""The office's memory across PCs, through the real reference server on loopback."""

from __future__ import annotations

from pathlib import Path

from server.inprocess import RunningServer
from sync.incidents import LinkState
from sync.values import ReplyState
from tests.integration import peers
from tests.integration.peers import SUPERVISOR


def test_a_confirmed_link_reaches_a_second_profile(
    tmp_path: Path, server: RunningServer
) -> None:
    a, b = peers.open_complaints(server)[:2]
    first = peers.office_pc(tmp_path / "pc1", server.url)
    second = peers.office_pc(tmp_path / "pc2", server.url)
    try:
        first.confirm_link(a, b)
        assert first.sync().ok
        assert second.sync().ok
        seen = {link.complaint_id: link.state for link in second.linked(a)}
        assert seen[b] is LinkState.CONFIRMED
        assert {link.complaint_id: link.state for link in second.linked(b)}[a] \
            is LinkState.CONFIRMED
        # An older client sees a readable note on each.
        detail = second.complaint(a)
        assert any(e.type == "note" and e.text and f"Kejadian sama dengan {b}" in e.text
                   for e in detail.events)
    finally:
        first.close()
        second.close()


def test_a_word_another_complaint_came_to_share_counts_after_the_sync(
    tmp_path: Path, server: RunningServer
) -> None:
    """The panel remembers how many complaints hold each word; a sync may change that."""
    earlier, target = sorted(peers.office_complaints(server)[:2],
                             key=lambda cid: peers.record(server, cid)["submitted_at"])
    peers.rewrite(server, target, title="Wqxvolk", body="Wqxvolk, wqxvolk.")
    pc = peers.office_pc(tmp_path / "pc", server.url)
    try:
        assert pc.similar(target) == []  # a word only this complaint holds finds nothing
        peers.rewrite(server, earlier, body="Wqxvolk di depan kantor desa.")
        assert pc.sync().ok
        assert [s.id for s in pc.similar(target)] == [earlier]
    finally:
        pc.close()


def test_a_group_answer_sends_exactly_one_mutation_per_complaint(
    tmp_path: Path, server: RunningServer
) -> None:
    group = peers.open_complaints(server)[:3]
    pc = peers.office_pc(tmp_path / "pc", server.url)
    try:
        before = peers.mutations_applied(server)
        drafts = pc.draft_group(group, "Laporan {nomor} kami tangani bersama laporan serupa.")
        for draft in drafts:
            pc.submit_for_approval(draft)
            pc.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
        assert pc.sync().ok
        assert peers.mutations_applied(server) - before == len(group)
        for complaint_id, draft in zip(group, drafts, strict=True):
            assert pc.reply(draft).state is ReplyState.SENT
            text = f"Laporan {complaint_id} kami tangani bersama laporan serupa."
            assert peers.events_with_text(server, text) == 1
    finally:
        pc.close()


def test_the_demos_stories_give_the_panel_a_reply_to_reuse_and_an_incident_to_link(
    tmp_path: Path,
) -> None:
    """``lapor-desk --demo`` seeds them: a reused reply and linked reports show on first run."""
    from server.inprocess import start_server
    from server.seed_incidents import INCIDENT_STORIES

    demo = start_server(complaints=20, incidents=True)
    pc = peers.office_pc(tmp_path / "pc", demo.url)
    try:
        ids = {c.title: c.id for c in pc.complaints(limit=200)}
        story_ids = [ids[story.title] for story in INCIDENT_STORIES]
        lamp_answered, _queue, *jimbaran = story_ids[:5]
        kuta_market, kuta_again, kuta_parking = story_ids[5:]
        reusable = [s.id for s in pc.similar(jimbaran[0]) if s.reusable]
        assert lamp_answered in reusable
        suggested = {link.complaint_id for link in pc.linked(jimbaran[0])}
        assert set(jimbaran[1:]) <= suggested
        market = {link.complaint_id for link in pc.linked(kuta_market)}
        assert kuta_again in market
        assert kuta_parking not in market
    finally:
        pc.close()
        demo.stop()
