"""A complaint's report in words: what the complaint view shows, and a copy to read beside a reply.

The complaint view lays these words out as a form; the reply editor shows the
same words as one read-only text the officer can select and copy from while
writing. Both take them from here, so they can never differ, and both hide a
reporter the same way.

The strings keep the complaint view's translation context: they are its words.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from desktop import words
from sync.values import ComplaintDetail, EventInfo

CONFIDENTIAL_STYLE = "background: #b71c1c; color: white; font-weight: 600; padding: 6px;"
ANONYMOUS_STYLE = "background: #4a148c; color: white; font-weight: 600; padding: 6px;"
ANONYMOUS_COLOURS = ("#4a148c", "white")  # background, text: as ANONYMOUS_STYLE


def field_labels() -> list[tuple[str, str]]:
    """(key, label) of the report's fields, in the order they are shown."""
    return [
        ("id", QCoreApplication.translate("ComplaintView", "Nomor")),
        ("status", QCoreApplication.translate("ComplaintView", "Status")),
        ("type", QCoreApplication.translate("ComplaintView", "Jenis")),
        ("category", QCoreApplication.translate("ComplaintView", "Kategori")),
        ("deadline", QCoreApplication.translate("ComplaintView", "Tenggat")),
        ("submitted", QCoreApplication.translate("ComplaintView", "Masuk")),
        ("channel", QCoreApplication.translate("ComplaintView", "Saluran")),
        ("reporter", QCoreApplication.translate("ComplaintView", "Pelapor")),
        ("location", QCoreApplication.translate("ComplaintView", "Lokasi")),
    ]


def body_heading() -> str:
    return QCoreApplication.translate("ComplaintView", "Isi laporan")


def timeline_heading() -> str:
    return QCoreApplication.translate("ComplaintView", "Riwayat")


def removed_text() -> str:
    return QCoreApplication.translate(
        "ComplaintView", "Laporan ini sudah tidak lagi ditangani kantor Anda."
    )


def reporter_text(detail: ComplaintDetail) -> str:
    # An anonymous report's identity never reaches the client; say so plainly.
    if detail.summary.anonymous or detail.reporter is None:
        return words.anonymous_word()
    parts = [detail.reporter.name]
    parts += [p for p in (detail.reporter.phone, detail.reporter.email) if p]
    return " · ".join(parts)


def location_text(detail: ComplaintDetail) -> str:
    parts = [p for p in (detail.address, detail.district) if p]
    if detail.lat is not None and detail.lon is not None:
        parts.append(f"{detail.lat:.5f}, {detail.lon:.5f}")
    return " · ".join(parts) or "–"


def field_values(detail: ComplaintDetail) -> dict[str, str]:
    """The text of each field of ``field_labels``, by key."""
    s = detail.summary
    return {
        "id": s.id,
        "status": words.status_name(s.status),
        "type": words.type_name(s.type),
        "category": s.category,
        "deadline": words.deadline_text(s.deadline, s.status),
        "submitted": words.format_time(s.submitted_at),
        "channel": words.channel_name(detail.channel),
        "reporter": reporter_text(detail),
        "location": location_text(detail),
    }


def credit_text(event: EventInfo) -> str:
    """Who an event is from: for this office's reply, who wrote it and who approved it."""
    if event.written_by is None:
        return event.actor_name or ""
    parts = [
        QCoreApplication.translate("ComplaintView", "ditulis oleh %1").replace(
            "%1", event.written_by
        )
    ]
    if event.approved_by:
        approved = (
            QCoreApplication.translate("ComplaintView", "diperbaiki dan disetujui oleh %1")
            if event.corrected
            else QCoreApplication.translate("ComplaintView", "disetujui oleh %1")
        )
        parts.append(approved.replace("%1", event.approved_by))
    return ", ".join(parts)


def event_lines(detail: ComplaintDetail) -> list[str]:
    """One entry per event, oldest first: 'when · what · who', then its text."""
    lines = []
    for event in sorted(detail.events, key=lambda e: e.at):
        who = f" · {credit_text(event)}" if credit_text(event) else ""
        head = f"{words.format_time(event.at)} · {words.event_type_name(event.type)}{who}"
        lines.append(head + (f"\n{event.text}" if event.text else ""))
    return lines


class ReportText(QPlainTextEdit):
    """The whole report as one read-only text: select any part, copy it into the reply.

    Written through a text cursor as plain text: a report can never inject
    markup here either.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Keyboard selection too: Shift+arrows and Ctrl+C without a mouse.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.shown: tuple[object, ...] = ()  # what is on screen, to leave it be when unchanged

    def show_detail(self, detail: ComplaintDetail | None) -> None:
        """Show ``detail``; the same words again leave the view (and a selection) alone."""
        if detail is None:
            self.shown = ()
            self.clear()
            return
        values = field_values(detail)
        events = event_lines(detail)
        content = (
            detail.summary.id,
            detail.removed,
            detail.summary.title,
            values,
            detail.body,
            events,
        )
        if content == self.shown:
            return
        same = bool(self.shown) and self.shown[0] == detail.summary.id
        scroll = self.verticalScrollBar().value() if same else 0  # a new event: stay put
        self.shown = content
        self.clear()
        cursor = QTextCursor(self.document())
        plain = QTextCharFormat()
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.DemiBold)
        title = QTextCharFormat(bold)
        title.setFontPointSize(self.font().pointSizeF() * 1.25)
        hidden = QTextCharFormat(bold)
        hidden.setBackground(QColor(ANONYMOUS_COLOURS[0]))
        hidden.setForeground(QColor(ANONYMOUS_COLOURS[1]))

        if detail.removed:
            cursor.insertText(removed_text() + "\n", bold)
        cursor.insertText(detail.summary.title, title)
        for key, label in field_labels():
            cursor.insertText(f"\n{label}: ", bold)
            anonymous = key == "reporter" and detail.summary.anonymous
            cursor.insertText(values[key], hidden if anonymous else plain)
        cursor.insertText(f"\n\n{body_heading()}\n", bold)
        cursor.insertText(detail.body, plain)
        cursor.insertText(f"\n\n{timeline_heading()}", bold)
        for line in events:
            cursor.insertText(f"\n{line}", plain)
        self.verticalScrollBar().setValue(scroll)
