"""A reply as a letter with the office's header, printed or saved as PDF.

The letter says plainly when the report is rahasia, names no one for an
anonymous report, and marks an unapproved reply as a draft, so a printout
can never pass for a signed answer.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPagedPaintDevice, QPdfWriter

from desktop import words
from desktop.printing import Paper, page_document, print_document
from sync.values import ComplaintDetail, ReplyInfo, ReplyState

SIGNED = (ReplyState.APPROVED, ReplyState.QUEUED, ReplyState.SENT)


def _paragraphs(text: str) -> str:
    return "".join(
        f"<p align='justify' style='line-height:130%'>"
        f"{html.escape(block).replace(chr(10), '<br>')}</p>"
        for block in text.split("\n\n")
        if block.strip()
    )


def letter_html(detail: ComplaintDetail, reply: ReplyInfo, header: str, today: date) -> str:
    """The letter as rich text; every piece of data in it is escaped."""
    s = detail.summary
    lines = [line for line in header.splitlines() if line.strip()] or [
        QCoreApplication.translate("letter", "Kantor Pengelola Pengaduan")
    ]
    head = "<br>".join(
        f"<b style='font-size:14pt'>{html.escape(line)}</b>" if i == 0 else html.escape(line)
        for i, line in enumerate(lines)
    )
    confidential = QCoreApplication.translate("letter", "RAHASIA")
    draft = QCoreApplication.translate("letter", "DRAF: belum disetujui")
    marks = []
    if s.confidential:
        marks.append(f"<p style='color:#b71c1c'><b>{html.escape(confidential)}</b></p>")
    if reply.state not in SIGNED:
        marks.append(f"<p style='color:#b26a00'><b>{html.escape(draft)}</b></p>")
    reporter = (
        detail.reporter.name
        if detail.reporter is not None and not s.anonymous
        else QCoreApplication.translate("letter", "Pelapor (Anonim)")
    )
    rows = [
        (QCoreApplication.translate("letter", "Nomor laporan"), s.id),
        (QCoreApplication.translate("letter", "Tanggal"), words.format_date(today)),
        (QCoreApplication.translate("letter", "Kepada Yth."), reporter),
        (QCoreApplication.translate("letter", "Perihal"), s.title),
    ]
    table = "".join(
        f"<tr><td width='120'>{html.escape(k)}</td><td>: {html.escape(v)}</td></tr>"
        for k, v in rows
    )
    signature = html.escape(QCoreApplication.translate("letter", "Pejabat Penghubung"))
    return (
        f"<div align='center'>{head}</div><hr>{''.join(marks)}"
        f"<table cellspacing='0' cellpadding='2'>{table}</table>"
        f"<h3>{html.escape(words.reply_kind_name(reply.kind))}</h3>"
        f"{_paragraphs(reply.text)}"
        # On the right with room to sign, as an office letter is signed.
        f"<table width='100%' style='margin-top:24px'><tr><td width='55%'></td>"
        f"<td align='center'>{signature}<br><br><br><br>(&nbsp;"
        f"{'&nbsp;' * 40})</td></tr></table>"
    )


def render(document_html: str, device: QPagedPaintDevice) -> None:
    """Lay the letter out on A4 with letter margins, at letter size, and paint it on ``device``."""
    document = page_document(device, Paper.LETTER)
    document.setHtml(document_html)
    print_document(document, device)


def save_pdf(document_html: str, path: Path, title: str) -> None:
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("LAPOR Desk")
    render(document_html, writer)
