"""What every phase of a sync cycle shares: the replica, the link, the office, the tally.

``run.SyncCycle`` makes one ``CycleContext`` per cycle and hands it to each
phase (``push``, ``pull``, ``refetch``, ``files``); the phases count what
they did in its ``Tally``, which becomes the cycle's ``SyncReport``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sync import kept_files
from sync.deadlines import Rules
from sync.errors import ErrorCode
from sync.store.profile import Profile
from sync.transport import Transport
from sync.values import MassRemoval, SyncOutcome, SyncReport

Progress = Callable[[int, int, str], None]
ConfirmMassRemoval = Callable[[int, int], bool]


@dataclass
class Tally:
    """What the cycle did so far; becomes the ``SyncReport``.

    Its fields are the report's counters by the same names (a test holds them
    equal), so ``report`` copies them by name; only the quarantined records are
    counted and the notes frozen on the way.
    """

    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    removed: int = 0
    quarantined: set[tuple[str, str]] = field(default_factory=set)  # (kind, id)
    digest_ok: bool | None = None
    full_resync: bool = False
    error_code: ErrorCode | None = None
    error_message: str | None = None
    notes: list[str] = field(default_factory=list)
    outcome: SyncOutcome = SyncOutcome.SYNCED
    mass_removal: MassRemoval | None = None
    clock_offset_s: float | None = None  # the feed's own server_time, until the cycle ends

    def report(self, started: datetime, online: bool) -> SyncReport:
        counted: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        counted.update(quarantined=len(self.quarantined), notes=tuple(self.notes))
        return SyncReport(started_at=started, finished_at=datetime.now(UTC), online=online,
                          **counted)


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
