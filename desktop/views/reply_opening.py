"""What the reply editor reads before it shows a reply: read on the task runner, in one go.

``read_opening`` serves ``ReplyEditor.open_for``; ``read_files`` the report
refreshed after a sync and the draft's files after one came or went.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sync.values import AgencyInfo, ComplaintDetail, DraftFile, ReplyInfo, ReplyKind, TemplateInfo

if TYPE_CHECKING:
    from sync import Workspace


@dataclass(frozen=True)
class Opening:
    """What the editor shows of one reply of one complaint, read in one go."""

    detail: ComplaintDetail
    reply: ReplyInfo | None
    kind: ReplyKind  # the reply's own kind once it exists
    files: list[DraftFile]
    templates: list[TemplateInfo]
    agencies: list[AgencyInfo]  # kept on this PC; Bukan Wewenang only


def read_files(workspace: Workspace, complaint_id: str, reply_id: str | None) -> Opening:
    """Runs on the task runner: the record and the reply's files, without the lists."""
    detail = workspace.complaint(complaint_id)
    reply = next((r for r in detail.replies if r.id == reply_id), None)
    files = workspace.draft_files(reply.id) if reply is not None else []
    # Attached before files were described here: the record's name, if it has it.
    known = {a.id: a for a in detail.attachments}
    files = [
        DraftFile(f.id, known[f.id].filename, known[f.id].mime, known[f.id].size, "")
        if f.filename == f.id and f.id in known
        else f
        for f in files
    ]
    kind = reply.kind if reply is not None else ReplyKind.RESPOND
    return Opening(detail, reply, kind, files, [], [])


def read_opening(
    workspace: Workspace, complaint_id: str, reply_id: str | None, kind: ReplyKind
) -> Opening:
    """Runs on the task runner: everything ``ReplyEditor.open_for`` shows."""
    found = read_files(workspace, complaint_id, reply_id)
    kind = found.kind if found.reply is not None else kind
    agencies = workspace.agencies() if kind == ReplyKind.REQUEST_REASSIGNMENT else []
    return Opening(found.detail, found.reply, kind, found.files, workspace.templates(), agencies)
