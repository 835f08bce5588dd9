"""The LAPOR! v3 simulator's memory: one agency's complaints as SP4N-LAPOR! holds them.

Thread-safe: the simulator's routes and a test's own thread change it at once.
Every change to a complaint moves its ``updated_at`` on by at least a second, so
a poller comparing the listing's ``updated_at`` (kept to the second) never
misses two changes made within one second.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from server import seed_data as words
from server.upstream.simulator_faults import AfterPost, Faults
from server.upstream.simulator_records import (
    AGENCY,
    COMPLETED,
    IN_PROGRESS,
    NATIONAL_ADMIN,
    REPORTER,
    STATUS_CODES,
    VERIFIED,
    Attachment,
    Complaint,
    Followup,
    MoveRequest,
    Reporter,
    RequestRecord,
    Template,
    disposition_log_for,
    status_logs_for,
)

DEFAULT_INSTITUTIONS: dict[int, str] = {
    101: "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Badung",
    102: "Dinas Kesehatan Kabupaten Badung",
}
# Agencies a complaint can be moved to ("bukan wewenang").
OTHER_AGENCIES: dict[int, str] = {
    201: "Dinas Kependudukan dan Pencatatan Sipil Kota Denpasar",
    202: "Balai Wilayah Sungai Bali-Penida",
    203: "PT PLN (Persero) Unit Induk Distribusi Bali",
    204: "Kepolisian Daerah Bali",
}
DEFAULT_TIMEZONE = "Asia/Jakarta"
FIRST_COMPLAINT_ID = 4_100_001
DEFAULT_REPORTER = Reporter("Warga Simulator", "081200000000", "warga@sim.example")


class SimError(ValueError):
    """A refusal that the routes answer with ``status`` and ``{"message": ...}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def utc_now() -> datetime:
    return datetime.now(UTC)


class SimState:
    """One agency's view of SP4N-LAPOR!: its complaints, follow-ups, templates, agencies.

    ``institutions`` are the agency's own (complaints are disposed to them);
    ``other_agencies`` are where a complaint can be moved. ``clock`` returns an
    aware datetime; times are shown in ``timezone``.
    """

    def __init__(
        self,
        institutions: Mapping[int, str] | None = None,
        *,
        other_agencies: Mapping[int, str] | None = None,
        templates: Iterable[Template] | None = None,
        clock: Callable[[], datetime] = utc_now,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        self._lock = threading.RLock()
        self.clock = clock
        self.tz = ZoneInfo(timezone)
        self._own = dict(institutions or DEFAULT_INSTITUTIONS)
        others = OTHER_AGENCIES if other_agencies is None else other_agencies
        self._others = {k: v for k, v in others.items() if k not in self._own}
        if templates is None:
            templates = [Template(*t) for t in words.TEMPLATES]
        self._templates = {t.template_code: t for t in templates}
        self._complaints: dict[int, Complaint] = {}
        self._followups: dict[int, list[Followup]] = {}
        self._moves: list[MoveRequest] = []
        self._requests: list[RequestRecord] = []
        self._faults = Faults()
        self._next_complaint = FIRST_COMPLAINT_ID
        self._next_followup = 1

    @classmethod
    def seeded(
        cls,
        complaints: int = 20,
        seed: int = 2026,
        institutions: Mapping[int, str] | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> SimState:
        """A state with ``complaints`` seeded complaints; the same seed gives the same texts."""
        from server.upstream.simulator_seed import seed_records  # the seed needs this module

        state = cls(institutions, clock=clock, timezone=timezone)
        records, followups = seed_records(
            complaints, seed, state.institutions, state.now(), FIRST_COMPLAINT_ID
        )
        state.load(records, followups)
        return state

    # Reads

    @property
    def institutions(self) -> dict[int, str]:
        """The agency's own institutions."""
        return dict(self._own)

    @property
    def all_institutions(self) -> dict[int, str]:
        """The agency's own and the others (``/masters/institutions/external``)."""
        return {**self._own, **self._others}

    @property
    def templates(self) -> list[Template]:
        return list(self._templates.values())

    def now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def complaint(self, complaint_id: int) -> Complaint:
        with self._lock:
            return self._get(complaint_id)

    def complaints(self) -> list[Complaint]:
        """All complaints, by id (the listing's order)."""
        with self._lock:
            return [self._complaints[k] for k in sorted(self._complaints)]

    def followups(self, complaint_id: int) -> list[Followup]:
        """Every follow-up, oldest first: the agency's (ours too) and the reporter's."""
        with self._lock:
            self._get(complaint_id)
            return list(self._followups[complaint_id])

    @property
    def moves_requested(self) -> list[MoveRequest]:
        with self._lock:
            return list(self._moves)

    @property
    def request_log(self) -> list[RequestRecord]:
        """The API requests served (not the ``/_sim`` control routes), oldest first."""
        with self._lock:
            return list(self._requests)

    def reset_request_log(self) -> None:
        with self._lock:
            self._requests.clear()

    def log_request(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)

    # Changes

    def load(self, complaints: Iterable[Complaint], followups: Iterable[Followup] = ()) -> None:
        """Insert complete records as they are (the seed, a test's fixture)."""
        with self._lock:
            for c in complaints:
                if c.id in self._complaints:
                    raise SimError(409, f"Laporan {c.id} sudah ada")
                self._complaints[c.id] = c
                self._followups[c.id] = []
                self._next_complaint = max(self._next_complaint, c.id + 1)
            for f in followups:
                self._get(f.complaint_id)
                self._followups[f.complaint_id].append(f)
                self._next_followup = max(self._next_followup, f.id + 1)

    def add_complaint(
        self,
        title: str,
        content: str,
        *,
        status_name: str = VERIFIED,
        disposition_id: int | None = None,
        category_id: int = 1,
        category_name: str = "Infrastruktur",
        classification_name: str = "Pengaduan",
        source_name: str = "Website",
        is_anonymous: bool = False,
        is_secret: bool = False,
        reporter: Reporter | None = DEFAULT_REPORTER,
        address: str | None = None,
        district: str | None = None,
    ) -> int:
        """File a new complaint, disposed to ``disposition_id`` (default: the first own)."""
        _check_status(status_name)
        if not title.strip() or not content.strip():
            raise SimError(422, "Judul dan isi laporan wajib diisi")
        with self._lock:
            target = next(iter(self._own)) if disposition_id is None else disposition_id
            name = self._institution_name(target)
            at = self.now()
            cid = self._next_complaint
            self._next_complaint += 1
            logs = [status_logs_for(None, status_name, at, NATIONAL_ADMIN, name)]
            self._complaints[cid] = Complaint(
                id=cid,
                title=title,
                content=content,
                status_name=status_name,
                disposition_id=target,
                created_at=at,
                updated_at=at,
                category_id=category_id,
                category_name=category_name,
                classification_name=classification_name,
                source_name=source_name,
                is_anonymous=is_anonymous,
                is_secret=is_secret,
                reporter=None if is_anonymous else reporter,
                address=address,
                district=district,
                status_logs=tuple(s for s, _ in logs),
                data_logs=tuple(d for _, d in logs),
            )
            self._followups[cid] = []
            return cid

    def add_reporter_reply(
        self, complaint_id: int, text: str, *, attachments: Iterable[Attachment] = ()
    ) -> Followup:
        """The reporter answers on SP4N-LAPOR! (``user_type`` "pelapor")."""
        with self._lock:
            c = self._get(complaint_id)
            # id 0 and the last change's time until _append_followup gives their own.
            draft = Followup(
                0,
                c.id,
                c.updated_at,
                text,
                REPORTER,
                institution_to_id=c.disposition_id,
                attachments=tuple(attachments),
            )
            return self._append_followup(c, draft)

    def add_followup(
        self,
        complaint_id: int,
        content: str,
        *,
        institution_from_id: int | None = None,
        institution_to_id: int | None = None,
        user_id: int | None = None,
        template_code: str | None = None,
        info_disposition: str = "",
        is_secret: bool = False,
        rating: int = 0,
        attachments: Iterable[Attachment] = (),
        complete: bool = False,
    ) -> Followup:
        """An agency's follow-up (what ``POST /complaints/followup/add`` does).

        It moves Terverifikasi to Dalam Proses; ``complete`` closes it (Selesai).
        """
        if not content.strip():
            raise SimError(422, "Isi tindak lanjut (content) wajib diisi")
        with self._lock:
            c = self._get(complaint_id, status=422)
            for iid in (institution_from_id, institution_to_id):
                if iid is not None:
                    self._institution_name(iid)
            template = self._templates.get(template_code or "")
            draft = Followup(
                0,
                c.id,
                c.updated_at,
                content,
                AGENCY,
                institution_from_id=institution_from_id,
                institution_to_id=institution_to_id,
                template_code=template_code or None,
                template_content=template.content if template else None,
                user_id=user_id,
                info_disposition=info_disposition,
                is_secret=is_secret,
                rating=rating,
                attachments=tuple(attachments),
            )
            followup = self._append_followup(c, draft)
            new = COMPLETED if complete else IN_PROGRESS if c.status_name == VERIFIED else None
            if new is not None and new != c.status_name:
                actor = self._actor(institution_from_id, c)
                self._change_status(complaint_id, new, actor, at=followup.created_at)
            return followup

    def set_status(self, complaint_id: int, status_name: str) -> None:
        """The national admin changes the status (e.g. verifies, archives)."""
        _check_status(status_name)
        with self._lock:
            c = self._get(complaint_id)
            if c.status_name != status_name:
                self._change_status(complaint_id, status_name, NATIONAL_ADMIN)

    def rate(self, complaint_id: int, score: int, comment: str | None = None) -> None:
        """The reporter rates the handling, 1 to 5."""
        if not 1 <= score <= 5:
            raise SimError(422, "Nilai harus 1 sampai 5")
        with self._lock:
            c = self._get(complaint_id)
            self._complaints[complaint_id] = replace(
                c, rating=score, rating_comment=comment, updated_at=self._stamp(c)
            )

    def move(self, complaint_id: int, institution_id: int) -> None:
        """The national admin moves the complaint to another institution (own or not)."""
        with self._lock:
            c = self._get(complaint_id)
            target = (institution_id, self._institution_name(institution_id))
            if institution_id == c.disposition_id:
                return
            source = (c.disposition_id, self._institution_name(c.disposition_id))
            at = self._stamp(c)
            log, data = disposition_log_for(c.status_name, at, source, target)
            self._complaints[complaint_id] = replace(
                c,
                disposition_id=institution_id,
                updated_at=at,
                status_logs=(*c.status_logs, log),
                data_logs=(*c.data_logs, data),
            )

    def request_move(
        self, complaint_id: int, institution_id: int, description: str, *, not_authority: bool
    ) -> MoveRequest:
        """The agency asks to move it ("bukan wewenang"): recorded, not carried out."""
        with self._lock:
            self._get(complaint_id)
            if institution_id not in self.all_institutions:
                raise SimError(422, f"Instansi tujuan {institution_id} tidak dikenal")
            request = MoveRequest(
                complaint_id, institution_id, description, not_authority, self.now()
            )
            self._moves.append(request)
            return request

    # Faults

    @property
    def faults(self) -> Faults:
        """A copy of the faults now set."""
        with self._lock:
            return copy.deepcopy(self._faults)

    def set_faults(self, **changes: object) -> None:
        """Set faults by name (see ``Faults``); the others stay as they are."""
        with self._lock:
            staged = copy.deepcopy(self._faults)
            staged.update(changes)  # all or nothing
            self._faults = staged

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = Faults()

    def take_5xx(self, method: str, path: str) -> int | None:
        with self._lock:
            return self._faults.take_5xx(method, path)

    def after_post_armed(self, path: str) -> bool:
        with self._lock:
            return self._faults.after_post_armed(path)

    def take_after_post(self, path: str) -> AfterPost | None:
        with self._lock:
            return self._faults.take_after_post(path)

    def take_refusal(self) -> str | None:
        with self._lock:
            return self._faults.take_refusal()

    # Inside

    def _get(self, complaint_id: int, *, status: int = 404) -> Complaint:
        try:
            return self._complaints[complaint_id]
        except KeyError:
            raise SimError(status, f"Laporan {complaint_id} tidak ditemukan") from None

    def _institution_name(self, institution_id: int) -> str:
        try:
            return self.all_institutions[institution_id]
        except KeyError:
            raise SimError(422, f"Instansi {institution_id} tidak dikenal") from None

    def _actor(self, institution_id: int | None, c: Complaint) -> tuple[int, str]:
        iid = c.disposition_id if institution_id is None else institution_id
        return iid, self._institution_name(iid)

    def _stamp(self, c: Complaint) -> datetime:
        """The time of a change to ``c``: now, but at least a second after its last."""
        return max(self.now(), c.updated_at + timedelta(seconds=1))

    def _append_followup(self, c: Complaint, draft: Followup) -> Followup:
        followup = replace(draft, id=self._next_followup, created_at=self._stamp(c))
        at = followup.created_at
        self._next_followup += 1
        self._followups[c.id].append(followup)
        self._complaints[c.id] = replace(c, updated_at=at)
        return followup

    def _change_status(
        self, complaint_id: int, new: str, actor: tuple[int, str], *, at: datetime | None = None
    ) -> None:
        c = self._complaints[complaint_id]
        when = at if at is not None and at >= c.updated_at else self._stamp(c)
        name = self._institution_name(c.disposition_id)
        log, data = status_logs_for(c.status_name, new, when, actor, name)
        self._complaints[complaint_id] = replace(
            c,
            status_name=new,
            updated_at=when,
            status_logs=(*c.status_logs, log),
            data_logs=(*c.data_logs, data),
        )


def _check_status(status_name: str) -> None:
    if status_name not in STATUS_CODES:
        raise SimError(422, f"Status tidak dikenal: {status_name}")
