"""Tindak Lanjut: the reply editor. It saves by itself, so a crash loses seconds at most.

The first keystroke creates the draft (``Workspace.draft_reply``); after that
every few seconds of typing, leaving the editor and closing the window save it
with ``update_draft``. Nothing here waits on the network.

Reads run on the task runner (``LatestRead``): opening a reply, the report
refreshed after a sync, the draft's files after a change. A new reply takes
typing at once; a kept one is read-only until its text has arrived, so no
typing can be overwritten by it.
Writes stay on the GUI thread, and so does ``current_reply_state``, which
guards them.

The report stays in sight above the text (``ReportSplit``); the files of the
draft (``AttachmentStrip``), the letter (``LetterMenu``) and Bukan Wewenang's
agency (``AgencyPicker``) are their own modules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.attach import file_problem
from desktop.errors import describe, message_for_code, show_error
from desktop.letter import letter_html
from desktop.session import Session
from desktop.shortcuts import Shortcut, bind
from desktop.views.agency_picker import AgencyPicker
from desktop.views.attachment_strip import AttachmentStrip
from desktop.views.letter_menu import LetterMenu
from desktop.views.reply_opening import Opening, read_files, read_opening
from desktop.views.report import CONFIDENTIAL_STYLE
from desktop.views.report_split import ReportSplit
from desktop.views.similar_panel import offer_text
from desktop.workers import LatestRead
from sync import placeholders, protocol
from sync.errors import WorkspaceError
from sync.values import (
    AgencyInfo,
    ComplaintDetail,
    DraftFile,
    ReplyInfo,
    ReplyKind,
    ReplyState,
    TemplateInfo,
)

if TYPE_CHECKING:
    from sync import Workspace

log = logging.getLogger(__name__)

AUTOSAVE_MS = 3000
READ_ONLY = (ReplyState.AWAITING_APPROVAL, ReplyState.APPROVED, ReplyState.QUEUED, ReplyState.SENT)


def upload_attachment(
    workspace: Workspace, reply_id: str, path: Path, mime: str
) -> tuple[str, str]:
    """Runs on the task runner: the upload waits on the network."""
    return str(workspace.attach_file(reply_id, path, mime)), path.name


def fill_template(body: str, detail: ComplaintDetail) -> str:
    """The placeholders of SYNC-API.md, filled from the record (``sync.placeholders``).

    ``{tanggal}`` is the report's date ("laporan Saudara tanggal ..."): the day
    the reporter sent it, never today. An anonymous reporter stays one, in the
    app's language.
    """
    reporter = detail.reporter.name if detail.reporter is not None else None
    specifics = placeholders.Specifics(
        number=detail.summary.id,
        reporter_name=None if detail.summary.anonymous else reporter,
        submitted_at=detail.summary.submitted_at,
        title=detail.summary.title,
    )
    return placeholders.fill(body, specifics, anonymous=words.anonymous_word())


class ReplyEditor(QWidget):
    """Edits one reply of one complaint.

    Signals:
        opened(): the reply asked for by ``open_for`` is on screen, ready for typing.
        closed(): the person left the editor (its text is saved).
        saved(str): the reply id, after each save.
        submitted(str): the reply id, once it went for approval (the editor stays on it).
    """

    opened = Signal()
    closed = Signal()
    saved = Signal(str)
    submitted = Signal(str)

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        printers: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.complaint_id = ""
        self.reply_id: str | None = None
        self.kind = ReplyKind.RESPOND
        self.detail: ComplaintDetail | None = None
        self.dirty = False
        self.uploading = 0
        self.offered = ""  # a reused answer that waits for its reply to be on screen
        self._make_banners()
        self._make_writing_tools(printers)
        self._make_files()
        self._make_buttons()
        self._lay_out()
        self._bind_shortcuts()
        self._make_autosave()
        self._make_reads()
        session.data_changed.connect(self.on_session_data_changed)

    # --- building --------------------------------------------------------------------
    def _make_banners(self) -> None:
        """Above everything: which reply of which complaint, and what it must not forget."""
        self.heading = words.plain_label()
        self.heading.setObjectName("editor_heading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.confidential_banner = words.plain_label(
            self.tr("RAHASIA: jangan menyebut identitas atau isi laporan di luar kantor.")
        )
        self.confidential_banner.setStyleSheet(CONFIDENTIAL_STYLE)
        self.confidential_banner.setWordWrap(True)
        self.returned_banner = words.plain_label()
        self.returned_banner.setObjectName("returned_banner")
        self.returned_banner.setWordWrap(True)
        self.returned_banner.setStyleSheet("background: #fff3e0; padding: 6px;")
        self.state_label = words.plain_label()
        self.state_label.setObjectName("editor_state")

    def _make_writing_tools(self, printers: Callable[[], list[str]] | None) -> None:
        """The templates, Bukan Wewenang's agency, the text with its count, the letter."""
        self.templates = QComboBox()
        self.templates.setObjectName("editor_templates")
        self.templates.activated.connect(self.on_templates_activated)
        self.agency = AgencyPicker()
        self.agency.setObjectName("editor_agency")
        self.agency.setPlaceholderText(
            self.tr("Instansi yang berwenang: pilih dari daftar atau ketik (boleh kosong)")
        )
        self.agency.textEdited.connect(self.on_text_edited)
        self.text = QPlainTextEdit()
        self.text.setObjectName("editor_text")
        self.text.textChanged.connect(self.on_text_edited)
        self.count = words.plain_label()
        self.count.setObjectName("editor_count")
        self.saved_label = words.plain_label()
        self.saved_label.setObjectName("editor_saved")
        self.print_button = LetterMenu(self.letter, self.letter_file_stem, self, printers)
        self.print_button.said.connect(self.saved_label.setText)
        self.pdf_action = self.print_button.pdf_action
        self.printer_action = self.print_button.printer_action

    def _make_files(self) -> None:
        """The draft's files: the strip, and drops anywhere on the editor."""
        self.files = AttachmentStrip(self)
        self.files.files_chosen.connect(self.on_files_files_chosen)
        self.files.open_requested.connect(self.on_files_open_requested)
        self.files.remove_requested.connect(self.on_files_remove_requested)
        self.attachments = self.files.list  # the names tests and screenshots know
        self.attach_button = self.files.attach_button
        self.setAcceptDrops(True)

    def _make_buttons(self) -> None:
        self.save_button = QPushButton(self.tr("Simpan Draf"))
        self.save_button.setObjectName("editor_save")
        self.save_button.setFlat(True)  # it saves by itself; this is for the sure-minded
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.back_button = QPushButton(self.tr("Kembali"))
        self.back_button.clicked.connect(self.on_back_button_clicked)
        self.submit_button = QPushButton(self.tr("Ajukan Persetujuan"))
        self.submit_button.setObjectName("editor_submit")
        self.submit_button.clicked.connect(self.on_submit_button_clicked)
        self.queue_button = QPushButton(self.tr("Ajukan ke antrean kantor"))
        self.queue_button.setObjectName("editor_queue")
        self.queue_button.setToolTip(
            self.tr("Untuk Atasan yang memakai komputer lain: terkirim saat sinkron.")
        )
        self.queue_button.clicked.connect(self.on_queue_button_clicked)
        # In the submit button's place while the supervisor has not decided.
        self.withdraw_button = QPushButton(self.tr("Batalkan Pengajuan"))
        self.withdraw_button.setObjectName("editor_withdraw")
        self.withdraw_button.clicked.connect(self.on_withdraw_button_clicked)
        self.withdraw_button.setVisible(False)  # shown by _show_state when it applies

    def _lay_out(self) -> None:
        """The banners, the report above the writing (``ReportSplit``), the buttons below."""
        self.splitter = ReportSplit(self.session.settings, self._writing_pane())
        self.report = self.splitter.report
        self.report_toggle = self.splitter.toggle
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_label, 1)
        state_row.addWidget(self.report_toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for widget in (self.heading, self.confidential_banner, self.returned_banner):
            layout.addWidget(widget)
        layout.addLayout(state_row)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(self._button_row())

    def _writing_pane(self) -> QWidget:
        """Below the report: everything that edits the reply."""
        top = QHBoxLayout()
        top.addWidget(self.templates, 1)
        top.addWidget(self.print_button)  # up here: the buttons below fit a narrow pane
        info = QHBoxLayout()
        info.addWidget(self.count)
        info.addStretch(1)
        info.addWidget(self.saved_label)
        info.addWidget(self.save_button)
        writing = QWidget()
        writing_layout = QVBoxLayout(writing)
        writing_layout.setContentsMargins(0, 0, 0, 0)
        writing_layout.addLayout(top)
        writing_layout.addWidget(self.agency)
        writing_layout.addWidget(self.text, 1)
        writing_layout.addLayout(info)
        writing_layout.addWidget(self.files)
        return writing

    def _button_row(self) -> QHBoxLayout:
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        for button in (self.back_button, self.queue_button, self.submit_button,
                       self.withdraw_button):
            bottom.addWidget(button)
        return bottom

    def _bind_shortcuts(self) -> None:
        for button, shortcut in (
            (self.save_button, Shortcut.SAVE),
            (self.submit_button, Shortcut.SUBMIT),
            (self.queue_button, Shortcut.SUBMIT_TO_QUEUE),
            (self.withdraw_button, Shortcut.WITHDRAW),
            (self.attach_button, Shortcut.ATTACH),
            (self.print_button, Shortcut.PRINT),
            (self.back_button, Shortcut.BACK),
        ):
            bind(button, shortcut, self)
        self.files.attach_shortcut = Shortcut.ATTACH  # its tooltip changes with readiness

    def _make_reads(self) -> None:
        runner = self.session.runner
        self.opening = LatestRead(
            runner, read_opening, "buka Tindak Lanjut", self, on_failure=self.on_opening_failed
        )
        self.opening.ready.connect(self.on_opening_ready)
        self.report_read = LatestRead(runner, read_files, "laporan di editor", self)
        self.report_read.ready.connect(self.on_report_read_ready)
        self.files_read = LatestRead(runner, read_files, "berkas Draf", self)
        self.files_read.ready.connect(self.on_files_read_ready)

    @property
    def loading(self) -> bool:
        """The reply asked for is not on screen yet."""
        return self.opening.busy

    def _make_autosave(self) -> None:
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.setSingleShot(True)
        self.autosave.timeout.connect(self.on_autosave_timeout)

    # --- opening ---------------------------------------------------------------------
    def open_for(self, complaint_id: str, reply_id: str | None, kind: str | ReplyKind) -> None:
        """Save what is typed, then show this reply once it is read (``opened`` says so)."""
        self.flush()
        again = (complaint_id, reply_id or None) == (self.complaint_id, self.reply_id)
        self.complaint_id = complaint_id
        self.reply_id = reply_id or None
        self.kind = ReplyKind(kind)
        self.detail = None
        self.dirty = False
        self.offered = ""
        # A new reply takes typing at once (the officer clicked and types); a kept one
        # waits for its text, so nothing typed meanwhile is overwritten by it. The same
        # reply again (after a submission) keeps its text in sight meanwhile.
        waits = self.reply_id is not None
        if not again:
            self.text.blockSignals(True)
            self.text.clear()
            self.text.blockSignals(False)
            self.agency.setText("")
        self.text.setReadOnly(waits)
        self.agency.setReadOnly(waits)
        for widget in (self.templates, self.submit_button, self.queue_button,
                       self.withdraw_button):
            widget.setEnabled(False)
        self.files.set_ready(False, self.tr("Memuat…"))
        self.setAcceptDrops(False)
        self.state_label.setText(self.tr("Memuat…"))
        self.report_read.drop()
        self.files_read.drop()
        self.opening.ask(self.session.workspace, complaint_id, self.reply_id, self.kind)

    @Slot(object)
    def on_opening_ready(self, opening: Opening) -> None:
        self.detail = opening.detail
        self.kind = opening.kind
        reply = opening.reply
        summary = self.detail.summary
        self.heading.setText(f"{words.reply_kind_name(self.kind)} · {summary.id} · {summary.title}")
        self.confidential_banner.setVisible(summary.confidential)
        self.agency.setVisible(self.kind == ReplyKind.REQUEST_REASSIGNMENT)
        if self.kind == ReplyKind.REQUEST_REASSIGNMENT:
            self._offer_agencies(opening.agencies)
        self.submit_button.setText(
            self.tr("Simpan ke Kotak Keluar")
            if self.kind == ReplyKind.NOTE
            else self.tr("Ajukan Persetujuan")
        )
        if reply is not None:
            self.text.blockSignals(True)
            self.text.setPlainText(reply.text)
            self.text.blockSignals(False)
            self.agency.setText(reply.suggested_agency)
            self.dirty = False
        self.report.show_detail(self.detail)
        self._show_state(reply)
        self._show_attachments(reply, opening.files)
        self._fill_templates(opening.templates)
        if not self.dirty:
            self.saved_label.setText("")
        self._update_count()
        self.text.setFocus()
        if self.offered:
            text, self.offered = self.offered, ""
            offer_text(self.text, text)
        self.opened.emit()

    def offer(self, text: str) -> None:
        """A reused answer for this reply: in the text now, or once the reply is on screen."""
        if self.loading:
            self.offered = text
        else:
            offer_text(self.text, text)

    @Slot(object)
    def on_opening_failed(self, error: BaseException) -> None:
        self.state_label.setText("")
        show_error(self, error)

    # --- Bukan Wewenang: where to ------------------------------------------------------
    def _offer_agencies(self, kept: list[AgencyInfo]) -> None:
        """The kept list at once; the server's, fetched on the task runner, when it comes."""
        self.agency.set_agencies(kept)
        if self.session.logged_in_online:
            self.session.runner.run(
                self.session.workspace.refresh_agencies,
                on_success=self.on_agencies_fetched,
                on_failure=self.on_agencies_failed,
                name="daftar instansi",
            )

    @Slot(object)
    def on_agencies_fetched(self, agencies: list[AgencyInfo]) -> None:
        self.agency.set_agencies(agencies)

    @Slot(object)
    def on_agencies_failed(self, error: BaseException) -> None:
        log.info("agency list not fetched: %r", error)  # typing the name still works

    # --- the report beside the text -----------------------------------------------------
    def report_shown(self) -> bool:
        return self.splitter.report_shown()

    @Slot()
    def on_session_data_changed(self) -> None:
        """A sync may bring new events while the officer writes: show them, touch nothing else."""
        if not self.complaint_id or not self.isVisible() or self.loading:
            return
        self.report_read.ask(self.session.workspace, self.complaint_id, None)

    @Slot(object)
    def on_report_read_ready(self, found: Opening) -> None:
        if found.detail.summary.id == self.complaint_id:
            self.report.show_detail(found.detail)

    def current_reply(self) -> ReplyInfo | None:
        if self.detail is None or self.reply_id is None:
            return None
        return next((r for r in self.detail.replies if r.id == self.reply_id), None)

    def _show_state(self, reply: ReplyInfo | None) -> None:
        state = reply.state if reply is not None else None
        self.state_label.setText(
            self.tr("Keadaan: %1").replace("%1", words.reply_standing(reply.state, reply.delivery))
            if reply is not None
            else self.tr("Draf baru")
        )
        comment = reply.return_comment if reply is not None else None
        conflict = reply.conflict_changes if reply is not None else ()
        refusal = reply.refusal if reply is not None else None
        if state == ReplyState.RETURNED and comment:
            self.returned_banner.setText(
                self.tr("Dikembalikan oleh Atasan: %1").replace("%1", comment)
            )
        elif state == ReplyState.CONFLICT:
            changes = "; ".join(conflict) or self.tr("laporan berubah di server")
            self.returned_banner.setText(
                self.tr("Konflik: %1. Periksa lalu ajukan lagi.").replace("%1", changes)
            )
        elif state == ReplyState.REFUSED and refusal and reply and reply.delivery:
            self.returned_banner.setText(
                self.tr("Ditolak SP4N-LAPOR!: %1. Perbaiki lalu ajukan lagi.").replace(
                    "%1", refusal
                )
            )
        elif state == ReplyState.REFUSED and refusal:
            self.returned_banner.setText(self.tr("Ditolak server: %1").replace("%1", refusal))
        else:
            self.returned_banner.setText("")
        self.returned_banner.setVisible(bool(self.returned_banner.text()))
        read_only = state in READ_ONLY
        self.text.setReadOnly(read_only)
        self.agency.setReadOnly(read_only)
        self.templates.setEnabled(not read_only)
        self.submit_button.setEnabled(not read_only)
        self.queue_button.setEnabled(not read_only)
        # Undo is offered while it waits here for a supervisor: the same place as "Ajukan".
        can_withdraw = (
            reply is not None
            and state == ReplyState.AWAITING_APPROVAL
            and reply.review_id is None
            and reply.author_id == self.session.user.id
        )
        self.withdraw_button.setVisible(can_withdraw)
        self.withdraw_button.setEnabled(can_withdraw)
        self.submit_button.setVisible(not can_withdraw)
        self.queue_button.setVisible(not can_withdraw and self.kind != ReplyKind.NOTE)
        self._update_attach_ready()

    def _attach_blocker(self) -> str:
        """What must happen before a file can be attached; "" when it can be now."""
        reply = self.current_reply()
        if self.kind not in (ReplyKind.RESPOND, ReplyKind.COMPLETE):
            return self.tr("Lampiran hanya untuk Tindak Lanjut kepada Pelapor.")
        if reply is not None and reply.state not in (ReplyState.DRAFT, ReplyState.RETURNED):
            return self.tr("Lampiran hanya bisa diubah selagi Draf.")
        if self.reply_id is None and not self.text.toPlainText().strip():
            return self.tr("Tulis Tindak Lanjut dulu, lalu lampirkan berkas.")
        return ""

    def _update_attach_ready(self) -> None:
        blocker = self._attach_blocker()
        self.files.set_ready(not blocker, blocker)
        self.setAcceptDrops(not blocker)

    def _show_attachments(self, reply: ReplyInfo | None, files: list[DraftFile]) -> None:
        editable = reply is not None and reply.state in (ReplyState.DRAFT, ReplyState.RETURNED)
        self.files.show_files(files, editable=editable, uploading=self.uploading)

    # --- attachments: checked here, uploaded by the core (online only) ------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            self.attach(Path(url.toLocalFile()))
        event.acceptProposedAction()

    @Slot(list)
    def on_files_files_chosen(self, paths: list[Path]) -> None:
        for path in paths:
            self.attach(path)

    @Slot(str)
    def on_files_open_requested(self, upload_id: str) -> None:
        if self.reply_id is None:
            return
        # Unsealed into a private folder on the task runner: up to 25 MiB to decrypt.
        self.session.runner.run(
            self.session.workspace.open_draft_file,
            self.reply_id,
            upload_id,
            on_success=self.on_draft_file_opened,
            on_failure=self.on_draft_file_failed,
            name="buka berkas",
        )

    @Slot(object)
    def on_draft_file_opened(self, path: Path) -> None:
        self.files.open_path(path)

    @Slot(object)
    def on_draft_file_failed(self, error: BaseException) -> None:
        self.saved_label.setText(describe(error)[0])

    @Slot(str)
    def on_files_remove_requested(self, upload_id: str) -> None:
        if self.reply_id is None:
            return
        if self.current_reply_state() == ReplyState.RETURNED:
            self.dirty = True  # a draft again first: files change on drafts only
            if not self.save():
                return
        try:
            self.session.workspace.detach_file(self.reply_id, upload_id)
        except WorkspaceError as error:
            self.saved_label.setText(describe(error)[0])
            return
        self.saved_label.setText(self.tr("Lampiran dihapus dari Draf."))
        self.refresh_attachments()

    def attach(self, path: Path) -> bool:
        """Check the file, then upload it on the task runner; False when refused here."""
        problem, mime = file_problem(path)
        if problem is not None:
            self.saved_label.setText(f"{path.name}: {message_for_code(problem)}")
            return False
        if self.reply_id is None:
            if not self.text.toPlainText().strip():
                self.saved_label.setText(
                    self.tr("Tulis Tindak Lanjut dulu, lalu lampirkan berkas.")
                )
                return False
            self.dirty = True  # the draft must exist before a file can join it
        elif self.current_reply_state() == ReplyState.RETURNED:
            self.dirty = True  # saving makes a returned reply a draft again, to take files
        if not self.save() or self.reply_id is None:
            return False
        self.uploading += 1
        self.saved_label.setText(self.tr("Mengunggah %1…").replace("%1", path.name))
        self.session.runner.run(
            upload_attachment,
            self.session.workspace,
            self.reply_id,
            path,
            mime,
            on_success=self.on_upload_succeeded,
            on_failure=self.on_upload_failed,
            name="upload",
        )
        return True

    @Slot(object)
    def on_upload_succeeded(self, result: tuple[str, str]) -> None:
        self.uploading -= 1
        _, name = result
        self.saved_label.setText(self.tr("Terlampir: %1").replace("%1", name))
        self.refresh_attachments()

    @Slot(object)
    def on_upload_failed(self, error: BaseException) -> None:
        self.uploading -= 1
        self.saved_label.setText(describe(error)[0])

    def refresh_attachments(self) -> None:
        """The draft's files again, read on the task runner, after one came or went."""
        if self.complaint_id and not self.loading:
            self.files_read.ask(self.session.workspace, self.complaint_id, self.reply_id)

    @Slot(object)
    def on_files_read_ready(self, found: Opening) -> None:
        reply = found.reply
        if reply is None or reply.id != self.reply_id:
            return  # the editor moved on to another reply meanwhile
        self.detail = found.detail
        self._show_attachments(reply, found.files)

    def _fill_templates(self, templates: list[TemplateInfo]) -> None:
        self.templates.clear()
        self.templates.addItem(self.tr("Sisipkan Templat…"), None)
        for template in templates:
            self.templates.addItem(template.title, template.body)

    # --- typing and saving -------------------------------------------------------------
    @Slot()
    def on_text_edited(self) -> None:
        if self.text.isReadOnly():
            return
        self.dirty = True
        self._update_count()
        self._update_attach_ready()
        if not self.autosave.isActive():
            self.autosave.start()  # at most AUTOSAVE_MS of typing is ever unsaved

    def _update_count(self) -> None:
        n = len(self.text.toPlainText())
        self.count.setText(
            self.tr("%1 / %2 karakter")
            .replace("%1", QLocale().toString(n))
            .replace("%2", QLocale().toString(protocol.MAX_TEXT_CHARS))
        )
        self.count.setStyleSheet("color: #c62828;" if n > protocol.MAX_TEXT_CHARS else "")

    @Slot(int)
    def on_templates_activated(self, index: int) -> None:
        body = self.templates.itemData(index)
        if body is None or self.detail is None:
            return
        filled = fill_template(str(body), self.detail)
        self.text.insertPlainText(filled)
        self.templates.setCurrentIndex(0)

    @Slot()
    def on_autosave_timeout(self) -> None:
        self.save()

    def save(self) -> bool:
        """Write the text now; True when it is on disk (or there was nothing to write)."""
        if not self.dirty or not self.complaint_id:
            return True
        text = self.text.toPlainText()
        agency = self.agency.text() if self.kind == ReplyKind.REQUEST_REASSIGNMENT else None
        ws = self.session.workspace
        try:
            if self.reply_id is None:
                if not text.strip():
                    return True
                self.reply_id = ws.draft_reply(  # one write, the agency with it
                    self.complaint_id, text, kind=self.kind.value, suggested_agency=agency or ""
                )
            else:
                ws.update_draft(self.reply_id, text, suggested_agency=agency)
        except WorkspaceError as error:
            log.warning("autosave failed: %r", error)
            self.saved_label.setText(self.tr("Belum tersimpan"))
            return False
        self.dirty = False
        self.saved_label.setText(
            self.tr("Tersimpan %1").replace("%1", datetime.now().strftime("%H:%M:%S"))
        )
        self.saved.emit(self.reply_id or "")
        return True

    @Slot()
    def on_save_button_clicked(self) -> None:
        self.dirty = self.dirty or (self.reply_id is None and bool(self.text.toPlainText().strip()))
        self.flush()
        if self.saved_label.text() == "":
            self.saved_label.setText(self.tr("Tidak ada yang perlu disimpan."))

    def flush(self) -> None:
        """Save what is typed; the main window calls this on close."""
        self.autosave.stop()
        self.save()

    @Slot()
    def on_back_button_clicked(self) -> None:
        self.flush()
        self.session.data_changed.emit()
        self.closed.emit()

    @Slot()
    def on_submit_button_clicked(self) -> None:
        self.submit(to_office_queue=False)

    @Slot()
    def on_queue_button_clicked(self) -> None:
        self.submit(to_office_queue=True)

    def submit(self, to_office_queue: bool) -> None:
        """To a supervisor on this PC, or to the office's queue for one on another PC."""
        self.autosave.stop()
        text = self.text.toPlainText()
        if not text.strip() or len(text) > protocol.MAX_TEXT_CHARS:
            self.saved_label.setText(
                self.tr("Teks harus 1 sampai %1 karakter.").replace(
                    "%1", QLocale().toString(protocol.MAX_TEXT_CHARS)
                )
            )
            return
        if not self.save() or self.reply_id is None:
            return
        ws = self.session.workspace
        try:
            if self.current_reply_state() in (ReplyState.CONFLICT, ReplyState.REFUSED):
                ws.revise(self.reply_id)
            if to_office_queue:
                ws.submit_for_office_review(self.reply_id)
            else:
                ws.submit_for_approval(self.reply_id)
        except WorkspaceError as error:
            show_error(self, error)
            return
        self.session.data_changed.emit()
        if to_office_queue:
            self.session.sync_requested.emit()  # the queue lives on the server
        if self.kind == ReplyKind.NOTE:
            self.session.notice.emit(
                self.tr("Catatan Internal disimpan ke Kotak Keluar: %1").replace(
                    "%1", self.complaint_id
                )
            )
            self.closed.emit()
            return
        # Said, and shown: the editor stays on the reply, now waiting, with its undo.
        self.session.notice.emit(
            (
                self.tr("Diajukan ke antrean kantor: %1")
                if to_office_queue
                else self.tr(
                    "Diajukan untuk Persetujuan: %1. Bisa dibatalkan sampai Atasan memutuskan."
                )
            ).replace("%1", self.complaint_id)
        )
        self.open_for(self.complaint_id, self.reply_id, self.kind)
        self.submitted.emit(self.reply_id)

    @Slot()
    def on_withdraw_button_clicked(self) -> None:
        if self.reply_id is None:
            return
        try:
            self.session.workspace.withdraw(self.reply_id)
        except WorkspaceError as error:  # a supervisor decided meanwhile
            show_error(self, error)
            self.open_for(self.complaint_id, self.reply_id, self.kind)
            return
        self.session.data_changed.emit()
        self.session.notice.emit(
            self.tr("Pengajuan dibatalkan: %1 kembali menjadi Draf.").replace(
                "%1", self.complaint_id
            )
        )
        self.open_for(self.complaint_id, self.reply_id, self.kind)

    # --- the reply as a letter ----------------------------------------------------------
    def letter(self) -> str | None:
        """The saved reply as a letter; None before anything is written.

        Read here, as it was just saved: a letter is asked for by a click and
        laid out on the GUI thread anyway.
        """
        self.flush()
        if self.reply_id is None:
            return None
        try:
            self.detail = self.session.workspace.complaint(self.complaint_id)
        except WorkspaceError:
            return None
        reply = self.current_reply()
        if reply is None:
            return None
        today = self.session.workspace.server_now().astimezone().date()
        return letter_html(self.detail, reply, self.session.settings.letter_header, today)

    def letter_file_stem(self) -> str:
        return f"tindak-lanjut-{self.complaint_id}"

    def save_letter(self, path: Path) -> bool:
        return self.print_button.save_pdf(path)

    def current_reply_state(self) -> ReplyState | None:
        """The reply's state in the replica now: one row, read here because it guards a write."""
        if self.reply_id is None:
            return None
        try:
            return self.session.workspace.reply(self.reply_id).state
        except WorkspaceError:
            return None
