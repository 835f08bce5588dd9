"""Reports of one incident by several citizens: suggested, confirmed or dismissed links.

A suggestion is computed from the replica (words, place, category, days
apart). A decision is an office note on each of the two complaints, so it
syncs through the existing ``note`` mutation and other PCs of the office see
it after their next pull; its text is readable to a person (and to an older
client) and ends in a marker this module recognises::

    Kejadian sama dengan LAP-2026-0000012 (dikonfirmasi). [lapor-desk:link confirm LAP-2026-0000012]

No table of its own: the local note (a ``Reply`` of kind note) holds the
decision until the server's ``note`` event arrives, and the latest marker
for a pair wins.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import textsim
from sync.similar import Window, WordCounts, _complaint, candidates, query_words
from sync.store.local import Reply
from sync.store.models import Complaint, Event
from sync.values import ReplyKind, ReplyState

WINDOW = timedelta(days=14)  # one incident's reports arrive within days
CANDIDATES = 40
# bench/link_quality.py's threshold_margin: on the tuning half only, half way
# between the highest negatives the goal allows and the lowest positive kept.
THRESHOLD = 0.25
# The same problem where a report says nowhere (no district, no address) keeps
# this share of its score; where both say where and the places differ, only
# _W_ELSEWHERE: one incident happens in one place.
_W_PLACE_FLOOR = 0.2
_W_ELSEWHERE = 0.05
_W_DISTRICT, _W_NAMES = 0.4, 0.6  # of the place score: the same district, shared names
# A word that names a known problem or object (textsim.CONCEPT) weighs more than
# incidental words; the problem most, as it is what the citizen complains of.
_CONCEPT_WEIGHT = {concept: 3.0 for concept in textsim.PROBLEMS} | {
    concept: 2.0 for concept in textsim.OBJECTS}
# Two reports that each name a problem (or an object) and share none are two
# incidents, however many other words they share: the holed road and the
# cracked bridge, the muddy tap and the dry one. Not zero: a citizen may say
# only half of it in known words.
_MISMATCH = 0.3

# A local note counts once it went to the outbox; a refused one was never said.
_SAID = (ReplyState.QUEUED.value, ReplyState.SENT.value)

MARKER = re.compile(r"\[lapor-desk:link (confirm|dismiss) ([^\s\]]+)\]")


class LinkState(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"  # kept so it is never suggested again; ``linked`` leaves it out


@dataclass(frozen=True)
class IncidentLink:
    """Another report of the same incident, for the "Kejadian Sama" list.

    ``title`` and ``district`` are None when that report is confidential.
    """

    complaint_id: str  # the other report
    state: LinkState
    score: float  # 0..1; 1.0 for a confirmed link the words would not have found
    confidential: bool
    submitted_at: datetime
    title: str | None
    district: str | None


@dataclass(frozen=True)
class ReportText:
    """What the link score reads of a report (also for the labelled set, without a replica)."""

    title: str
    body: str
    category: str
    district: str | None
    address: str | None
    submitted_at: datetime

    @classmethod
    def of(cls, row: Complaint) -> ReportText:
        return cls(row.title, row.body, row.category_id, row.district, row.address,
                   row.submitted_at)


def _place_words(report: ReportText) -> frozenset[str]:
    """Words of the place, left out of the problem; not a concept ("Jembatan ..."
    says what the report is about as well as where)."""
    return frozenset(
        w for w in textsim.content_words(f"{report.address or ''} {report.district or ''}")
        if w not in textsim.CONCEPT)


# A capitalised word inside a sentence: "Tukad Badung", "Gatot Subroto".
_PROPER = re.compile(r"(?<=[^.!?\s]\s)[A-Z][\w-]+")


def _names(report: ReportText) -> frozenset[str]:
    """Which place: the address's words and the proper names the citizen wrote.

    Kinds of place (``textsim.PLACE_KINDS``: "Puskesmas", "Jl.") and known
    concepts are left out, so two puskesmas do not meet on the word.
    """
    proper = " ".join(_PROPER.findall(f"{report.title}. {report.body}"))
    return frozenset(w for w in textsim.content_words(f"{report.address or ''} {proper}")
                     if w not in textsim.PLACE_KINDS and w not in textsim.CONCEPT)


@dataclass(frozen=True)
class _Reading:
    """What ``pair_score`` reads of one report, worked out once: a report is
    scored against every candidate of its panel, and candidates recur."""

    place: frozenset[str]
    stems: tuple[tuple[str, str], ...]  # (word, stem) of the title and body's concept words
    names: frozenset[str]


@functools.lru_cache(maxsize=1024)  # a panel's 40 candidates, and the next panel's
def _reading(report: ReportText) -> _Reading:
    words = textsim.concept_words(f"{report.title} {report.body}")
    return _Reading(_place_words(report), tuple((w, textsim.stem(w)) for w in words),
                    _names(report))


def _problem(reading: _Reading, place: frozenset[str]) -> set[str]:
    """What went wrong, in concepts: the report's words without the names of places."""
    return {stem for word, stem in reading.stems if word not in place}


def _agree(a: set[str], b: set[str]) -> bool:
    """False when both name something and nothing in common."""
    return not (a and b and not a & b)


def _alike(a: set[str], b: set[str]) -> float:
    """1, or ``_MISMATCH`` per kind (problem, object) on which two reports disagree.

    Generic damage ("rusak") agrees with any fault. The road is generic too:
    it counts only when nothing more particular is named, as a lamp or a
    bridge "di jalan" is still a lamp or a bridge, and a holed road is not the
    blocked drain beside it.
    """
    problems_a = (a & textsim.PROBLEMS) - textsim.GENERIC
    problems_b = (b & textsim.PROBLEMS) - textsim.GENERIC
    objects_a, objects_b = a & textsim.OBJECTS, b & textsim.OBJECTS
    objects_a = objects_a - textsim.GENERIC or objects_a
    objects_b = objects_b - textsim.GENERIC or objects_b
    factor = 1.0 if _agree(problems_a, problems_b) else _MISMATCH
    return factor if _agree(objects_a, objects_b) else factor * _MISMATCH


def pair_score(a: ReportText, b: ReportText) -> float:
    """How likely two reports tell of one incident, 0..1.

    The problem (words, places taken out, cut when the two name different
    faults or different objects: ``_alike``) times the place (district and
    shared names: street, bridge, "Tukad Badung") times closeness in time.
    The same problem elsewhere, another problem at the same place and
    another object with the same fault are the hard cases that a plain word
    overlap calls alike.
    """
    apart = abs(a.submitted_at - b.submitted_at)
    if apart > WINDOW:
        return 0.0
    ra, rb = _reading(a), _reading(b)
    wa, wb = _problem(ra, ra.place | rb.place), _problem(rb, ra.place | rb.place)
    problem = textsim.cosine(wa, wb, _CONCEPT_WEIGHT) * _alike(wa, wb)
    names_a, names_b = ra.names, rb.names
    shared = len(names_a & names_b) / min(len(names_a), len(names_b)) \
        if names_a and names_b else None
    place = _W_NAMES * (shared or 0.0)
    if a.district and b.district and a.district.casefold() == b.district.casefold():
        # A district is large: when both reports name their place and the names
        # differ (another street, another bridge), the district says less.
        place += _W_DISTRICT / 2 if shared == 0.0 else _W_DISTRICT
    known = bool(a.district and b.district) or shared is not None
    floor = _W_ELSEWHERE if known else _W_PLACE_FLOOR
    days = 1.0 - apart / WINDOW
    return problem * (floor + (1 - floor) * place) * (0.8 + 0.2 * days) \
        * (1.0 if a.category == b.category else 0.7)


def note_text(state: LinkState, other_id: str) -> str:
    said = "dikonfirmasi" if state is LinkState.CONFIRMED else "bukan kejadian yang sama"
    verb = "confirm" if state is LinkState.CONFIRMED else "dismiss"
    return f"Kejadian sama dengan {other_id} ({said}). [lapor-desk:link {verb} {other_id}]"


def decisions(session: Session, complaint_id: str) -> dict[str, LinkState]:
    """The office's word on each link of this complaint, the latest for each other report."""
    said: list[tuple[datetime, str]] = []
    for at, body in session.execute(select(Event.at, Event.text).where(
            Event.complaint_id == complaint_id, Event.type == "note")):
        said.append((at, body or ""))
    for at, body in session.execute(select(Reply.created_at, Reply.text).where(
            Reply.complaint_id == complaint_id, Reply.kind == ReplyKind.NOTE.value,
            Reply.state.in_(_SAID))):
        said.append((at, body))
    found: dict[str, LinkState] = {}
    for _, body in sorted(said, key=lambda pair: pair[0]):
        for verb, other in MARKER.findall(body):
            found[other] = LinkState.CONFIRMED if verb == "confirm" else LinkState.DISMISSED
    return found


def linked(session: Session, complaint_id: str, counts: WordCounts) -> list[IncidentLink]:
    """Confirmed links first, then suggestions by score; dismissed ones never."""
    target = _complaint(session, complaint_id)
    decided = decisions(session, complaint_id)
    here = ReportText.of(target)
    scores: dict[str, tuple[float, Complaint]] = {}
    days = Window(target.submitted_at - WINDOW, target.submitted_at + WINDOW)
    hits = candidates(session, target, query_words(target), days, CANDIDATES, counts)
    if hits:
        rows = session.scalars(select(Complaint).where(Complaint.pk.in_(dict(hits))))
        for row in rows:
            scores[row.id] = (pair_score(here, ReportText.of(row)), row)
    confirmed = [other for other, state in decided.items() if state is LinkState.CONFIRMED]
    missing = [other for other in confirmed if other not in scores]
    for row in session.scalars(select(Complaint).where(Complaint.id.in_(missing))):
        scores[row.id] = (1.0, row)
    links = []
    for other, (score, row) in scores.items():
        state = decided.get(other)
        if state is LinkState.DISMISSED or (state is None and score < THRESHOLD):
            continue
        links.append(IncidentLink(
            complaint_id=other, state=state or LinkState.SUGGESTED, score=round(score, 4),
            confidential=row.confidential, submitted_at=row.submitted_at,
            title=None if row.confidential else row.title,
            district=None if row.confidential else row.district))
    links.sort(key=lambda link: (link.state is not LinkState.CONFIRMED, -link.score))
    return links
