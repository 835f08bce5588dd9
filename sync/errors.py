"""Errors of the core: a stable code for the program, a message for the log.

The GUI maps ``code`` to a translated sentence; the core never words things
for people.
"""

from __future__ import annotations

from typing import Any


class WorkspaceError(Exception):
    """An expected failure of a core call, with a stable code."""

    def __init__(self, code: str, message: str = "", **details: Any) -> None:
        super().__init__(message or code)
        self.code = code
        self.message = message or code
        self.details = details

    def __repr__(self) -> str:
        return f"WorkspaceError({self.code!r}, {self.message!r})"


# Codes raised by the local calls (the network's codes come from the contract).
NOT_FOUND = "not_found"
ILLEGAL_TRANSITION = "illegal_transition"
NOT_ALLOWED = "not_allowed"  # the role or the person may not do this
INVALID_CREDENTIALS = "invalid_credentials"
ACCOUNT_LOCKED = "account_locked"
NOT_LOGGED_IN = "not_logged_in"
VALIDATION = "validation_error"
LOCKED_PROFILE = "locked_profile"  # no key: keyring empty and no one logged in yet
WRONG_KEY = "wrong_key"
OFFLINE = "offline"  # the server did not answer and nothing cached can stand in
CANCELLED = "cancelled"  # the caller's stop() said so while SQLite was still working
