"""Deadlines (tenggat) of complaints, from rules kept as data.

The rules ship in ``resources/rules/default.json``; an office overrides the
keys it changes with a file of its own. A due date is an office-local
calendar date, and a deadline runs to the end of that day in office time:
a follow-up posted at 20:00 WITA on the due date is on time. Every call
takes ``now`` from the caller, already corrected by the server clock
offset, so nothing here reads the PC's clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.calendar import WorkCalendar
from sync.errors import ErrorCode, WorkspaceError
from sync.protocol import ComplaintType
from sync.resources import resources_dir
from sync.values import Deadline, DeadlineState

COMPLAINT_TYPES: tuple[str, ...] = get_args(ComplaintType)
INSPECTION = "pengaduan_berkadar_pengawasan"  # a pengaduan that needs inspection
COMPLETION_KEYS = (*COMPLAINT_TYPES, INSPECTION)


def default_rules_file() -> Path:
    return resources_dir() / "rules" / "default.json"


class RulesError(WorkspaceError):
    """A rules file that cannot be used; names the file and the key."""

    def __init__(self, file: Path, key: str | None, problem: str) -> None:
        where = f"{file}: {key}" if key else str(file)
        super().__init__(ErrorCode.INVALID_RULES, f"{where}: {problem}", file=str(file), key=key)
        self.file = file
        self.key = key


class _Bad(Exception):
    """A value that fails its check; the caller adds file and key."""


def _working_days(minimum: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _Bad(f"must be a whole number of working days >= {minimum}, not {value!r}")
        return value

    return check


def _timezone(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad(f"must be a timezone name such as 'Asia/Makassar', not {value!r}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _Bad(f"unknown timezone {value!r}") from None
    return value


def _completion(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        raise _Bad(f"must be an object of working days by type, not {value!r}")
    unknown = sorted(set(value) - set(COMPLETION_KEYS))
    if unknown:
        raise _Bad(f"unknown type {unknown[0]!r}; known: {', '.join(COMPLETION_KEYS)}")
    check = _working_days(1)
    parsed = {}
    for key, days in value.items():
        try:
            parsed[key] = check(days)
        except _Bad as bad:
            raise _Bad(f"{key}: {bad}") from None
    return parsed


def _days_off(value: object) -> frozenset[date]:
    if not isinstance(value, list):
        raise _Bad(f"must be a list of dates as YYYY-MM-DD, not {value!r}")
    days = set()
    for item in value:
        try:
            days.add(date.fromisoformat(item))
        except (TypeError, ValueError):
            raise _Bad(f"{item!r} is not a date as YYYY-MM-DD") from None
    return frozenset(days)


_CHECKS: dict[str, Callable[[object], Any]] = {
    "timezone": _timezone,
    "verification_working_days": _working_days(1),
    "first_followup_working_days": _working_days(1),
    "completion_working_days": _completion,
    "reporter_reply_working_days": _working_days(1),
    "due_soon_working_days": _working_days(0),
    "office_days_off": _days_off,
}


def _read(file: Path) -> dict[str, Any]:
    """The rule keys of one file, checked; notes (keys starting with '_') dropped."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise RulesError(file, None, f"cannot be read ({error.strerror or error})") from None
    except ValueError as error:  # JSON syntax or encoding
        raise RulesError(file, None, f"is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise RulesError(file, None, "must hold a JSON object")
    parsed: dict[str, Any] = {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        check = _CHECKS.get(key)
        if check is None:
            raise RulesError(file, key, f"unknown rule; known: {', '.join(_CHECKS)}")
        try:
            parsed[key] = check(value)
        except _Bad as bad:
            raise RulesError(file, key, str(bad)) from None
    return parsed


@dataclass(frozen=True)
class Rules:
    """The deadline rules one office works to; ``Rules.load()`` reads them."""

    timezone: str
    verification_working_days: int
    first_followup_working_days: int
    completion_working_days: Mapping[str, int]  # by COMPLETION_KEYS
    reporter_reply_working_days: int
    due_soon_working_days: int
    office_days_off: frozenset[date]
    # Set when the office's override could not be used and the defaults stand.
    override_error: RulesError | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: Path | None = None, override: Path | None = None) -> Rules:
        """The rules of ``path`` (the shipped file by default) with ``override``'s changes.

        A bad ``path`` raises ``RulesError``. A bad ``override`` does not: the
        rules of ``path`` stand, and ``override_error`` says which key of which
        file was wrong, for the office to see.
        """
        base_file = path or default_rules_file()
        base = _read(base_file)
        missing = [name for name in _CHECKS if name not in base]
        missing += [
            f"completion_working_days.{key}"
            for key in COMPLETION_KEYS
            if key not in base.get("completion_working_days", {})
        ]
        if missing:
            raise RulesError(base_file, missing[0], "missing")
        rules = cls(**base)
        if override is None:
            return rules
        try:
            changes = _read(override)
        except RulesError as error:
            return replace(rules, override_error=error)
        if "completion_working_days" in changes:
            changes["completion_working_days"] = {
                **rules.completion_working_days,
                **changes["completion_working_days"],
            }
        return replace(rules, **changes)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.tz, self.office_days_off)

    def completion_days(self, complaint_type: str, *, needs_inspection: bool = False) -> int:
        """Working days to complete a complaint of this type."""
        if complaint_type not in COMPLAINT_TYPES:
            raise ValueError(f"unknown complaint type {complaint_type!r}")
        # Only a pengaduan can be berkadar pengawasan.
        key = INSPECTION if needs_inspection and complaint_type == "pengaduan" else complaint_type
        return self.completion_working_days[key]


def first_followup_due(assigned_at: datetime, rules: Rules) -> date:
    """Last day for the office's first follow-up of a report that reached it then."""
    cal = rules.calendar
    return cal.add_working_days(cal.local_date(assigned_at), rules.first_followup_working_days)


def completion_due(
    complaint_type: str, assigned_at: datetime, rules: Rules, *, needs_inspection: bool = False
) -> date:
    """Last day to complete it, counted like the first follow-up from assignment."""
    cal = rules.calendar
    days = rules.completion_days(complaint_type, needs_inspection=needs_inspection)
    return cal.add_working_days(cal.local_date(assigned_at), days)


def followed_up_on_time(assigned_at: datetime, followup_at: datetime, rules: Rules) -> bool:
    """Whether a follow-up met the first follow-up deadline (by the end of its due day)."""
    return rules.calendar.local_date(followup_at) <= first_followup_due(assigned_at, rules)


def deadline_state(due: date, now: datetime, rules: Rules) -> Deadline:
    """How a running deadline stands at ``now`` (server time)."""
    cal = rules.calendar
    today = cal.local_date(now)
    left = cal.working_days_between(today, due)
    if today > due:
        # Past due on a weekend is still one day late, never "0 days left".
        return Deadline(due, DeadlineState.OVERDUE, min(left, -1))
    if today == due:
        return Deadline(due, DeadlineState.DUE_TODAY, 0)
    if left <= rules.due_soon_working_days:
        return Deadline(due, DeadlineState.DUE_SOON, left)
    return Deadline(due, DeadlineState.ON_TIME, left)


def deadline_for(
    *,
    status: str,
    complaint_type: str,
    assigned_at: datetime,
    now: datetime,
    rules: Rules,
    needs_inspection: bool = False,
) -> Deadline:
    """The deadline that runs for a complaint in this status, as it stands at ``now``.

    verified: the first follow-up; in_progress: completion by type;
    completed or archived: DONE, with the completion due date for reference.
    """
    if status == "verified":
        return deadline_state(first_followup_due(assigned_at, rules), now, rules)
    due = completion_due(complaint_type, assigned_at, rules, needs_inspection=needs_inspection)
    if status == "in_progress":
        return deadline_state(due, now, rules)
    if status in ("completed", "archived"):
        return Deadline(due, DeadlineState.DONE, 0)
    raise ValueError(f"unknown complaint status {status!r}")
