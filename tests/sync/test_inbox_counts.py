"""The inbox's numbers: filter counts in one grouped query, search pages ranked once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sync.store import search
from sync.values import DeadlineState, ReplyState
from sync.workspace import Workspace
from tests.helpers.replica import T0, complaint, office

INFRA = {"id": "infra", "name": "Infrastruktur"}
HEALTH = {"id": "sehat", "name": "Kesehatan"}


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    # The local deadline runs from the assignment: from long ago (overdue) to just now.
    assigned = [T0 - timedelta(days=days) for days in (60, 20, 13, 12, 8, 1, 0)]
    items = [
        complaint(f"LAP-{n}", status=("verified", "in_progress", "completed", "archived")[n % 4],
                  category=INFRA if n % 3 else HEALTH, assigned_at=assigned[n % 7],
                  title="Jalan rusak" if n % 2 else "Puskesmas tutup")
        for n in range(21)
    ]
    workspace = office(tmp_path / "profile", *items)
    workspace.draft_reply("LAP-1", "Sedang kami periksa.")
    workspace.submit_for_approval(workspace.draft_reply("LAP-4", "Sudah diperbaiki."))
    workspace.draft_reply("LAP-4", "Catatan kedua.", kind="note")  # two states, one complaint
    yield workspace
    workspace.close()


FACETS: dict[str, list[Any]] = {
    "status": ["verified", "in_progress", "completed", "archived"],
    "deadline_state": list(DeadlineState),
    "category_id": ["infra", "sehat"],
    "reply_state": list(ReplyState),
}


@pytest.mark.parametrize("base", [{}, {"status": "verified"}, {"category_id": "infra"},
                                  {"search": "jalan"}, {"reply_state": ReplyState.DRAFT}])
def test_each_filter_count_is_what_choosing_it_would_show(
    ws: Workspace, base: dict[str, Any]
) -> None:
    for facet, values in FACETS.items():
        grouped = ws.count_complaints_by(facet, **base)
        for value in values:
            shown = len(ws.complaints(**{**base, facet: value}))
            key = value.value if hasattr(value, "value") else value
            assert grouped.get(key, 0) == shown, (facet, value)
            assert ws.count_complaints(**{**base, facet: value}) == shown


def test_counts_cover_every_state_the_office_has(ws: Workspace) -> None:
    # The SQL's deadline states are those the core works out for each complaint.
    states = Counter(c.deadline.state.value for c in ws.complaints() if c.deadline)
    assert len(states) >= 4
    assert ws.count_complaints_by("deadline_state") == states
    assert ws.count_complaints_by("reply_state") == {
        "draft": 2, "awaiting_approval": 1}  # LAP-4 counts under both of its states
    completed = Counter(c.category for c in ws.complaints(status="completed"))
    assert ws.count_complaints_by("category_id", status="completed") == {
        "infra": completed["Infrastruktur"], "sehat": completed["Kesehatan"]}


def test_categories_named_only_by_complaints_are_offered(ws: Workspace) -> None:
    assert [(c.id, c.name) for c in ws.categories()] == [
        ("infra", "Infrastruktur"), ("sehat", "Kesehatan")]


@pytest.fixture
def ranked(tmp_path: Path) -> Iterator[Workspace]:
    """Search hits with long runs of equal rank and some distinct ones."""
    items = [complaint(f"LAP-{n:02d}", title="Jalan rusak", body="Jalan berlubang.",
                       assigned_at=T0 - timedelta(days=n)) for n in range(14)]
    items += [complaint(f"LAP-{n}", title="Lubang", body="jalan " * (n - 40),
                        assigned_at=T0 - timedelta(days=n)) for n in range(41, 47)]
    items += [complaint(f"LAP-{n}", title="Lain", body="Tidak ada kata itu.")
              for n in range(60, 66)]
    workspace = office(tmp_path / "profile", *items)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("listed", [search._LISTED_HITS, 1])  # ranked in one pass, or in SQL
@pytest.mark.parametrize("size", [3, 4, 7])
def test_search_pages_keep_the_whole_ranked_order(
    ranked: Workspace, monkeypatch: pytest.MonkeyPatch, listed: int, size: int
) -> None:
    monkeypatch.setattr(search, "_LISTED_HITS", listed)
    whole = [c.id for c in ranked.complaints(search="jalan", sort="relevance")]
    assert len(whole) == 20
    paged = [c.id for offset in range(0, 21, size)
             for c in ranked.complaints(search="jala", sort="relevance", offset=offset,
                                        limit=size)]
    assert paged == [c.id for c in ranked.complaints(search="jala", sort="relevance")]
    assert sorted(paged) == sorted(whole)
