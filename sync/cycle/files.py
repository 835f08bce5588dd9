"""The cycle's file transfer: every attachment not yet here, fetched, resumed and checked.

A download is sealed chunk by chunk into a ``.part`` file as it arrives
(``sync.sealed_files``; the unfinished chunk's bytes, sealed apart, in a
``.tail`` after a cut), resumes with ``Range`` at the byte it had, and
becomes the kept file (``sync.kept_files.stored_path``) only once the
SHA-256 of its plaintext matches the record. Files of the nearest deadline
come first.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import select

from sync.cycle.context import CycleContext
from sync.errors import ErrorCode
from sync.http.urls import api_path
from sync.kept_files import PART_SUFFIX, sealed_sha256, set_download_state, stored_path
from sync.sealed_files import SealingWriter, discard_part, resumable_bytes
from sync.store.database import files_key, read_session
from sync.store.models import Attachment, Complaint
from sync.transport import ApiError, OfflineError, TransferInterrupted, Transport, TransportError

log = logging.getLogger(__name__)

RESUMES_PER_FILE = 5  # breaks survived within one cycle before giving up until the next


def download_missing(ctx: CycleContext) -> None:
    """Fetch every attachment not yet here, those of the nearest deadline first."""
    _forget_gone(ctx)
    with read_session(ctx.db) as session:
        # A file several complaints share comes once, at its nearest deadline.
        wanted = list({
            att.id: (att.id, att.sha256, att.size, att.mime)
            for att in session.scalars(
                select(Attachment)
                .join(Complaint, Complaint.id == Attachment.complaint_id)
                .where(Attachment.download_state != "done", Complaint.removed.is_(False))
                .order_by(Complaint.local_due.is_(None), Complaint.local_due,
                          Complaint.due_at, Attachment.id)
            )
        }.values())
    for done, (att_id, sha256, size, mime) in enumerate(wanted):
        ctx.progress(3, 4, f"files {done}/{len(wanted)}")
        _download(ctx, att_id, sha256, size, mime)


def _forget_gone(ctx: CycleContext) -> None:
    """A file recorded as here but gone from the profile (deleted by hand): fetch it again."""
    with read_session(ctx.db) as session:
        kept = session.execute(
            select(Attachment.id, Attachment.local_path).distinct()  # a shared file once
            .where(Attachment.download_state == "done")
        ).all()
    for att_id, local_path in kept:
        if not local_path or not Path(local_path).is_file():
            set_download_state(ctx.db, att_id, "missing", 0, None)


def _download(ctx: CycleContext, att_id: str, sha256: str, size: int, mime: str) -> None:
    key = files_key(ctx.db)
    target = stored_path(ctx.files_dir, key, sha256, mime)
    if target.exists():
        if sealed_sha256(target, key) == sha256:
            set_download_state(ctx.db, att_id, "done", size, target)  # the same content came before
            return
        target.unlink()  # in the clear, damaged or another content: fetch it again
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + PART_SUFFIX)
    for _attempt in range(RESUMES_PER_FILE):
        try:
            _fetch(ctx.transport, att_id, part, size, key)
            break
        except TransferInterrupted as exc:
            have = resumable_bytes(part)
            set_download_state(ctx.db, att_id, "partial", have, None)
            log.info("download of %s broke at %d bytes (%s); resuming", att_id, have, exc)
        except ApiError as exc:
            log.warning("attachment %s cannot be fetched: %s", att_id, exc)
            set_download_state(ctx.db, att_id, "failed", 0, None)
            return
        except OfflineError:
            raise  # the network, not this file: the next cycle tries again
        except TransportError as exc:
            # Larger than its record, a broken encoding: this file, not the whole sync, fails.
            discard_part(part)
            log.warning("attachment %s refused: %s", att_id, exc)
            ctx.tally.note(f"attachment {att_id} refused: {exc}")
            set_download_state(ctx.db, att_id, "failed", 0, None)
            return
    else:
        raise OfflineError(f"the download of attachment {att_id} kept breaking")
    if sealed_sha256(part, key) != sha256:
        discard_part(part)
        log.warning("attachment %s did not match its SHA-256: discarded", att_id)
        ctx.tally.note(f"attachment {att_id} failed its SHA-256 check")
        set_download_state(ctx.db, att_id, "failed", 0, None)
        return
    os.replace(part, target)
    set_download_state(ctx.db, att_id, "done", size, target)


def _fetch(transport: Transport, att_id: str, part: Path, size: int, key: bytes) -> None:
    """Bring ``part`` to the whole sealed file, resuming after the bytes it holds."""
    writer = SealingWriter.resume(part, key)
    if writer is not None and writer.held >= size:
        writer.close()  # more than the record says: not this file's part
        writer = None
    have = writer.held if writer is not None else 0
    try:
        try:
            reply = transport.download(api_path("attachments", att_id), start=have)
        except ApiError as exc:
            if exc.code != ErrorCode.RANGE_NOT_SATISFIABLE:
                raise
            have = 0  # the file on the server is not what we hold
            reply = transport.download(api_path("attachments", att_id))
        with reply:
            if writer is None or not (have and reply.status == 206):
                if writer is not None:
                    writer.close()
                writer, have = SealingWriter.create(part, key), 0
            for chunk in reply.iter_bytes():
                have += len(chunk)
                if have > size:
                    raise TransportError(f"attachment {att_id} is larger than its record says")
                writer.write(chunk)
            writer.finish()
    finally:
        if writer is not None:
            writer.close()  # after a break: the whole chunks and the tail stay for the resume
