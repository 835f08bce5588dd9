"""Errors of the core: a stable code for the program, a message for the log.

``ErrorCode`` is the one list of codes: the local calls' own, the contract's
(api/SYNC-API.md) and those a sync report adds. The GUI maps each to a
translated sentence (``desktop.errors.message_for_code``, a test holds every
member worded in both languages); the core never words things for people.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Every code a ``WorkspaceError`` or a ``SyncReport`` carries."""

    # Raised by the local calls.
    NOT_FOUND = "not_found"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ALLOWED = "not_allowed"  # the role or the person may not do this
    INVALID_CREDENTIALS = "invalid_credentials"
    ACCOUNT_LOCKED = "account_locked"
    NOT_LOGGED_IN = "not_logged_in"
    VALIDATION = "validation_error"
    LOCKED_PROFILE = "locked_profile"  # no key: keyring empty and no one logged in yet
    WRONG_KEY = "wrong_key"
    CANCELLED = "cancelled"  # the caller's stop() said so while SQLite was still working
    INVALID_RULES = "invalid_rules"  # a deadline rules file that cannot be used
    UNREADABLE = "unreadable"  # a local file that cannot be read as what it claims
    # The network, as the core sees it.
    OFFLINE = "offline"  # the server did not answer and nothing cached can stand in
    LOGIN_REQUIRED = "login_required"  # no usable token: the person must type their password
    TRANSPORT_ERROR = "transport_error"  # TLS, a refused URL, a broken or hostile answer
    MASS_REMOVAL_REFUSED = "mass_removal_refused"  # a snapshot would empty the office
    DIGEST_MISMATCH = "digest_mismatch"
    SERVER_ERROR = "server_error"  # an error code the contract does not name
    # The contract's codes (api/SYNC-API.md, "General" and mutation results).
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - a code, not a secret
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - a code, not a secret
    FORBIDDEN = "forbidden"
    CURSOR_EXPIRED = "cursor_expired"
    INVALID_APPROVAL = "invalid_approval"
    OFFSET_MISMATCH = "offset_mismatch"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    RATE_LIMITED = "rate_limited"
    KEY_EXISTS = "key_exists"
    RANGE_NOT_SATISFIABLE = "range_not_satisfiable"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    INTERNAL_ERROR = "internal_error"
    BAD_GATEWAY = "bad_gateway"
    UNAVAILABLE = "unavailable"

    @classmethod
    def parse(cls, code: str) -> ErrorCode:
        """The member for a code off the wire; ``SERVER_ERROR`` for one the contract lacks."""
        try:
            return cls(code)
        except ValueError:
            return cls.SERVER_ERROR


class WorkspaceError(Exception):
    """An expected failure of a core call, with a stable code."""

    def __init__(self, code: ErrorCode, message: str = "", **details: Any) -> None:
        super().__init__(message or code.value)
        self.code = code
        self.message = message or code.value
        self.details = details

    def __repr__(self) -> str:
        return f"WorkspaceError({self.code.value!r}, {self.message!r})"
