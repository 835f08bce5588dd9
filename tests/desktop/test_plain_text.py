"""Text from outside is text: markup in a complaint or a reply never renders, on any screen.

Qt guesses rich text in a ``QLabel`` and in every tooltip unless told not
to, so a title like ``<a href=...>`` could become a live link and
``<img src=file:...>`` could load a file. Every screen is filled with data
that holds HTML, rich-text markup and links; every label, text box, table
cell, list item and tooltip is then read back as the user would see it:
the raw string, letter for letter. Exports (CSV) and printed letters keep
it too, and a CSV cell never starts a spreadsheet formula.

The attachment list's open path is here as well: only an allowed type, by
its bytes, ever reaches the system's viewer.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText: Qt's own guess
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.letter import letter_html
from desktop.mainwindow import MainWindow
from desktop.session import Session
from desktop.settings import Settings
from desktop.syncing import SyncController
from desktop.views.performance import PerformanceView
from desktop.workers import TaskRunner
from sync import kept_files, workflow
from sync.errors import ErrorCode
from sync.kpi import Period
from sync.sealed_files import seal_copy
from sync.store.database import files_key, write_session
from sync.store.models import Attachment
from tests.desktop.conftest import open_editor, supervisor_session
from tests.helpers.replica import PASSWORDS, T0, complaint

MARKUP = {
    "title": "<b>Jalan</b> rusak <a href='http://jahat.example/'>klik di sini</a>",
    "body": "<h1>Isi</h1><img src='file:///etc/passwd'><script>alert(1)</script> tolong",
    "category": "<i>Infrastruktur</i> &amp; <u>jalan</u>",
    "reporter": "<u>Budi</u> &lt;Santoso&gt;",
    "phone": "<s>0811</s>",
    "email": "<a href='mailto:budi@example.id'>budi</a>",
    "address": "<font color='red'>Jl. Melati</font> 3",
    "event": "<table><tr><td>Dinas</td></tr></table> sudah dicek",
    "actor": "<b>Admin</b> Nasional",
    "reply": "<b>Terima kasih</b> &lt;br&gt; <a href='http://x.example'>lihat</a>",
    "pending": "<center>Mohon disetujui</center> <qt>ya</qt>",
    "comment": "<big>Perbaiki</big> paragraf 2",
    "refusal": "<p style='color:red'>ditolak</p> oleh server",
}
FILE = "<img src=x>.pdf"  # an attachment name: made a safe name, not merely shown
FORMULA = '=HYPERLINK("http://jahat.example","klik")'
MARKED = "LAP-2026-0000001"
PENDING = "LAP-2026-0000002"


@pytest.fixture
def office_complaints() -> list[Any]:
    at = T0 - timedelta(hours=3)
    marked = complaint(
        MARKED,
        title=MARKUP["title"],
        body=MARKUP["body"],
        category={"id": "infra", "name": MARKUP["category"]},
        reporter={"name": MARKUP["reporter"], "phone": MARKUP["phone"], "email": MARKUP["email"]},
        location={"address": MARKUP["address"], "district": "Denpasar", "lat": None, "lon": None},
        events=[
            {
                "id": "ev-1",
                "at": at,
                "type": "note",
                "text": MARKUP["event"],
                "actor": {"id": "adm", "name": MARKUP["actor"], "role": "admin"},
            }
        ],
        attachments=[
            {
                "id": "att-1",
                "filename": FILE,
                "mime": "application/pdf",
                "size": 9,
                "sha256": "a" * 64,
            }
        ],
    )
    formula = complaint(PENDING, title="Lampu padam", category={"id": "pju", "name": FORMULA})
    return [marked, formula]


@pytest.fixture
def work(workspace: Any) -> dict[str, str]:
    """A returned reply, a refused note, and a draft waiting for a supervisor."""
    ws = workspace
    returned = ws.draft_reply(MARKED, MARKUP["reply"])
    ws.submit_for_approval(returned)
    ws.return_draft(returned, "siti", PASSWORDS["siti"], MARKUP["comment"])
    note = ws.draft_reply(MARKED, "Catatan internal", kind="note")
    ws.submit_for_approval(note)
    [entry] = [e for e in ws.outbox() if e.reply_id == note]
    with write_session(ws.database) as session:
        workflow.mark_refused(
            session, entry.mutation_id, code=ErrorCode.VALIDATION, said=MARKUP["refusal"],
            reason=MARKUP["refusal"], now=T0,
        )
    pending = ws.draft_reply(PENDING, MARKUP["pending"])
    ws.submit_for_approval(pending)
    return {"returned": returned, "note": note, "pending": pending}


def rendered(text: str, fmt: Qt.TextFormat) -> str:
    """What a person reads of ``text`` shown in that format."""
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def shown(root: QWidget) -> list[tuple[str, str, str]]:
    """(where, text as given, text as read) for every piece of text under ``root``."""
    found: list[tuple[str, str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__}#{widget.objectName()}"
        if widget.toolTip():  # tooltips guess rich text, always
            found.append(
                (
                    where + ".toolTip",
                    widget.toolTip(),
                    rendered(widget.toolTip(), Qt.TextFormat.AutoText),
                )
            )
        if isinstance(widget, QLabel):
            found.append((where, widget.text(), rendered(widget.text(), widget.textFormat())))
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            found.append((where, widget.toPlainText(), widget.toPlainText()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found += _cells(where, widget.model())
    return found


def _cells(where: str, model: Any) -> list[tuple[str, str, str]]:
    found = []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount private: one column
        columns = 1
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            index = model.index(row, column)
            display = index.data(Qt.ItemDataRole.DisplayRole)
            if isinstance(display, str):  # delegates paint display text as plain text
                found.append((f"{where}[{row},{column}]", display, display))
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                found.append(
                    (f"{where}[{row},{column}].toolTip", tip, rendered(tip, Qt.TextFormat.AutoText))
                )
    return found


def assert_plain(found: list[tuple[str, str, str]], *keys: str) -> None:
    """Every marked-up value is read verbatim somewhere, and nowhere is it interpreted."""
    for where, given, read in found:
        if any(MARKUP[k] in given for k in MARKUP):
            assert read == given, f"{where} renders markup: {given!r} -> {read!r}"
    reads = [read for _, _, read in found]
    for key in keys:
        assert any(MARKUP[key] in read for read in reads), f"{key} is not shown verbatim"


def make_window(qtbot: QtBot, session: Session) -> MainWindow:
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    window.show()
    return window


def window_on_marked(qtbot: QtBot, session: Session) -> tuple[MainWindow, Any]:
    """The main window with the marked-up complaint open in the inbox."""
    window = make_window(qtbot, session)
    inbox = window.pages["inbox"]
    inbox.open_complaint(MARKED)
    qtbot.wait_until(lambda: inbox.detail.complaint_id == MARKED)
    return window, inbox


def test_the_complaint_screen_shows_markup_as_text(
    qtbot: QtBot, session: Session, work: dict[str, str]
) -> None:
    window, _ = window_on_marked(qtbot, session)
    found = shown(window)
    assert_plain(
        found,
        "title",
        "body",
        "category",
        "reporter",
        "phone",
        "email",
        "address",
        "event",
        "actor",
    )
    assert any(read.startswith("_img src=x_.pdf") for _, _, read in found)


def test_the_reply_editor_and_outbox_show_markup_as_text(
    qtbot: QtBot, session: Session, work: dict[str, str]
) -> None:
    window, inbox = window_on_marked(qtbot, session)
    with qtbot.wait_signal(inbox.editor.opened, timeout=10_000):
        session.edit_reply.emit(MARKED, work["returned"], "respond")
    qtbot.wait_until(lambda: inbox.editor.reply_id == work["returned"])
    assert_plain(shown(inbox.editor), "title", "reply", "comment")
    open_editor(qtbot, inbox.editor, MARKED, work["note"], "note")
    assert_plain(shown(inbox.editor), "refusal")
    window.nav.setCurrentRow(1)
    outbox = window.pages["outbox"]
    qtbot.wait_until(lambda: outbox.model.rowCount() > 0, timeout=5000)
    assert_plain(shown(outbox), "refusal")


def test_the_approval_screen_shows_markup_as_text(
    qtbot: QtBot, workspace: Any, settings: Settings, runner: TaskRunner, work: dict[str, str]
) -> None:
    window = make_window(qtbot, supervisor_session(workspace, settings, runner))
    approvals = window.pages["approvals"]
    approvals.refresh()
    assert_plain(shown(approvals), "pending")


def test_a_letter_prints_markup_as_text(workspace: Any, work: dict[str, str]) -> None:
    detail = workspace.complaint(MARKED)
    reply = workspace.reply(work["returned"])
    document = QTextDocument()
    document.setHtml(
        letter_html(detail, reply, "<b>Kantor</b> <a href='x'>Camat</a>", date(2026, 11, 27))
    )
    printed = document.toPlainText()
    for key in ("title", "reply"):
        assert MARKUP[key] in printed
    assert "<b>Kantor</b> <a href='x'>Camat</a>" in printed


def test_a_csv_export_keeps_text_and_starts_no_formula(
    qtbot: QtBot, session: Session, work: dict[str, str], tmp_path: Path
) -> None:
    view = PerformanceView(session)
    qtbot.addWidget(view)
    view.set_period(Period.month(2026, 11))
    qtbot.wait_until(lambda: view.data is not None, timeout=10_000)
    view.export_csv(tmp_path / "kinerja.csv")
    with (tmp_path / "kinerja.csv").open(encoding="utf-8-sig") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert MARKUP["category"] in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], cells
    assert "'" + FORMULA in cells  # kept, but as text


# --- the open path of an attachment -----------------------------------------------------


class Opened(QObject):
    """Receives what the app asks the system to open (QDesktopServices' own hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened(qapp: QApplication) -> Iterator[Opened]:
    handler = Opened()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_only_an_allowed_type_by_its_bytes_goes_to_the_system_viewer(
    qtbot: QtBot, session: Session, workspace: Any, opened: Opened, tmp_path: Path
) -> None:
    files = workspace.profile.directory / kept_files.FILES_DIR
    files.mkdir(parents=True, exist_ok=True)
    kept = {
        "pdf": (files / "a.pdf", b"%PDF-1.4 surat"),
        "exe as pdf": (files / "b.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
        "bin": (files / "c.bin", b"MZ\x90\x00"),
    }
    for path, data in kept.values():
        plain = tmp_path / path.name
        plain.write_bytes(data)
        seal_copy(plain, path, files_key(workspace.database))  # as a download keeps it
    window = make_window(qtbot, session)
    view = window.pages["inbox"].detail
    for name, (path, data) in kept.items():
        with write_session(workspace.database) as db:
            row = db.scalars(select(Attachment).where(Attachment.id == "att-1")).first()
            assert row is not None
            row.local_path, row.download_state = str(path), "done"
            row.sha256 = hashlib.sha256(data).hexdigest()
        view.load(MARKED)
        item = view.attachments.item(0)
        with qtbot.wait_signal(session.runner.busy_changed, check_params_cb=lambda busy: not busy):
            view.on_attachments_itemActivated(item)
        opened_bytes = [Path(url.toLocalFile()).read_bytes() for url in opened.urls]
        assert (data in opened_bytes) is (name == "pdf"), name
    assert len(opened.urls) == 1
