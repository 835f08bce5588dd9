"""Turn whatever a person types into a safe FTS5 query, ranked by bm25.

FTS5 has its own query language in which quotes, ``-``, ``*``, ``(`` and
``AND``/``OR``/``NOT`` mean things. We never pass the typed text through:
we take its words and quote each one, so nothing typed can be syntax.
"""

from __future__ import annotations

import json

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from sync import matching

# Relative weight of a hit in the title, the body and the events' texts.
_WEIGHTS = (10.0, 4.0, 1.0)

_fts = table("complaint_fts", column("rowid"))
_fts_name: ColumnElement[str] = literal_column("complaint_fts")


def fts_query(typed: str) -> str | None:
    """The FTS5 query for ``typed``, or None when it holds no word at all.

    Every word must match; the last one also matches as a prefix while the
    person is still typing it (no space after it yet).
    """
    typed_words, still_typing = matching.words(typed)
    if not typed_words:
        return None
    terms = [f'"{word}"' for word in typed_words]
    if still_typing:
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


# Up to this many best hits are ranked in one pass and handed back as a list;
# deeper pages rank in SQL (an edge, then the hits no worse than it).
_LISTED_HITS = 2000


def best_matches(session: Session, typed: str, within: int) -> Subquery | None:
    """Like ``matches``, but only hits ranked no worse than the ``within``-th best.

    Ties at the edge stay in, so the first ``within`` rows of any order that
    starts with the rank are all among them. A page at the top of a search
    then reads a few hundred rows rather than every hit's whole row.
    """
    query = fts_query(typed)
    if query is None:
        return None
    within = max(within, 1)
    rank: ColumnElement[float] = func.bm25(_fts_name, *_WEIGHTS)
    hit = _fts_name.op("MATCH")(query)
    if within > _LISTED_HITS:
        # Its own scan of the index, never correlated with the outer one.
        edge = (select(rank).select_from(_fts).where(hit).order_by(rank)
                .offset(within - 1).limit(1).correlate(None))
        statement: Select[int, float] = select(
            _fts.c.rowid.label("pk"), rank.label("rank")
        ).where(hit, rank <= func.coalesce(edge.scalar_subquery(), 1e308))
        return statement.subquery("matches")
    return _listed(_ranked_hits(session, query, within))


def _ranked_hits(session: Session, query: str, within: int) -> list[tuple[int, float]]:
    """(pk, rank) of the best ``within`` hits and of any hit tied with the last, best first.

    One pass of bm25, kept to a ranked LIMIT (SQLite holds only the best):
    ranking every hit again to find the edge's ties, as one SQL statement
    did, cost twice the bare ranked query (130 ms for a two-letter prefix at
    100,000 complaints). Ties are common (equal titles and lengths), so it
    reads twice as many as asked; only when ties run past those is the
    index ranked again.
    """
    rank: ColumnElement[float] = func.bm25(_fts_name, *_WEIGHTS)
    hit = _fts_name.op("MATCH")(query)
    ranked = select(_fts.c.rowid, rank).where(hit).order_by(rank)
    read = 2 * within + 1
    rows = [(int(pk), float(score)) for pk, score in session.execute(ranked.limit(read))]
    if len(rows) <= within:
        return rows
    edge = rows[within - 1][1]
    if len(rows) == read and rows[-1][1] == edge:  # the ties may go on
        return [(int(pk), float(score))
                for pk, score in session.execute(ranked.where(rank <= edge))]
    return [row for row in rows if row[1] <= edge]


def _listed(hits: list[tuple[int, float]]) -> Subquery:
    """Rows ``(pk, rank)`` from a list, the rank as a dense ordinal so ties stay exactly tied."""
    ordinals: list[list[int]] = []
    previous: float | None = None
    for pk, score in hits:
        ordinals.append([pk, len(ordinals) if score != previous else ordinals[-1][1]])
        previous = score
    listed = func.json_each(json.dumps(ordinals)).table_valued("value")
    statement: Select[int, int] = select(
        listed.c.value.op("->>")(0).label("pk"), listed.c.value.op("->>")(1).label("rank"))
    return statement.subquery("matches")

_WIDEST = 12  # digits a number may be zero-padded to
# An office's numbers share a few prefixes ("LAP-<year>-"); each is found with
# one seek on the id index, skipping every number under it.
_PREFIXES = text(
    "WITH RECURSIVE prefixes(prefix) AS ("
    " SELECT rtrim((SELECT min(id) FROM complaints), '0123456789')"
    " UNION ALL SELECT rtrim((SELECT min(id) FROM complaints WHERE id > prefix || ':'),"
    " '0123456789') FROM prefixes WHERE prefix IS NOT NULL LIMIT 100)"
    " SELECT prefix FROM prefixes WHERE prefix IS NOT NULL")


def numbered_ids(session: Session, typed: str) -> list[str]:
    """The complaint ids ``typed`` names as a number, whole or by its tail; [] if it names none.

    Candidates, not a scan: matching the ids' tails in SQL reads the whole id
    index (25-60 ms at 100,000 complaints), while these are a few dozen seeks.
    """
    number = matching.NUMBER.fullmatch(typed)
    if number is None:
        return []
    digits = number["digits"].lstrip("0")
    if not digits or len(digits) > _WIDEST:
        return []
    typed_prefix = number["prefix"]
    prefixes = [typed_prefix.upper()] if typed_prefix else list(
        session.scalars(_PREFIXES))
    return [prefix + digits.zfill(width) for prefix in prefixes
            for width in range(len(digits), _WIDEST + 1)]
