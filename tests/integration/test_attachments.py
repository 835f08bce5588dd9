"""Attachment files over the real server: resumed downloads, hash checks, resumable uploads."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from server.db import Upload as ServerUpload
from server.db import UploadChunk
from server.inprocess import RunningServer
from sync import protocol
from sync.connection import Tokens, connect
from sync.cycle.context import CycleContext, Tally
from sync.cycle.files import download_missing
from sync.kept_files import FILES_DIR, sealed_sha256, stored_path
from sync.store.database import files_key, read_session, write_session
from sync.store.models import Attachment
from sync.uploads import upload_file
from sync.workspace import Workspace
from tests.faults.proxy import FaultProxy
from tests.integration import peers
from tests.integration.peers import FAST, OFFICER


@pytest.fixture
def synced(tmp_path: Path, server: RunningServer, proxy: FaultProxy) -> Iterator[Workspace]:
    first, second = peers.open_complaints(server)[:2]
    peers.attach(server, first, os.urandom(200_000), "foto_jalan.png")
    peers.attach(server, second, os.urandom(50_000), "../../foto.png")
    peers.attach(server, second, b"")
    workspace = peers.open_profile(tmp_path / "p", proxy.url)
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    yield workspace
    workspace.close()


def context(workspace: Workspace) -> CycleContext:
    account = workspace.profile.accounts[OFFICER]
    transport = connect(workspace.profile, Tokens(workspace._secrets, workspace.profile,
                                                  account.user_id), FAST)
    return CycleContext(workspace.database, transport, workspace.profile, account.office_id,
                        workspace.rules, Tally(), lambda *a: None, None)


def kept_files(workspace: Workspace) -> dict[str, tuple[str, str | None, int]]:
    with read_session(workspace.database) as session:
        return {
            att.id: (att.download_state, att.local_path, att.size)
            for att in session.scalars(select(Attachment))
        }


def forget_downloads(workspace: Workspace) -> None:
    with write_session(workspace.database) as session:
        for att in session.scalars(select(Attachment)):
            if att.local_path:
                Path(att.local_path).unlink(missing_ok=True)
            att.local_path, att.download_state, att.downloaded_bytes = None, "missing", 0


def test_a_sync_downloads_every_attachment_checked_and_named_by_its_hash(
    synced: Workspace,
) -> None:
    files = kept_files(synced)
    assert files, "the demo office has attachments"
    root = synced.profile.directory / FILES_DIR
    key = files_key(synced.database)
    with read_session(synced.database) as session:
        records = {att.id: (att.sha256, att.mime) for att in session.scalars(select(Attachment))}
    for att_id, (state, local_path, _size) in files.items():
        assert state == "done" and local_path is not None
        path = Path(local_path)
        sha256, mime = records[att_id]
        # Named by a keyed hash of its content, sealed at rest; its plaintext has the hash.
        assert path == stored_path(root, key, sha256, mime)
        assert sealed_sha256(path, key) == sha256


def test_a_broken_download_resumes_with_range(
    synced: Workspace, proxy: FaultProxy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "sync.cycle.files")
    forget_downloads(synced)
    ctx = context(synced)
    files = kept_files(synced)
    biggest = max(size for _s, _p, size in files.values())
    proxy.reset_counters()
    proxy.cut_after(biggest // 2, "down")  # the first file's body breaks half-way

    download_missing(ctx)

    assert all(state == "done" for state, _p, _s in kept_files(synced).values())
    assert "resuming" in caplog.text  # it did break, and went on from where it was
    # From the very byte it had: what came before the cut is not fetched again
    # (the bytes of an unfinished sealed chunk wait, sealed, in a tail file).
    heads = 1_000 * proxy.requests_forwarded
    assert proxy.bytes_down <= sum(size for _s, _p, size in files.values()) + heads
    left = (synced.profile.directory / FILES_DIR).rglob("*")
    assert not [p for p in left if p.name.endswith((".part", ".tail"))]
    ctx.transport.close()


def test_a_file_that_fails_its_hash_is_not_kept(
    synced: Workspace, server: RunningServer
) -> None:
    forget_downloads(synced)
    att_id = next(iter(kept_files(synced)))
    with server.database.writing() as session:
        session.execute(
            update(UploadChunk).where(UploadChunk.upload_id == att_id).values(data=b"rusak")
        )
        session.execute(update(ServerUpload).where(ServerUpload.id == att_id).values(size=5))
    ctx = context(synced)

    download_missing(ctx)

    state, local_path, _size = kept_files(synced)[att_id]
    assert state == "failed" and local_path is None
    assert any(att_id in note for note in ctx.tally.so_far.notes)
    ctx.transport.close()


def test_an_upload_survives_a_cut_and_the_same_file_is_not_sent_twice(
    synced: Workspace, server: RunningServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    photo = tmp_path / "foto jalan.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(300_000))  # a PNG by its first bytes
    ctx = context(synced)
    proxy.cut_after(150_000, "up")

    upload_id = upload_file(ctx.transport, photo, "image/png",
                            filename="../../etc/passwd.png")

    with server.database.reading() as session:
        row = session.get(ServerUpload, upload_id)
        assert row is not None and row.complete and row.filename == "passwd.png"
        assert row.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    proxy.reset_counters()
    assert upload_file(ctx.transport, photo, "image/png") == upload_id
    assert proxy.requests_forwarded == 1  # only the create: the server had it
    ctx.transport.close()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\cmd.exe", "cmd.exe"),
        ("CON.txt", "_CON.txt"),
        ("..", "lampiran"),
        ("laporan\x00.pdf", "laporan.pdf"),
        ('a<b>:c"d|e?f*.pdf', "a_b__c_d_e_f_.pdf"),
    ],
)
def test_a_file_name_never_chooses_a_path(name: str, safe: str) -> None:
    assert protocol.safe_filename(name) == safe


def test_a_file_attached_to_a_draft_goes_out_with_the_approved_reply(
    tmp_path: Path, server: RunningServer
) -> None:
    workspace = peers.open_profile(tmp_path / "office", server.url)
    peers.log_in(workspace, peers.SUPERVISOR)
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    complaint_id = peers.open_complaints(server)[0]
    scan = tmp_path / "surat balasan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(30_000))
    draft = workspace.draft_reply(complaint_id, "Surat balasan terlampir.")

    upload_id = workspace.attach_file(draft, scan, "application/pdf")

    assert workspace.reply(draft).attachment_ids == (upload_id,)
    workspace.submit_for_approval(draft)
    workspace.approve(draft, peers.SUPERVISOR, peers.password(peers.SUPERVISOR))
    assert workspace.sync().applied == 1
    [event] = [e for e in peers.record(server, complaint_id)["events"]
               if e.get("text") == "Surat balasan terlampir."]
    assert [a["id"] for a in event["attachments"]] == [upload_id]
    state, local_path, _size = kept_files(workspace)[upload_id]
    assert state == "done" and local_path is not None
    assert workspace.open_attachment(upload_id).read_bytes() == scan.read_bytes()
    workspace.close()


def test_files_of_the_nearest_deadline_come_first(synced: Workspace) -> None:
    forget_downloads(synced)
    with read_session(synced.database) as session:
        due = {
            att.id: (att.complaint.local_due, att.complaint.due_at)
            for att in session.scalars(select(Attachment))
        }
    ctx = context(synced)
    fetched: list[str] = []
    download = ctx.transport.download

    def recording(path: str, **kwargs: int) -> Any:
        fetched.append(path.rsplit("/", 1)[-1])
        return download(path, **kwargs)

    ctx.transport.download = recording  # type: ignore[method-assign]
    download_missing(ctx)

    assert fetched and [due[a] for a in fetched] == sorted(due[a] for a in fetched)
    assert len({due[a] for a in fetched}) > 1  # two deadlines, so the order means something
    ctx.transport.close()


def test_a_file_several_complaints_share_shows_on_each_and_comes_once(
    synced: Workspace, server: RunningServer, proxy: FaultProxy
) -> None:
    """One upload attached to several complaints (the seed shares its pool of photos too)."""
    from server.db import Complaint as ServerComplaint
    from server.seed import DEMO_OFFICE

    photo = os.urandom(30_000)
    for complaint_id in peers.open_complaints(server)[2:5]:
        peers.attach(server, complaint_id, photo, "foto_bersama.png")
    assert synced.sync().ok
    with server.database.reading() as session:
        records = session.scalars(select(ServerComplaint.data)
                                  .where(ServerComplaint.office_id == DEMO_OFFICE)).all()
    files = {r["id"]: {a["id"] for a in r["attachments"]}
             | {a["id"] for e in r["events"] for a in e["attachments"]} for r in records}
    owners = [att_id for ids in files.values() for att_id in ids]
    assert len(owners) > len(set(owners)), "the seed shares files among complaints"
    for complaint_id, ids in files.items():
        shown = synced.complaint(complaint_id).attachments
        assert {a.id for a in shown} == ids, complaint_id
        assert all(a.download_state == "done" for a in shown), complaint_id

    forget_downloads(synced)
    proxy.reset_counters()
    download_missing(context(synced))
    assert proxy.requests_forwarded == len(set(owners))  # one download per file
    assert {state for state, _path, _size in kept_files(synced).values()} == {"done"}
