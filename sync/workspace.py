"""The core's public face: one office profile, its replica, its people.

Everything the GUI does, a script can do through a ``Workspace``. Calls are
synchronous and local; none waits on the network. Values handed out are
frozen dataclasses of ``sync.values``, never ORM objects.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sync import (
    accounts,
    agencies,
    audit,
    draft_files,
    incidents,
    opening,
    protocol,
    reviews,
    similar,
    workflow,
)
from sync.connection import (
    NetworkOptions,
    Tokens,
    connect,
    register_signing_key,
    request_tokens,
)
from sync.credentials import SCRYPT_N, SecretStore
from sync.cycle.run import SyncCycle
from sync.deadlines import Rules
from sync.errors import ErrorCode, WorkspaceError
from sync.incidents import IncidentLink
from sync.kpi import KpiRecord, KpiReport, Period, kpi_report
from sync.sealed_files import OpenedFiles
from sync.similar import SimilarComplaint
from sync.store import queries, records
from sync.store.database import KEY_BYTES, open_engine, read_session, write_session
from sync.store.kpi_records import kpi_records
from sync.store.local import SyncState
from sync.store.migrate import upgrade
from sync.store.profile import Account, Profile
from sync.transport import ApiError, TransportError
from sync.values import (
    AgencyInfo,
    CategoryInfo,
    ComplaintDetail,
    ComplaintSummary,
    DeadlineState,
    DraftFile,
    LoginInfo,
    OutboxEntry,
    ReplyInfo,
    ReplyKind,
    ReplyState,
    SyncReport,
    TemplateInfo,
    UnreadableInfo,
    UserInfo,
)

log = logging.getLogger(__name__)

# SQLite virtual-machine steps between two calls of a query's ``stop``: about a
# millisecond here, and no measurable cost to the query.
_STOP_CHECK_STEPS = 20_000

PROBE_TIMEOUT_S = 3.0  # a live server answers /health in milliseconds
RULES_OVERRIDE_FILE = "rules.json"  # an office's own deadline rules, beside the profile


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Workspace:
    """One office profile on this computer. Make it with ``Workspace.open``."""

    def __init__(
        self,
        profile: Profile,
        secrets: SecretStore,
        rules: Rules,
        *,
        clock: Callable[[], datetime] = _utc_now,
        kdf_n: int = SCRYPT_N,
    ) -> None:
        self._profile = profile
        self._secrets = secrets
        self._rules = rules
        self._clock = clock
        self._kdf_n = kdf_n
        self._database: Engine | None = None
        self._db_key: bytes | None = None
        self._user: Account | None = None
        self._opened_files = OpenedFiles()  # plaintext copies for the viewer, gone at close
        self._word_counts = similar.WordCounts()  # the office's memory's; stale after a sync
        # How to reach the server (sync.connection); tests shorten its waits.
        self.network = NetworkOptions()
        self._online = False  # the last login's password was checked by the server

    # --- opening and closing -------------------------------------------------

    @classmethod
    def open(
        cls,
        profile_dir: Path | str,
        server_url: str = "",
        *,
        secrets: SecretStore | None = None,
        rules: Rules | None = None,
        clock: Callable[[], datetime] = _utc_now,
        kdf_n: int = SCRYPT_N,
    ) -> Workspace:
        """Create or open the profile in ``profile_dir`` and migrate its replica.

        Where the OS keyring holds no key for it, the workspace stays locked
        (``locked``) until a cached user logs in with their password.
        """
        directory = Path(profile_dir)
        profile = Profile.load_or_create(directory, server_url)
        if rules is None:
            override = directory / RULES_OVERRIDE_FILE
            rules = Rules.load(override=override if override.exists() else None)
        workspace = cls(profile, secrets or SecretStore(), rules, clock=clock, kdf_n=kdf_n)
        workspace._unlock_from_keyring()
        return workspace

    def _unlock_from_keyring(self) -> None:
        stored = self._secrets.get(accounts.db_key_name(self._profile))
        if stored is not None:
            try:
                self._open_database(base64.b64decode(stored))
                return
            except WorkspaceError as exc:
                if exc.code != ErrorCode.WRONG_KEY:
                    raise
                log.warning("the keyring's database key is stale; waiting for a login")
        if not self._profile.accounts:
            # Nobody could ever open an older file: start afresh, keeping it aside.
            self._set_aside_unopenable_database()
            key = os.urandom(KEY_BYTES)
            self._open_database(key)
            self._keep_key_in_keyring(key)

    def _set_aside_unopenable_database(self) -> None:
        path = self._profile.database_path
        if path.exists():
            stamp = self._clock().strftime("%Y%m%dT%H%M%S")
            path.rename(path.with_name(f"{path.name}.unopenable-{stamp}"))
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)

    def _keep_key_in_keyring(self, key: bytes) -> None:
        self._secrets.set(accounts.db_key_name(self._profile),
                          base64.b64encode(key).decode("ascii"))

    def _open_database(self, key: bytes) -> None:
        engine = open_engine(self._profile.database_path, key)
        upgrade(engine)
        self._database, self._db_key = engine, key
        self._refresh_due_dates_if_rules_changed()

    def _refresh_due_dates_if_rules_changed(self) -> None:
        fingerprint = rules_fingerprint(self._rules)
        with self._write() as session:
            state = SyncState.of(session)
            if state.rules_fingerprint != fingerprint:
                records.refresh_local_due(session, self._rules)
                state.rules_fingerprint = fingerprint

    def close(self) -> None:
        """Release the database and forget the key and the user held in memory."""
        if self._database is not None:
            self._database.dispose()
        self._database, self._db_key, self._user = None, None, None
        self._opened_files.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- state ---------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """True until the database key is at hand (keyring, or a user's password)."""
        return self._database is None

    @property
    def profile(self) -> Profile:
        return self._profile

    @property
    def rules(self) -> Rules:
        """The office's deadline rules; the sync cycle passes them to records.upsert_complaint."""
        return self._rules

    @property
    def database(self) -> Engine:
        """The replica's SQLAlchemy engine, for the sync cycle's own connections; not the GUI's."""
        if self._database is None:
            raise WorkspaceError(ErrorCode.LOCKED_PROFILE, "log in to open this profile")
        return self._database

    @property
    def current_user(self) -> LoginInfo | None:
        """Who is logged in, and whether the server checked their password (``online``)."""
        return LoginInfo.of(_user_info(self._user), self._online) if self._user else None

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with write_session(self.database) as session:
            yield session

    @contextmanager
    def _read(self, stop: Callable[[], bool] | None = None) -> Iterator[Session]:
        """A read snapshot; with ``stop``, SQLite asks it about every millisecond of work
        and gives up once it says True (``WorkspaceError(ErrorCode.CANCELLED)``): a search the
        person has typed past is not worth finishing."""
        with read_session(self.database) as session:
            if stop is None:
                yield session
                return
            raw = session.connection().connection.dbapi_connection
            assert raw is not None
            raw.set_progress_handler(lambda: int(stop()), _STOP_CHECK_STEPS)
            try:
                yield session
            except OperationalError as exc:
                if stop():
                    raise WorkspaceError(ErrorCode.CANCELLED, "stopped by the caller") from exc
                raise
            finally:
                raw.set_progress_handler(None, 0)

    def server_now(self) -> datetime:
        """This PC's clock corrected by the measured offset to the server's."""
        return self._clock() + timedelta(seconds=self.clock_offset_s())

    def clock_offset_s(self) -> float:
        """The server's clock minus this PC's, as the last sync measured it (0 before one)."""
        with self._read() as session:
            state = session.get(SyncState, 1)
            return float(state.server_offset_s) if state is not None else 0.0

    def last_synced_at(self) -> datetime | None:
        """Server time of the last successful sync cycle; None before the first."""
        with self._read() as session:
            state = session.get(SyncState, 1)
            return state.last_success if state is not None else None

    # --- people --------------------------------------------------------------

    def remember_user(self, user: protocol.User, password: str) -> UserInfo:
        """Cache a user the server just accepted, so they can log in here offline."""
        if self._db_key is None:
            raise WorkspaceError(
                ErrorCode.LOCKED_PROFILE, "the profile must be open to remember a user"
            )
        account = accounts.remember_user(
            self._profile, self._secrets, user, password, self._db_key, kdf_n=self._kdf_n
        )
        with self._write() as session:
            records.upsert_user(session, user)
        return _user_info(account)

    def login(self, username: str, password: str) -> LoginInfo:
        """Online when the server answers, else offline as a cached user.

        The server's word on a password is final: a refused password is never
        retried offline. Online, the server's user is cached with a password
        verifier (for offline logins later), the token pair is kept in the
        secret store, and a supervisor's signing key is registered (or retried
        at the next sync). The plumbing is ``sync.connection``.
        """
        online = self._log_in_online(username, password)
        self._online = online  # after login_offline, which the online flow ends with
        return LoginInfo.of(_user_info(self._require_user()), online)

    def _log_in_online(self, username: str, password: str) -> bool:
        """Log in online where the server answers, else offline; True when online."""
        profile, options = self._profile, self.network
        if not profile.server_url:
            self.login_offline(username, password)  # a profile that knows no server yet
            return False
        try:
            pair = request_tokens(profile, username, password, options)
        except ApiError as exc:  # the server has spoken: its code, as the core's error
            raise WorkspaceError(
                ErrorCode.parse(exc.code), exc.message or str(exc), **exc.details
            ) from exc
        except TransportError as exc:  # TLS, a refused URL: never fall back silently
            raise WorkspaceError(ErrorCode.TRANSPORT_ERROR, str(exc)) from exc
        if pair is None:
            if username not in profile.accounts:
                # Nobody by that name ever logged in here: only the server could say
                # whether the password is right, so "wrong password" would mislead.
                raise WorkspaceError(
                    ErrorCode.OFFLINE, "the server did not answer; a first login needs it"
                )
            self.login_offline(username, password)
            return False
        if pair.user.username.casefold() != username.strip().casefold():
            # Caching it would give this password another person's name (and rights) here.
            raise WorkspaceError(
                ErrorCode.TRANSPORT_ERROR, "the server answered for another user"
            )
        if self.locked:
            try:
                self.login_offline(username, password)  # unwraps the cached database key
            except WorkspaceError as exc:
                raise WorkspaceError(
                    ErrorCode.LOCKED_PROFILE,
                    "this profile opens only with the password of someone who used it here "
                    "before",
                ) from exc
        self.remember_user(pair.user, password)
        tokens = Tokens(self._secrets, profile, pair.user.id)
        tokens.keep(pair)
        try:
            self._register_key(tokens, pair.user, password)
        except TransportError as exc:
            log.info("signing key not registered yet (%s); the next sync tries again", exc)
        self.login_offline(pair.user.username, password)
        return True

    def _register_key(self, tokens: Tokens, user: protocol.User, password: str) -> None:
        profile, options = self._profile, self.network
        with connect(profile, tokens, options) as transport:
            outcome = register_signing_key(profile, profile.accounts[user.username], transport)
        if not outcome.new_device:
            return
        # A new device id (already saved): the key is wrapped for it afresh, a token issued.
        self.remember_user(user, password)
        pair = request_tokens(profile, user.username, password, options)
        if pair is None:
            return
        tokens.keep(pair)
        with connect(profile, tokens, options) as transport:
            register_signing_key(profile, profile.accounts[user.username], transport)

    def _require_user(self) -> Account:
        if self._user is None:
            raise WorkspaceError(ErrorCode.NOT_LOGGED_IN, "log in first")
        return self._user

    def sync(
        self,
        *,
        confirm_mass_removal: Callable[[int, int], bool] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> SyncReport:
        """One push-then-pull cycle as the person logged in (sync.cycle.run).

        A network fault is a report, never an exception.
        """
        return self._run_cycle(self._user, confirm_mass_removal, progress)

    def sync_unattended(self, username: str | None = None) -> SyncReport:
        """One cycle with nobody at the keyboard (``lapor-desk sync``, a scheduled task).

        As ``username``, else as a cached user whose tokens are kept (an officer
        before a supervisor). A mass removal is never agreed to: it waits for a person.
        """
        return self._run_cycle(self._unattended_account(username), None, None)

    def _unattended_account(self, username: str | None) -> Account | None:
        profile = self._profile
        if username is not None:
            return profile.accounts.get(username)
        with_tokens = [
            account for account in profile.accounts.values()
            if Tokens(self._secrets, profile, account.user_id).present
        ]
        with_tokens.sort(key=lambda account: (account.role != "officer", account.username))
        return with_tokens[0] if with_tokens else None

    def _run_cycle(
        self,
        account: Account | None,
        confirm_mass_removal: Callable[[int, int], bool] | None,
        progress: Callable[[int, int, str], None] | None,
    ) -> SyncReport:
        try:
            return SyncCycle(
                self.database, self._profile, self._secrets, self._rules, account,
                options=self.network, confirm_mass_removal=confirm_mass_removal,
                progress=progress,
            ).run()
        finally:
            self._word_counts.forget()  # complaints may have come, changed or gone

    def reachable(self, timeout_s: float = PROBE_TIMEOUT_S) -> bool:
        """One cheap ``GET /health``, never retried: does the server answer right now?

        A hint for the GUI's "Daring"/"Luring" between syncs (seconds after a
        cable is pulled, not at the next cycle); only a sync's answer marks
        anything sent. Any answer of the server counts, even an error.
        """
        if not self._profile.server_url:
            return False
        options = replace(self.network, stall_timeout=timeout_s, login_attempts=1)
        try:
            with options.transport(self._profile.server_url, for_login=True) as transport:
                transport.get_json("/health", auth=False)
        except ApiError:
            return True
        except TransportError:
            return False
        return True

    def login_offline(self, username: str, password: str) -> UserInfo:
        """Offline login of a cached user; opens a locked profile with their password."""
        account = self._authenticate(username, password)
        self._online = False
        if self._database is None:
            key = accounts.open_db_key(self._profile, account, password)
            self._open_database(key)
            self._keep_key_in_keyring(key)
        self._user = account
        return _user_info(account)

    def logout(self) -> None:
        self._user = None

    def _authenticate(self, username: str, password: str) -> Account:
        # Failure counts and lockouts outlive the process: authenticate saves them.
        return accounts.authenticate(self._profile, username, password, self._clock())

    def _actor(self) -> workflow.Actor:
        if self._user is None:
            raise WorkspaceError(ErrorCode.NOT_LOGGED_IN, "log in first")
        return workflow.Actor(self._user.user_id, self._user.role)

    # --- complaints ----------------------------------------------------------

    def complaints(
        self,
        search: str | None = None,
        status: str | None = None,
        *,
        deadline_state: DeadlineState | None = None,
        category_id: str | None = None,
        reply_state: ReplyState | None = None,
        sort: str | None = None,
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[ComplaintSummary]:
        """Summaries: open ones first, most urgent deadline first, searching or not.

        ``sort`` is one of ``sync.store.queries.SORT_KEYS`` ("deadline" is the
        default order; "relevance" puts a search's best match first). A
        complaint whose number was typed as the search ("LAP-2026-0000061",
        "0000061", "61") comes first in any order. ``offset``/``limit`` page in
        SQL. ``stop``: called from time to time while the query runs; True ends it with
        ``WorkspaceError(ErrorCode.CANCELLED)`` (from any thread: it is the caller's).
        """
        flt = queries.ComplaintFilter(search, status, deadline_state, category_id, reply_state)
        now = self.server_now()
        with self._read(stop) as session:
            return queries.summaries(session, flt, rules=self._rules, now=now, sort=sort,
                                     descending=descending, offset=offset, limit=limit)

    def count_complaints(
        self,
        search: str | None = None,
        status: str | None = None,
        *,
        deadline_state: DeadlineState | None = None,
        category_id: str | None = None,
        reply_state: ReplyState | None = None,
        complaint_id: str | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> int:
        """How many ``complaints`` would list; ``stop`` as there.

        ``complaint_id``: count that one only (1 if these criteria list it, else 0).
        """
        flt = queries.ComplaintFilter(search, status, deadline_state, category_id, reply_state,
                                      complaint_id)
        now = self.server_now()
        with self._read(stop) as session:
            return queries.count(session, flt, rules=self._rules, now=now)

    def count_complaints_by(
        self,
        facet: str,
        search: str | None = None,
        status: str | None = None,
        *,
        deadline_state: DeadlineState | None = None,
        category_id: str | None = None,
        reply_state: ReplyState | None = None,
    ) -> dict[str, int]:
        """For each value of ``facet`` ("status", "deadline_state", "category_id" or
        "reply_state"), how many complaints choosing it would show, the other
        criteria kept (``facet``'s own is ignored); values with none are left out.
        """
        flt = queries.ComplaintFilter(search, status, deadline_state, category_id, reply_state)
        now = self.server_now()
        with self._read() as session:
            return queries.count_by(session, flt, facet, rules=self._rules, now=now)

    def complaint(self, complaint_id: str) -> ComplaintDetail:
        """The whole record with its timeline and replies; no reporter when anonim."""
        now = self.server_now()
        with self._read() as session:
            return queries.detail(session, complaint_id, rules=self._rules, now=now)

    def unreadable(self) -> list[UnreadableInfo]:
        """Complaints of the office that arrived unreadable, oldest first; syncs ask again."""
        with self._read() as session:
            return queries.unreadable(session)

    def categories(self) -> list[CategoryInfo]:
        """The categories the inbox can filter by, by name."""
        with self._read() as session:
            return queries.categories(session)

    def templates(self) -> list[TemplateInfo]:
        """Reply templates from the server, by title."""
        with self._read() as session:
            return queries.templates(session)

    # --- replies -------------------------------------------------------------

    def draft_reply(
        self,
        complaint_id: str,
        text: str,
        kind: str = "respond",
        suggested_agency: str = "",
    ) -> str:
        """Start a reply (respond, complete, request_reassignment, note); returns its id.

        One write: Bukan Wewenang's ``suggested_agency`` is kept with the text.
        """
        actor, now = self._actor(), self.server_now()
        with self._write() as session:
            reply = workflow.create_draft(
                session, complaint_id=complaint_id, author=actor, kind=ReplyKind(kind),
                text=text, suggested_agency=suggested_agency, now=now,
            )
            return reply.id

    def update_draft(self, draft_id: str, text: str, suggested_agency: str | None = None) -> None:
        """Autosave; an edit after submitting makes it a draft again, voiding any approval."""
        actor, now = self._actor(), self.server_now()
        with self._write() as session:
            workflow.edit(session, draft_id, actor=actor, text=text,
                          suggested_agency=suggested_agency, now=now)

    def submit_for_approval(self, draft_id: str) -> None:
        """To the supervisor; a note needs no approval and goes to the outbox at once."""
        actor, now = self._actor(), self.server_now()
        with self._write() as session:
            workflow.submit(session, draft_id, actor=actor, now=now)

    def approve(
        self, draft_id: str, username: str, password: str, *, corrected_text: str | None = None
    ) -> None:
        """A supervisor signs, here and offline too, re-entering their password.

        ``corrected_text``: a small correction of the supervisor's, recorded in
        the reply's history as theirs and signed with the rest.
        """
        account = self._supervisor(username, password)
        key = accounts.open_signing_key(self._profile, account, password)
        now = self.server_now()
        with self._write() as session:
            workflow.approve(
                session, draft_id, supervisor=workflow.Actor(account.user_id, account.role),
                signing_key=key, device_id=self._profile.device_id, now=now,
                corrected_text=corrected_text,
            )

    def withdraw(self, draft_id: str) -> None:
        """Undo ``submit_for_approval`` while no supervisor has decided: a draft again."""
        actor, now = self._actor(), self.server_now()
        with self._write() as session:
            workflow.withdraw(session, draft_id, actor=actor, now=now)

    def return_draft(self, draft_id: str, username: str, password: str, comment: str) -> None:
        """A supervisor sends it back to the officer with what to change."""
        account = self._supervisor(username, password)
        now = self.server_now()
        with self._write() as session:
            workflow.return_draft(
                session, draft_id, supervisor=workflow.Actor(account.user_id, account.role),
                comment=comment, now=now,
            )

    def _supervisor(self, username: str, password: str) -> Account:
        account = self._authenticate(username, password)
        if account.role != "supervisor":
            raise WorkspaceError(ErrorCode.NOT_ALLOWED, "only a supervisor may decide on a reply")
        return account

    def revise(self, draft_id: str) -> None:
        """After a conflict or refusal: a draft again, on the record as it is now."""
        actor, now = self._actor(), self.server_now()
        with self._write() as session:
            workflow.revise(session, draft_id, actor=actor, now=now)

    def attach_file(self, draft_id: str, path: Path | str, mime: str) -> str:
        """Upload a file (online only) and add it to a reply's draft; returns its id."""
        return draft_files.attach_file(
            self.database, self._profile, self._secrets, self._require_user(), self.network,
            draft_id, Path(path), mime, self.server_now(),
        )

    def draft_files(self, draft_id: str) -> list[DraftFile]:
        """The files on a draft: name, size and type, before the server has the reply."""
        return draft_files.draft_files(self.database, draft_id)

    def detach_file(self, draft_id: str, upload_id: str) -> None:
        """Take a file off a draft."""
        draft_files.detach_file(
            self.database, self._require_user(), draft_id, upload_id, self.server_now()
        )

    def open_draft_file(self, draft_id: str, upload_id: str) -> Path:
        """A draft's file unsealed for the system's viewer (removed on ``close``)."""
        return draft_files.open_draft_file(
            self.database, self._profile, self._opened_files, draft_id, upload_id
        )

    def open_attachment(self, attachment_id: str) -> Path:
        """A downloaded file unsealed for the system's viewer (sync.opening.open_attachment).

        The copy lies in a private temporary folder that ``close`` removes.
        """
        return opening.open_attachment(self.database, self._opened_files, attachment_id)

    # --- the office's approval queue (sync.reviews) ----------------------------

    def submit_for_office_review(self, draft_id: str) -> str:
        """To the office's queue, so a supervisor on another PC decides; returns the review id."""
        actor, now = self._actor(), self.server_now()
        with self._write() as session:
            return reviews.submit(session, draft_id, actor=actor, now=now)

    def office_reviews(self) -> list[reviews.ReviewInfo]:
        """Drafts of the office waiting for a supervisor, from any computer."""
        with self._read() as session:
            return reviews.queue(session)

    def decide_review(
        self, review_id: str, username: str, password: str, *, approve: bool, comment: str = ""
    ) -> None:
        """A supervisor approves (signing the draft's own action) or returns a queued draft."""
        account = self._supervisor(username, password)
        key = accounts.open_signing_key(self._profile, account, password) if approve else None
        now = self.server_now()
        with self._write() as session:
            reviews.decide(
                session, review_id, supervisor=workflow.Actor(account.user_id, account.role),
                approve=approve, comment=comment, signing_key=key,
                device_id=self._profile.device_id, now=now,
            )

    def agencies(self) -> list[AgencyInfo]:
        """Where a report can be moved, as last fetched (empty before the first fetch)."""
        return agencies.cached(self._profile)

    def refresh_agencies(self) -> list[AgencyInfo]:
        """Fetch the server's agency list (online; the kept list when that fails)."""
        return agencies.refresh(self._profile, self._secrets, self._require_user(), self.network)

    def count_sent_replies(self) -> dict[ReplyKind, int]:
        """Replies of this PC the server has, by kind (to say what a sync sent)."""
        with self._read() as session:
            return queries.sent_replies_by_kind(session)

    def people(self) -> dict[str, str]:
        """The office's users this PC knows, id -> full name (to say who wrote and approved)."""
        with self._read() as session:
            return queries.people(session)

    def reply(self, draft_id: str) -> ReplyInfo:
        with self._read() as session:
            return queries.reply_info(workflow.get_reply(session, draft_id))

    def outbox(self) -> list[OutboxEntry]:
        """What waits to be sent, in order, with its state and last error."""
        with self._read() as session:
            return queries.outbox(session)

    def verify_audit_log(self) -> audit.AuditReport:
        with self._read() as session:
            return audit.verify(session)

    # --- the office's memory (sync.similar, sync.incidents) -------------------

    def similar(self, complaint_id: str, limit: int = 5) -> list[SimilarComplaint]:
        """Earlier complaints most like this one ("Pengaduan Serupa"), best first.

        By words (FTS5, bm25), category and place; each with the office's last
        sent reply and how it ended (``Outcome``). Offline, from the replica.
        A confidential one shows no title, place or reply; no reporter ever.
        """
        with self._read() as session:
            return similar.similar(session, complaint_id, self._word_counts, limit)

    def draft_from(self, complaint_id: str, source_complaint_id: str) -> str:
        """The source's sent reply as a text for this complaint: the placeholders filled
        for it, the source's number, reporter, date and title taken out. Not saved:
        pass it to ``draft_reply``. A confidential source is refused (NOT_ALLOWED).
        """
        with self._read() as session:
            return similar.draft_text(session, complaint_id, source_complaint_id)

    def linked(self, complaint_id: str) -> list[IncidentLink]:
        """Other reports of the same incident ("Kejadian Sama"): confirmed, then suggested."""
        with self._read() as session:
            return incidents.linked(session, complaint_id, self._word_counts)

    def confirm_link(self, a: str, b: str) -> None:
        """The office says ``a`` and ``b`` tell of one incident: a note on each, synced."""
        self._decide_link(a, b, incidents.LinkState.CONFIRMED)

    def dismiss_link(self, a: str, b: str) -> None:
        """Not the same incident: never suggested again here or, after sync, elsewhere."""
        self._decide_link(a, b, incidents.LinkState.DISMISSED)

    def _decide_link(self, a: str, b: str, state: incidents.LinkState) -> None:
        if a == b:
            raise WorkspaceError(ErrorCode.VALIDATION, "a report is not linked to itself")
        for here, other in ((a, b), (b, a)):
            note = self.draft_reply(here, incidents.note_text(state, other), kind="note")
            self.submit_for_approval(note)  # a note goes to the outbox at once

    def draft_group(self, complaint_ids: Sequence[str], text: str, kind: str = "respond",
                    *, written_for: str | None = None) -> list[str]:
        """One text, its own draft on each complaint (placeholders filled for each).

        ``written_for``: the complaint the text was written (and filled) for; its
        number, reporter and title reach no other complaint's copy.

        A complaint that already holds an unsubmitted reply of this kind gets the
        text in that one (one draft of a kind per complaint, as the editor opens
        it). Each draft is then submitted, approved and sent on its own: one
        mutation per complaint, each tracked by its own id (returned in order).
        """
        actor, now, reply_kind = self._actor(), self.server_now(), ReplyKind(kind)
        ids = []
        with self._write() as session:
            template = text if written_for is None else similar.template_of(
                session, text, written_for)
            for complaint_id in complaint_ids:
                # The complaint it was written for keeps its own names as written.
                own = text if complaint_id == written_for else template
                body = similar.fill_for(session, complaint_id, own)
                reply = workflow.open_draft(session, complaint_id, reply_kind)
                if reply is None:
                    reply = workflow.create_draft(session, complaint_id=complaint_id,
                                                  author=actor, kind=reply_kind, text=body,
                                                  now=now)
                else:
                    workflow.edit(session, reply.id, actor=actor, text=body, now=now)
                ids.append(reply.id)
        return ids

    # --- performance (Kinerja) --------------------------------------------------

    def kpi_records(self) -> list[KpiRecord]:
        """Every complaint in scope as a KPI record, for figures over several periods."""
        with self._read() as session:
            return kpi_records(session)

    def kpi_reports(self, periods: Sequence[Period]) -> list[KpiReport]:
        """The figures for several periods (a trend), from one read of the records."""
        records, now = self.kpi_records(), self.server_now()
        return [kpi_report(records, period, now=now, rules=self._rules) for period in periods]


def _user_info(account: Account) -> UserInfo:
    return UserInfo(account.user_id, account.username, account.full_name, account.role,
                    account.office_id)


def rules_fingerprint(rules: Rules) -> str:
    """Changes when anything that moves a due date changes, the holiday data included."""
    parts = (
        rules.timezone,
        rules.first_followup_working_days,
        sorted(rules.completion_working_days.items()),
        sorted(rules.office_days_off),
        metadata.version("holidays"),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()
