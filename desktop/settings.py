"""The one typed settings object of the app, over ``QSettings``.

Holds preferences only, never secrets: passwords and tokens live in the
core's secret store. The office's days off are not here either: they belong
to the deadline rules the core reads (``desktop.office_days``). Each profile
keeps its own INI file, so a shared PC with two offices, or a test under
``tmp_path``, never mixes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

SCHEMA_VERSION = 1
LANGUAGES = ("id", "en")

T = TypeVar("T")


class _Option(Generic[T]):
    """One key with a type and a default; reading a missing key gives the default."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    @overload
    def __get__(self, obj: None, owner: type) -> _Option[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...
    def __get__(self, obj: Settings | None, owner: type) -> T | _Option[T]:
        if obj is None:
            return self
        raw = obj.qsettings.value(self.key)
        if raw is None:
            return self.default
        try:
            return self.decode(raw)
        except (TypeError, ValueError):
            return self.default

    def __set__(self, obj: Settings, value: T) -> None:
        obj.qsettings.setValue(self.key, self.encode(value))

    def decode(self, raw: Any) -> T:
        return type(self.default)(raw)  # type: ignore[call-arg]

    def encode(self, value: T) -> Any:
        return value


class _Int(_Option[int]):
    def __init__(self, key: str, default: int, minimum: int, maximum: int) -> None:
        super().__init__(key, default)
        self.minimum, self.maximum = minimum, maximum

    def decode(self, raw: Any) -> int:
        return max(self.minimum, min(self.maximum, int(raw)))


class _Choice(_Option[str]):
    def __init__(self, key: str, default: str, choices: tuple[str, ...]) -> None:
        super().__init__(key, default)
        self.choices = choices

    def decode(self, raw: Any) -> str:
        value = str(raw)
        if value not in self.choices:
            raise ValueError(value)
        return value


class _Words(_Option[tuple[str, ...]]):
    def decode(self, raw: Any) -> tuple[str, ...]:
        text = ",".join(raw) if isinstance(raw, list) else str(raw)
        return tuple(p.strip() for p in text.split(",") if p.strip())

    def encode(self, value: tuple[str, ...]) -> Any:
        return ",".join(value)


class _Bytes(_Option[QByteArray]):
    def decode(self, raw: Any) -> QByteArray:
        return raw if isinstance(raw, QByteArray) else QByteArray()


def _as_int(raw: object) -> int:
    """A stored number: QSettings gives back a str from the file, an int not yet written."""
    if isinstance(raw, int | str):
        return int(raw)
    raise TypeError(f"not a number: {raw!r}")


class Settings:
    """Preferences of one profile.

    ``Settings(path)`` reads and writes an INI file; attribute reads return the
    default for missing or unreadable values, so a hand-edited file never stops
    the app from starting.
    """

    server_url = _Option[str]("connection/server_url", "")
    proxy = _Option[str]("connection/proxy", "")  # empty: the system's proxy
    ca_bundle = _Option[str]("connection/ca_bundle", "")  # empty: the system's CAs
    sync_interval_minutes = _Int("sync/interval_minutes", 5, 1, 24 * 60)
    language = _Choice("ui/language", "id", LANGUAGES)
    letter_header = _Option[str]("office/letter_header", "")  # kop surat: name, address lines
    last_username = _Option[str]("login/last_username", "")
    known_users = _Words("login/known_users", ())  # who logged in here: for switching user
    window_geometry = _Bytes("window/geometry", QByteArray())
    window_state = _Bytes("window/state", QByteArray())
    # A new key for the columns since the title stretches: older layouts hid columns
    # behind a scrollbar and are not worth restoring.
    inbox_header = _Bytes("inbox/columns", QByteArray())
    inbox_splitter = _Bytes("inbox/splitter", QByteArray())
    reply_splitter = _Bytes("reply/splitter", QByteArray())  # the report above the reply
    # Kejadian Sama and Pengaduan Serupa: a section of the report's page and a
    # column beside the reply editor, each shown until the person hides it.
    similar_shown = _Int("inbox/similar_in_report", 1, 0, 1)
    similar_with_editor = _Int("inbox/similar_beside_editor", 1, 0, 1)
    similar_splitter = _Bytes("inbox/similar_splitter", QByteArray())

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        self._migrate()

    def _migrate(self) -> None:
        version = _as_int(self.qsettings.value("schema_version", 0) or 0)
        if version > SCHEMA_VERSION:
            # Written by a newer app: read what we know, never downgrade the file.
            return
        # Version 0 is an empty file; future versions rename keys here, in order.
        self.qsettings.setValue("schema_version", SCHEMA_VERSION)

    @property
    def schema_version(self) -> int:
        return _as_int(self.qsettings.value("schema_version", SCHEMA_VERSION))

    def sync(self) -> None:
        self.qsettings.sync()
