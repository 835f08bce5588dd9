"""Search by complaint number; a search in the deadline order (from its index) or by relevance."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text

from sync.store import queries
from sync.workspace import Workspace
from tests.helpers.replica import T0, complaint, office


def ids(items: list[object]) -> list[str]:
    return [item.id for item in items]  # type: ignore[attr-defined]


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """Numbers of two years, texts that mention numbers, and deadlines out of number order.

    The office's deadline follows from ``assigned_at`` (its rules), not ``due_at``.
    """
    items = [
        complaint(f"LAP-2026-{n:07d}", title=f"Jalan rusak nomor {n}", body="Jalan berlubang.",
                  due_at=T0 + timedelta(days=30 - n % 29), assigned_at=T0 - timedelta(hours=n))
        for n in range(1, 70)
    ]
    items += [
        complaint("LAP-2025-0000061", title="Sampah menumpuk", due_at=T0 + timedelta(days=40)),
        complaint("LAP-2026-0000610", title="Lampu padam", due_at=T0 + timedelta(days=41)),
        complaint("LAP-2026-0000099", title="Got mampet di RT 61", body="Sudah 61 hari.",
                  status="completed"),
        complaint("LAP-2026-0000098", title="Jalan berlubang di depan sekolah",
                  body="Jalan jalan jalan berlubang, jalan licin.",
                  assigned_at=T0 + timedelta(days=30)),
    ]
    workspace = office(tmp_path / "profile", *items)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("typed", ["LAP-2026-0000061", "lap-2026-0000061", "0000061", "61",
                                   " 061 ", "LAP-2026-61"])
def test_a_complaint_number_finds_it_first(ws: Workspace, typed: str) -> None:
    found = ids(ws.complaints(search=typed))
    assert found[0] == "LAP-2026-0000061"
    # Its tail alone names every year's number 61; the words' hits come after.
    if typed.strip().isdigit():
        assert found[:2] == ["LAP-2026-0000061", "LAP-2025-0000061"]
        # "RT 61" in its text is a word's hit, after the numbers.
        assert ("LAP-2026-0000099" in found) == (typed == "61")
        assert "LAP-2026-0000610" not in found  # another number
    else:
        assert found == ["LAP-2026-0000061"]
    assert ws.count_complaints(search=typed) == len(found)


def test_a_number_comes_first_in_every_order_and_page(ws: Workspace) -> None:
    whole = ids(ws.complaints(search="61", sort="title", descending=True))
    assert whole[:2] == ["LAP-2026-0000061", "LAP-2025-0000061"]
    paged = [c.id for offset in range(0, len(whole) + 1)
             for c in ws.complaints(search="61", sort="title", descending=True,
                                    offset=offset, limit=1)]
    assert paged == whole
    assert ids(ws.complaints(search="61", sort="relevance"))[:2] == whole[:2]


def test_a_number_obeys_the_other_filters(ws: Workspace) -> None:
    assert ids(ws.complaints(search="61", status="completed")) == ["LAP-2026-0000099"]
    assert ws.count_complaints(search="61", status="completed") == 1
    assert ws.count_complaints_by("status", search="61") == {"verified": 2, "completed": 1}


def test_a_search_follows_the_deadline_order_unless_relevance_is_asked(ws: Workspace) -> None:
    everything = ids(ws.complaints())
    searched = ids(ws.complaints(search="jalan"))
    assert searched == [i for i in everything if i in set(searched)]
    assert len(searched) == 72  # every open one: the default body says "Jalan" too
    assert searched[-1] == "LAP-2026-0000098"  # the latest deadline, though the best match
    assert ids(ws.complaints(search="jalan", sort="relevance"))[0] == "LAP-2026-0000098"
    backwards = ids(ws.complaints(search="jalan", descending=True))
    assert backwards == searched[::-1]


def test_the_default_order_is_read_from_its_index_with_or_without_a_search(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No sort of every key: the page is the index's head (see migration 0008)."""
    monkeypatch.setattr(queries, "_WALK_FROM_HITS", 10)  # a search with many hits here
    plans: list[str] = []

    def explain(conn: object, cursor: object, statement: str, parameters: object,
                *_: object) -> None:
        if re.match(r"SELECT complaints\.pk\s+FROM", statement) and "LIMIT" in statement:
            plan = cursor.connection.execute(  # type: ignore[attr-defined]
                "EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            plans.append(" / ".join(str(row[-1]) for row in plan))

    event.listen(ws.database, "before_cursor_execute", explain)
    try:
        assert len(ws.complaints(limit=20)) == 20
        assert len(ws.complaints(search="jalan", limit=20)) == 20
        assert len(ws.complaints(search="jalan", limit=20, descending=True)) == 20
    finally:
        event.remove(ws.database, "before_cursor_execute", explain)
    assert len(plans) == 3
    for plan in plans:
        assert "COVERING INDEX ix_complaints_deadline" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    with ws.database.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                 "AND name = 'ix_complaints_deadline'")).scalar() == 1


def test_the_marked_words_are_those_the_index_matched() -> None:
    from sync.matching import number_span, spans

    # Every word whole but the one still being typed; case and accents aside.
    assert spans("Jalan rusak di Jálan Melati", "jal") == [(0, 3), (15, 18)]
    assert spans("Jalan rusak, jalanan licin", "jalan ") == [(0, 5)]
    assert spans("Jalan rusak", "rusak jal") == [(0, 3), (6, 11)]
    assert spans("Jalan rusak", '"(-*') == []
    assert number_span("LAP-2026-0000061", "61") == (9, 16)
    assert number_span("LAP-2026-0000061", "lap-2026-61") == (9, 16)
    assert number_span("LAP-2026-0000061", "LAP-2025-0000061") is None
    assert number_span("LAP-2026-0000610", "61") is None


def test_pages_in_relevance_order_are_full_when_a_number_is_also_a_best_hit(
    tmp_path: Path
) -> None:
    # "7" names LAP-7, whose text also says 7 the most: pinned, and the best hit.
    items = [complaint(f"LAP-2026-{n:07d}", title=f"Jalan {n}",
                       body=("7 " * 5) if n == 7 else f"nomor 7 dan {n}") for n in range(1, 12)]
    workspace = office(tmp_path / "profile", *items)
    try:
        whole = ids(workspace.complaints(search="7", sort="relevance"))
        assert whole[0] == "LAP-2026-0000007" and len(whole) == 11
        for size in (2, 3):
            paged = [c.id for offset in range(0, 12, size) for c in workspace.complaints(
                search="7", sort="relevance", offset=offset, limit=size)]
            assert paged == whole, size
    finally:
        workspace.close()
