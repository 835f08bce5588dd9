"""The hub's other roads: moves asked upstream, moves made upstream, templates, no listing."""

from __future__ import annotations

from pathlib import Path

from server.db import Complaint
from server.upstream.simulator import RunningSimulator
from sync.values import ReplyKind
from tests.integration.peers import SUPERVISOR, password
from tests.server.upstream.hubs import HubPeer, running_hub, write_profile
from tests.server.upstream.test_hub import _new_upstream_complaint, _officer

PLN = "PT PLN (Persero) Unit Induk Distribusi Bali"


def test_a_move_request_reaches_upstream_with_the_agency_the_office_named(
    tmp_path: Path, hub: HubPeer
) -> None:
    hub.runner.poller.refresh_masters()
    upstream_id, complaint_id = _new_upstream_complaint(hub)
    hub.poll()
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    reason = "Jaringan listrik rumah tangga adalah kewenangan PLN."
    draft = workspace.draft_reply(
        complaint_id, reason, kind=ReplyKind.REQUEST_REASSIGNMENT, suggested_agency=PLN.lower()
    )
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, password(SUPERVISOR))
    workspace.sync()
    hub.push_until_settled()
    moves = hub.sim.state.moves_requested
    assert [(m.complaint_id, m.institution_id, m.description) for m in moves] == [
        (upstream_id, 203, reason)
    ]
    workspace.close()


def test_an_unknown_target_agency_is_refused_in_words(tmp_path: Path, hub: HubPeer) -> None:
    hub.runner.poller.refresh_masters()
    _upstream_id, complaint_id = _new_upstream_complaint(hub)
    hub.poll()
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    draft = workspace.draft_reply(
        complaint_id, "Bukan kewenangan kami.", kind=ReplyKind.REQUEST_REASSIGNMENT,
        suggested_agency="Dinas Entah Apa",
    )
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, password(SUPERVISOR))
    workspace.sync()
    hub.push_until_settled()
    assert hub.sim.state.moves_requested == []
    workspace.sync()
    reply = next(r for r in workspace.complaint(complaint_id).replies if r.id == draft)
    assert "Dinas Entah Apa" in (reply.refusal or "")
    workspace.close()


def test_a_move_made_upstream_takes_the_complaint_to_the_other_office_or_away(
    tmp_path: Path, hub: HubPeer
) -> None:
    to_other, to_other_id = _new_upstream_complaint(hub, "Trotoar rusak di depan pasar")
    away, away_id = _new_upstream_complaint(hub, "KTP elektronik belum jadi")
    hub.poll()
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    assert {to_other_id, away_id} <= {c.id for c in workspace.complaints()}
    hub.sim.state.move(to_other, 102)  # the hub's other office
    hub.sim.state.move(away, 201)  # an agency outside the hub
    hub.poll()
    assert workspace.sync().ok
    assert not {to_other_id, away_id} & {c.id for c in workspace.complaints()}
    with hub.server.database.reading() as session:
        moved = session.get(Complaint, to_other_id)
        assert moved is not None and moved.office_id == "kantor-lain"
    workspace.close()


def test_upstream_templates_reach_the_office(tmp_path: Path, hub: HubPeer) -> None:
    count, agencies = hub.runner.poller.refresh_masters()
    assert count > 0 and agencies >= 6
    workspace = _officer(tmp_path, hub)
    workspace.sync()
    codes = {t.id for t in workspace.templates()}
    assert {f"lapor-{t.template_code}" for t in hub.sim.state.templates} <= codes
    workspace.close()


def test_without_a_listing_the_hub_reads_complaints_by_id(
    tmp_path: Path, sim: RunningSimulator
) -> None:
    upstream_id = sim.state.add_complaint(
        "Sampah menumpuk di Jl. Imam Bonjol", "Sudah dua minggu.", disposition_id=101
    )
    (tmp_path / "ids.txt").write_text(f"{upstream_id}\n", encoding="utf-8")
    path = write_profile(
        tmp_path, sim, "\n[routes.list]\nenabled = false\n", top='ids_file = "ids.txt"'
    )
    with running_hub(path, sim) as hub:
        sim.state.reset_request_log()
        report = hub.poll()
        assert report.from_ids and report.created == 1
        assert all(not r.path.startswith("/complaints?") and r.path != "/complaints"
                   for r in sim.state.request_log)
        sim.state.add_reporter_reply(upstream_id, "Masih menumpuk.")
        assert hub.poll().updated == 1  # known ids are read again at every poll


def test_a_complaint_that_drops_out_of_a_filtered_listing_is_read_again(
    tmp_path: Path, sim: RunningSimulator
) -> None:
    # A listing of open complaints only: one that upstream moves on disappears from it.
    extra = '\n[routes.list]\nparams = { page = "{page}", page_size = "{page_size}", ' \
            'status = "Terverifikasi" }\n'
    with running_hub(write_profile(tmp_path, sim, extra), sim) as hub:
        upstream_id, complaint_id = _new_upstream_complaint(hub)
        hub.poll()
        sim.state.set_status(upstream_id, "Selesai")
        report = hub.poll()
        assert complaint_id in report.changed_ids
        with hub.server.database.reading() as session:
            row = session.get(Complaint, complaint_id)
            assert row is not None and row.status == "completed"


def test_a_hub_offers_sp4n_lapors_agencies_to_pick_from(tmp_path: Path, hub: HubPeer) -> None:
    hub.runner.poller.refresh_masters()
    workspace = _officer(tmp_path, hub)
    workspace.refresh_agencies()
    names = {a.name for a in workspace.agencies()}
    assert PLN in names
    assert names == set(hub.sim.state.all_institutions.values())
    workspace.close()
