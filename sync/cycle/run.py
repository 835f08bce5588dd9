"""One sync cycle: push the outbox, pull the office feed, check the digest, fetch files.

``Workspace.sync`` builds a ``SyncCycle`` and runs it, usually on a worker
thread. The cycle opens its own sessions from the replica's pool (so its own
connections) and writes only in short transactions between network calls:
no database write lock is ever held while bytes are on the wire. Every step
commits what it learnt before the next request, so a crash or a cut repeats
at most one batch or one page, and the server's idempotency keys make the
repeat harmless.

A network fault ends the cycle with a ``SyncReport`` (its ``outcome``, whether
the server was reached at all in ``online``, and an ``error_code``), never an
exception: what was committed stays committed and nothing else is lost.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Engine

from sync.connection import (
    LoginRequired,
    NetworkOptions,
    Tokens,
    connect,
    register_signing_key,
)
from sync.credentials import SecretStore
from sync.cycle import files, pull, push, refetch
from sync.cycle.context import ConfirmMassRemoval, CycleContext, Progress, Tally
from sync.deadlines import Rules
from sync.errors import ErrorCode
from sync.store.database import write_session
from sync.store.local import SyncState
from sync.store.profile import Account, Profile
from sync.transport import ApiError, OfflineError, Transport, TransportError
from sync.values import MassRemoval, SyncOutcome, SyncReport, SyncStep

log = logging.getLogger(__name__)

# The Date header and the feed's server_time must agree this closely (seconds) to be
# believed: both are the server's clock, read a request's latency apart.
CLOCK_AGREEMENT_S = 120.0


def _no_progress(done: int, total: int, text: str = "") -> None:
    return None


class SyncCycle:
    """One push-then-pull cycle for the user ``account`` of ``profile``."""

    def __init__(
        self,
        db: Engine,
        profile: Profile,
        secrets: SecretStore,
        rules: Rules,
        account: Account | None,
        *,
        options: NetworkOptions | None = None,
        confirm_mass_removal: ConfirmMassRemoval | None = None,
        progress: Progress | None = None,
        download_files: bool = True,
    ) -> None:
        self._db = db
        self._profile = profile
        self._secrets = secrets
        self._rules = rules
        self._account = account
        self._options = options or NetworkOptions()
        self._confirm = confirm_mass_removal
        self._progress = progress or _no_progress
        self._download_files = download_files
        self._step = 0  # the last step reported, for the progress of a wait

    def run(self) -> SyncReport:
        tally = Tally()
        transport: Transport | None = None
        try:
            transport = self._connect()
            self._cycle(transport, tally)
            online = True
        except (TransportError, pull.MassRemovalRefused) as exc:
            online = self._failed(exc, transport, tally)
        except RecursionError as exc:  # a last guard: answers are parsed with a depth bound
            tally.so_far = replace(
                tally.so_far, outcome=SyncOutcome.ERROR, error_code=ErrorCode.TRANSPORT_ERROR,
                error_message=f"an answer nested too deeply to read: {exc}",
            )
            online = transport is not None and transport.answered
        finally:
            if transport is not None:
                transport.close()
        header = transport.clock_offset if transport is not None else None
        offset = _agreed_offset(header, tally)  # may add a note: before the report
        report = tally.report(online)
        report = replace(report, clock_offset_s=_record_outcome(self._db, report, offset))
        log.info("sync: %s", summary(report))
        return report

    def _connect(self) -> Transport:
        account = self._account
        if account is None:
            raise LoginRequired("nobody is logged in")
        tokens = Tokens(self._secrets, self._profile, account.user_id)
        if not tokens.present:
            raise LoginRequired("no token for this user: log in online first")
        return connect(self._profile, tokens, self._options, sleep=self._wait)

    def _wait(self, seconds: float) -> None:
        """A retry's backoff: said in the progress first, so no bar sits still for its length."""
        self._progress(self._step, 4, f"{SyncStep.WAITING} {seconds:.0f}")
        time.sleep(seconds)

    def _cycle(self, transport: Transport, tally: Tally) -> None:
        assert self._account is not None  # _connect made sure
        ctx = CycleContext(self._db, transport, self._profile, self._account.office_id,
                           self._rules, tally, self._progress, self._confirm)
        self._register_pending_keys()
        self._report_step(0, SyncStep.PUSH)
        push.push_outbox(ctx)
        self._report_step(1, SyncStep.PULL)
        pull.pull_and_check(ctx)
        refetch.refetch_quarantined(ctx)
        if self._download_files:
            self._report_step(3, SyncStep.FILES)
            files.download_missing(ctx)
        self._report_step(4, SyncStep.DONE)

    def _report_step(self, done: int, step: SyncStep) -> None:
        self._step = done
        self._progress(done, 4, step)

    def _failed(
        self, exc: Exception, transport: Transport | None, tally: Tally
    ) -> bool:
        """Put the failure and its outcome in the tally; returns whether the server answered."""
        outcome, code, answered = self._failure(exc, transport)
        message = str(exc)
        if isinstance(exc, ApiError):
            message = f"{exc.status} {exc.code}: {exc.message}"
        removal = None
        if isinstance(exc, pull.MassRemovalRefused):
            removal = MassRemoval(exc.removing, exc.total)
        tally.so_far = replace(tally.so_far, outcome=outcome, error_code=code,
                               error_message=message, mass_removal=removal)
        return answered

    def _failure(
        self, exc: Exception, transport: Transport | None
    ) -> tuple[SyncOutcome, ErrorCode, bool]:
        """The failure's outcome and code, and whether the server answered."""
        answered = transport is not None and transport.answered
        if isinstance(exc, LoginRequired):
            return SyncOutcome.LOGIN_REQUIRED, ErrorCode.LOGIN_REQUIRED, answered
        if isinstance(exc, OfflineError):
            if exc.status is None or exc.status < 400:  # no answer, or a body cut short
                return SyncOutcome.OFFLINE, ErrorCode.OFFLINE, False
            # It answered, only never usefully: 429, or 5xx until we gave up.
            code = ErrorCode.RATE_LIMITED if exc.status == 429 else ErrorCode.OFFLINE
            return SyncOutcome.BUSY, code, False
        if isinstance(exc, ApiError):
            if exc.status == 401 and self._account is not None:
                # Revoked or unknown: the tokens are worthless, only a password helps.
                Tokens(self._secrets, self._profile, self._account.user_id).forget()
                return SyncOutcome.LOGIN_REQUIRED, ErrorCode.LOGIN_REQUIRED, True
            return SyncOutcome.REFUSED, ErrorCode.parse(exc.code), True
        if isinstance(exc, pull.MassRemovalRefused):
            return SyncOutcome.MASS_REMOVAL_REFUSED, ErrorCode.MASS_REMOVAL_REFUSED, True
        # TLS, a body too large, a malformed answer
        return SyncOutcome.ERROR, ErrorCode.TRANSPORT_ERROR, answered

    def _register_pending_keys(self) -> None:
        """Supervisors' keys the server has not taken yet, each with its own token."""
        for username in list(self._profile.accounts):
            # As it is now: a new device id a turn ago unregistered every key.
            account = self._profile.accounts.get(username)
            if account is None or account.role != "supervisor" or account.signing_key_registered:
                continue
            tokens = Tokens(self._secrets, self._profile, account.user_id)
            if not tokens.present:
                continue
            try:
                with connect(self._profile, tokens, self._options) as transport:
                    outcome = register_signing_key(self._profile, account, transport)
            except (LoginRequired, ApiError) as exc:
                # That supervisor must log in again here; the cycle goes on without the key.
                log.warning("signing key of %s not registered: %s", account.username, exc)
                continue
            if outcome.new_device:
                log.warning("signing key of %s needs a new login on this device", account.username)


def _agreed_offset(header: float | None, tally: Tally) -> float | None:
    """The server's clock offset to keep from this cycle, or None to keep the old one.

    Taken from the ``Date`` of authenticated answers (the transport), and only
    where the feed's own ``server_time`` agrees with it: a header a year ahead
    (a proxy, a broken or hostile server) would move every deadline and "last
    synced" a year with it.
    """
    feed = tally.feed_offset_s
    if header is None or feed is None:
        return header
    if abs(header - feed) > CLOCK_AGREEMENT_S:
        tally.note(
            f"the server's Date header and its feed's server_time differ by "
            f"{abs(header - feed):.0f} s: the clock offset is left as it was"
        )
        log.warning("server clock: Date says %+.0f s, the feed %+.0f s: ignored", header, feed)
        return None
    return header


def _record_outcome(db: Engine, report: SyncReport, offset: float | None) -> float:
    """Last success or last error, and the server's clock offset, in the sync state.

    Returns the offset kept now.
    """
    with write_session(db) as session:
        state = SyncState.of(session)
        if offset is not None:
            state.server_offset_s = offset
        server_time = report.finished_at + timedelta(seconds=state.server_offset_s)
        if report.ok:
            state.last_success = server_time
        if report.error_code is not None:
            state.last_error = f"{report.error_code}: {report.error_message or ''}"[:1000]
            state.last_error_at = server_time
        return float(state.server_offset_s)


def summary(report: SyncReport) -> str:
    """One line for a log or the headless command."""
    parts = [
        f"outcome={report.outcome}",
        f"online={report.online}",
        f"pushed={report.pushed}",
        f"applied={report.applied}",
        f"duplicates={report.duplicates}",
        f"conflicts={report.conflicts}",
        f"rejected={report.rejected}",
        f"pulled={report.pulled}",
        f"removed={report.removed}",
        f"quarantined={report.quarantined}",
        f"digest_ok={report.digest_ok}",
    ]
    if report.error_code:
        parts.append(f"error={report.error_code}")
    return " ".join(parts)

