"""The simulator's faults: what goes wrong on purpose, and how often.

Counted faults are used up one request at a time. ``Faults`` is plain data;
``SimState`` holds the live one under its lock and hands out copies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from fnmatch import fnmatchcase
from typing import Literal

FOLLOWUP_PATH = "/complaints/followup/add"

AfterPost = Literal["lost", "5xx"]


@dataclass
class FailRule:
    """The next ``count`` requests matching ``method`` and ``path`` (globs) answer ``status``."""

    count: int = 1
    method: str = "*"
    path: str = "*"  # below the base path: "/complaints/*/followups", "*"
    status: int = 503

    def matches(self, method: str, path: str) -> bool:
        return fnmatchcase(method.upper(), self.method.upper()) and fnmatchcase(path, self.path)


@dataclass
class Faults:
    """Every fault the simulator knows; the defaults do nothing (except the hang's length)."""

    # The post IS stored, then the answer waits hang_s and comes as 504 (a gateway's
    # timeout): a caller with a shorter timeout sees its own timeout instead.
    lost_reply_after_post: int = 0
    hang_s: float = 3.0
    # Stored, then 502.
    fail_after_post_5xx: int = 0
    # Which POSTs the two faults above hit (a glob below the base path).
    after_post_path: str = FOLLOWUP_PATH
    # Answer without doing anything.
    fail_5xx: list[FailRule] = field(default_factory=list)
    slow_s: float = 0.0
    # Detail records carry these fields ("title", "user.name") under another last key.
    renamed_fields: dict[str, str] = field(default_factory=dict)
    # These complaints' detail records lack status_name.
    malformed_ids: set[int] = field(default_factory=set)
    # The next follow-up post answers 422 with this message and stores nothing.
    refuse_next_post: str | None = None

    def update(self, changes: Mapping[str, object]) -> None:
        """Set the named faults (others unchanged); a bad name or value raises ValueError."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError("unknown fault(s): " + ", ".join(unknown))
        for name, value in changes.items():
            setattr(self, name, _parse(name, value))

    def take_5xx(self, method: str, path: str) -> int | None:
        for rule in self.fail_5xx:
            if rule.count > 0 and rule.matches(method, path):
                rule.count -= 1
                self.fail_5xx = [r for r in self.fail_5xx if r.count > 0]
                return rule.status
        return None

    def after_post_armed(self, path: str) -> bool:
        hits = self.lost_reply_after_post > 0 or self.fail_after_post_5xx > 0
        return hits and fnmatchcase(path, self.after_post_path)

    def take_after_post(self, path: str) -> AfterPost | None:
        if not fnmatchcase(path, self.after_post_path):
            return None
        if self.lost_reply_after_post > 0:
            self.lost_reply_after_post -= 1
            return "lost"
        if self.fail_after_post_5xx > 0:
            self.fail_after_post_5xx -= 1
            return "5xx"
        return None

    def take_refusal(self) -> str | None:
        message, self.refuse_next_post = self.refuse_next_post, None
        return message

    def as_json(self) -> dict[str, object]:
        out = asdict(self)
        out["malformed_ids"] = sorted(self.malformed_ids)
        return out


def _parse(name: str, value: object) -> object:
    """One fault's value from Python or JSON, checked."""
    if name in ("lost_reply_after_post", "fail_after_post_5xx"):
        return _count(name, value)
    if name in ("hang_s", "slow_s"):
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name} must be a number of seconds >= 0")
        return float(value)
    if name == "after_post_path":
        return _text(name, value)
    if name == "fail_5xx":
        return _rules(value)
    if name == "renamed_fields":
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
        ):
            raise ValueError("renamed_fields must map field paths to new names")
        return dict(value)
    if name == "malformed_ids":
        if not isinstance(value, list | set | tuple):
            raise ValueError("malformed_ids must be a list of complaint ids")
        return {_count(name, v) for v in value}
    if value is None:  # refuse_next_post
        return None
    return _text(name, value)


def _rules(value: object) -> list[FailRule]:
    """``3`` (the next 3 requests), a rule, a rule's dict, or a list of those."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [FailRule(count=_count("fail_5xx", value))] if value else []
    items = value if isinstance(value, list | tuple) else [value]
    rules = []
    for item in items:
        if isinstance(item, FailRule):
            rule = FailRule(item.count, item.method, item.path, item.status)
        elif isinstance(item, Mapping):
            unknown = set(item) - {"count", "method", "path", "status"}
            if unknown:
                raise ValueError("unknown fail_5xx key(s): " + ", ".join(sorted(unknown)))
            rule = FailRule(
                count=_count("count", item.get("count", 1)),
                method=_text("method", item.get("method", "*")),
                path=_text("path", item.get("path", "*")),
                status=_count("status", item.get("status", 503)),
            )
        else:
            raise ValueError("fail_5xx must be a count, a rule or a list of rules")
        if not 500 <= rule.status <= 599:
            raise ValueError("fail_5xx status must be 5xx")
        rules.append(rule)
    return rules


def _count(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0")
    return value


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string")
    return value
