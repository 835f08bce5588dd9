"""Client profiles against the real reference server, and what tests do on the server side.

The server is ``server.inprocess.start_server`` on loopback with the demo
office seeded (officers petugas1/petugas2, supervisor atasan1). Server-side
changes go through ``server.complaints`` so versions, history and the
change feed stay in step, as a national admin's would.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from server.complaints import add_event, move, new_event, touched
from server.db import Attachment, Complaint, FeedState, MutationRecord, Review, Upload
from server.feed import digest as server_digest
from server.feed import publish
from server.inprocess import RunningServer
from server.seed import DEMO_OFFICE, OTHER_OFFICE, demo_password
from server.uploads import store_file
from sync.connection import NetworkOptions
from sync.http.retry import Backoff
from sync.workspace import Workspace
from tests.helpers.replica import FAST_KDF

OFFICER = "petugas1"
OFFICER2 = "petugas2"
SUPERVISOR = "atasan1"
REPORTER = {"id": "pelapor", "name": "Pelapor", "role": "reporter"}
ADMIN = {"id": "admin-nasional", "name": "Admin Nasional", "role": "admin"}

# Short waits and a short stall timeout: faults in tests last milliseconds.
FAST = NetworkOptions(
    max_attempts=4,
    backoff=Backoff(base=0.01, cap=0.05),
    stall_timeout=2.0,
    login_attempts=1,
)


class ServerClock:
    """The server's clock in a test (``start_server(clock=...)``): moves only when told.

    The client's ``server_now`` follows it through the Date header.
    """

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def open_profile(directory: Path, url: str, options: NetworkOptions = FAST) -> Workspace:
    workspace = Workspace.open(directory, url, kdf_n=FAST_KDF)
    workspace.network = options
    return workspace


def office_pc(directory: Path, url: str) -> Workspace:
    """The office's PC: the supervisor logged in online once (key registered), then the officer."""
    workspace = open_profile(directory, url)
    log_in(workspace, SUPERVISOR)
    log_in(workspace, OFFICER)
    assert workspace.sync().ok
    return workspace


def log_in(workspace: Workspace, username: str) -> None:
    workspace.login(username, demo_password(username))


def password(username: str) -> str:
    return demo_password(username)


def now() -> datetime:
    return datetime.now(UTC)


# --- the server's side -------------------------------------------------------------


def office_complaints(server: RunningServer, office_id: str = DEMO_OFFICE) -> list[str]:
    with server.database.reading() as session:
        return list(
            session.scalars(
                select(Complaint.id).where(Complaint.office_id == office_id).order_by(Complaint.id)
            )
        )


def open_complaints(server: RunningServer) -> list[str]:
    """Demo office complaints an office may still reply to."""
    with server.database.reading() as session:
        return list(
            session.scalars(
                select(Complaint.id)
                .where(Complaint.office_id == DEMO_OFFICE,
                       Complaint.status.in_(["verified", "in_progress"]))
                .order_by(Complaint.id)
            )
        )


def record(server: RunningServer, complaint_id: str) -> dict[str, Any]:
    with server.database.reading() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        return copy.deepcopy(row.data)


def events_with_text(server: RunningServer, text: str) -> int:
    """How many events on the server carry exactly ``text``: exactly-once is 1."""
    with server.database.reading() as session:
        return sum(
            1
            for data in session.scalars(select(Complaint.data))
            for event in data["events"]
            if event.get("text") == text
        )


def mutations_applied(server: RunningServer, mutation_ids: list[str] | None = None) -> int:
    with server.database.reading() as session:
        query = select(func.count()).select_from(MutationRecord)
        if mutation_ids is not None:
            query = query.where(MutationRecord.id.in_(mutation_ids))
        return int(session.scalar(query) or 0)


def digest(server: RunningServer, office_id: str = DEMO_OFFICE) -> str:
    with server.database.snapshot() as session:
        return str(server_digest(session, office_id)["digest"])


def review_state(server: RunningServer, review_id: str) -> str | None:
    with server.database.reading() as session:
        row = session.get(Review, review_id)
        return row.state if row is not None else None


def _change(
    server: RunningServer, complaint_id: str, apply: Callable[[Any, Complaint], None]
) -> None:
    with server.database.writing() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        apply(session, row)


def _add_event(
    server: RunningServer,
    complaint_id: str,
    event_type: str,
    actor: dict[str, str],
    text: str,
    status: str | None = None,
) -> None:
    def apply(session: Any, row: Complaint) -> None:
        at = now()
        add_event(row, new_event(event_type, at, actor, text), at, status)
        publish(session, at, touched(row))

    _change(server, complaint_id, apply)


def reporter_replies(server: RunningServer, complaint_id: str, text: str) -> None:
    """The reporter answers: a reply drafted before this is now in conflict."""
    _add_event(server, complaint_id, "reporter_reply", REPORTER, text)


def admin_completes(server: RunningServer, complaint_id: str) -> None:
    _add_event(server, complaint_id, "status", ADMIN, "Selesai", "completed")


def admin_notes(server: RunningServer, complaint_id: str, text: str) -> None:
    _add_event(server, complaint_id, "note", ADMIN, text)


def attach(
    server: RunningServer, complaint_id: str, data: bytes, filename: str = "foto.png"
) -> str:
    """An admin adds a file to the record (an event with an attachment); returns its id.

    The same ``data`` attached to another complaint is the same upload, shared.
    """
    upload_id = f"att-test-{hashlib.sha256(data).hexdigest()[:16]}"

    def apply(session: Any, row: Complaint) -> None:
        at = now()
        upload = session.get(Upload, upload_id) or store_file(
            session, upload_id, DEMO_OFFICE, "u-petugas1", filename, "image/png", data, at)
        session.flush()
        session.add(Attachment(upload_id=upload_id, complaint_id=row.id))
        add_event(row, new_event("note", at, ADMIN, "Lampiran", [upload.meta()]), at)
        publish(session, at, touched(row))

    _change(server, complaint_id, apply)
    return upload_id


def move_away(server: RunningServer, complaint_id: str) -> None:
    """The national admin forwards the complaint to another office: a remove for ours."""
    _change(
        server, complaint_id, lambda session, row: move(session, row, OTHER_OFFICE, now(), ADMIN)
    )


def corrupt(server: RunningServer, complaint_id: str, **fields: Any) -> None:
    """Break a record's wire data on the server (as a buggy national system would)."""

    def apply(session: Any, row: Complaint) -> None:
        data = copy.deepcopy(row.data)
        data.update(fields)
        row.version += 1
        data["version"] = row.version
        row.data = data
        publish(session, now(), touched(row))

    _change(server, complaint_id, apply)


def rewrite(server: RunningServer, complaint_id: str, **fields: Any) -> None:
    """The national system changes a record's data: a new version, in the feed."""
    corrupt(server, complaint_id, **fields)


def expire_cursors(server: RunningServer) -> None:
    """Removes purged up to now: every cursor issued before the last change gets 410."""
    with server.database.writing() as session:
        session.execute(update(FeedState).values(purged_seq=FeedState.last_seq))


def silently_bump(server: RunningServer, complaint_id: str) -> None:
    """A version change the feed never announces: only the digest can notice it."""
    with server.database.writing() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        data = copy.deepcopy(row.data)
        row.version += 1
        data["version"] = row.version
        row.data = data
        row.history = [*row.history, [row.version, row.status, None]]


def repair_in_place(server: RunningServer, complaint_id: str, **fields: Any) -> None:
    """Fix a record's data on the server without a version change or a feed entry."""
    with server.database.writing() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        row.data = {**copy.deepcopy(row.data), **fields}


def leave_silently(server: RunningServer, complaint_id: str) -> None:
    """The record leaves the office's scope with no remove in the feed (an operator's SQL)."""
    with server.database.writing() as session:
        row = session.get(Complaint, complaint_id)
        assert row is not None
        row.office_id = OTHER_OFFICE
