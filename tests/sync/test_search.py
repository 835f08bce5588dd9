"""Search: whatever a person types, no SQL error, best matches first, as they type."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from sync.store import records
from sync.store.database import write_session
from sync.store.search import fts_query
from tests.helpers.replica import T0, complaint, fill, found, new_replica


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    replica = new_replica(tmp_path_factory.mktemp("search") / "r.db")
    fill(
        replica,
        complaint("LAP-1", title="Lampu jalan padam", body="Sudah seminggu gelap di gang."),
        complaint("LAP-2", title="Sampah menumpuk",
                  body="Sampah di pasar tidak diangkut; lampu pasar juga rusak."),
        complaint("LAP-3", title="Pelayanan KTP lambat", body="Antre dari pagi, Jum'at tutup.",
                  events=[{"id": "e", "at": T0, "type": "note", "text": "Sudah dikoordinasikan "
                           "dengan Disdukcapil"}]),
        complaint("LAP-4", title="Perbaikan jembatan", body="Jembatan penghubung desa retak."),
    )
    yield replica
    replica.dispose()


def test_title_hits_rank_above_body_hits(engine: Engine) -> None:
    assert found(engine, "lampu") == ["LAP-1", "LAP-2"]


def test_every_word_must_match(engine: Engine) -> None:
    assert found(engine, "lampu pasar") == ["LAP-2"]


def test_last_word_matches_as_a_prefix_while_typing(engine: Engine) -> None:
    assert found(engine, "jemb") == ["LAP-4"]
    assert found(engine, "jemb ") == []  # a finished word is a whole word


def test_event_texts_are_searched(engine: Engine) -> None:
    assert found(engine, "disdukcapil") == ["LAP-3"]


@pytest.mark.parametrize(
    "typed",
    ['"', "'", "-", "*", "(", ")", "lampu -pasar", '"lampu', "lampu OR", "NOT", "AND (",
     "Jum'at", "jum'", "col:lampu", "^lampu", "lampu NEAR(", "", "   ", "💡 lampu", "ña"],
)
def test_anything_typed_is_safe(engine: Engine, typed: str) -> None:
    found(engine, typed)  # no exception is the point; results below


def test_operators_are_words_not_syntax(engine: Engine) -> None:
    assert found(engine, "lampu -pasar") == ["LAP-2"]  # "-" is a separator, not NOT
    assert found(engine, "Jum'at") == ["LAP-3"]
    assert found(engine, '"lampu') == ["LAP-1", "LAP-2"]


def test_nothing_to_search_for_means_no_filter() -> None:
    assert fts_query("") is None
    assert fts_query(" -*() ") is None


def test_index_follows_edits_and_deletes(tmp_path: Path) -> None:
    replica = new_replica(tmp_path / "r.db")
    fill(replica, complaint("LAP-1", title="Air PDAM mati"))
    assert found(replica, "pdam") == ["LAP-1"]
    fill(replica, complaint("LAP-1", version=2, title="Air sumur kering",
                            events=[{"id": "e9", "at": T0 + timedelta(hours=1), "type": "note",
                                     "text": "Tangki dikirim"}]))
    assert found(replica, "pdam") == []
    assert found(replica, "sumur") == ["LAP-1"]
    assert found(replica, "tangki") == ["LAP-1"]
    with write_session(replica) as session:
        records.remove_complaint(session, "LAP-1")
    assert found(replica, "sumur") == []


def test_a_status_change_alone_keeps_the_index_and_a_body_change_renews_it(
    tmp_path: Path,
) -> None:
    replica = new_replica(tmp_path / "r.db")
    fill(replica, complaint("LAP-1", body="Selokan mampet"))
    fill(replica, complaint("LAP-1", version=2, body="Selokan mampet", status="in_progress"))
    assert found(replica, "selokan") == ["LAP-1"]
    fill(replica, complaint("LAP-1", version=3, body="Gorong-gorong ambrol"))
    assert (found(replica, "selokan"), found(replica, "gorong")) == ([], ["LAP-1"])


def test_writes_outside_the_records_layer_are_still_indexed(tmp_path: Path) -> None:
    """The records layer indexes a complaint once; the triggers must not stay held after."""
    replica = new_replica(tmp_path / "r.db")
    fill(replica, *(complaint(f"LAP-{n}", events=[
        {"id": f"e{n}-{i}", "at": T0, "type": "note", "text": f"tindak lanjut {i}"}
        for i in range(5)]) for n in range(3)))
    assert found(replica, "lanjut") == ["LAP-0", "LAP-1", "LAP-2"]
    with replica.begin() as conn:  # another tool, plain SQL
        conn.execute(text("INSERT INTO events (complaint_id, id, position, at, type, text, "
                          "attachment_ids) VALUES ('LAP-1', 'x', 9, '2026-11-02T01:00:00Z', "
                          "'note', 'Puskesmas keliling', '[]')"))
        conn.execute(text("UPDATE complaints SET title = 'Trotoar licin' WHERE id = 'LAP-2'"))
    assert found(replica, "puskesmas") == ["LAP-1"]
    assert found(replica, "trotoar") == ["LAP-2"]


def test_a_complaint_the_replica_refuses_leaves_the_index_unheld(tmp_path: Path) -> None:
    replica = new_replica(tmp_path / "r.db")
    twice = {"id": "same", "at": T0, "type": "note", "text": "dua kali"}
    with write_session(replica) as session:
        with pytest.raises(IntegrityError), session.begin_nested():
            records.upsert_complaint(session, complaint("LAP-1", events=[twice, twice]))
        records.upsert_complaint(session, complaint("LAP-2", title="Banjir rob"))
        session.execute(text("UPDATE complaints SET title = 'Banjir bandang' WHERE id = 'LAP-2'"))
    assert found(replica, "bandang") == ["LAP-2"]
    assert found(replica, "dua") == []


@settings(max_examples=300, deadline=None)
@given(typed=st.text(max_size=40))
def test_arbitrary_text_never_raises(engine: Engine, typed: str) -> None:
    found(engine, typed)


def test_search_pages_keep_the_whole_ranked_order_across_tied_page_edges(tmp_path: Path) -> None:
    """A page of a search reads only the best hits (and ties): paging must not reorder."""
    from sync.deadlines import Rules
    from sync.store import queries
    from sync.store.database import read_session

    replica = new_replica(tmp_path / "r.db")
    same = [complaint(f"LAP-{n:02d}", title="Jalan rusak", body="Jalan berlubang.",
                      assigned_at=T0 - timedelta(days=n)) for n in range(10)]
    fill(replica, *same, complaint("LAP-99", title="Jalan jalan", body="Jalan jalan jalan."))
    flt, rules = queries.ComplaintFilter(search="jalan"), Rules.load()
    with read_session(replica) as session:
        whole = [c.id for c in queries.summaries(session, flt, rules=rules, now=T0,
                                                 sort="relevance")]
        paged = [c.id for offset in range(0, 12, 4)
                 for c in queries.summaries(session, flt, rules=rules, now=T0,
                                            sort="relevance", offset=offset, limit=4)]
    replica.dispose()
    assert len(whole) == 11
    assert paged == whole
