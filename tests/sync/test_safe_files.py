"""Attachment files are data, never paths and never programs, on both ends.

- A name from a reporter, an officer or a server is cut to a plain file
  name by one rule (``sync.protocol.safe_filename``) that client and server
  share: no path part, no device name, no control character, bounded length.
- A file's type is its bytes, not its label: a renamed executable is refused
  before it is sent, refused by the server if a client lies, and never
  handed to the system's viewer if a server sends one.
- Limits hold before any byte moves.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.db import Attachment as ServerAttachment
from server.db import Upload
from server.inprocess import RunningServer, start_server
from server.uploads import sanitise_filename, store_file
from sync import protocol
from sync.connection import Tokens, connect
from sync.errors import WorkspaceError
from sync.kept_files import FILES_DIR, stored_path
from sync.store.database import files_key, read_session
from sync.store.models import Attachment
from sync.transport import ApiError, Transport
from sync.uploads import UnsupportedFile, upload_file
from sync.workspace import Workspace
from tests.integration import peers
from tests.integration.peers import FAST, OFFICER

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(50)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(100)
ELF = b"\x7fELF\x02\x01\x01" + bytes(100)
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + bytes(60)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(60)
RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


# --- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../../etc/passwd", "passwd"),
        ("/etc/shadow", "shadow"),
        ("C:\\Windows\\System32\\drivers\\etc\\hosts", "hosts"),
        ("C:autoexec.bat", "autoexec.bat"),
        ("\\\\fileserver\\share$\\gaji.xlsx", "gaji.xlsx"),
        ("..\\..\\Startup\\run.pdf", "run.pdf"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("COM1.tar.gz", "_COM1.tar.gz"),
        ("lpt9.pdf", "_lpt9.pdf"),
        ("aux.", "_aux"),
        ("CON .", "_CON"),
        ("laporan\x00.pdf", "laporan.pdf"),
        ("surat\r\nContent-Type: text/html.pdf", "html.pdf"),
        ("\x1b[31mmerah.txt", "[31mmerah.txt"),
        ("foto\u202egpj.exe", "fotogpj.exe"),  # a right-to-left override disguising .exe
        (".bashrc", "bashrc"),
        ("...", "lampiran"),
        ("", "lampiran"),
        ("surat balasan. . ", "surat balasan"),
    ],
)
def test_a_name_is_only_ever_a_plain_file_name(name: str, safe: str) -> None:
    assert protocol.safe_filename(name) == safe
    assert sanitise_filename(name) == safe  # the server keeps the very same name


def test_a_great_length_is_cut_keeping_the_extension() -> None:
    for name in ("a" * 10_000_000 + ".pdf", "😀" * 5_000 + ".png", "ب" * 300 + ".docx"):
        safe = protocol.safe_filename(name)
        assert len(safe) <= protocol.MAX_FILENAME_CHARS
        assert len(safe.encode("utf-8")) <= 240  # fits every file system's 255 bytes
        assert safe.endswith(name[name.rindex("."):])


@given(st.text(max_size=400))
def test_no_name_escapes_the_rule(name: str) -> None:
    safe = protocol.safe_filename(name)
    assert safe and len(safe) <= protocol.MAX_FILENAME_CHARS
    assert not set(safe) & set('/\\:<>"|?*')
    assert not any(unicodedata.category(ch)[0] == "C" for ch in safe)
    assert not safe.startswith(".") and not safe.endswith((".", " "))
    assert not RESERVED.match(safe)
    assert protocol.safe_filename(safe) == safe  # already safe stays as it is


# --- types by content ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mime", "head", "fits"),
    [
        ("image/png", PNG, True),
        ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF", True),
        ("application/pdf", PDF, True),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, True),
        ("application/vnd.oasis.opendocument.spreadsheet", ZIP, True),
        ("application/msword", OLE, True),
        ("text/plain", "Jalan rusak, ada lubang 30 cm ✓\n".encode(), True),
        ("text/plain", b"", True),  # an empty file is harmless
        ("application/pdf", EXE, False),
        ("image/png", ELF, False),
        ("image/jpeg", PNG, False),
        ("application/msword", ZIP, False),
        ("text/plain", EXE, False),
        ("application/x-msdownload", EXE, False),
        ("text/html", b"<script>alert(1)</script>", False),
    ],
)
def test_a_type_is_what_the_first_bytes_say(mime: str, head: bytes, fits: bool) -> None:
    assert protocol.content_matches(mime, head) is fits


def _starts(mime: str) -> bytes:
    """A file's first bytes as its type writes them: the magic, then binary (text has no magic)."""
    magic = protocol.FILE_TYPES[mime].magic
    return magic[0] + bytes(16) if magic else b"Laporan jalan rusak\n"


@pytest.mark.parametrize("mime", sorted(protocol.FILE_TYPES))
def test_every_type_of_the_table_is_taken_by_its_magic_and_refused_by_another(mime: str) -> None:
    assert protocol.content_matches(mime, _starts(mime))
    others = {_starts(other) for other in protocol.FILE_TYPES} - {_starts(mime)}
    assert others  # the zip and OLE families share a magic, but never all of the table
    for head in others:
        assert not protocol.content_matches(mime, head), head


def test_each_type_has_its_own_extension() -> None:
    """A kept copy's extension tells its type back (``sync.opening``): no two may share one."""
    extensions = [kind.extension for kind in protocol.FILE_TYPES.values()]
    assert len(set(extensions)) == len(extensions)
    assert ".bin" not in extensions  # what a type not in the table is kept as


# --- through the real server ---------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with start_server(complaints=6, rate_limit=None) as running:
        yield running


@pytest.fixture
def office(tmp_path: Path, server: RunningServer) -> Iterator[Workspace]:
    workspace = peers.open_profile(tmp_path / "office", server.url)
    peers.log_in(workspace, OFFICER)
    yield workspace
    workspace.close()


@pytest.fixture
def transport(office: Workspace) -> Iterator[Transport]:
    account = office.profile.accounts[OFFICER]
    tokens = Tokens(office._secrets, office.profile, account.user_id)
    with connect(office.profile, tokens, FAST) as link:
        yield link


def uploads(server: RunningServer) -> int:
    with server.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Upload)) or 0)


def test_a_renamed_executable_is_refused_before_a_byte_is_sent(
    tmp_path: Path, server: RunningServer, transport: Transport
) -> None:
    disguised = tmp_path / "surat_balasan.pdf"
    disguised.write_bytes(EXE)
    before = uploads(server)
    with pytest.raises(UnsupportedFile):
        upload_file(transport, disguised, "application/pdf")
    assert uploads(server) == before


def test_a_file_over_the_limit_is_refused_before_a_byte_is_sent(
    tmp_path: Path, server: RunningServer, transport: Transport
) -> None:
    big = tmp_path / "besar.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-")
        handle.truncate(protocol.MAX_UPLOAD_BYTES + 1)  # sparse: no 25 MiB written
    before = uploads(server)
    with pytest.raises(ValueError, match="at most"):
        upload_file(transport, big, "application/pdf")
    assert uploads(server) == before


def test_the_server_refuses_content_that_lies_about_its_type(
    server: RunningServer, transport: Transport
) -> None:
    """A client that skips its own check (or is not ours) still cannot store an executable."""
    created = transport.post_json("/uploads", {
        "filename": "foto.png", "mime": "image/png", "size": len(EXE),
        "sha256": hashlib.sha256(EXE).hexdigest()})
    with pytest.raises(ApiError) as refused:
        transport.patch(f"/uploads/{created['upload_id']}", EXE,
                        headers={"Upload-Offset": "0",
                                 "Content-Type": "application/offset+octet-stream"})
    assert (refused.value.status, refused.value.code) == (415, "unsupported_media_type")
    with server.database.reading() as session:
        row = session.get(Upload, created["upload_id"])
        assert row is not None and not row.complete and row.offset == 0
    with pytest.raises(ApiError) as missing:
        transport.download(f"/attachments/{created['upload_id']}")
    assert missing.value.status == 404


def test_a_hostile_name_reaches_the_server_only_as_a_plain_name(
    tmp_path: Path, server: RunningServer, transport: Transport
) -> None:
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(PDF)
    upload_id = upload_file(transport, letter, "application/pdf",
                            filename="\\\\srv\\share\\..\\CON.pdf")
    with server.database.reading() as session:
        row = session.get(Upload, upload_id)
        assert row is not None and row.complete and row.filename == "_CON.pdf"
    with transport.download(f"/attachments/{upload_id}") as reply:
        disposition = reply.headers["Content-Disposition"]
    assert disposition.endswith("''_CON.pdf")


def test_a_server_sent_executable_is_kept_by_hash_and_never_openable(
    server: RunningServer, office: Workspace
) -> None:
    """A national system that lets a reporter's .exe through, named and typed as it likes."""
    complaint_id = peers.open_complaints(server)[0]
    sent = {
        "att-exe": (EXE, "application/x-msdownload", "..\\..\\Startup\\update.exe"),
        "att-fake-png": (EXE + b"png", "image/png", "foto.png"),
        "att-png": (PNG, "image/png", "CON.png"),
    }
    with server.database.writing() as session:
        for att_id, (data, mime, name) in sent.items():
            store_file(session, att_id, "kantor-demo", "pelapor", name, mime, data,
                       peers.now())
            session.flush()
            session.add(ServerAttachment(upload_id=att_id, complaint_id=complaint_id))
        row = session.get(peers.Complaint, complaint_id)
        assert row is not None
        data = dict(row.data)
        data["attachments"] = [
            {"id": att_id, "filename": name, "mime": mime, "size": len(body),
             "sha256": hashlib.sha256(body).hexdigest()}
            for att_id, (body, mime, name) in sent.items()
        ]
        row.data = data
    peers.silently_bump(server, complaint_id)  # only the digest notices: a fresh pull
    assert office.sync().ok
    assert office.sync().ok
    with read_session(office.database) as session:
        kept = {a.id: a.local_path for a in session.scalars(select(Attachment))
                if a.id in sent}
    files_dir = office.profile.directory / FILES_DIR
    for att_id, path in kept.items():
        assert path is not None, att_id
        body, mime, _ = sent[att_id]
        # Chosen by the content's (keyed) hash, not by the name.
        assert Path(path) == stored_path(
            files_dir, files_key(office.database), hashlib.sha256(body).hexdigest(), mime)
    assert Path(kept["att-exe"]).suffix == ".bin"
    assert {att_id: _opens(office, att_id) for att_id, p in kept.items() if p} == {
        "att-exe": False, "att-fake-png": False, "att-png": True}
    assert office.open_attachment("att-png").name == "_CON.png"  # the safe name, its type
    names = {a.id: a.filename for a in office.complaint(complaint_id).attachments}
    assert names["att-exe"] == "update.exe" and names["att-png"] == "_CON.png"


def _opens(office: Workspace, att_id: str) -> bool:
    """Whether the file goes to the system's viewer (unsealed, an allowed type by its bytes)."""
    try:
        office.open_attachment(att_id)
    except WorkspaceError as exc:
        assert exc.code == "unsupported_media_type"
        return False
    return True
