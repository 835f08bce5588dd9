"""Downloaded files are sealed at rest and only ever shown unsealed from a private folder.

A stolen laptop's profile must not hold a reporter's photo of an ID card:
the file is sealed chunk by chunk as it arrives (resuming after a cut),
and ``Workspace.open_attachment`` unseals a copy that ``close`` removes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from server.inprocess import RunningServer, start_server
from sync.errors import WorkspaceError
from sync.sealed_files import HEADER, SEALED_CHUNK, is_sealed, remove_leftovers
from sync.store.database import read_session
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
def photo_id(server: RunningServer) -> str:
    return peers.attach(server, peers.open_complaints(server)[0], PHOTO, "ktp pelapor.png")


@pytest.fixture
def office(tmp_path: Path, proxy: FaultProxy, photo_id: str) -> Iterator[Workspace]:
    workspace = peers.open_profile(tmp_path / "office", proxy.url)
    peers.log_in(workspace, OFFICER)
    yield workspace
    workspace.close()


def kept(workspace: Workspace, att_id: str) -> tuple[str, Path | None]:
    with read_session(workspace.database) as session:
        row = session.scalars(select(Attachment).where(Attachment.id == att_id)).first()
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
    caplog.set_level(logging.INFO, "sync.cycle.files")
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


def test_a_kept_file_deleted_from_the_profile_is_fetched_again(
    office: Workspace, photo_id: str
) -> None:
    assert office.sync().ok
    sealed_path(office, photo_id).unlink()  # by hand, or a profile restored without its files

    assert office.sync().ok

    assert is_sealed(sealed_path(office, photo_id))
    assert office.open_attachment(photo_id).read_bytes() == PHOTO


# --- names that do not tell the content; no plaintext left by a killed process ---------


def photo_sha256() -> str:
    return hashlib.sha256(PHOTO).hexdigest()


def names_under(folder: Path) -> str:
    return "\n".join(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_no_file_name_in_the_profile_tells_which_file_it_holds(
    office: Workspace, photo_id: str
) -> None:
    assert office.sync().ok
    assert office.open_attachment(photo_id).read_bytes() == PHOTO

    assert photo_sha256() not in names_under(office.profile.directory)
    assert photo_sha256() not in names_under(opened_folder(office))


KILLED_VIEWER = """
import json, sys, time
from pathlib import Path
from sync.credentials import SecretStore
from sync.workspace import Workspace
from tests.faults.crash_runner import PipeKeyring

config = json.loads(sys.stdin.readline())
secrets = SecretStore(PipeKeyring(config["secrets"]))
workspace = Workspace.open(Path(config["profile"]), secrets=secrets)
print(workspace.open_attachment(config["attachment"]), flush=True)
time.sleep(600)  # killed while the viewer has the file
"""


def test_a_plaintext_copy_a_killed_app_left_is_removed_when_the_profile_opens_again(
    tmp_path: Path, proxy: FaultProxy, office: Workspace, photo_id: str,
    memory_keyring: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert office.sync().ok
    in_use = office.open_attachment(photo_id)  # this running app's copy: it must stay

    config = {"profile": str(office.profile.directory), "attachment": photo_id,
              "secrets": {user: value for (_, user), value in memory_keyring.secrets.items()}}
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_VIEWER], cwd=root, env={**os.environ, "TMPDIR": str(temp)},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as viewer:
        assert viewer.stdin is not None and viewer.stdout is not None
        viewer.stdin.write(json.dumps(config) + "\n")
        viewer.stdin.flush()
        left = Path(viewer.stdout.readline().strip())
        viewer.kill()
        viewer.wait(30)
    assert left.read_bytes() == PHOTO and left.is_relative_to(temp)  # the kill left it

    reopened = peers.open_profile(tmp_path / "office", proxy.url)
    reopened.close()

    live = opened_folder(office)
    assert not left.exists()
    assert sorted(p.name for p in temp.iterdir()) == [live.name, live.name + ".owner"]
    assert in_use.read_bytes() == PHOTO


def test_only_our_own_stopped_folders_are_taken_as_leftovers(tmp_path: Path) -> None:
    def folder(name: str, mode: int = 0o700, age_s: float = 0) -> Path:
        made = tmp_path / name
        made.mkdir(mode=mode)
        made.chmod(mode)
        (made / "ktp.png").write_bytes(PHOTO[:100])
        then = time.time() - age_s
        os.utime(made, (then, then))
        return made

    older_version = folder("lapor-desk-open-old", age_s=3600)  # no owner file: before locks
    just_made = folder("lapor-desk-open-new")  # its owner may not have locked it yet
    someone_elses = folder("other-app-tmp", age_s=3600)
    stopped = folder("lapor-desk-open-stopped", age_s=3600)
    (tmp_path / "lapor-desk-open-stopped.owner").touch()  # its process is gone: not locked

    assert remove_leftovers(tmp_path) == [older_version, stopped]
    assert just_made.exists() and someone_elses.exists()
    assert not (tmp_path / "lapor-desk-open-stopped.owner").exists()
    if os.name == "posix":
        shared = folder("lapor-desk-open-shared", mode=0o755, age_s=3600)  # not private: not ours
        assert remove_leftovers(tmp_path) == [] and shared.exists()


def test_a_cut_keeps_its_unfinished_chunk_sealed_and_resumes_at_the_byte(
    tmp_path: Path,
) -> None:
    from sync.sealed_files import CHUNK, SealingWriter, unseal

    key, data = os.urandom(32), os.urandom(3 * CHUNK + 5000)
    part = tmp_path / "f.png.part"
    writer = SealingWriter.create(part, key)
    writer.write(data[:CHUNK + 40_000])
    writer.close()  # the link broke here
    tail = part.with_name(part.name + ".tail")
    assert data[CHUNK:CHUNK + 40_000][:64] not in tail.read_bytes()  # sealed, not plain

    resumed = SealingWriter.resume(part, key)
    assert resumed is not None and resumed.held == CHUNK + 40_000  # nothing to fetch again
    resumed.write(data[CHUNK + 40_000:])
    resumed.finish()
    assert b"".join(unseal(part, key)) == data
    assert not tail.exists()

    # A tail is bound to its own file: beside another part it is ignored.
    other = tmp_path / "g.png.part"
    first = SealingWriter.create(other, key)
    first.write(data[:CHUNK + 10])
    first.close()
    stranger = SealingWriter.create(tmp_path / "h.png.part", key)
    stranger.write(data[:CHUNK + 300])
    stranger.close()
    os.replace(tmp_path / "h.png.part.tail", other.with_name(other.name + ".tail"))
    again = SealingWriter.resume(other, key)
    assert again is not None
    held = again.held
    again.close()
    assert held == CHUNK  # the whole chunk only
