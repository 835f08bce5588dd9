"""The wire of api/SYNC-API.md: types, canonical JSON, approval signing.

The one module that both the client (``sync``) and the reference server
(``server``) import. It needs only the standard library, ``cryptography``
and ``pydantic``, so the server can use it without pulling in the client's
database or HTTP code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any, Literal, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

API_PREFIX = "/api/v1"

# Limits of the contract.
MAX_BODY_BYTES = 64 * 1024 * 1024  # inflated request or response body
MAX_MUTATIONS_PER_REQUEST = 100
MAX_TEXT_CHARS = 20_000
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PAGE_LIMIT = 1000
DEFAULT_PAGE_LIMIT = 200
STALL_TIMEOUT_S = 30.0


class FileType(NamedTuple):
    """An allowed attachment type: its kept copy's extension, and what its file starts with."""

    extension: str
    magic: tuple[bytes, ...]  # any one of these; () for text, told by having no NUL byte


# The types a file may be, one table for both ends. The declared type is a claim; the
# first bytes are checked by both ends, so an executable renamed to .pdf is refused;
# the client names a kept copy by the extension (the system's viewer goes by it).
_ZIP = (b"PK\x03\x04",)  # OpenDocument and Office Open XML are zip containers
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy Office compound files
FILE_TYPES: Mapping[str, FileType] = MappingProxyType({
    "image/jpeg": FileType(".jpg", (b"\xff\xd8\xff",)),
    "image/png": FileType(".png", (b"\x89PNG\r\n\x1a\n",)),
    "application/pdf": FileType(".pdf", (b"%PDF-",)),
    "text/plain": FileType(".txt", ()),
    "application/vnd.oasis.opendocument.text": FileType(".odt", _ZIP),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(".ods", _ZIP),
    "application/vnd.oasis.opendocument.presentation": FileType(".odp", _ZIP),
    "application/msword": FileType(".doc", _OLE),
    "application/vnd.ms-excel": FileType(".xls", _OLE),
    "application/vnd.ms-powerpoint": FileType(".ppt", _OLE),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        FileType(".docx", _ZIP),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileType(".xlsx", _ZIP),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation":
        FileType(".pptx", _ZIP),
})
SNIFF_BYTES = 8192  # how much of a file's start ``content_matches`` needs


def content_matches(mime: str, head: bytes) -> bool:
    """True when a file starting with ``head`` (its first SNIFF_BYTES) is what ``mime`` says.

    Plain text is anything without a NUL byte (every executable has many);
    an empty file is harmless as any type.
    """
    kind = FILE_TYPES.get(mime)
    if kind is None:
        return False
    if not head:
        return True
    if not kind.magic:
        return b"\x00" not in head[:SNIFF_BYTES]
    return head.startswith(kind.magic)


_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
MAX_FILENAME_CHARS = 200
_MAX_FILENAME_BYTES = 240  # file systems count bytes (ext4: 255), not characters


def safe_filename(name: str, default: str = "lampiran") -> str:
    """A file name fit to show and to offer in a save dialog, on both ends: never a path.

    Only the last component of any path (``/``, ``\\``, a drive's ``C:``) is
    kept; control and format characters (a right-to-left override that
    disguises ``gpj.exe``) go; characters Windows refuses become ``_``; a
    device name (CON, NUL, COM1...) gets a ``_`` before it; leading dots and
    trailing dots and spaces go; the length is capped, keeping a short extension.
    """
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"^[A-Za-z]:", "", name)  # C:evil.txt is relative to drive C
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").rstrip(". ").strip()
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"
    stem, dot, ext = name.rpartition(".")
    if not (dot and stem and len(ext) < 16):
        stem, ext = name, ""
    stem = stem[: MAX_FILENAME_CHARS - len(ext) - 1 if ext else MAX_FILENAME_CHARS]
    suffix = f".{ext}" if ext else ""
    while len((stem + suffix).encode("utf-8")) > _MAX_FILENAME_BYTES:
        stem = stem[:-1]
    name = stem + suffix
    return name or default


ComplaintType = Literal["pengaduan", "aspirasi", "permintaan_informasi"]
ComplaintStatus = Literal["verified", "in_progress", "completed", "archived"]
Channel = Literal["web", "mobile", "sms", "social_media", "walk_in"]
Role = Literal["officer", "supervisor"]
EventType = Literal[
    "submitted",
    "verified",
    "assigned",
    "response",
    "reporter_reply",
    "status",
    "note",
    "reassigned",
    "rating",
]
MutationType = Literal[
    "respond", "complete", "request_reassignment", "note", "submit_review", "decide_review"
]
ResultStatus = Literal["applied", "duplicate", "conflict", "rejected"]
ChangeKind = Literal["complaint", "user", "category", "template", "review"]

# Mutation types whose effect reaches the reporter or the national admin:
# a supervisor's signed approval must come with them.
NEEDS_APPROVAL: frozenset[str] = frozenset({"respond", "complete", "request_reassignment"})

# Complaint statuses in which a record is closed to replies.
CLOSED_STATUSES: frozenset[str] = frozenset({"completed", "archived"})

APPROVAL_DOMAIN = "LAPOR-APPROVAL-v1"

Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Wire(BaseModel):
    """Base of every wire type: unknown fields are ignored, known ones strict."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=False)


# --- time -----------------------------------------------------------------


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with ``Z`` and whole seconds, as the contract writes times."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the wire only carries UTC times")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Parse an RFC 3339 time into an aware UTC datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time without a zone: {text!r}")
    return moment.astimezone(UTC)


# --- records --------------------------------------------------------------


class Record(Wire):
    """What the change feed carries (``Change.kind``): a record the feed names by its id."""

    id: Id


class Category(Record):
    name: str


class Reporter(Wire):
    name: str
    phone: str | None = None
    email: str | None = None


class Location(Wire):
    address: str | None = None
    district: str | None = None
    lat: float | None = None
    lon: float | None = None


class Actor(Wire):
    id: str
    name: str
    role: str


class AttachmentMeta(Wire):
    id: Id
    filename: str
    mime: str
    size: int = Field(ge=0)
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class UpstreamDelivery(Wire):
    """On a hub, where an office's approved action stands with SP4N-LAPOR! (API-NOTES.md).

    Carried by a ``note`` event the hub adds: ``of`` is the event of the
    reply (or move request) it speaks of; ``mutation_id`` and ``review_id``
    say which office action that was.
    """

    of: Id
    state: Literal["waiting", "delivered", "refused"]
    mutation_id: str | None = None
    review_id: str | None = None
    message: str | None = None


class Event(Wire):
    id: Id
    at: datetime
    type: EventType
    actor: Actor | None = None
    text: str | None = None
    attachments: list[AttachmentMeta] = Field(default_factory=list)
    upstream: UpstreamDelivery | None = None


class Rating(Wire):
    score: int = Field(ge=1, le=5)
    comment: str | None = None


class Complaint(Record):
    version: int = Field(ge=1)
    type: ComplaintType
    title: str
    body: str
    category: Category
    channel: Channel
    anonymous: bool
    confidential: bool
    reporter: Reporter | None = None
    location: Location | None = None
    status: ComplaintStatus
    submitted_at: datetime
    verified_at: datetime | None = None
    assigned_at: datetime
    due_at: datetime | None = None
    updated_at: datetime
    events: list[Event] = Field(default_factory=list)
    attachments: list[AttachmentMeta] = Field(default_factory=list)
    rating: Rating | None = None


class User(Record):
    username: str
    full_name: str
    role: Role
    office_id: Id
    active: bool


class Template(Record):
    title: str
    type: str
    body: str


class Decision(Wire):
    by: str
    at: datetime
    comment: str | None = None


class Review(Record):
    complaint_id: Id
    author_id: Id
    mutation_type: Literal["respond", "complete", "request_reassignment"]
    payload: dict[str, Any]
    base_version: int = Field(ge=1)
    submitted_at: datetime
    state: Literal["pending", "returned", "approved"]
    decision: Decision | None = None


class Change(Wire):
    seq: int = Field(ge=0)
    kind: ChangeKind
    id: Id
    op: Literal["upsert", "remove"]
    data: dict[str, Any] | None = None


class ChangePage(Wire):
    items: list[Change]
    next_cursor: str
    has_more: bool
    server_time: datetime


class Digest(Wire):
    complaints: int = Field(ge=0)
    digest: str
    as_of_seq: int = Field(ge=0)


class TokenPair(Wire):
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


# --- mutations ------------------------------------------------------------


class Approval(Wire):
    supervisor_id: Id
    device_id: Id
    approved_at: str
    content_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    signature: str


class Mutation(Wire):
    id: Id
    type: MutationType
    complaint_id: Id
    # "1", 1.0 and true are not versions; a lax int would take them and hash them as 1.
    base_version: StrictInt
    created_at: datetime
    payload: dict[str, Any]
    approval: Approval | None = None


class ErrorInfo(Wire):
    code: str
    message: str


class MutationResult(Wire):
    id: Id
    status: ResultStatus
    complaint: dict[str, Any] | None = None
    error: ErrorInfo | None = None


class MutationResults(Wire):
    results: list[MutationResult]


# Payload shapes, checked by both ends before a mutation is queued or applied.


class TextPayload(Wire):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: Text
    attachment_ids: list[Id] = Field(default_factory=list)


class NotePayload(Wire):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: Text


class ReassignmentPayload(Wire):
    model_config = ConfigDict(extra="forbid", frozen=True)
    reason: Text
    suggested_agency: Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)] = ""


class SubmitReviewPayload(Wire):
    model_config = ConfigDict(extra="forbid", frozen=True)
    review_id: Id
    mutation_type: Literal["respond", "complete", "request_reassignment"]
    payload: dict[str, Any]


class DecideReviewPayload(Wire):
    model_config = ConfigDict(extra="forbid", frozen=True)
    review_id: Id
    decision: Literal["approve", "return"]
    comment: Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)] | None = None


PAYLOAD_MODELS: dict[str, type[Wire]] = {
    "respond": TextPayload,
    "complete": TextPayload,
    "request_reassignment": ReassignmentPayload,
    "note": NotePayload,
    "submit_review": SubmitReviewPayload,
    "decide_review": DecideReviewPayload,
}


def validate_payload(mutation_type: str, payload: Mapping[str, Any]) -> None:
    """Raise ``pydantic.ValidationError`` (or KeyError) if the payload is malformed."""
    model = PAYLOAD_MODELS[mutation_type]
    model.model_validate(dict(payload), strict=True)


# --- canonical JSON and approvals ------------------------------------------


def canonical_json(obj: Any) -> bytes:
    """The exact bytes both ends hash: sorted keys, no spaces, UTF-8, no floats."""
    _refuse_floats(obj)
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # JSON's "\ud800" escape decodes to a lone surrogate, which UTF-8 cannot hold.
        raise ValueError("a text is not valid Unicode (a lone surrogate)") from None


def _refuse_floats(obj: Any) -> None:
    if isinstance(obj, float):
        raise ValueError("floats have no canonical form in a signed payload")
    if isinstance(obj, Mapping):
        for value in obj.values():
            _refuse_floats(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            _refuse_floats(value)


def content_sha256(
    mutation_type: str, complaint_id: str, base_version: int, payload: Mapping[str, Any]
) -> str:
    """Lowercase hex SHA-256 of what a supervisor approves."""
    content = {
        "type": mutation_type,
        "complaint_id": complaint_id,
        "base_version": base_version,
        "payload": dict(payload),
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def approval_message(content_hash: str, supervisor_id: str, approved_at: str) -> bytes:
    return f"{APPROVAL_DOMAIN}\n{content_hash}\n{supervisor_id}\n{approved_at}".encode()


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


_FIELD_PRIME = 2**255 - 19

# Ed25519 points of order 1, 2, 4 and 8 (and the two with x = 0 and the sign
# bit set): under such a key one fixed signature verifies every message.
# From "Taming the many EdDSAs" (Chalkias et al., 2020), each checked 8P = 0.
_SMALL_ORDER_KEYS = frozenset(
    bytes.fromhex(h)
    for h in (
        "0100000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    )
)


def load_public_key(b64: str) -> Ed25519PublicKey:
    """Decode a registered key; raises ValueError unless it is a canonical, large-order key."""
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    if raw in _SMALL_ORDER_KEYS:
        raise ValueError("a point of small order is no key")
    if int.from_bytes(raw, "little") & ~(1 << 255) >= _FIELD_PRIME:
        raise ValueError("not the canonical encoding of a point (y >= p)")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign_approval(
    private_key: Ed25519PrivateKey,
    *,
    supervisor_id: str,
    device_id: str,
    mutation_type: str,
    complaint_id: str,
    base_version: int,
    payload: Mapping[str, Any],
    approved_at: datetime,
) -> dict[str, str]:
    """The contract's ``Approval`` for one action, signed on this device."""
    content_hash = content_sha256(mutation_type, complaint_id, base_version, payload)
    stamp = format_time(approved_at)
    signature = private_key.sign(approval_message(content_hash, supervisor_id, stamp))
    return {
        "supervisor_id": supervisor_id,
        "device_id": device_id,
        "approved_at": stamp,
        "content_sha256": content_hash,
        "signature": base64.b64encode(signature).decode("ascii"),
    }


def verify_approval(
    public_key: Ed25519PublicKey,
    approval: Approval,
    *,
    mutation_type: str,
    complaint_id: str,
    base_version: int,
    payload: Mapping[str, Any],
) -> bool:
    """True only if the hash matches this action and the signature verifies."""
    expected = content_sha256(mutation_type, complaint_id, base_version, payload)
    if approval.content_sha256 != expected:
        return False
    try:
        signature = base64.b64decode(approval.signature, validate=True)
        public_key.verify(
            signature,
            approval_message(expected, approval.supervisor_id, approval.approved_at),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


# --- the digest -----------------------------------------------------------


def scope_digest(versions: Mapping[str, int]) -> str:
    """Hex SHA-256 of ``"<id>:<version>\\n"`` for every complaint, sorted by id."""
    hasher = hashlib.sha256()
    for complaint_id in sorted(versions):
        hasher.update(f"{complaint_id}:{versions[complaint_id]}\n".encode())
    return hasher.hexdigest()


class ErrorCode(StrEnum):
    """Every code there is: the contract's (the server sends them), and the client's own.

    The server sends only the contract's; ``sync.errors`` raises them all.
    """

    # Raised by the local calls.
    NOT_FOUND = "not_found"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ALLOWED = "not_allowed"  # the role or the person may not do this
    INVALID_CREDENTIALS = "invalid_credentials"
    ACCOUNT_LOCKED = "account_locked"
    NOT_LOGGED_IN = "not_logged_in"
    VALIDATION = "validation_error"
    LOCKED_PROFILE = "locked_profile"  # no key: keyring empty and no one logged in yet
    WRONG_KEY = "wrong_key"
    CANCELLED = "cancelled"  # the caller's stop() said so while SQLite was still working
    INVALID_RULES = "invalid_rules"  # a deadline rules file that cannot be used
    UNREADABLE = "unreadable"  # a local file that cannot be read as what it claims
    # The network, as the core sees it.
    OFFLINE = "offline"  # the server did not answer and nothing cached can stand in
    LOGIN_REQUIRED = "login_required"  # no usable token: the person must type their password
    TRANSPORT_ERROR = "transport_error"  # TLS, a refused URL, a broken or hostile answer
    MASS_REMOVAL_REFUSED = "mass_removal_refused"  # a snapshot would empty the office
    DIGEST_MISMATCH = "digest_mismatch"
    SERVER_ERROR = "server_error"  # an error code the contract does not name
    # The contract's codes (api/SYNC-API.md, "General" and mutation results).
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - a code, not a secret
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - a code, not a secret
    FORBIDDEN = "forbidden"
    CURSOR_EXPIRED = "cursor_expired"
    INVALID_APPROVAL = "invalid_approval"
    OFFSET_MISMATCH = "offset_mismatch"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    RATE_LIMITED = "rate_limited"
    KEY_EXISTS = "key_exists"
    RANGE_NOT_SATISFIABLE = "range_not_satisfiable"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    INTERNAL_ERROR = "internal_error"
    BAD_GATEWAY = "bad_gateway"
    UNAVAILABLE = "unavailable"

    @classmethod
    def parse(cls, code: str) -> ErrorCode:
        """The member for a code off the wire; ``SERVER_ERROR`` for one the contract lacks."""
        try:
            return cls(code)
        except ValueError:
            return cls.SERVER_ERROR


def error_body(code: str, message: str, details: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": dict(details or {})}}
