"""The office's memory: similar earlier complaints, their replies reused, incident links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sync.errors import ErrorCode, WorkspaceError
from sync.incidents import LinkState
from sync.similar import Outcome
from sync.workspace import Workspace
from tests.helpers.replica import T0, complaint, office

NOW = T0 + timedelta(hours=1)
ROADS = {"id": "infra", "name": "Infrastruktur"}
HEALTH = {"id": "kesehatan", "name": "Kesehatan"}


def ev(eid: str, days: int, kind: str, text: str) -> dict[str, Any]:
    return {"id": eid, "at": T0 - timedelta(days=days), "type": kind, "text": text}


def past(cid: str, days: int, title: str, body: str, *, reply: str | None = None,
         category: dict[str, str] = ROADS, district: str = "Denpasar Barat",
         address: str = "Jl. Gatot Subroto", **fields: Any) -> Any:
    events = [ev("s", days, "submitted", "Laporan diterima")]
    if reply:
        events.append(ev("r", days - 1, "response", reply))
    return complaint(cid, title=title, body=body, category=category,
                     submitted_at=T0 - timedelta(days=days),
                     verified_at=T0 - timedelta(days=days), assigned_at=T0 - timedelta(days=days),
                     updated_at=T0 - timedelta(days=days - 1), events=events,
                     location={"address": address, "district": district,
                               "lat": None, "lon": None}, **fields)


HISTORY = [
    past("LAP-2026-0000101", 90, "Jalan berlubang di Jl. Gatot Subroto",
         "Aspal jalan rusak dan berlubang besar, motor sering jatuh.",
         reply="Yth. Budi Santoso, laporan LAP-2026-0000101 sudah kami teruskan ke Dinas PUPR;"
               " penambalan lubang dijadwalkan minggu ini.",
         status="completed", rating={"score": 5, "comment": "Cepat"}),
    past("LAP-2026-0000102", 60, "Lampu jalan mati", "Penerangan jalan umum padam sebulan.",
         reply="Lampu PJU sudah diganti petugas."),
    past("LAP-2026-0000103", 50, "Antrean puskesmas panjang",
         "Pelayanan di puskesmas lambat, antre dari pagi.", category=HEALTH),
    past("LAP-2026-0000104", 40, "Jalan rusak parah, lubang di mana-mana",
         "Rahasia: nama kepala desa terlibat proyek aspal", reply="Kami tindak lanjuti rahasia.",
         confidential=True),
    past("LAP-2026-0000105", 30, "Sampah menumpuk di pasar", "Bau sampah di pasar Badung.",
         category={"id": "kebersihan", "name": "Kebersihan"}),
]
NEW = past("LAP-2026-0000200", 1, "Lubang besar di jalan Gatot Subroto",
           "Jalan berlubang dan aspal rusak, berbahaya untuk pengendara motor.",
           reporter={"name": "Made Wirawan", "phone": None, "email": None})


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = office(tmp_path / "profile", *HISTORY, NEW, clock=lambda: NOW)
    yield workspace
    workspace.close()


def test_similar_complaints_of_the_same_topic_come_before_others(ws: Workspace) -> None:
    found = ws.similar(NEW.id)
    assert [s.id for s in found][:2] == ["LAP-2026-0000101", "LAP-2026-0000104"]
    first = found[0]
    assert first.outcome is Outcome.SATISFIED
    assert first.reply_text is not None and "Dinas PUPR" in first.reply_text
    assert all(s.submitted_at < NEW.submitted_at for s in found)
    assert NEW.id not in {s.id for s in found}


def test_a_confidential_complaint_shows_no_protected_text(ws: Workspace) -> None:
    shown = next(s for s in ws.similar(NEW.id) if s.id == "LAP-2026-0000104")
    assert shown.confidential
    assert shown.title is None and shown.district is None and shown.reply_text is None
    assert "kepala desa" not in repr(shown) and "rahasia." not in repr(shown).lower()
    with pytest.raises(WorkspaceError) as refused:
        ws.draft_from(NEW.id, "LAP-2026-0000104")
    assert refused.value.code == ErrorCode.NOT_ALLOWED


def test_a_reply_is_reused_without_the_source_s_number_or_reporter(ws: Workspace) -> None:
    text = ws.draft_from(NEW.id, "LAP-2026-0000101")
    assert "Made Wirawan" in text and NEW.id in text
    assert "Budi" not in text and "0000101" not in text
    assert "Dinas PUPR" in text


def test_outcome_says_the_reporter_wrote_again(tmp_path: Path) -> None:
    again = past("LAP-2026-0000301", 20, "Air PDAM keruh", "Air keruh sejak seminggu",
                 reply="Sudah kami sampaikan ke PDAM.")
    events = [*again.model_dump()["events"], ev("x", 5, "reporter_reply", "Masih keruh!")]
    again = again.model_copy(update={"events": again.events + [
        type(again.events[0]).model_validate(events[-1])]})
    later = past("LAP-2026-0000302", 1, "Air PDAM keruh lagi", "Air keruh dan bau")
    with office(tmp_path / "p", again, later, clock=lambda: NOW) as ws:
        assert ws.similar(later.id)[0].outcome is Outcome.REPLIED_AGAIN


def test_reports_of_one_incident_are_suggested_and_a_decision_sticks(tmp_path: Path) -> None:
    a = past("LAP-2026-0000401", 3, "Jembatan Tukad Badung retak",
             "Jembatan di Tukad Badung retak dan bergoyang saat dilewati truk.")
    b = past("LAP-2026-0000402", 2, "Retakan di jembatan Tukad Badung",
             "Ada retakan besar di jembatan Tukad Badung, takut ambruk.")
    other = past("LAP-2026-0000403", 2, "Lampu jembatan mati", "Lampu di jembatan padam.",
                 district="Kuta")
    with office(tmp_path / "p", a, b, other, clock=lambda: NOW) as ws:
        links = ws.linked(a.id)
        assert [(link.complaint_id, link.state) for link in links] == [
            (b.id, LinkState.SUGGESTED)]
        ws.confirm_link(a.id, b.id)
        assert ws.linked(b.id)[0].state is LinkState.CONFIRMED
        ws.dismiss_link(a.id, b.id)
        assert ws.linked(a.id) == [] and ws.linked(b.id) == []


def test_a_group_answer_is_its_own_draft_per_complaint(ws: Workspace) -> None:
    ids = ws.draft_group(["LAP-2026-0000102", NEW.id], "Laporan {nomor} sedang ditangani.")
    assert len(set(ids)) == 2
    assert ws.reply(ids[0]).text == "Laporan LAP-2026-0000102 sedang ditangani."
    assert ws.reply(ids[1]).text == f"Laporan {NEW.id} sedang ditangani."


def test_a_group_answer_fills_a_complaints_open_draft_rather_than_adding_a_second(
    ws: Workspace,
) -> None:
    """The officer began here; the group's text lands in that draft, as the editor opens it."""
    begun = ws.draft_reply(NEW.id, "Setengah jadi")
    ids = ws.draft_group(["LAP-2026-0000102", NEW.id], "Laporan {nomor} sedang ditangani.")
    assert ids[1] == begun
    assert ws.reply(begun).text == f"Laporan {NEW.id} sedang ditangani."
    respond = [r for r in ws.complaint(NEW.id).replies if r.kind.value == "respond"]
    assert [(r.id, r.state.value) for r in respond] == [(begun, "draft")]


def test_a_group_answer_written_for_one_complaint_names_each_its_own(ws: Workspace) -> None:
    """The editor's text was filled for NEW: the other copy must not carry its reporter."""
    written = ws.draft_from(NEW.id, "LAP-2026-0000101")
    assert "Made Wirawan" in written
    ids = ws.draft_group([NEW.id, "LAP-2026-0000103"], written, written_for=NEW.id)
    other = ws.reply(ids[1]).text
    assert "Made Wirawan" not in other and NEW.id not in other
    assert "LAP-2026-0000103" in other and "Dinas PUPR" in other
    assert ws.reply(ids[0]).text == written


def test_a_village_name_does_not_outrank_the_topic(tmp_path: Path) -> None:
    """Another problem in the same village is not what the writer needs to see first."""
    same_village = past("LAP-2026-0000301", 20, "Lampu Sesetan mati",
                        "Lampu di Sesetan mati, Sesetan gelap, warga Sesetan takut.",
                        address="Jl. Raya Sesetan")
    elsewhere = [past(f"LAP-2026-00004{i:02d}", 40 + i, f"Jalan berlubang {i}",
                      "Jalan berlubang, aspal rusak, motor jatuh.", address=f"Jl. Lain {i}")
                 for i in range(8)]
    same_topic = past("LAP-2026-0000302", 30, "Jalan berlubang di Kuta",
                      "Aspal jalan berlubang besar, motor sering jatuh.",
                      reply="Penambalan dijadwalkan minggu ini.")
    new = past("LAP-2026-0000303", 1, "Jalan Sesetan berlubang",
               "Jalan di Sesetan berlubang dan aspal rusak, motor jatuh.",
               address="Jl. Raya Sesetan No. 4")
    workspace = office(tmp_path / "p", same_village, same_topic, *elsewhere, new,
                       clock=lambda: NOW)
    try:
        found = [s.id for s in workspace.similar(new.id)]
        road_holes = {same_topic.id, *(e.id for e in elsewhere)}
        assert found[:3] and set(found[:3]) <= road_holes
    finally:
        workspace.close()


def test_a_reused_reply_carries_none_of_the_source_reporters_contacts(tmp_path: Path) -> None:
    source = past("LAP-2026-0000061", 30, "Jalan berlubang di Gatot Subroto",
                  "Aspal jalan berlubang besar.", status="completed",
                  reporter={"name": "Budi Santoso", "phone": "0812-3456-7890",
                            "email": "budi@mail.id"},
                  reply="Yth. Budi, laporan no. 61 sudah ditangani. Kami hubungi di "
                        "0812-3456-7890 atau budi@mail.id bila perlu.")
    new = past("LAP-2026-0000300", 1, "Lubang di jalan Gatot Subroto",
               "Jalan berlubang, aspal rusak.", anonymous=True, reporter=None)
    workspace = office(tmp_path / "p", source, new, clock=lambda: NOW)
    try:
        text = workspace.draft_from(new.id, source.id)
        for leaked in ("0812-3456-7890", "budi@mail.id", "Budi", " 61 "):
            assert leaked not in text
        assert "LAP-2026-0000300" in text and "sudah ditangani" in text
    finally:
        workspace.close()


def test_a_report_days_apart_is_suggested_among_many_older_reports_alike(
        tmp_path: Path) -> None:
    """The window is asked of the index: at 100,000 the best matches overall are
    mostly outside it, and a ranking cut before the window would keep none."""
    a = past("LAP-2026-0000501", 3, "Jembatan Tukad Badung retak",
             "Jembatan di Tukad Badung retak dan bergoyang saat dilewati truk.")
    b = past("LAP-2026-0000502", 2, "Retakan di jembatan Tukad Badung",
             "Ada retakan di jembatan Tukad Badung, takut ambruk.")
    # Last year's reports in a's very words, each better by bm25 than b.
    older = [past(f"LAP-2026-00006{i:02d}", 60 + i, a.title, a.body) for i in range(45)]
    with office(tmp_path / "p", a, b, *older, clock=lambda: NOW) as ws:
        assert [link.complaint_id for link in ws.linked(a.id)] == [b.id]


def test_an_earlier_complaint_is_found_among_many_later_ones_alike(tmp_path: Path) -> None:
    earlier = past("LAP-2026-0000701", 200, "Lampu jalan Teuku Umar mati",
                   "Lampu penerangan jalan di Teuku Umar padam.",
                   reply="Lampu PJU sudah diganti petugas.")
    new = past("LAP-2026-0000702", 100, "Lampu jalan Teuku Umar mati lagi",
               "Lampu penerangan jalan di Teuku Umar padam lagi, gelap.")
    # Reports written after ``new`` (the panel never shows them), closer to its words.
    later = [past(f"LAP-2026-00008{i:02d}", 30 + i, new.title, new.body) for i in range(65)]
    with office(tmp_path / "p", earlier, new, *later, clock=lambda: NOW) as ws:
        assert [s.id for s in ws.similar(new.id)] == [earlier.id]
