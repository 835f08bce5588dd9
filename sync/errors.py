"""Errors of the core: a stable code for the program, a message for the log.

``ErrorCode`` is the one list of codes: the local calls' own, the contract's
(api/SYNC-API.md) and those a sync report adds. It lives in ``sync.protocol``,
so that the server writes the same codes the client reads; the core imports
it from here. The GUI maps each to a translated sentence
(``desktop.errors.message_for_code``, a test holds every member worded in both
languages); the core never words things for people.
"""

from __future__ import annotations

from typing import Any

from sync.protocol import ErrorCode

__all__ = ["ErrorCode", "WorkspaceError"]


class WorkspaceError(Exception):
    """An expected failure of a core call, with a stable code."""

    def __init__(self, code: ErrorCode, message: str = "", **details: Any) -> None:
        super().__init__(message or code.value)
        self.code = code
        self.message = message or code.value
        self.details = details

    def __repr__(self) -> str:
        return f"WorkspaceError({self.code.value!r}, {self.message!r})"
