"""The office's memory: earlier complaints like this one, with what the office answered.

Offline, from the replica only. Candidates come from the FTS5 index (the
complaint's own distinctive words, any of them, in title and body), ranked by
bm25 and then by category and place. What is handed out is only what may be
shown beside another complaint: a confidential (rahasia) complaint keeps its
title, place and reply to itself, and no reporter ever appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sync import protocol, textsim
from sync.errors import ErrorCode, WorkspaceError
from sync.placeholders import Specifics, fill, unfill
from sync.store.models import Complaint, Event

MAX_QUERY_WORDS = 16  # a report's first distinctive words say what it is about
ASKED_WORDS = 6  # of those, the rarest in the office: enough to find its like, cheap to rank
CANDIDATES = 60  # bm25's best, re-ranked by category and place
SATISFIED_FROM = 4  # a rating of 4 or 5 of 5
_W_WORDS, _W_CATEGORY, _W_PLACE = 0.6, 0.25, 0.15


class Outcome(StrEnum):
    """How the complaint ended up after the office's reply."""

    OPEN = "open"  # no reply sent yet
    REPLIED = "replied"  # answered; nothing heard since
    REPLIED_AGAIN = "replied_again"  # the reporter wrote again after the reply
    COMPLETED = "completed"  # closed (completed or archived)
    SATISFIED = "satisfied"  # the reporter rated it 4 or 5


@dataclass(frozen=True)
class SimilarComplaint:
    """One earlier complaint for the "Pengaduan Serupa" panel: only what may be shown.

    ``title``, ``district`` and ``reply_text`` are None for a confidential
    complaint (``confidential`` says why); no reporter is ever carried.
    """

    id: str
    score: float  # 0..1, higher is more alike
    confidential: bool
    anonymous: bool
    category: str
    submitted_at: datetime
    outcome: Outcome
    title: str | None
    district: str | None
    reply_text: str | None  # the office's last reply sent, as sent
    replied_at: datetime | None

    @property
    def reusable(self) -> bool:
        """A reply to start a draft from (``Workspace.draft_from``)."""
        return self.reply_text is not None


def _complaint(session: Session, complaint_id: str) -> Complaint:
    row = session.scalar(select(Complaint).where(Complaint.id == complaint_id))
    if row is None:
        raise WorkspaceError(ErrorCode.NOT_FOUND, f"no complaint {complaint_id}")
    return row


def query_words(row: Complaint, *, places: bool = True) -> list[str]:
    """The words asked of the index: the title's first, then the body's, each once.

    Without ``places`` the names in the complaint's address and district are
    left out: a place's name is rare, so it would outrank the topic and fill
    the panel with whatever else happened in that village.
    """
    skip = set() if places else set(
        textsim.content_words(f"{row.address or ''} {row.district or ''}"))
    seen: dict[str, None] = {}
    for word in textsim.content_words(f"{row.title} {row.body}"):
        if word not in skip:
            seen.setdefault(word)
    return list(seen)[:MAX_QUERY_WORDS]


def fts_any(words: list[str]) -> str | None:
    """An FTS5 query for any of ``words`` in title or body (each quoted: never syntax)."""
    if not words:
        return None
    return "{title body} : (" + " OR ".join(f'"{w}"' for w in words) + ")"


_CANDIDATES = text(
    "SELECT rowid, bm25(complaint_fts, 10.0, 4.0, 1.0) FROM complaint_fts"
    " WHERE complaint_fts MATCH :q ORDER BY bm25(complaint_fts, 10.0, 4.0, 1.0) LIMIT :n")


_DOCS = text("SELECT term, doc FROM complaint_fts_vocab WHERE term = :term")


def rarest(session: Session, words: list[str], keep: int = ASKED_WORDS) -> list[str]:
    """The ``keep`` words held by the fewest complaints, other than the complaint itself.

    bm25 ranks every complaint holding any word asked, so a common word makes
    the query slow and tells little; a rare one is both cheap and telling. A
    word only this complaint holds (a typo, a name) finds nothing.
    """
    held = []
    for word in words:
        row = session.execute(_DOCS, {"term": word}).first()
        if row is not None and int(row[1]) > 1:
            held.append((int(row[1]), word))
    held.sort()
    return [word for _, word in held[:keep]]


def candidates(session: Session, words: list[str], n: int) -> list[tuple[int, float]]:
    """(pk, bm25) of the best ``n`` matches of any of ``words``' rarest; lower bm25 is better."""
    query = fts_any(rarest(session, words))
    if query is None:
        return []
    return [(int(pk), float(rank))
            for pk, rank in session.execute(_CANDIDATES, {"q": query, "n": n})]


def same_place(a: Complaint, b: Complaint) -> bool:
    return bool(a.district) and (a.district or "").casefold() == (b.district or "").casefold()


def similar(session: Session, complaint_id: str, limit: int = 5) -> list[SimilarComplaint]:
    """The ``limit`` most similar complaints submitted before this one, best first."""
    target = _complaint(session, complaint_id)
    hits = candidates(session, query_words(target, places=False), CANDIDATES + 1)
    if not hits:
        return []
    best = min(rank for _, rank in hits) or -1.0
    ranks = dict(hits)
    rows = session.scalars(select(Complaint).where(
        Complaint.pk.in_(ranks), Complaint.pk != target.pk, Complaint.removed.is_(False),
        Complaint.submitted_at < target.submitted_at)).all()
    scored = []
    for row in rows:
        words = ranks[row.pk] / best if best < 0 else 0.0  # bm25 is negative: best is 1
        score = (_W_WORDS * words + _W_CATEGORY * (row.category_id == target.category_id)
                 + _W_PLACE * same_place(row, target))
        scored.append((score, row))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].submitted_at.timestamp()))
    return [_shown(session, row, score) for score, row in scored[:limit]]


def _timeline(session: Session, complaint_id: str) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.complaint_id == complaint_id)
                                .order_by(Event.position)))


def last_reply(events: list[Event]) -> Event | None:
    """The office's last reply the server has (a ``response`` event with text)."""
    return next((e for e in reversed(events) if e.type == "response" and e.text), None)


def outcome(row: Complaint, events: list[Event]) -> Outcome:
    reply = last_reply(events)
    if row.rating_score is not None and row.rating_score >= SATISFIED_FROM:
        return Outcome.SATISFIED
    if reply is not None and any(e.type == "reporter_reply" and e.position > reply.position
                                 for e in events):
        return Outcome.REPLIED_AGAIN
    if row.status in protocol.CLOSED_STATUSES:
        return Outcome.COMPLETED
    return Outcome.REPLIED if reply is not None else Outcome.OPEN


def _shown(session: Session, row: Complaint, score: float) -> SimilarComplaint:
    events = _timeline(session, row.id)
    reply = last_reply(events)
    hidden = row.confidential  # rahasia: nothing of its content beside another report
    return SimilarComplaint(
        id=row.id, score=round(min(score, 1.0), 4), confidential=row.confidential,
        anonymous=row.anonymous, category=row.category_name, submitted_at=row.submitted_at,
        outcome=outcome(row, events),
        title=None if hidden else row.title,
        district=None if hidden else row.district,
        reply_text=None if hidden or reply is None else reply.text,
        replied_at=None if reply is None else reply.at,
    )


def specifics(row: Complaint) -> Specifics:
    name = None if row.anonymous else row.reporter_name
    contacts = tuple(c for c in (row.reporter_phone, row.reporter_email) if c)
    return Specifics(row.id, name, row.submitted_at, row.title, contacts)


def draft_text(session: Session, complaint_id: str, source_id: str) -> str:
    """The source's last sent reply made a template, then filled for ``complaint_id``."""
    target, source = _complaint(session, complaint_id), _complaint(session, source_id)
    if source.confidential:
        raise WorkspaceError(ErrorCode.NOT_ALLOWED,
                             "a confidential complaint's reply is not reused")
    reply = last_reply(_timeline(session, source.id))
    if reply is None or reply.text is None:
        raise WorkspaceError(ErrorCode.NOT_FOUND, f"{source_id} has no reply sent")
    return fill(unfill(reply.text, specifics(source)), specifics(target))


def template_of(session: Session, text: str, written_for: str) -> str:
    """``text``, written (and filled) for one complaint, with that one's number,
    reporter, contacts, date and title back as placeholders (or ``[dihapus]``)."""
    return unfill(text, specifics(_complaint(session, written_for)))


def fill_for(session: Session, complaint_id: str, body: str) -> str:
    """``body``'s placeholders filled for one complaint (a group answer's own copy)."""
    return fill(body, specifics(_complaint(session, complaint_id)))
