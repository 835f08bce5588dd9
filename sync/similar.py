"""The office's memory: earlier complaints like this one, with what the office answered.

Offline, from the replica only. Candidates come from the FTS5 index (the
complaint's own distinctive words, any of them, in title and body), ranked by
bm25 and then by category and place. What is handed out is only what may be
shown beside another complaint: a confidential (rahasia) complaint keeps its
title, place and reply to itself, and no reporter ever appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from sync import protocol, textsim
from sync.errors import ErrorCode, WorkspaceError
from sync.placeholders import Specifics, fill, unfill
from sync.store.models import Complaint, Event
from sync.store.types import UtcDateTime

MAX_QUERY_WORDS = 16  # a report's first distinctive words say what it is about
ASKED_WORDS = 6  # of those, the rarest in the office: enough to find its like, cheap to rank
ALWAYS_ASKED = 2  # the rarest two, however common
POSTINGS = 5_000  # complaints bm25 ranks, past the first two words (sync.similar.rarest)
CANDIDATES = 60  # bm25's best, re-ranked by category and place
SATISFIED_FROM = 4  # a rating of 4 or 5 of 5
_W_WORDS, _W_CATEGORY, _W_PLACE = 0.6, 0.25, 0.15
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
ONE_TICK = timedelta(microseconds=1)  # the store keeps microseconds: "before" is strict


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


# The window is checked in the query, so bm25 ranks only the complaints that may be
# shown (before this one, or days around it): at 100,000 that is the best in the
# window, not the window's share of the best overall. ``ix_complaints_when``
# (replica migration 0012) answers the check without reading a whole row.
_CANDIDATES = text(
    "SELECT f.rowid, bm25(complaint_fts, 10.0, 4.0, 1.0) FROM complaint_fts f"
    " JOIN complaints c INDEXED BY ix_complaints_when ON c.pk = f.rowid"
    " WHERE complaint_fts MATCH :q AND c.pk != :pk AND c.removed = 0"
    " AND c.submitted_at >= :after AND c.submitted_at <= :before"
    " ORDER BY bm25(complaint_fts, 10.0, 4.0, 1.0) LIMIT :n"
).bindparams(bindparam("after", type_=UtcDateTime()), bindparam("before", type_=UtcDateTime()))

_DOCS = text("SELECT doc FROM complaint_fts_vocab WHERE term = :term")


class WordCounts:
    """How many complaints hold each indexed word, remembered until the text changes.

    fts5vocab counts a word by walking all its postings: for a common word at
    100,000 complaints that costs as much as the ranked query itself, and the
    panel asks two queries of the same words per complaint opened. The owner
    (``Workspace``) forgets after each sync, when complaints' text may change.
    """

    MAX_WORDS = 200_000  # an office's vocabulary; past it, start again

    def __init__(self) -> None:
        self._held: dict[str, int] = {}

    def held(self, session: Session, word: str) -> int:
        count = self._held.get(word)
        if count is None:
            count = int(session.scalar(_DOCS, {"term": word}) or 0)
            if len(self._held) >= self.MAX_WORDS:
                self._held = {}
            self._held[word] = count
        return count

    def forget(self) -> None:
        self._held = {}


def rarest(session: Session, words: list[str], counts: WordCounts,
           keep: int = ASKED_WORDS) -> list[str]:
    """Up to ``keep`` words held by the fewest complaints, other than the complaint itself.

    bm25 ranks every complaint holding any word asked, so a common word makes
    the query slow and tells little; a rare one is both cheap and telling.
    Past the first ``ALWAYS_ASKED``, a word is asked only while the complaints
    to rank stay within ``POSTINGS``: a report in everyday words would
    otherwise rank a quarter of the office. A word only this complaint holds
    (a typo, a name) finds nothing.
    """
    held = sorted((n, word) for word in words if (n := counts.held(session, word)) > 1)
    asked: list[str] = []
    postings = 0
    for n, word in held[:keep]:
        postings += n
        if len(asked) >= ALWAYS_ASKED and postings > POSTINGS:
            break
        asked.append(word)
    return asked


@dataclass(frozen=True)
class Window:
    """When the complaints a query may find were submitted: ``after``..``before``, inclusive."""

    after: datetime
    before: datetime


def candidates(session: Session, target: Complaint, words: list[str], window: Window,
               n: int, counts: WordCounts) -> list[tuple[int, float]]:
    """(pk, bm25) of the best ``n`` others in ``window`` holding any of ``words``' rarest;
    lower bm25 is better."""
    query = fts_any(rarest(session, words, counts))
    if query is None:
        return []
    found = session.execute(_CANDIDATES, {"q": query, "pk": target.pk, "n": n,
                                          "after": window.after, "before": window.before})
    return [(int(pk), float(rank)) for pk, rank in found]


def same_place(a: str | None, b: str | None) -> bool:
    """Two districts named alike (and named at all)."""
    return bool(a) and (a or "").casefold() == (b or "").casefold()


def similar(session: Session, complaint_id: str, counts: WordCounts,
            limit: int = 5) -> list[SimilarComplaint]:
    """The ``limit`` most similar complaints submitted before this one, best first."""
    target = _complaint(session, complaint_id)
    earlier = Window(EARLIEST, target.submitted_at - ONE_TICK)
    hits = candidates(session, target, query_words(target, places=False), earlier,
                      CANDIDATES, counts)
    if not hits:
        return []
    best = min(rank for _, rank in hits) or -1.0
    ranks = dict(hits)
    scored = []
    # Ranked on four columns; only the ``limit`` shown are read whole.
    for pk, category, district, submitted in session.execute(
            select(Complaint.pk, Complaint.category_id, Complaint.district,
                   Complaint.submitted_at).where(Complaint.pk.in_(ranks))):
        words = ranks[pk] / best if best < 0 else 0.0  # bm25 is negative: best is 1
        score = (_W_WORDS * words + _W_CATEGORY * (category == target.category_id)
                 + _W_PLACE * same_place(district, target.district))
        scored.append((score, -submitted.timestamp(), pk))
    top = sorted(scored, key=lambda found: (-found[0], found[1]))[:limit]
    rows = {row.pk: row for row in session.scalars(
        select(Complaint).where(Complaint.pk.in_([pk for _, _, pk in top])))}
    timelines = _timelines(session, [row.id for row in rows.values()])
    return [_shown(rows[pk], timelines[rows[pk].id], score) for score, _, pk in top]


def _timelines(session: Session, complaint_ids: list[str]) -> dict[str, list[Event]]:
    """Each complaint's events in order, in one read."""
    found: dict[str, list[Event]] = {cid: [] for cid in complaint_ids}
    for event in session.scalars(select(Event).where(Event.complaint_id.in_(complaint_ids))
                                 .order_by(Event.complaint_id, Event.position)):
        found[event.complaint_id].append(event)
    return found


def _timeline(session: Session, complaint_id: str) -> list[Event]:
    return _timelines(session, [complaint_id])[complaint_id]


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


def _shown(row: Complaint, events: list[Event], score: float) -> SimilarComplaint:
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
