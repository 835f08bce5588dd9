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
