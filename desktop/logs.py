"""The app's rotating log file, with a filter that keeps secrets out of it."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_NAME = "lapor-desk.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 5

_REDACTED = "[disembunyikan]"
# key=value, "key": "value" and Authorization headers, for every key that names a secret.
_SECRET_KEYS = "|".join(  # names of secrets, not secrets
    (
        "password",
        "passwd",
        "pwd",
        "kata_?sandi",
        "token",
        "access_token",
        "refresh_token",
        "secret",
        "private_key",
        "api_key",
        "signature",
        "authorization",
    )
)
_PATTERNS = (
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(rf"(?i)(['\"]?\b(?:{_SECRET_KEYS})\b['\"]?\s*[:=]\s*)(['\"])(.*?)(\2)"),
    re.compile(rf"(?i)(\b(?:{_SECRET_KEYS})\b\s*[:=]\s*)([^\s,;'\"}}&]+)"),
)


def redact(text: str) -> str:
    """Replace every secret-looking value in ``text``; keep the key so the line still reads."""
    text = _PATTERNS[0].sub("Bearer " + _REDACTED, text)
    text = _PATTERNS[1].sub(lambda m: f"{m[1]}{m[2]}{_REDACTED}{m[4]}", text)
    return _PATTERNS[2].sub(lambda m: f"{m[1]}{_REDACTED}", text)


class SecretFilter(logging.Filter):
    """Redacts the message, its arguments and its traceback before any handler writes them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        # The traceback now lives in exc_text, already redacted.
        record.exc_info = None
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send the root logger to ``log_dir/lapor-desk.log``; returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "lapor_desk", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
    )
    handler.lapor_desk = True  # type: ignore[attr-defined]
    handler.addFilter(SecretFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level)
    return path
