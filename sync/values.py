"""Plain frozen values the core hands out: never ORM objects, never Qt.

Times are aware UTC datetimes; dates of deadlines are office-local calendar
dates computed from server time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sync.errors import ErrorCode


class ReplyState(StrEnum):
    """Where a reply stands inside the office (DOMAIN.md)."""

    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    QUEUED = "queued"
    SENT = "sent"
    RETURNED = "returned"
    CONFLICT = "conflict"
    REFUSED = "refused"


class Delivery(StrEnum):
    """A sent reply's way on from a hub to SP4N-LAPOR! (None where the server is not a hub)."""

    WAITING = "waiting"  # approved, waiting for SP4N-LAPOR!
    DELIVERED = "delivered"  # delivered to SP4N-LAPOR!
    REFUSED = "refused"  # SP4N-LAPOR! refused it: the reply is refused, with its words


class ReplyKind(StrEnum):
    RESPOND = "respond"
    COMPLETE = "complete"
    REQUEST_REASSIGNMENT = "request_reassignment"
    NOTE = "note"


class DeadlineState(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"  # within 2 working days
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    DONE = "done"  # followed up or closed: no deadline runs


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CONFLICT = "conflict"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Deadline:
    due: date
    state: DeadlineState
    working_days_left: int  # negative when overdue


@dataclass(frozen=True)
class ComplaintSummary:
    id: str
    title: str
    category: str
    type: str
    status: str
    anonymous: bool
    confidential: bool
    submitted_at: datetime
    assigned_at: datetime
    updated_at: datetime
    server_due_at: datetime | None
    deadline: Deadline | None
    # The reply the list shows: the newest still in the office's hands, else the newest sent.
    reply_state: ReplyState | None
    has_local_changes: bool = False
    reply_kind: ReplyKind | None = None  # of that reply: a note or a request has its own words


@dataclass(frozen=True)
class EventInfo:
    id: str
    at: datetime
    type: str
    actor_name: str | None
    actor_role: str | None
    text: str | None
    attachment_ids: tuple[str, ...] = ()
    # For a reply of this office: who wrote it and who approved it (full names).
    # The server names whoever's PC sent it, often the supervisor's.
    written_by: str | None = None
    approved_by: str | None = None
    corrected: bool = False  # the approver corrected the text before approving


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    filename: str
    mime: str
    size: int
    sha256: str
    local_path: str | None  # set once downloaded and checked
    download_state: str  # "missing" | "partial" | "done" | "failed"
    downloaded_bytes: int = 0


@dataclass(frozen=True)
class DraftFile:
    """A file on a reply's draft, uploaded and kept sealed here until the reply is sent."""

    id: str  # the upload id, as in ReplyInfo.attachment_ids
    filename: str
    mime: str
    size: int  # bytes; 0 when not known (attached before this was recorded)
    sha256: str


@dataclass(frozen=True)
class ReporterInfo:
    name: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class ReplyInfo:
    id: str
    complaint_id: str
    kind: ReplyKind
    text: str
    state: ReplyState
    author_id: str
    base_version: int
    created_at: datetime
    updated_at: datetime
    suggested_agency: str = ""
    attachment_ids: tuple[str, ...] = ()
    approved_by: str | None = None
    approved_at: datetime | None = None
    return_comment: str | None = None
    refusal: str | None = None  # the server's reason, in its words
    conflict_changes: tuple[str, ...] = ()  # what changed on the server since drafting
    review_id: str | None = None  # set when sent to the office's approval queue
    corrected_by: str | None = None  # a supervisor who corrected the text before approving
    delivery: Delivery | None = None  # on a hub: where it stands with SP4N-LAPOR!


@dataclass(frozen=True)
class ComplaintDetail:
    summary: ComplaintSummary
    version: int
    body: str
    channel: str
    reporter: ReporterInfo | None  # None when anonim: the identity never reaches here
    address: str | None
    district: str | None
    lat: float | None
    lon: float | None
    verified_at: datetime | None
    rating_score: int | None
    rating_comment: str | None
    events: tuple[EventInfo, ...]
    attachments: tuple[AttachmentInfo, ...]
    replies: tuple[ReplyInfo, ...]
    removed: bool = False  # left the office's scope; kept for its unsent work


@dataclass(frozen=True)
class OutboxEntry:
    mutation_id: str
    reply_id: str | None
    type: str
    complaint_id: str
    state: OutboxState
    created_at: datetime
    attempts: int
    last_error: str | None  # the server's own words, if it gave any
    error_code: ErrorCode | None = None  # why it stopped (a conflict, a refusal's code)


@dataclass(frozen=True)
class UnreadableInfo:
    """A complaint the server sent that this PC could not read (quarantined), and why."""

    id: str
    reason: str  # where and why it failed, without the record's values
    since: datetime
    tries: int  # fetches by id since, that still failed
    next_try_at: datetime | None  # server time; None: at the next sync


@dataclass(frozen=True)
class CategoryInfo:
    """A complaint category of the office's scope (the inbox's filter)."""

    id: str
    name: str


@dataclass(frozen=True)
class AgencyInfo:
    """An agency a report can be moved to (``GET /agencies``, docs/API-NOTES.md)."""

    id: str
    name: str


@dataclass(frozen=True)
class TemplateInfo:
    """A reply template the server hands out; ``type`` is the reply kind it suits."""

    id: str
    title: str
    type: str
    body: str


@dataclass(frozen=True)
class UserInfo:
    id: str
    username: str
    full_name: str
    role: str
    office_id: str


@dataclass(frozen=True)
class LoginInfo(UserInfo):
    """The user just logged in, and whether the server checked the password (online)."""

    online: bool = False

    @classmethod
    def of(cls, user: UserInfo, online: bool) -> LoginInfo:
        return cls(user.id, user.username, user.full_name, user.role, user.office_id, online)


class SyncOutcome(StrEnum):
    """How a sync cycle ended: what the screen says and offers for each is in the GUI."""

    SYNCED = "synced"  # pushed and pulled to the end of the feed
    OFFLINE = "offline"  # the server was not reached; the next attempt comes by itself
    BUSY = "busy"  # the server answered "slow down" (429) or kept failing transiently
    LOGIN_REQUIRED = "login_required"  # no usable token: someone must log in with a password
    REFUSED = "refused"  # the server refused the request for good (a 4xx): a person must look
    MASS_REMOVAL_REFUSED = "mass_removal_refused"  # a snapshot would remove most of the office
    ERROR = "error"  # TLS, a malformed or hostile answer, a body too large


class SyncStep(StrEnum):
    """The first word of a cycle's progress text: what it is doing now."""

    PUSH = "push"
    PULL = "pull"
    FILES = "files"
    DONE = "done"
    WAITING = "waiting"  # the server did not answer: backing off before trying again


@dataclass(frozen=True)
class MassRemoval:
    """A snapshot that would remove ``removing`` of the ``total`` local complaints."""

    removing: int
    total: int


@dataclass(frozen=True)
class SyncReport:
    """What one sync cycle did. A network fault is a report, not an exception.

    ``online`` says whether the server answered at all (the GUI's "Daring");
    ``outcome`` says whether the cycle did its work, and ``ok`` only then.
    """

    started_at: datetime
    finished_at: datetime
    online: bool
    outcome: SyncOutcome = SyncOutcome.SYNCED
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    removed: int = 0
    quarantined: int = 0
    digest_ok: bool | None = None
    full_resync: bool = False
    error_code: ErrorCode | None = None
    error_message: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    mass_removal: MassRemoval | None = None  # set with MASS_REMOVAL_REFUSED: the question
    # The server's clock minus this PC's, as kept after this cycle (None: never measured).
    clock_offset_s: float | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == SyncOutcome.SYNCED
