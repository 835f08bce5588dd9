"""What a typed search matches, by the search index's own rules, without the database.

The index (``complaint_fts``) splits text into runs of letters and digits,
ignores case and diacritics, and takes every typed word whole but the last,
which is a prefix while the person is still typing it. The list shows the
words that matched by the same rules (``spans``); ``sync.store.search`` builds
its queries from ``words``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters and digits of any script; everything else separates words, as in
# the index's unicode61 tokenizer.
WORD = re.compile(r"[^\W_]+")
# A complaint number as typed: the whole one ("LAP-2026-0000061", any case) or its
# number alone, with or without the leading zeros ("0000061", "61").
NUMBER = re.compile(r"\s*(?P<prefix>[^\W\d_]+-\d{4}-)?(?P<digits>\d+)\s*", re.ASCII)


def words(typed: str) -> tuple[list[str], bool]:
    """The typed words, and whether the last one is still being typed (a prefix)."""
    found = WORD.findall(typed)
    return found, bool(found) and bool(WORD.match(typed[-1]))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return (unicodedata.normalize("NFD", ch)[:1] or ch).lower()[:1] or ch


def _fold(text: str) -> str:
    """Case and diacritics away, one character for one, so positions stay those of ``text``.

    ASCII (most reports) lowers one for one as it is; the rest a character at a time.
    """
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


def fold(text: str) -> str:
    """``text`` as the index compares it: lower case, no diacritics."""
    return _fold(text)


def spans(text: str, typed: str) -> list[tuple[int, int]]:
    """(start, end) of each part of ``text`` that the search ``typed`` matched, in order."""
    terms, last_is_prefix = words(typed)
    if not terms:
        return []
    whole = {_fold(term) for term in (terms[:-1] if last_is_prefix else terms)}
    prefix = _fold(terms[-1]) if last_is_prefix else ""
    folded = _fold(text)
    found = []
    for word in WORD.finditer(folded):
        if word.group() in whole:
            found.append(word.span())
        elif prefix and word.group().startswith(prefix):
            found.append((word.start(), word.start() + len(prefix)))
    return found


def number_span(complaint_id: str, typed: str) -> tuple[int, int] | None:
    """The digits of ``complaint_id`` that ``typed`` named as a number, if it did."""
    number = NUMBER.fullmatch(typed)
    tail = re.search(r"\d+$", complaint_id)
    if number is None or tail is None:
        return None
    if number["prefix"] and not complaint_id.upper().startswith(number["prefix"].upper()):
        return None
    digits = number["digits"].lstrip("0")
    return tail.span() if digits and tail.group().lstrip("0") == digits else None
