"""A reply printed as a letter: office header, plain marks, no hidden identity."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.views.reply_editor import ReplyEditor
from sync.values import ReplyKind
from tests.desktop.conftest import open_editor
from tests.helpers.pdfpage import page_ink
from tests.helpers.replica import PASSWORDS


def pdf_text(path: Path) -> str:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = " ".join(document.getAllText(page).text() for page in range(document.pageCount()))
    document.close()
    return text


def letter_of(qtbot: QtBot, session: Session, complaint_id: str, text: str, path: Path) -> str:
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, complaint_id, None, ReplyKind.RESPOND)
    editor.text.insertPlainText(text)  # as pasted: keyClicks types no line breaks
    assert editor.save_letter(path)
    return pdf_text(path)


def test_a_draft_letter_carries_the_header_and_says_draft_and_confidential(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    session.settings.letter_header = "Kecamatan Kuta\nJl. Raya Kuta 1, Badung"
    text = letter_of(
        qtbot, session, "LAP-2026-0000002", "Pungutan sudah dihentikan.", tmp_path / "a.pdf"
    )
    for expected in (
        "Kecamatan Kuta",
        "Jl. Raya Kuta 1, Badung",
        "RAHASIA",
        "DRAF",
        "LAP-2026-0000002",
        "Budi Santoso",
        "Pungutan sudah dihentikan.",
    ):
        assert expected in text


def test_an_anonymous_reporter_stays_anonymous_and_an_approved_reply_is_no_draft(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    ws = session.workspace
    reply_id = ws.draft_reply("LAP-2026-0000003", "Lampu sudah diganti.")
    ws.submit_for_approval(reply_id)
    ws.approve(reply_id, "siti", PASSWORDS["siti"])
    ws.login("ani", PASSWORDS["ani"])
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, "LAP-2026-0000003", reply_id, ReplyKind.RESPOND)
    assert editor.save_letter(tmp_path / "b.pdf")
    text = pdf_text(tmp_path / "b.pdf")
    assert "Pelapor (Anonim)" in text and "Lampu sudah diganti." in text
    assert "DRAF" not in text and "RAHASIA" not in text


LONG_REPLY = "\n\n".join(
    ["Terima kasih atas laporan Saudara. Jalan di Desa Sukamaju sudah kami periksa "
     "bersama Dinas Pekerjaan Umum, dan perbaikannya dijadwalkan pada pekan depan."] * 4
)


def test_a_printed_letter_is_readable_with_margins_and_fills_the_width_of_a4(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    letter_of(qtbot, session, "LAP-2026-0000001", LONG_REPLY, tmp_path / "c.pdf")
    ink = page_ink(tmp_path / "c.pdf")
    assert (ink.width, ink.height) == (595, 842)  # A4 portrait, in points
    # Body text about 11 pt: a line of ink is 7-16 pt tall (not 1 pt).
    assert 7 <= ink.typical_line <= 16, ink.line_heights
    # Margins of at least 2 cm (57 pt) left, right and top; the text runs across the page.
    assert ink.left >= 57 and ink.top >= 57 and ink.width - ink.right >= 57
    assert ink.right - ink.left >= 0.7 * (ink.width - 2 * 57)


def test_printing_where_no_printer_is_installed_says_so_and_offers_the_pdf(
    qtbot: QtBot, session: Session
) -> None:
    editor = ReplyEditor(session, printers=lambda: [])
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, "LAP-2026-0000001", None, ReplyKind.RESPOND)
    editor.text.insertPlainText("Jalan sudah diperbaiki.")
    editor.printer_action.trigger()
    box = editor.print_button.no_printer_box
    assert box is not None and box.isVisible()
    assert box.text() == "Komputer ini tidak punya printer yang terpasang."
    assert "Simpan sebagai PDF…" in [b.text() for b in box.buttons()]
    box.close()


def test_printing_before_anything_is_written_says_what_is_needed(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    editor = ReplyEditor(session, printers=lambda: ["Kantor"])
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, "LAP-2026-0000001", None, ReplyKind.RESPOND)
    assert not editor.save_letter(tmp_path / "kosong.pdf")
    assert editor.saved_label.text() == (
        "Tulis Tindak Lanjut dulu; surat dicetak dari teks yang tersimpan."
    )
