"""Dotted paths into upstream JSON, the profile's way of naming a field."""

from __future__ import annotations

from typing import Any


class Missing:
    """No value at a path (distinct from a JSON null)."""

    def __init__(self, where: str, keys: list[str]) -> None:
        self.where, self.keys = where, keys

    def describe(self, path: str) -> str:
        seen = ", ".join(self.keys[:40]) if self.keys else "nothing"
        at = f" in {self.where}" if self.where else ""
        return f"no {path!r}{at} (keys there: {seen})"


def lookup(node: Any, path: str) -> Any:
    """The value at ``path`` ("results.data.title"), or a ``Missing`` saying where it stopped."""
    walked: list[str] = []
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            keys = sorted(map(str, node)) if isinstance(node, dict) else []
            return Missing(".".join(walked), keys)
        node = node[part]
        walked.append(part)
    return node
