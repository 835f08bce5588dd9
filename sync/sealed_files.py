"""Files sealed at rest: AES-256-GCM in 64 KiB chunks, and the private folder for opened copies.

A sealed file is ``MAGIC`` + an 8-byte random prefix, then chunks of at most
``CHUNK`` plaintext bytes, each followed by its 16-byte tag. Chunk ``i`` has
the nonce ``prefix + i`` (4 bytes, big-endian) and the associated data
``MAGIC + prefix + i + final``: chunks cannot be moved, dropped from the end
or taken from another file. Every chunk but the last holds exactly ``CHUNK``
bytes, so a cut download keeps its whole chunks; the bytes of the unfinished
one are sealed alone into a tail beside it, and the download resumes at the
byte it had. The
key is ``files_key`` (HKDF-SHA256 of the database key); it never reaches disk.
Files are named by ``names_key`` (derived from it): an HMAC of the content's
SHA-256, so a name does not tell which known file a profile holds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"LDS1"
PREFIX_BYTES = 8
HEADER = len(MAGIC) + PREFIX_BYTES
CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
MAX_CHUNKS = 2**32  # the counter's four bytes
FILES_KEY_INFO = b"lapor-desk attachments v1"
NAMES_KEY_INFO = b"lapor-desk attachment names v1"
SEALING_SUFFIX = ".sealing"  # a sealed copy being written, moved in when whole
# Beside a part: the bytes of its unfinished chunk, sealed alone, so a cut costs no
# refetch of them. Random nonces: the tail is rewritten at every cut.
TAIL_SUFFIX = ".tail"
TAIL_NONCE = 12

log = logging.getLogger(__name__)


class SealBroken(ValueError):
    """A sealed file that fails its check: tampered, cut, reordered, foreign or not sealed."""


def files_key(db_key: bytes) -> bytes:
    """The key that seals attachment files, derived from (never equal to) the database key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=FILES_KEY_INFO).derive(db_key)


def names_key(files_key: bytes) -> bytes:
    """The HMAC key that names sealed files; derived from, and never equal to, ``files_key``."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=NAMES_KEY_INFO).derive(files_key)


def _nonce(prefix: bytes, index: int) -> bytes:
    if index >= MAX_CHUNKS:
        raise SealBroken("too many chunks for one file")
    return prefix + index.to_bytes(4, "big")


def _associated(prefix: bytes, index: int, final: bool) -> bytes:
    return MAGIC + prefix + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


def is_sealed(path: Path) -> bool:
    """True when ``path`` starts like a sealed file (a cheap test; ``unseal`` checks)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def resumable_bytes(path: Path) -> int:
    """Plaintext bytes a partly written sealed file holds in whole chunks; 0 if it is not one.

    A torn last chunk (a crash mid-write) means starting over: writing that
    chunk's index again could reuse its nonce with other bytes.
    """
    try:
        length = path.stat().st_size
    except OSError:
        return 0
    if length < HEADER or (length - HEADER) % SEALED_CHUNK or not is_sealed(path):
        return 0
    return (length - HEADER) // SEALED_CHUNK * CHUNK


class SealingWriter:
    """Seals bytes into a file as they come; only whole chunks reach the file before ``finish``.

    The unfinished chunk's bytes are sealed into a ``.tail`` beside the file
    when the writer is closed before the end (a cut download), and taken back
    by ``resume``: a cut then costs no byte already received. A tail is
    bound to its file's prefix and chunk index, so it cannot join another.
    """

    def __init__(self, path: Path, handle: BinaryIO, key: bytes, prefix: bytes,
                 index: int) -> None:
        self._tail = path.with_name(path.name + TAIL_SUFFIX)
        self._handle = handle
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._index = index
        self._pending = bytearray()

    @classmethod
    def create(cls, path: Path, key: bytes) -> SealingWriter:
        prefix = os.urandom(PREFIX_BYTES)
        handle = path.open("wb")
        handle.write(MAGIC + prefix)
        writer = cls(path, handle, key, prefix, 0)
        writer._tail.unlink(missing_ok=True)
        return writer

    @classmethod
    def resume(cls, path: Path, key: bytes) -> SealingWriter | None:
        """Append to a part that ``resumable_bytes`` accepts; None when it must start over."""
        held = resumable_bytes(path)
        if held == 0:
            return None
        with path.open("rb") as handle:
            prefix = handle.read(HEADER)[len(MAGIC):]
        writer = cls(path, path.open("ab"), key, prefix, held // CHUNK)
        writer._pending += writer._read_tail()
        return writer

    @property
    def held(self) -> int:
        """Plaintext bytes taken so far (written whole chunks and those pending)."""
        return self._index * CHUNK + len(self._pending)

    def write(self, data: bytes) -> None:
        self._pending += data
        # The last CHUNK bytes wait: only ``finish`` knows which chunk is final.
        while len(self._pending) > CHUNK:
            self._seal(bytes(self._pending[:CHUNK]), final=False)
            del self._pending[:CHUNK]

    def _seal(self, plain: bytes, *, final: bool) -> None:
        nonce = _nonce(self._prefix, self._index)
        self._handle.write(self._aead.encrypt(nonce, plain, _associated(self._prefix, self._index,
                                                                         final)))
        self._index += 1

    def finish(self) -> None:
        """Seal what is pending as the final chunk and close the file, synced to disk."""
        self._seal(bytes(self._pending), final=True)
        self._pending.clear()
        self.close()

    def close(self) -> None:
        """Close; bytes of an unfinished chunk wait, sealed, in the tail for ``resume``."""
        if not self._handle.closed:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
        if self._pending:
            self._write_tail(bytes(self._pending))
        else:
            self._tail.unlink(missing_ok=True)
        self._pending.clear()

    def _tail_associated(self) -> bytes:
        return b"tail" + MAGIC + self._prefix + self._index.to_bytes(8, "big")

    def _write_tail(self, plain: bytes) -> None:
        nonce = os.urandom(TAIL_NONCE)
        sealed = MAGIC + nonce + self._aead.encrypt(nonce, plain, self._tail_associated())
        writing = self._tail.with_name(self._tail.name + SEALING_SUFFIX)
        with writing.open("wb") as handle:
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(writing, self._tail)

    def _read_tail(self) -> bytes:
        """The tail's bytes if it belongs here and passes its check; else nothing."""
        try:
            sealed = self._tail.read_bytes()
        except OSError:
            return b""
        start = len(MAGIC) + TAIL_NONCE
        if not sealed.startswith(MAGIC):
            return b""
        try:
            plain = self._aead.decrypt(sealed[len(MAGIC):start], sealed[start:],
                                       self._tail_associated())
        except (InvalidTag, ValueError):
            return b""  # another part's, or damaged: those bytes come again
        return plain if len(plain) <= CHUNK else b""


def discard_part(path: Path) -> None:
    """Remove a partly written sealed file and its tail."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + TAIL_SUFFIX).unlink(missing_ok=True)


def unseal(path: Path, key: bytes) -> Iterator[bytes]:
    """The plaintext of a sealed file, chunk by chunk, each checked before it is given.

    Raises ``SealBroken`` at the first chunk that fails; a consumer must drop
    what it took before (a later chunk may be the one that was cut or moved).
    """
    aead = AESGCM(key)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise SealBroken(f"cannot read {path.name}") from exc
    with handle:
        header = handle.read(HEADER)
        if len(header) != HEADER or not header.startswith(MAGIC):
            raise SealBroken("not a sealed file")
        prefix = header[len(MAGIC):]
        block, index = handle.read(SEALED_CHUNK), 0
        while True:
            following = handle.read(SEALED_CHUNK)
            final = not following
            try:
                plain = aead.decrypt(_nonce(prefix, index), block,
                                     _associated(prefix, index, final))
            except (InvalidTag, ValueError) as exc:
                raise SealBroken(f"chunk {index} of {path.name} fails its check") from exc
            yield plain
            if final:
                return
            block, index = following, index + 1


def seal_copy(source: Path, target: Path, key: bytes) -> None:
    """Seal a plaintext file into ``target`` (written beside it first, then moved in)."""
    part = target.with_name(target.name + SEALING_SUFFIX)
    writer = SealingWriter.create(part, key)
    try:
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                writer.write(block)
        writer.finish()
        os.replace(part, target)
    finally:
        writer.close()
        part.unlink(missing_ok=True)


OPENED_PREFIX = "lapor-desk-open-"
OWNER_SUFFIX = ".owner"  # beside each folder, locked by the process whose copies it holds
NEWBORN_S = 60.0  # a folder this young may not have its owner's lock yet

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _hold(owner: Path, *, create: bool) -> int:
    """A descriptor on ``owner`` holding its lock; OSError when another process holds it.

    Created only new (never through a link someone put there first).
    """
    flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
    fd = os.open(owner, flags, 0o600)
    try:
        _try_lock(fd)
    except OSError:
        os.close(fd)
        raise
    return fd


def _is_ours(path: Path, kind: int, mode: int | None) -> bool:
    """``path`` itself (no link) is of ``kind``, of this OS user and (POSIX) of ``mode``."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if stat.S_IFMT(info.st_mode) != kind:
        return False
    if hasattr(os, "getuid"):
        return info.st_uid == os.getuid() and mode in (None, stat.S_IMODE(info.st_mode))
    return True


def _unused(owner: Path) -> bool:
    """No running process holds this owner file's lock."""
    try:
        os.close(_hold(owner, create=False))
    except OSError:
        return False
    return True


def remove_leftovers(temp_root: Path | None = None) -> list[Path]:
    """Remove the opened-file folders a killed LAPOR Desk left in the temporary folder.

    Only folders named like ours, of this OS user and private to it (0700). One
    whose owner file is locked belongs to a running LAPOR Desk and stays; so does
    one too young to have its lock yet. Returns the folders removed.
    """
    root = temp_root or Path(tempfile.gettempdir())
    removed = []
    for entry in sorted(root.glob(OPENED_PREFIX + "*")):
        if entry.name.endswith(OWNER_SUFFIX):
            # An owner file whose folder is gone (killed while removing it): empty, ours.
            folder = entry.with_name(entry.name.removesuffix(OWNER_SUFFIX))
            if not folder.exists() and _is_ours(entry, stat.S_IFREG, None) and _unused(entry):
                entry.unlink(missing_ok=True)
            continue
        folder, owner = entry, entry.with_name(entry.name + OWNER_SUFFIX)
        if not _is_ours(folder, stat.S_IFDIR, 0o700):
            continue
        if not os.path.lexists(owner):
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime < NEWBORN_S:
                    continue
        elif not (_is_ours(owner, stat.S_IFREG, None) and _unused(owner)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        owner.unlink(missing_ok=True)
        if not folder.exists():
            removed.append(folder)
    return removed


def _release(fd: int, folder: Path) -> None:
    # Closed first: Windows removes no file that is open.
    with contextlib.suppress(OSError):
        os.close(fd)
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.with_name(folder.name + OWNER_SUFFIX).unlink(missing_ok=True)


class OpenedFiles:
    """A private folder (0700, files 0600) for plaintext copies the system's viewer opens.

    Made at first use, removed by ``close`` (and at the latest when the process
    ends); what a killed process left behind goes when the next one starts
    (``remove_leftovers``, run here): plaintext never outlives its session for long.
    The process holds a lock on the owner file beside the folder while it uses
    it: that is how a later process tells a leftover from a folder still in use.
    """

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._remove: Callable[[], object] | None = None
        self._lock = threading.Lock()  # opened from task threads: one folder, not two
        for folder in remove_leftovers():
            log.info("removed the opened files a stopped LAPOR Desk left in %s", folder)

    def folder(self) -> Path:
        with self._lock:
            if self._folder is None or not self._folder.is_dir():
                folder = Path(tempfile.mkdtemp(prefix=OPENED_PREFIX))
                os.chmod(folder, 0o700)
                owner = _hold(folder.with_name(folder.name + OWNER_SUFFIX), create=True)
                self._folder = folder
                self._remove = weakref.finalize(self, _release, owner, folder)
            return self._folder

    def write(self, name: Path, chunks: Iterator[bytes]) -> Path:
        """Write ``chunks`` to ``name`` under the folder; nothing stays if they fail."""
        target = self.folder() / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                         0o600)
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        return target

    def close(self) -> None:
        with self._lock:
            if self._remove is not None:
                self._remove()
            self._folder, self._remove = None, None
