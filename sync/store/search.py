"""Turn whatever a person types into a safe FTS5 query, ranked by bm25.

FTS5 has its own query language in which quotes, ``-``, ``*``, ``(`` and
``AND``/``OR``/``NOT`` mean things. We never pass the typed text through:
we take its words and quote each one, so nothing typed can be syntax.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Select, Subquery, column, func, literal_column, select, table

# Letters and digits of any script; everything else separates words, as in
# the index's unicode61 tokenizer.
_WORD = re.compile(r"[^\W_]+")

# Relative weight of a hit in the title, the body and the events' texts.
_WEIGHTS = (10.0, 4.0, 1.0)

_fts = table("complaint_fts", column("rowid"))
_fts_name: ColumnElement[str] = literal_column("complaint_fts")


def fts_query(typed: str) -> str | None:
    """The FTS5 query for ``typed``, or None when it holds no word at all.

    Every word must match; the last one also matches as a prefix while the
    person is still typing it (no space after it yet).
    """
    words = _WORD.findall(typed)
    if not words:
        return None
    terms = [f'"{word}"' for word in words]
    if _WORD.match(typed[-1]):
        terms[-1] += "*"
    return " ".join(terms)


def matches(typed: str) -> Subquery | None:
    """Rows ``(pk, rank)`` of complaints matching ``typed``; lower rank is better."""
    query = fts_query(typed)
    if query is None:
        return None
    rank: ColumnElement[float] = func.bm25(_fts_name, *_WEIGHTS)
    statement: Select[int, float] = select(
        _fts.c.rowid.label("pk"), rank.label("rank")
    ).where(_fts_name.op("MATCH")(query))
    return statement.subquery("matches")


def matching_pks(typed: str) -> Select[tuple[int]] | None:
    """Primary keys of complaints matching ``typed``, unranked: for counting and filtering.

    Without bm25 and without a join SQLite answers from the index alone; joined
    to ``complaints`` row by row, a word that most complaints hold costs a read
    of every whole row (bench/gui_inbox.py).
    """
    query = fts_query(typed)
    if query is None:
        return None
    return select(_fts.c.rowid).where(_fts_name.op("MATCH")(query))


def best_matches(typed: str, within: int) -> Subquery | None:
    """Like ``matches``, but only hits ranked no worse than the ``within``-th best.

    Ties at the edge stay in, so the first ``within`` rows of any order that
    starts with the rank are all among them. A page at the top of a search
    then reads a few hundred rows rather than every hit's whole row.
    """
    query = fts_query(typed)
    if query is None:
        return None
    rank: ColumnElement[float] = func.bm25(_fts_name, *_WEIGHTS)
    hit = _fts_name.op("MATCH")(query)
    # Its own scan of the index, never correlated with the outer one.
    edge = (select(rank).select_from(_fts).where(hit).order_by(rank)
            .offset(max(within, 1) - 1).limit(1).correlate(None))
    statement: Select[int, float] = select(
        _fts.c.rowid.label("pk"), rank.label("rank")
    ).where(hit, rank <= func.coalesce(edge.scalar_subquery(), 1e308))
    return statement.subquery("matches")
