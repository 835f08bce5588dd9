"""The encrypted SQLite engine: SQLCipher, WAL, full fsync, foreign keys.

The database key is 32 random bytes given raw (``x'..'``), so SQLCipher
skips its own password KDF: the password work happens once, in
``sync.credentials``, where the key is wrapped per user.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from sync.errors import ErrorCode, WorkspaceError
from sync.sealed_files import files_key as derive_files_key
from sync.store.profile import PRIVATE_FILE, make_private

KEY_BYTES = 32
BUSY_TIMEOUT_MS = 10_000
_BEGIN_OPTION = "lapor_begin"
# Each open engine's attachment key (sync.sealed_files), in memory only, gone with the engine.
_FILES_KEYS: WeakKeyDictionary[Engine, bytes] = WeakKeyDictionary()


def _connect(path: Path, key: bytes) -> Any:
    if len(key) != KEY_BYTES:
        raise ValueError("the database key is 32 bytes")
    # check_same_thread off: the pool hands a connection to one thread at a time.
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our error, not stderr noise
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        # The first read fails on a wrong key: the file is then noise to SQLCipher.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(
            ErrorCode.WRONG_KEY, "the database key does not open this file"
        ) from exc
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_engine(path: Path, key: bytes) -> Engine:
    """An engine over the encrypted file at ``path`` (created if missing).

    Raises ``WorkspaceError(ErrorCode.WRONG_KEY)`` when the key does not open the file.
    """
    # Created private, so no other OS user reads it even for an instant; SQLite
    # gives -wal and -shm the main file's mode. Older files are narrowed.
    path = Path(path)  # a caller may pass a str
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists():
            make_private(part, PRIVATE_FILE)
    # Fail here, not at the first query deep inside some screen.
    _connect(path, key).close()
    engine = create_engine(
        f"sqlite:///{path}",  # the dialect's idea of the file; creator connects
        module=sqlcipher3,
        poolclass=QueuePool,
        creator=lambda: _connect(path, key),
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # The driver runs in autocommit; we say BEGIN ourselves, IMMEDIATE for
        # writers so two writers queue on busy_timeout instead of deadlocking.
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        # A connection back in the pool never holds a transaction open.
        if dbapi_conn.in_transaction:
            dbapi_conn.rollback()

    _FILES_KEYS[engine] = derive_files_key(key)
    return engine


def files_key(engine: Engine) -> bytes:
    """The key sealing this replica's attachment files (derived from its database key)."""
    try:
        return _FILES_KEYS[engine]
    except KeyError:
        raise WorkspaceError(ErrorCode.LOCKED_PROFILE, "the replica is not open") from None


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction: committed on success, rolled back on any error."""
    bind = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A consistent snapshot for reading; never writes."""
    with Session(engine) as session, session.begin():
        yield session
