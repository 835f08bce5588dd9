"""Errors as the contract writes them: a status, a code, a message, details."""

from __future__ import annotations

from typing import Any

from sync.protocol import ErrorCode, error_body


class ApiError(Exception):
    """Raised anywhere in a request; becomes the contract's error body."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


def not_found(what: str = "record") -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, f"no such {what}")


def forbidden(message: str = "not a record of your office") -> ApiError:
    return ApiError(403, ErrorCode.FORBIDDEN, message)


def validation(message: str, fields: dict[str, str] | None = None) -> ApiError:
    return ApiError(422, ErrorCode.VALIDATION, message, {"fields": fields or {}})


def too_large(message: str) -> ApiError:
    return ApiError(413, ErrorCode.TOO_LARGE, message)


def come_back_later(status: int, code: ErrorCode, message: str, wait_s: int) -> ApiError:
    """A refusal that ends: 423 or 429 with ``Retry-After`` and ``details.retry_after_s``."""
    wait_s = max(1, wait_s)
    return ApiError(status, code, message, {"retry_after_s": wait_s}, {"Retry-After": str(wait_s)})
