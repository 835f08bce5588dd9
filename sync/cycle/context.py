"""What every phase of a sync cycle shares: the replica, the link, the office, the tally.

``run.SyncCycle`` makes one ``CycleContext`` per cycle and hands it to each
phase (``push``, ``pull``, ``refetch``, ``files``); the phases count what
they did in its ``Tally``: the cycle's ``SyncReport`` so far.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from sync import kept_files
from sync.deadlines import Rules
from sync.store.profile import Profile
from sync.transport import Transport
from sync.values import SyncReport

Progress = Callable[[int, int, str], None]
ConfirmMassRemoval = Callable[[int, int], bool]


def _nothing_yet() -> SyncReport:
    now = datetime.now(UTC)
    return SyncReport(started_at=now, finished_at=now, online=False)


@dataclass
class Tally:
    """What the cycle did so far: the report it ends with, and the records it set aside.

    ``so_far`` is the cycle's ``SyncReport`` as the phases leave it, each count a
    ``dataclasses.replace`` of it; ``report`` ends it with its finish, whether the
    server answered and how many records were set aside. ``quarantined`` names
    those records (``sync.quarantine.validated`` adds to it too), and
    ``feed_offset_s`` is the feed's own clock offset, which the cycle checks
    against the transport's before it keeps either.
    """

    so_far: SyncReport = field(default_factory=_nothing_yet)
    quarantined: set[tuple[str, str]] = field(default_factory=set)  # (kind, id)
    feed_offset_s: float | None = None  # the last page's server_time minus this PC's clock

    def note(self, text: str) -> None:
        self.so_far = replace(self.so_far, notes=(*self.so_far.notes, text))

    def report(self, online: bool) -> SyncReport:
        """The report as the cycle ends now, ``online`` if the server answered at all."""
        return replace(self.so_far, finished_at=datetime.now(UTC), online=online,
                       quarantined=len(self.quarantined))


@dataclass(frozen=True)
class CycleContext:
    """What every phase of the cycle needs: the replica, the link, the office."""

    db: Engine
    transport: Transport
    profile: Profile
    office_id: str
    rules: Rules
    tally: Tally
    progress: Progress
    confirm_mass_removal: ConfirmMassRemoval | None

    @property
    def files_dir(self) -> Path:
        return self.profile.directory / kept_files.FILES_DIR

    def now(self) -> datetime:
        return self.transport.server_now()
