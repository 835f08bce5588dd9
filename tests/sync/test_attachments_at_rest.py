"""Downloaded files are sealed at rest and only ever shown unsealed from a private folder.

A stolen laptop's profile must not hold a reporter's photo of an ID card:
the file is sealed chunk by chunk as it arrives (resuming after a cut),
and ``Workspace.open_attachment`` unseals a copy that ``close`` removes.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from server.inprocess import RunningServer, start_server
from sync.errors import WorkspaceError
from sync.sealed_files import HEADER, SEALED_CHUNK, is_sealed
from sync.store.engine import read_session
from sync.store.models import Attachment
from sync.workspace import Workspace
from tests.faults.proxy import FaultProxy
from tests.integration import peers
from tests.integration.peers import OFFICER

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MARKER = b"NIK 3201234567890001 KTP PELAPOR"  # text a thief would look for
# Five chunks (the last one short) and the marker inside the third.
PHOTO = PNG_MAGIC + os.urandom(140_000) + MARKER + os.urandom(160_000)


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with start_server(complaints=2, rate_limit=None) as running:
        yield running


@pytest.fixture
def proxy(server: RunningServer) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", server.port) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def photo_id(server: RunningServer) -> str:
    return peers.attach(server, peers.open_complaints(server)[0], PHOTO, "ktp pelapor.png")


@pytest.fixture
def office(tmp_path: Path, proxy: FaultProxy, photo_id: str) -> Iterator[Workspace]:
    workspace = peers.open_profile(tmp_path / "office", proxy.url)
    peers.log_in(workspace, OFFICER)
    yield workspace
    workspace.close()


def kept(workspace: Workspace, att_id: str) -> tuple[str, Path | None]:
    with read_session(workspace.engine) as session:
        row = session.get(Attachment, att_id)
        assert row is not None
        return row.download_state, Path(row.local_path) if row.local_path else None


def sealed_path(workspace: Workspace, att_id: str) -> Path:
    state, path = kept(workspace, att_id)
    assert state == "done" and path is not None
    return path


def opened_folder(workspace: Workspace) -> Path:
    return workspace._opened_files.folder()


def test_a_file_round_trips_sealed_through_a_cut_download_and_open(
    office: Workspace, proxy: FaultProxy, photo_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "sync.attachments")
    proxy.cut_after(len(PHOTO) // 2, "down")  # the file's body breaks half-way

    assert office.sync().ok

    assert "resuming" in caplog.text  # it broke, and went on after its whole sealed chunks
    path = sealed_path(office, photo_id)
    assert is_sealed(path)
    profile = office.profile.directory
    for file in (f for f in profile.rglob("*") if f.is_file()):
        content = file.read_bytes()
        assert PNG_MAGIC not in content and MARKER not in content, file
        assert PHOTO[1000:1064] not in content, file

    copy = office.open_attachment(photo_id)

    assert copy.read_bytes() == PHOTO
    assert copy.name == "ktp pelapor.png"  # the viewer knows the type by its extension
    assert not copy.is_relative_to(profile)
    if os.name == "posix":
        assert stat.S_IMODE(opened_folder(office).stat().st_mode) == 0o700
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    folder = opened_folder(office)
    office.close()
    assert not folder.exists() and not copy.exists()


def _flip_a_byte(data: bytes) -> bytes:
    return data[:HEADER + 100] + bytes([data[HEADER + 100] ^ 1]) + data[HEADER + 101:]


def _swap_two_chunks(data: bytes) -> bytes:
    first, second = HEADER, HEADER + SEALED_CHUNK
    return (data[:first] + data[second:second + SEALED_CHUNK] + data[first:second]
            + data[second + SEALED_CHUNK:])


def _drop_the_final_chunk(data: bytes) -> bytes:
    return data[:HEADER + 4 * SEALED_CHUNK]


def _cut_after_two_chunks(data: bytes) -> bytes:
    return data[:HEADER + 2 * SEALED_CHUNK]


def _cut_anywhere(data: bytes) -> bytes:
    return data[:len(data) - 1000]


@pytest.mark.parametrize(
    "damage",
    [_flip_a_byte, _swap_two_chunks, _drop_the_final_chunk, _cut_after_two_chunks, _cut_anywhere],
    ids=["a flipped byte", "two chunks swapped", "the final chunk dropped",
         "cut after two chunks", "cut anywhere"],
)
def test_a_damaged_sealed_file_is_never_shown_and_comes_again(
    office: Workspace, photo_id: str, damage: Callable[[bytes], bytes]
) -> None:
    assert office.sync().ok
    path = sealed_path(office, photo_id)
    path.write_bytes(damage(path.read_bytes()))

    with pytest.raises(WorkspaceError) as refused:
        office.open_attachment(photo_id)

    assert refused.value.code == "not_found"
    assert not [f for f in opened_folder(office).rglob("*") if f.is_file()]  # nothing shown
    assert kept(office, photo_id) == ("missing", None) and not path.exists()
    assert office.sync().ok  # the next sync fetches it again
    assert office.open_attachment(photo_id).read_bytes() == PHOTO


def test_another_files_sealed_content_under_this_name_is_refused(
    server: RunningServer, office: Workspace, photo_id: str
) -> None:
    """Sealed under the same key, but not this record's content: its SHA-256 tells."""
    other = PNG_MAGIC + os.urandom(10_000)
    other_id = peers.attach(server, peers.open_complaints(server)[0], other, "lain.png")
    assert office.sync().ok
    sealed_path(office, photo_id).write_bytes(sealed_path(office, other_id).read_bytes())

    with pytest.raises(WorkspaceError):
        office.open_attachment(photo_id)
    assert office.open_attachment(other_id).read_bytes() == other


def test_a_file_an_older_version_kept_in_the_clear_is_downloaded_again_sealed(
    office: Workspace, photo_id: str
) -> None:
    assert office.sync().ok
    path = sealed_path(office, photo_id)
    path.write_bytes(PHOTO)  # how versions before 0008 kept it
    stray = path.with_name("0" * 64 + ".png")  # an upload's copy, never downloaded
    stray.write_bytes(PHOTO)
    old_part = path.with_name("1" * 64 + ".png.part")  # a download an old version began
    old_part.write_bytes(PHOTO[:70_000])

    assert office.sync().ok

    assert is_sealed(sealed_path(office, photo_id))
    assert not stray.exists() and not old_part.exists()
    assert PNG_MAGIC not in path.read_bytes()
    assert office.open_attachment(photo_id).read_bytes() == PHOTO

