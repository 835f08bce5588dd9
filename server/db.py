"""The reference server's tables (SQLAlchemy 2) and its engine.

One schema for SQLite (the default, a file) and PostgreSQL (by URL). Records
the wire shows (complaints, reviews) are stored as their wire JSON beside the
few columns the server queries on. Secrets are stored only as hashes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CursorResult,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.expression import Executable

from sync.protocol import format_time

# The office id of records every office sees (national categories and templates).
NATIONAL = ""


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Office(Base):
    __tablename__ = "offices"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(100), default="")


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(300))

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role,
            "office_id": self.office_id,
            "active": self.active,
        }


class TokenFamily(Base):
    """One login on one device; every refresh token descends from it."""

    __tablename__ = "token_families"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(200))
    device_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("token_families.id"), index=True)
    expires_at: Mapped[datetime]
    spent_at: Mapped[datetime | None]


class AccessToken(Base):
    __tablename__ = "access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("token_families.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class RequestCount(Base):
    """A fixed-window counter (requests of an address or an account, an address's failed
    logins): ``hits`` since ``window_start`` (unix seconds), bumped by one upsert."""

    __tablename__ = "request_counts"
    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger)
    hits: Mapped[int] = mapped_column(Integer)


class LoginSource(Base):
    """Logins of one username from one client address: failures, the lock, the last success."""

    __tablename__ = "login_sources"
    username: Mapped[str] = mapped_column(String(200), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]


class LoginAccount(Base):
    """Failed logins of one username from every address: the growing delay for strangers."""

    __tablename__ = "login_accounts"
    username: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime]
    next_try_at: Mapped[datetime | None]


class SigningKey(Base):
    __tablename__ = "signing_keys"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Template(Base):
    __tablename__ = "templates"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), default=NATIONAL, index=True)
    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "type": self.type, "body": self.body}


class Complaint(Base):
    """A complaint as its wire JSON, plus what the server queries and judges by.

    ``history`` lists one ``[version, status, event_type or null]`` per
    version, so conflict rules can ask what happened after a base version.
    """

    __tablename__ = "complaints"
    # Lets the digest cache (server.feed.DigestCache) count and sum versions from the index.
    __table_args__ = (Index("ix_complaints_office_version", "office_id", "version"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]
    history: Mapped[list[Any]]


class ComplaintOffice(Base):
    """Every office a complaint was ever in: 'never in it' is forbidden, 'left it' a conflict."""

    __tablename__ = "complaint_offices"
    complaint_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class Review(Base):
    __tablename__ = "reviews"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64), index=True)
    complaint_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(64))
    mutation_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    base_version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20))
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "complaint_id": self.complaint_id,
            "author_id": self.author_id,
            "mutation_type": self.mutation_type,
            "payload": self.payload,
            "base_version": self.base_version,
            "submitted_at": format_time(self.submitted_at),
            "state": self.state,
            "decision": self.decision,
        }


class ChangeLog(Base):
    """The office change feed, compacted: one row per (office, kind, id), at its latest seq.

    A reader pages by ``seq``; a record that changes again moves forward, so
    it is read once with its latest state and never skipped.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        UniqueConstraint("office_id", "kind", "entity_id"),
        Index("ix_change_log_office_seq", "office_id", "seq"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    op: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime]


class FeedState(Base):
    """A single row: the last seq handed out, and how far removes were purged.

    Allocating a seq updates this row, whose lock then serialises writers
    until they commit: a reader that sees seq N sees every seq below it.
    """

    __tablename__ = "feed_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    purged_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    cursor_key: Mapped[str] = mapped_column(String(64))


class MutationRecord(Base):
    """An applied mutation; its unique id makes a replay a no-op."""

    __tablename__ = "mutation_records"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    complaint_id: Mapped[str] = mapped_column(String(64))
    body_hash: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[datetime]


class UsedApproval(Base):
    """A signed approval that was applied: good for the one mutation id that used it."""

    __tablename__ = "used_approvals"
    # SHA-256 of the signed statement (content hash, supervisor, approved_at).
    statement_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime]


class Upload(Base):
    __tablename__ = "uploads"
    __table_args__ = (Index("ix_uploads_dedupe", "office_id", "size", "sha256", "complete"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    # Set while a PATCH writes; a second PATCH meanwhile is 409.
    claim: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[datetime | None]

    def meta(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "filename": self.filename,
            "mime": self.mime,
            "size": self.size,
            "sha256": self.sha256,
        }


class UploadChunk(Base):
    __tablename__ = "upload_chunks"
    upload_id: Mapped[str] = mapped_column(ForeignKey("uploads.id"), primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    """A finished upload attached to a complaint: its office may download it."""

    __tablename__ = "attachments"
    upload_id: Mapped[str] = mapped_column(ForeignKey("uploads.id"), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


def upsert_insert(session: Session) -> Any:
    """The INSERT that knows ON CONFLICT on this session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it touched (for compare-and-set)."""
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount)


# --- engine -----------------------------------------------------------------


def default_sqlite_url(path: str) -> str:
    return f"sqlite:///{path}"


def _driver_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str) -> Engine:
    """An engine for SQLite or PostgreSQL with the pragmas and pool the server needs."""
    url = _driver_url(url)
    if not url.startswith("sqlite"):
        # No pre-ping: it costs a round trip on every checkout, several per request.
        # After a database restart the pool is invalidated by the first error, and
        # that request's 500 is retried by the client (SYNC-API.md: transient).
        # 16 at most: a worker runs 8 routes at once (Settings.worker_threads),
        # and in process (tests, the demo) more threads wait their turn.
        return create_engine(url, pool_size=8, max_overflow=8)
    memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if memory else None,
    )
    _sqlite_transactions(engine)
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE for writers so writes never deadlock."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("lapor_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _with_hub_tables() -> Any:
    """The whole schema, the hub's upstream tables included (they import this module)."""
    import server.upstream.tables  # noqa: F401

    return Base.metadata


class Database:
    """The engine and two kinds of session: readers, and writers that serialise."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(lapor_write=True), expire_on_commit=False
        )
        # Several statements that must agree (the digest and its seq).
        snapshot = self.engine
        if self.is_postgres:
            snapshot = self.engine.execution_options(isolation_level="REPEATABLE READ")
        self._snapshot = sessionmaker(snapshot, expire_on_commit=False)
        self.counters = self._counter_engine()
        # One statement that needs no transaction around it (who holds this token).
        self.single = self.counters if self.is_postgres else self.engine

    def _counter_engine(self) -> Engine:
        """Where rate counters are bumped: one short write per request.

        On PostgreSQL its own pool in autocommit (one round trip a statement)
        whose commits do not wait for the WAL flush: a counter lost in a crash
        costs nothing, and a hot row (one office's address) is then held for
        microseconds, not a disk flush.
        """
        if not self.is_postgres:
            return self.engine.execution_options(lapor_write=True)
        return create_engine(
            _driver_url(self.url),
            pool_size=4,
            max_overflow=8,
            isolation_level="AUTOCOMMIT",
            connect_args={"options": "-c synchronous_commit=off"},
        )

    def create_all(self) -> None:
        _with_hub_tables().create_all(self.engine)

    def drop_all(self) -> None:
        _with_hub_tables().drop_all(self.engine)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        with self._snapshot() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.is_postgres:
            self.counters.dispose()
