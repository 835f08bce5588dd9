"""One complaint: the report, the reporter (or 'Anonim'), location, timeline, attachments.

Everything that comes from a report is shown as plain text: a title or a
body can never inject markup or links into the office's screen.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import show_error
from desktop.session import Session
from desktop.shortcuts import Shortcut, bind
from desktop.views.report import (
    ANONYMOUS_STYLE,
    CONFIDENTIAL_STYLE,
    body_heading,
    event_lines,
    field_labels,
    field_values,
    removed_text,
    timeline_heading,
)
from sync.errors import WorkspaceError
from sync.values import AttachmentInfo, ComplaintDetail, ReplyKind, ReplyState

log = logging.getLogger(__name__)

ITEM_ROLE = Qt.ItemDataRole.UserRole  # a list item's reply or attachment id
ACTION_SHORTCUTS = {
    ReplyKind.RESPOND: Shortcut.RESPOND,
    ReplyKind.COMPLETE: Shortcut.COMPLETE,
    ReplyKind.REQUEST_REASSIGNMENT: Shortcut.REASSIGN,
    ReplyKind.NOTE: Shortcut.NOTE,
}

EDITABLE = (ReplyState.DRAFT, ReplyState.RETURNED, ReplyState.CONFLICT, ReplyState.REFUSED)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{max(1, size // 1024)} KiB"


class ComplaintView(QWidget):
    """Shows ``Workspace.complaint(id)``; its buttons ask the session for the reply editor."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.complaint_id = ""
        self.detail: ComplaintDetail | None = None

        self.empty = words.plain_label(self.tr("Pilih laporan di daftar untuk melihat isinya."))
        self.empty.setObjectName("complaint_empty")
        self.content = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(self.empty)
        self.actions_bar = QWidget()  # above the scrolled report: in one place for every report
        outer.addWidget(self.actions_bar)
        outer.addWidget(scroll, 1)
        self.scroll_area = scroll

        layout = QVBoxLayout(self.content)
        self.confidential_banner = words.plain_label(
            self.tr("RAHASIA: laporan ini tidak boleh dibagikan ke luar kantor.")
        )
        self.confidential_banner.setObjectName("confidential_banner")
        self.confidential_banner.setStyleSheet(CONFIDENTIAL_STYLE)
        self.confidential_banner.setWordWrap(True)
        layout.addWidget(self.confidential_banner)
        self.removed_banner = words.plain_label(removed_text())
        self.removed_banner.setStyleSheet("background: #eeeeee; padding: 6px;")
        layout.addWidget(self.removed_banner)

        self.title = words.plain_label()
        self.title.setObjectName("complaint_title")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)

        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label in field_labels():
            value = words.plain_label()
            value.setObjectName(f"field_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(words.plain_label(label), value)
        layout.addLayout(form)

        self.body = QPlainTextEdit()
        self.body.setObjectName("complaint_body")
        self.body.setReadOnly(True)
        self.body.setMinimumHeight(120)
        layout.addWidget(self._heading(body_heading()))
        layout.addWidget(self.body)

        actions = QGridLayout(self.actions_bar)  # two by two: fits beside the list
        actions.setContentsMargins(0, 0, 0, 0)
        self.action_buttons: dict[ReplyKind, QPushButton] = {}
        for kind, text in (
            (ReplyKind.RESPOND, self.tr("Tindak Lanjut")),
            (ReplyKind.COMPLETE, self.tr("Selesaikan")),
            (ReplyKind.REQUEST_REASSIGNMENT, self.tr("Bukan Wewenang")),
            (ReplyKind.NOTE, self.tr("Catatan Internal")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"action_{kind.value}")
            button.setProperty("kind", kind.value)
            button.clicked.connect(self.on_action_clicked)
            actions.addWidget(button, len(self.action_buttons) // 2, len(self.action_buttons) % 2)
            self.action_buttons[kind] = button
            bind(button, ACTION_SHORTCUTS[kind], self)

        layout.addWidget(self._heading(self.tr("Tindak Lanjut di kantor")))
        self.replies = QListWidget()
        self.replies.setObjectName("complaint_replies")
        self.replies.setMaximumHeight(110)
        self.replies.setWordWrap(True)
        self.replies.itemActivated.connect(self.on_replies_itemActivated)
        layout.addWidget(self.replies)
        # Sections others add (the inbox: Kejadian Sama, Pengaduan Serupa).
        self.sections = QVBoxLayout()
        self.sections.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.sections)

        layout.addWidget(self._heading(timeline_heading()))
        self.timeline = QListWidget()
        self.timeline.setObjectName("complaint_timeline")
        self.timeline.setWordWrap(True)
        layout.addWidget(self.timeline)

        layout.addWidget(self._heading(self.tr("Lampiran")))
        self.attachments = QListWidget()
        self.attachments.setObjectName("complaint_attachments")
        self.attachments.setMaximumHeight(90)
        self.attachments.itemActivated.connect(self.on_attachments_itemActivated)
        layout.addWidget(self.attachments)
        self.show_detail(None)

    def _heading(self, text: str) -> QLabel:
        label = words.plain_label(text)
        label.setStyleSheet("font-weight: 600; margin-top: 8px;")
        return label

    def load(self, complaint_id: str) -> None:
        """Show this complaint; another one than before starts at its top."""
        another = complaint_id != self.complaint_id
        self.complaint_id = complaint_id
        try:
            detail = self.session.workspace.complaint(complaint_id)
        except WorkspaceError as error:
            show_error(self, error)
            detail = None
        self.show_detail(detail)
        if another:
            self.scroll_area.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        """Show no complaint (the list no longer holds the one shown)."""
        self.complaint_id = ""
        self.show_detail(None)

    def show_detail(self, detail: ComplaintDetail | None) -> None:
        self.detail = detail
        self.empty.setVisible(detail is None)
        self.scroll_area.setVisible(detail is not None)
        self.actions_bar.setVisible(detail is not None)
        if detail is None:
            return
        s = detail.summary
        self.confidential_banner.setVisible(s.confidential)
        self.removed_banner.setVisible(detail.removed)
        self.title.setText(s.title)
        for key, value in field_values(detail).items():
            self.fields[key].setText(value)
        self.fields["reporter"].setStyleSheet(ANONYMOUS_STYLE if s.anonymous else "")
        self.body.setPlainText(detail.body)
        closed = s.status in ("completed", "archived") or detail.removed
        for kind, button in self.action_buttons.items():
            button.setEnabled(kind == ReplyKind.NOTE and not detail.removed or not closed)

        self.replies.clear()
        for reply in detail.replies:
            standing = words.reply_standing(reply.state, reply.delivery)
            text = f"{words.reply_kind_name(reply.kind)} · {standing}"
            if reply.corrected_by:
                text += " · " + self.tr("diperbaiki Atasan")
            if reply.return_comment and reply.state == ReplyState.RETURNED:
                text += " · " + self.tr("catatan Atasan: %1").replace("%1", reply.return_comment)
            item = QListWidgetItem(text)
            item.setData(ITEM_ROLE, reply.id)
            self.replies.addItem(item)

        self.timeline.clear()
        self.timeline.addItems(event_lines(detail))

        self.attachments.clear()
        for attachment in detail.attachments:
            state = self._download_text(attachment)
            item = QListWidgetItem(f"{attachment.filename} ({_size(attachment.size)}) · {state}")
            item.setData(ITEM_ROLE, attachment.id if attachment.local_path else "")
            if attachment.local_path:
                item.setToolTip(self.tr("Klik dua kali untuk membuka"))
            self.attachments.addItem(item)

    def _download_text(self, attachment: AttachmentInfo) -> str:
        """Where the file stands; the sync downloads it, resuming where it stopped."""
        if attachment.local_path and attachment.download_state == "done":
            return self.tr("siap dibuka")
        if attachment.download_state == "failed":
            return self.tr("gagal diunduh, dicoba lagi saat sinkron")
        if attachment.download_state == "partial" and attachment.size:
            share = 100 * attachment.downloaded_bytes // attachment.size
            return self.tr("diunduh %1%").replace("%1", str(share))
        return self.tr("diunduh saat sinkron")

    def editable_reply(self, kind: ReplyKind) -> str:
        """The id of this complaint's unsent reply of ``kind`` that may still be edited."""
        if self.detail is None:
            return ""
        for reply in self.detail.replies:
            if reply.kind == kind and reply.state in EDITABLE:
                return reply.id
        return ""

    @Slot()
    def on_action_clicked(self) -> None:
        kind = ReplyKind(str(self.sender().property("kind")))
        self.session.edit_reply.emit(self.complaint_id, self.editable_reply(kind), kind.value)

    @Slot(QListWidgetItem)
    def on_replies_itemActivated(self, item: QListWidgetItem) -> None:
        reply_id = str(item.data(ITEM_ROLE))
        if self.detail is None:
            return
        for reply in self.detail.replies:
            if reply.id == reply_id:
                self.session.edit_reply.emit(self.complaint_id, reply.id, reply.kind.value)

    @Slot(QListWidgetItem)
    def on_attachments_itemActivated(self, item: QListWidgetItem) -> None:
        attachment_id = str(item.data(ITEM_ROLE))
        if attachment_id:
            # Unsealed into a private folder; only an allowed type, by its bytes, comes back.
            self.session.runner.run(
                self.session.workspace.open_attachment,
                attachment_id,
                on_success=self.on_attachment_opened,
                on_failure=self.on_attachment_failed,
                name="buka berkas",
            )

    @Slot(object)
    def on_attachment_opened(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    @Slot(object)
    def on_attachment_failed(self, error: BaseException) -> None:
        show_error(self, error)
