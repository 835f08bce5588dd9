"""What the LAPOR! v3 simulator stores: frozen records, replaced whole on each change.

Frozen so that a test holding one never sees it change under it, and a route
renders a consistent record without holding the state's lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

# The names are seen in calling code; the numeric codes are not (ours, in this order).
STATUS_CODES: dict[str, int] = {
    "Belum Terverifikasi": 0,
    "Terverifikasi": 1,
    "Dalam Proses": 2,
    "Selesai": 3,
    "Diarsipkan": 4,
    "Ditolak": 5,
}
UNVERIFIED, VERIFIED, IN_PROGRESS, COMPLETED = (
    "Belum Terverifikasi",
    "Terverifikasi",
    "Dalam Proses",
    "Selesai",
)

# Who changes a status when no agency does: the national administrator.
NATIONAL_ADMIN = (1, "Admin Nasional SP4N-LAPOR!")

STATUS_NOTES: dict[str, str] = {
    UNVERIFIED: "Laporan diterima dan menunggu verifikasi",
    VERIFIED: "Laporan diverifikasi dan diteruskan kepada {institution}",
    IN_PROGRESS: "Laporan sedang ditindaklanjuti oleh {institution}",
    COMPLETED: "Laporan dinyatakan selesai oleh {institution}",
    "Diarsipkan": "Laporan diarsipkan",
    "Ditolak": "Laporan ditolak",
}
STATUS_LOG_TEMPLATE = (
    "{{institution_from}} mengubah status laporan dari {{status_old}} menjadi {{status_new}}"
)
DISPOSITION_LOG_TEMPLATE = "Laporan dialihkan dari {{institution_from}} kepada {{institution_to}}"

REPORTER = "pelapor"
AGENCY = "instansi"


@dataclass(frozen=True)
class Reporter:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class StatusLog:
    note: str
    at: datetime


@dataclass(frozen=True)
class DataLog:
    """One ``data_logs`` entry: a template and its values (sent as a JSON string)."""

    content: str
    data: Mapping[str, object]
    at: datetime


@dataclass(frozen=True)
class Attachment:
    file_name: str
    path: str
    content: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class Followup:
    id: int
    complaint_id: int
    created_at: datetime
    content: str
    user_type: str  # REPORTER or AGENCY
    institution_from_id: int | None = None
    institution_to_id: int | None = None
    template_code: str | None = None
    template_content: str | None = None
    user_id: int | None = None
    info_disposition: str = ""
    is_secret: bool = False
    rating: int = 0
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Complaint:
    id: int
    title: str
    content: str
    status_name: str
    disposition_id: int
    created_at: datetime
    updated_at: datetime
    category_id: int = 1
    category_name: str = "Infrastruktur"
    classification_name: str = "Pengaduan"
    source_name: str = "Website"
    is_anonymous: bool = False
    is_secret: bool = False
    reporter: Reporter | None = None
    address: str | None = None
    district: str | None = None
    rating: int | None = None
    rating_comment: str | None = None
    status_logs: tuple[StatusLog, ...] = ()
    data_logs: tuple[DataLog, ...] = ()


@dataclass(frozen=True)
class Template:
    template_code: str
    title: str
    type: str
    content: str


@dataclass(frozen=True)
class MoveRequest:
    """A "bukan wewenang" request: recorded, not carried out (the national admin decides)."""

    complaint_id: int
    institution_id: int
    description: str
    not_authority: bool
    at: datetime


@dataclass(frozen=True)
class RequestRecord:
    """One API request as served; bytes count bodies only."""

    method: str
    path: str  # below the base path, e.g. "/complaints/5/complaint"
    query: str
    status: int
    bytes_in: int
    bytes_out: int


def status_logs_for(
    old: str | None,
    new: str,
    at: datetime,
    actor: tuple[int, str],
    disposition_name: str,
) -> tuple[StatusLog, DataLog]:
    """The ``status_logs`` and ``data_logs`` entries of one status change."""
    note = STATUS_NOTES.get(new, "Status laporan: " + new).format(institution=disposition_name)
    data = {
        "institution_from": {"id": actor[0], "name": actor[1]},
        "institution_to": {"id": actor[0], "name": actor[1]},
        "status_old": {"name": old if old is not None else new},
        "status_new": {"name": new},
    }
    return StatusLog(note, at), DataLog(STATUS_LOG_TEMPLATE, data, at)


def disposition_log_for(
    status: str, at: datetime, source: tuple[int, str], target: tuple[int, str]
) -> tuple[StatusLog, DataLog]:
    """The log entries of a move from one institution to another."""
    data = {
        "institution_from": {"id": source[0], "name": source[1]},
        "institution_to": {"id": target[0], "name": target[1]},
        "status_old": {"name": status},
        "status_new": {"name": status},
    }
    note = f"Laporan dialihkan dari {source[1]} kepada {target[1]}"
    return StatusLog(note, at), DataLog(DISPOSITION_LOG_TEMPLATE, data, at)
