"""Files for a reply are checked before upload; uploading needs the server."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from desktop.attach import file_problem
from desktop.session import Session
from desktop.views.reply_editor import ReplyEditor
from sync.values import ReplyKind
from tests.desktop.conftest import open_editor


def test_size_and_type_are_checked_before_anything_is_sent(tmp_path: Path) -> None:
    letter = tmp_path / "surat.txt"
    letter.write_text("Surat balasan", encoding="utf-8")
    assert file_problem(letter) == (None, "text/plain")
    big = tmp_path / "besar.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(25 * 1024 * 1024 + 1)
    assert file_problem(big)[0] == "too_large"
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ" + b"\0" * 200)
    assert file_problem(program)[0] == "unsupported_media_type"
    assert file_problem(tmp_path / "missing.pdf")[0] == "unreadable"


def editor_with_text(qtbot: QtBot, session: Session, text: str) -> ReplyEditor:
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, "LAP-2026-0000001", None, ReplyKind.RESPOND)
    qtbot.keyClicks(editor.text, text)
    return editor


def test_a_dropped_file_of_the_wrong_type_is_refused_in_plain_words(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    editor = editor_with_text(qtbot, session, "Terlampir foto lokasi.")
    program = tmp_path / "virus.exe"
    program.write_bytes(b"MZ" + b"\0" * 200)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(program))])
    drop = QDropEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.dropEvent(drop)
    assert editor.saved_label.text() == "virus.exe: Jenis berkas ini tidak diterima."
    assert editor.uploading == 0


def test_uploading_offline_says_so_and_keeps_the_draft(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    editor = editor_with_text(qtbot, session, "Terlampir surat.")
    letter = tmp_path / "surat.txt"
    letter.write_text("Surat balasan", encoding="utf-8")
    assert editor.attach(letter)
    qtbot.wait_until(lambda: editor.uploading == 0, timeout=20_000)
    # This office never logged in online: the core asks for an online login first.
    assert editor.saved_label.text() == (
        "Masuk lagi dengan kata sandi selagi tersambung ke server. Pekerjaan Anda tetap tersimpan."
    )
    [reply] = session.workspace.complaint("LAP-2026-0000001").replies
    assert reply.text == "Terlampir surat." and reply.attachment_ids == ()


def test_what_attaching_needs_is_said_before_the_file_picker_opens(
    qtbot: QtBot, session: Session
) -> None:
    editor = ReplyEditor(session)
    qtbot.addWidget(editor)
    open_editor(qtbot, editor, "LAP-2026-0000001", None, ReplyKind.RESPOND)
    editor.show()
    # Nothing written yet: the picker cannot open, and the editor says why.
    assert not editor.attach_button.isEnabled()
    assert editor.files.hint.isVisible()
    assert editor.files.hint.text() == "Tulis Tindak Lanjut dulu, lalu lampirkan berkas."
    qtbot.keyClicks(editor.text, "Terlampir foto.")
    assert editor.attach_button.isEnabled() and not editor.files.hint.isVisible()
    # An internal note carries no files: said before anything is picked, too.
    open_editor(qtbot, editor, "LAP-2026-0000002", None, ReplyKind.NOTE)
    assert not editor.attach_button.isEnabled()
    assert editor.files.hint.text() == "Lampiran hanya untuk Tindak Lanjut kepada Pelapor."
