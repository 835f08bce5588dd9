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

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import textsim
from sync.similar import _complaint, candidates, query_words
from sync.store.local import Reply
from sync.store.models import Complaint, Event
from sync.values import ReplyKind, ReplyState

WINDOW = timedelta(days=14)  # one incident's reports arrive within days
CANDIDATES = 40
THRESHOLD = 0.45  # tuned on tests/data/incident_pairs.json's tuning half (bench/link_quality.py)
_W_WORDS, _W_PLACE, _W_CATEGORY, _W_TIME = 0.55, 0.25, 0.1, 0.1

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


def _place_words(report: ReportText) -> set[str]:
    return set(textsim.content_words(report.address or ""))


def pair_score(a: ReportText, b: ReportText) -> float:
    """How likely two reports tell of one incident, 0..1 (words, place, category, days)."""
    apart = abs(a.submitted_at - b.submitted_at)
    if apart > WINDOW:
        return 0.0
    words = textsim.cosine(textsim.content_words(f"{a.title} {a.body}"),
                           textsim.content_words(f"{b.title} {b.body}"))
    place = 0.0
    if a.district and b.district and a.district.casefold() == b.district.casefold():
        place = 0.5
    pa, pb = _place_words(a), _place_words(b)
    if pa and pb:
        place += 0.5 * len(pa & pb) / min(len(pa), len(pb))
    days = 1.0 - apart / WINDOW
    return (_W_WORDS * words + _W_PLACE * place + _W_CATEGORY * (a.category == b.category)
            + _W_TIME * days)


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


def linked(session: Session, complaint_id: str) -> list[IncidentLink]:
    """Confirmed links first, then suggestions by score; dismissed ones never."""
    target = _complaint(session, complaint_id)
    decided = decisions(session, complaint_id)
    here = ReportText.of(target)
    scores: dict[str, tuple[float, Complaint]] = {}
    hits = dict(candidates(session, query_words(target), CANDIDATES + 1))
    if hits:
        rows = session.scalars(select(Complaint).where(
            Complaint.pk.in_(hits), Complaint.pk != target.pk, Complaint.removed.is_(False),
            Complaint.submitted_at.between(target.submitted_at - WINDOW,
                                           target.submitted_at + WINDOW))).all()
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
