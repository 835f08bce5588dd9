"""Words on screen (DOMAIN.md): one Indonesian word for one thing, everywhere.

Every screen and export names statuses, types and states through here, so a
word changes in one place. Dates are shown day first, in local time.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from sync.values import Deadline, DeadlineState, OutboxState, ReplyKind, ReplyState


def _tr(text: str) -> str:
    return QCoreApplication.translate("words", text)


def status_name(status: str) -> str:
    names = {
        "verified": _tr("Terverifikasi"),
        "in_progress": _tr("Dalam Proses"),
        "completed": _tr("Selesai"),
        "archived": _tr("Diarsipkan"),
    }
    return names.get(status, status)


def type_name(kind: str) -> str:
    names = {
        "pengaduan": _tr("Pengaduan"),
        "aspirasi": _tr("Aspirasi"),
        "permintaan_informasi": _tr("Permintaan Informasi"),
    }
    return names.get(kind, kind)


def reply_state_name(state: ReplyState | str | None) -> str:
    if state is None:
        return _tr("Belum ada")
    names = {
        ReplyState.DRAFT: _tr("Draf"),
        ReplyState.AWAITING_APPROVAL: _tr("Menunggu Persetujuan"),
        ReplyState.APPROVED: _tr("Disetujui"),
        ReplyState.QUEUED: _tr("Di Kotak Keluar"),
        ReplyState.SENT: _tr("Terkirim"),
        ReplyState.RETURNED: _tr("Dikembalikan"),
        ReplyState.CONFLICT: _tr("Konflik"),
        ReplyState.REFUSED: _tr("Ditolak server"),
    }
    return names.get(ReplyState(state), str(state))


def reply_kind_name(kind: ReplyKind | str) -> str:
    names = {
        ReplyKind.RESPOND: _tr("Tindak Lanjut"),
        ReplyKind.COMPLETE: _tr("Tindak Lanjut penyelesaian"),
        ReplyKind.REQUEST_REASSIGNMENT: _tr("Bukan Wewenang"),
        ReplyKind.NOTE: _tr("Catatan Internal"),
    }
    return names.get(ReplyKind(kind), str(kind))


def deadline_state_name(state: DeadlineState | str) -> str:
    names = {
        DeadlineState.ON_TIME: _tr("Tepat waktu"),
        DeadlineState.DUE_SOON: _tr("Segera"),
        DeadlineState.DUE_TODAY: _tr("Hari ini"),
        DeadlineState.OVERDUE: _tr("Terlambat"),
        DeadlineState.DONE: _tr("Sudah ditindaklanjuti"),
    }
    return names.get(DeadlineState(state), str(state))


def deadline_text(deadline: Deadline | None) -> str:
    """'dd/mm/yyyy · Terlambat', or just the date once the follow-up is done."""
    if deadline is None:
        return "–"
    if deadline.state == DeadlineState.DONE:
        return format_date(deadline.due)
    return f"{format_date(deadline.due)} · {deadline_state_name(deadline.state)}"


def outbox_state_name(state: OutboxState | str) -> str:
    names = {
        OutboxState.PENDING: _tr("Menunggu dikirim"),
        OutboxState.SENT: _tr("Terkirim"),
        OutboxState.CONFLICT: _tr("Konflik"),
        OutboxState.REJECTED: _tr("Ditolak server"),
    }
    return names.get(OutboxState(state), str(state))


def event_type_name(kind: str) -> str:
    names = {
        "submitted": _tr("Laporan masuk"),
        "verified": _tr("Terverifikasi"),
        "assigned": _tr("Diteruskan ke kantor"),
        "response": _tr("Tindak Lanjut"),
        "reporter_reply": _tr("Balasan Pelapor"),
        "status": _tr("Perubahan status"),
        "note": _tr("Catatan Internal"),
        "reassigned": _tr("Dipindahkan"),
        "rating": _tr("Penilaian Pelapor"),
    }
    return names.get(kind, kind)


def role_name(role: str) -> str:
    return _tr("Atasan (Pejabat Penghubung)") if role == "supervisor" else _tr("Petugas")


def anonymous_word() -> str:
    return _tr("Anonim")


def confidential_word() -> str:
    return _tr("Rahasia")


def server_url_problem_text(problem: str) -> str:
    """Words for a code of ``sync.http.urls.server_url_problem``."""
    if problem == "needs_https":
        return _tr("Alamat server harus memakai https:// (kecuali server di komputer ini).")
    return _tr("Isi alamat server, misalnya https://lapor.contoh.go.id")


def tr_days(number: str) -> str:
    """'<number> hari kerja', with the number already formatted."""
    return _tr("%1 hari kerja").replace("%1", number)


def origin_name(from_office_queue: bool) -> str:
    """Where a reply waiting for approval came from."""
    return _tr("antrean kantor") if from_office_queue else _tr("komputer ini")


def age_text(since: datetime, now: datetime) -> str:
    """How long something has waited, in the largest whole unit."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return _tr("%1 menit").replace("%1", str(minutes))
    if minutes < 48 * 60:
        return _tr("%1 jam").replace("%1", str(minutes // 60))
    return _tr("%1 hari").replace("%1", str(minutes // (24 * 60)))


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return "–"
    local = moment.astimezone() if moment.tzinfo else moment
    return local.strftime("%d/%m/%Y %H:%M")


def format_date(day: date | None) -> str:
    return "–" if day is None else day.strftime("%d/%m/%Y")


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label for data: always plain text, so a report can never inject markup."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
