"""Words on screen (DOMAIN.md): one Indonesian word for one thing, everywhere.

Every screen and export names statuses, types and states through here, so a
word changes in one place. Dates are shown day first, in the office's zone
(its deadline rules' ``timezone``, set by the session), not the PC's: a PC on
UTC would otherwise show a WITA office yesterday's date until 08:00.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import Qt as GuiQt  # convertFromPlainText lives in QtGui
from PySide6.QtWidgets import QLabel, QWidget

from sync.protocol import CLOSED_STATUSES
from sync.values import Deadline, DeadlineState, Delivery, OutboxState, ReplyKind, ReplyState


def status_name(status: str) -> str:
    names = {
        "verified": QCoreApplication.translate("words", "Terverifikasi"),
        "in_progress": QCoreApplication.translate("words", "Dalam Proses"),
        "completed": QCoreApplication.translate("words", "Selesai"),
        "archived": QCoreApplication.translate("words", "Diarsipkan"),
    }
    return names.get(status, status)


def type_name(kind: str) -> str:
    names = {
        "pengaduan": QCoreApplication.translate("words", "Pengaduan"),
        "aspirasi": QCoreApplication.translate("words", "Aspirasi"),
        "permintaan_informasi": QCoreApplication.translate("words", "Permintaan Informasi"),
    }
    return names.get(kind, kind)


def reply_state_name(state: ReplyState | str | None) -> str:
    if state is None:
        return QCoreApplication.translate("words", "Belum ada")
    names = {
        ReplyState.DRAFT: QCoreApplication.translate("words", "Draf"),
        ReplyState.AWAITING_APPROVAL: QCoreApplication.translate("words", "Menunggu Persetujuan"),
        ReplyState.APPROVED: QCoreApplication.translate("words", "Disetujui"),
        ReplyState.QUEUED: QCoreApplication.translate("words", "Di Kotak Keluar"),
        ReplyState.SENT: QCoreApplication.translate("words", "Terkirim"),
        ReplyState.RETURNED: QCoreApplication.translate("words", "Dikembalikan"),
        ReplyState.CONFLICT: QCoreApplication.translate("words", "Konflik"),
        ReplyState.REFUSED: QCoreApplication.translate("words", "Ditolak server"),
    }
    return names.get(ReplyState(state), str(state))


def reply_standing(state: ReplyState, delivery: Delivery | None) -> str:
    """A reply's state, and on a hub where it stands with SP4N-LAPOR!."""
    names = {
        Delivery.WAITING: QCoreApplication.translate("words", "Disetujui, menunggu SP4N-LAPOR!"),
        Delivery.DELIVERED: QCoreApplication.translate("words", "Terkirim ke SP4N-LAPOR!"),
        Delivery.REFUSED: QCoreApplication.translate("words", "Ditolak SP4N-LAPOR!"),
    }
    if delivery is None or state not in (ReplyState.SENT, ReplyState.REFUSED):
        return reply_state_name(state)
    return names[delivery]


def reply_status_text(kind: ReplyKind | str | None, state: ReplyState | str | None) -> str:
    """A reply's state in the words of its kind: a note is recorded, a request waits to move."""
    if state is None or kind is None or ReplyKind(kind) in (ReplyKind.RESPOND, ReplyKind.COMPLETE):
        return reply_state_name(state)
    kind, state = ReplyKind(kind), ReplyState(state)
    if kind is ReplyKind.NOTE:
        if state is ReplyState.SENT:
            return QCoreApplication.translate("words", "Catatan Internal tercatat")
        return QCoreApplication.translate("words", "Catatan Internal: %1").replace(
            "%1", reply_state_name(state)
        )
    if state is ReplyState.SENT:
        return QCoreApplication.translate("words", "Bukan Wewenang: permintaan terkirim")
    return QCoreApplication.translate("words", "Bukan Wewenang: %1").replace(
        "%1", reply_state_name(state)
    )


def reply_kind_name(kind: ReplyKind | str) -> str:
    names = {
        ReplyKind.RESPOND: QCoreApplication.translate("words", "Tindak Lanjut"),
        ReplyKind.COMPLETE: QCoreApplication.translate("words", "Tindak Lanjut penyelesaian"),
        ReplyKind.REQUEST_REASSIGNMENT: QCoreApplication.translate("words", "Bukan Wewenang"),
        ReplyKind.NOTE: QCoreApplication.translate("words", "Catatan Internal"),
    }
    return names.get(ReplyKind(kind), str(kind))


def deadline_state_name(state: DeadlineState | str) -> str:
    names = {
        DeadlineState.ON_TIME: QCoreApplication.translate("words", "Tepat waktu"),
        DeadlineState.DUE_SOON: QCoreApplication.translate("words", "Segera"),
        DeadlineState.DUE_TODAY: QCoreApplication.translate("words", "Hari ini"),
        DeadlineState.OVERDUE: QCoreApplication.translate("words", "Terlambat"),
        DeadlineState.DONE: QCoreApplication.translate("words", "Sudah ditindaklanjuti"),
    }
    return names.get(DeadlineState(state), str(state))


def deadline_text(deadline: Deadline | None, status: str = "") -> str:
    """'dd/mm/yyyy · Terlambat'; for a closed complaint its status, as no deadline runs.

    A bare date beside completed work would read as a deadline still to meet.
    """
    if deadline is None:
        return "–"
    if deadline.state == DeadlineState.DONE:
        return status_name(status) if status in CLOSED_STATUSES else "–"
    return f"{format_date(deadline.due)} · {deadline_state_name(deadline.state)}"


def channel_name(channel: str) -> str:
    """How the report reached LAPOR!, in words; an unknown code as it came."""
    names = {
        "web": QCoreApplication.translate("words", "Web"),
        "mobile": QCoreApplication.translate("words", "Aplikasi seluler"),
        "sms": QCoreApplication.translate("words", "SMS 1708"),
        "social_media": QCoreApplication.translate("words", "Media sosial"),
        "walk_in": QCoreApplication.translate("words", "Datang langsung"),
    }
    return names.get(channel, channel)


def outbox_state_name(state: OutboxState | str) -> str:
    names = {
        OutboxState.PENDING: QCoreApplication.translate("words", "Menunggu dikirim"),
        OutboxState.SENT: QCoreApplication.translate("words", "Terkirim"),
        OutboxState.CONFLICT: QCoreApplication.translate("words", "Konflik"),
        OutboxState.REJECTED: QCoreApplication.translate("words", "Ditolak server"),
    }
    return names.get(OutboxState(state), str(state))


def event_type_name(kind: str) -> str:
    names = {
        "submitted": QCoreApplication.translate("words", "Laporan masuk"),
        "verified": QCoreApplication.translate("words", "Terverifikasi"),
        "assigned": QCoreApplication.translate("words", "Diteruskan ke kantor"),
        "response": QCoreApplication.translate("words", "Tindak Lanjut"),
        "reporter_reply": QCoreApplication.translate("words", "Balasan Pelapor"),
        "status": QCoreApplication.translate("words", "Perubahan status"),
        "note": QCoreApplication.translate("words", "Catatan Internal"),
        "reassigned": QCoreApplication.translate("words", "Dipindahkan"),
        "rating": QCoreApplication.translate("words", "Penilaian Pelapor"),
    }
    return names.get(kind, kind)


def month_short(month: int) -> str:
    """Three letters for month 1..12, all of one style (QLocale's en_GB writes "Sept")."""
    names = (
        QCoreApplication.translate("words", "Jan"),
        QCoreApplication.translate("words", "Feb"),
        QCoreApplication.translate("words", "Mar"),
        QCoreApplication.translate("words", "Apr"),
        QCoreApplication.translate("words", "Mei"),
        QCoreApplication.translate("words", "Jun"),
        QCoreApplication.translate("words", "Jul"),
        QCoreApplication.translate("words", "Agu"),
        QCoreApplication.translate("words", "Sep"),
        QCoreApplication.translate("words", "Okt"),
        QCoreApplication.translate("words", "Nov"),
        QCoreApplication.translate("words", "Des"),
    )
    return names[month - 1]


def role_name(role: str) -> str:
    return (
        QCoreApplication.translate("words", "Atasan (Pejabat Penghubung)")
        if role == "supervisor"
        else QCoreApplication.translate("words", "Petugas")
    )


def anonymous_word() -> str:
    return QCoreApplication.translate("words", "Anonim")


def confidential_word() -> str:
    return QCoreApplication.translate("words", "Rahasia")


def confidential_title() -> str:
    """What stands for a confidential report's title wherever it is withheld."""
    return QCoreApplication.translate("words", "RAHASIA")


def server_url_problem_text(problem: str) -> str:
    """Words for a code of ``sync.http.urls.server_url_problem``."""
    if problem == "needs_https":
        return QCoreApplication.translate(
            "words", "Alamat server harus memakai https:// (kecuali server di komputer ini)."
        )
    return QCoreApplication.translate(
        "words", "Isi alamat server, misalnya https://lapor.contoh.go.id"
    )


def tr_days(number: str) -> str:
    """'<number> hari kerja', with the number already formatted."""
    return QCoreApplication.translate("words", "%1 hari kerja").replace("%1", number)


def origin_name(from_office_queue: bool) -> str:
    """Where a reply waiting for approval came from."""
    return (
        QCoreApplication.translate("words", "antrean kantor")
        if from_office_queue
        else QCoreApplication.translate("words", "komputer ini")
    )


def age_text(since: datetime, now: datetime) -> str:
    """How long something has waited, in the largest whole unit."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return QCoreApplication.translate("words", "%1 menit").replace("%1", str(minutes))
    if minutes < 48 * 60:
        return QCoreApplication.translate("words", "%1 jam").replace("%1", str(minutes // 60))
    return QCoreApplication.translate("words", "%1 hari").replace("%1", str(minutes // (24 * 60)))


_display_zone: list[tzinfo | None] = [None]  # the office's; None: this PC's


def set_display_zone(zone: tzinfo | None) -> None:
    """Show times in ``zone`` from now on (the session sets the office's)."""
    _display_zone[0] = zone


def local_time(moment: datetime) -> datetime:
    """``moment`` in the office's zone (the PC's until a session set one)."""
    return moment.astimezone(_display_zone[0]) if moment.tzinfo else moment


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return "–"
    return local_time(moment).strftime("%d/%m/%Y %H:%M")


def format_clock(moment: datetime | None) -> str:
    """The time of day only, 'HH:MM', for what happens within the hour."""
    return "–" if moment is None else local_time(moment).strftime("%H:%M")


def format_date(day: date | None) -> str:
    return "–" if day is None else day.strftime("%d/%m/%Y")


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt guesses rich text in every tooltip."""
    return GuiQt.convertFromPlainText(text) if text else text


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label for data: always plain text, so a report can never inject markup."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
