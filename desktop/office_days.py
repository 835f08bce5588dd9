"""The office's own days off, kept where the deadline rules read them.

They live in the profile's rules override (``rules.json``, see
``sync.deadlines``), not in the app's settings: deadlines on screen, in
Kinerja and in the core must all count the same days, so there is one copy.
The core reads the file when the profile opens.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from sync.deadlines import Rules
from sync.workspace import RULES_OVERRIDE_FILE

KEY = "office_days_off"


def rules_file(profile_dir: Path) -> Path:
    return profile_dir / RULES_OVERRIDE_FILE


def _load(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def read_office_days(path: Path) -> tuple[date, ...]:
    """The days off in ``path``; none when the file is missing or unreadable."""
    try:
        values = _load(path).get(KEY, [])
        return tuple(sorted({date.fromisoformat(v) for v in values}))
    except (OSError, ValueError, TypeError):
        return ()


def write_office_days(path: Path, days: tuple[date, ...]) -> None:
    """Replace the days off, keep every other rule of the office; refuse a file the core rejects."""
    data = _load(path)
    data[KEY] = [d.isoformat() for d in sorted(set(days))]
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    problem = Rules.load(override=temporary).override_error
    if problem is not None:
        temporary.unlink()
        raise ValueError(str(problem))
    os.replace(temporary, path)
