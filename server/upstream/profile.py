"""The upstream profile: how the hub reads and writes SP4N-LAPOR!, as data.

A deployment's file names the shipped profile it ``extends`` and overrides
what its panel documents say otherwise; it also maps the hub's offices to
upstream institutions and hub users to upstream ``user_id``. Everything is
checked when the hub starts, so a typo is a sentence naming the key, not a
stack trace an hour later.

Scalars may be written ``{ value = ..., guess = true }`` and fields
``{ path = "...", guess = true }``: the marks are kept (``Profile.guessed``)
so ``upstream check`` can say which guesses held.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SHIPPED = Path(__file__).with_name("profiles")
MAX_EXTENDS = 4


class ProfileError(ValueError):
    """A profile that cannot be used, with the file and key in its message."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    path: Annotated[str, Field(min_length=1)]
    guess: bool = False
    optional: bool = False


class Upstream(_Strict):
    name: str
    base_url: Annotated[str, Field(pattern=r"^https?://")]
    date_format: str
    timezone: str
    read_timeout_s: float = Field(gt=0)
    write_timeout_s: float = Field(gt=0)
    complaint_id_format: str = "LAPOR-{id}"
    # A CA bundle for a gateway behind an agency's own certificate authority; never "off".
    ca_bundle: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("complaint_id_format")
    @classmethod
    def _has_id(cls, value: str) -> str:
        if "{id}" not in value:
            raise ValueError("must contain {id}")
        return value


class Auth(_Strict):
    authorization_header: str
    token_header: str
    authorization_env: str
    token_env: str


class Poll(_Strict):
    interval_s: float = Field(gt=0)
    page_size: int = Field(ge=1, le=10_000)
    recheck_after_s: float = Field(ge=0)
    backoff_base_s: float = Field(gt=0)
    backoff_cap_s: float = Field(gt=0)
    templates_every_s: float = Field(gt=0)
    page_limit: int = Field(ge=1)
    lease_s: float = Field(default=30.0, gt=0)


class ListRoute(_Strict):
    enabled: bool = True
    path: str
    params: dict[str, str] = Field(default_factory=dict)
    items: str
    next: str
    id: str
    change_marker: str | None = None


class DetailRoute(_Strict):
    path: str
    record: str
    logs: str | None = None


class PagedRoute(_Strict):
    path: str
    params: dict[str, str] = Field(default_factory=dict)
    items: str
    next: str | None = None


class Routes(_Strict):
    list: ListRoute
    detail: DetailRoute
    followups: PagedRoute
    templates: PagedRoute
    institutions: PagedRoute


class Fields(_Strict):
    complaint: dict[str, FieldSpec]
    status_log: dict[str, FieldSpec]
    followup: dict[str, FieldSpec]
    template: dict[str, FieldSpec]
    institution: dict[str, FieldSpec]


# The fields the mapping reads; a profile must say where each is.
REQUIRED_FIELDS: dict[str, frozenset[str]] = {
    "complaint": frozenset(
        {"id", "title", "body", "status", "disposition_id", "submitted_at", "status_logs"}
    ),
    "status_log": frozenset({"note", "at"}),
    "followup": frozenset({"at", "content"}),
    "template": frozenset({"code", "title", "body"}),
    "institution": frozenset({"id", "name"}),
}
STATUSES = frozenset({"verified", "in_progress", "completed", "archived", "skip"})


class Maps(_Strict):
    status: dict[str, str]
    classification: dict[str, str] = Field(default_factory=dict)
    source: dict[str, str] = Field(default_factory=dict)
    reporter_author: list[str] = Field(default_factory=list)
    defaults: dict[str, str] = Field(default_factory=dict)

    @field_validator("status")
    @classmethod
    def _known_statuses(cls, value: dict[str, str]) -> dict[str, str]:
        wrong = sorted(v for v in value.values() if v not in STATUSES)
        if wrong:
            raise ValueError(f"{wrong} are not statuses; use one of {sorted(STATUSES)}")
        return value


class FollowupPush(_Strict):
    path: str
    file_field: str
    form: dict[str, str]
    complete_form: dict[str, str] = Field(default_factory=dict)
    reference_marker: bool = False


class RejectPush(_Strict):
    path: str
    body: dict[str, Any]


class Push(_Strict):
    followup: FollowupPush
    reject: RejectPush
    max_attempts: int = Field(ge=1)
    backoff_base_s: float = Field(gt=0)
    backoff_cap_s: float = Field(gt=0)


class Document(_Strict):
    """The merged file, before the deployment's own keys are taken out."""

    upstream: Upstream
    auth: Auth
    poll: Poll
    routes: Routes
    fields: Fields
    maps: Maps
    push: Push


@dataclass(frozen=True)
class Credentials:
    """The two secrets; ``repr`` never shows them, so a log line cannot either."""

    authorization: str
    token: str

    def __repr__(self) -> str:
        return "Credentials(<hidden>)"

    __str__ = __repr__


@dataclass(frozen=True)
class Profile:
    """A validated profile with its deployment's mappings."""

    source: str
    doc: Document
    guessed: frozenset[str]
    # hub office id -> upstream institution id, and back.
    institutions: Mapping[str, int]
    # hub user id -> upstream user_id; "default" for anyone unmapped.
    users: Mapping[str, int]
    # where complaint ids are listed when no listing route works (one id per line)
    ids_file: Path | None
    credentials_file: Path | None

    @property
    def offices_by_institution(self) -> dict[int, str]:
        return {inst: office for office, inst in self.institutions.items()}

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.doc.upstream.timezone)

    def user_id_for(self, *hub_user_ids: str | None) -> int | None:
        for user_id in hub_user_ids:
            if user_id and user_id in self.users:
                return self.users[user_id]
        return self.users.get("default")

    def credentials(self, environ: Mapping[str, str] | None = None) -> Credentials:
        """The secrets from the credentials file, else the environment; refused if missing."""
        values = dict(os.environ if environ is None else environ)
        if self.credentials_file is not None:
            values = {**values, **_read_env_file(self.credentials_file)}
        auth = self.doc.auth
        missing = [n for n in (auth.authorization_env, auth.token_env) if not values.get(n)]
        if missing:
            where = f" or in {self.credentials_file}" if self.credentials_file else ""
            raise ProfileError(f"set {' and '.join(missing)} in the environment{where}")
        return Credentials(values[auth.authorization_env], values[auth.token_env])


def load_profile(path: str | Path) -> Profile:
    """Read, merge and validate a profile file (or a shipped profile's name)."""
    file = _resolve(str(path), Path.cwd())
    raw = _merged(file, 0)
    deployment = {
        key: raw.pop(key, None)
        for key in ("extends", "offices", "users", "ids_file", "credentials_file")
    }
    guessed: set[str] = set()
    plain = _strip_marks(raw, "", guessed)
    try:
        doc = Document.model_validate(plain)
    except ValidationError as exc:
        raise ProfileError(f"{file}: {_first(exc)}") from None
    _check_fields(file, doc)
    return Profile(
        source=str(file),
        doc=doc,
        guessed=frozenset(guessed),
        institutions=_int_map(file, "offices", deployment["offices"]),
        users=_int_map(file, "users", deployment["users"]),
        ids_file=_relative(file, deployment["ids_file"]),
        credentials_file=_private(file, _relative(file, deployment["credentials_file"])),
    )


def _resolve(name: str, base: Path) -> Path:
    candidate = Path(name)
    if not candidate.suffix:
        candidate = SHIPPED / f"{name}.toml"
    elif not candidate.is_absolute():
        candidate = base / candidate
    if not candidate.is_file():
        raise ProfileError(f"no upstream profile at {candidate}")
    return candidate


def _merged(file: Path, depth: int) -> dict[str, Any]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{file}: not valid TOML: {exc}") from None
    parent = data.get("extends")
    if parent is None:
        return data
    if depth >= MAX_EXTENDS or not isinstance(parent, str):
        raise ProfileError(f"{file}: extends must name one profile, at most {MAX_EXTENDS} deep")
    base = _merged(_resolve(parent, file.parent), depth + 1)
    base.pop("extends", None)
    return _deep_merge(base, data)


def _deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        mark = isinstance(value, dict) and _is_mark(value)
        if isinstance(value, dict) and isinstance(out.get(key), dict) and not mark:
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value  # a deployment's value replaces the shipped one, guess mark and all
    return out


def _is_mark(node: Mapping[str, Any]) -> bool:
    keys = set(node)
    return ("value" in keys and keys <= {"value", "guess"}) or (
        "path" in keys and keys <= {"path", "guess", "optional"}
    )


def _strip_marks(node: Any, where: str, guessed: set[str]) -> Any:
    """``{value, guess}`` becomes its value; ``guess = true`` keys are recorded and dropped."""
    if not isinstance(node, dict):
        return node
    if _is_mark(node):
        if node.get("guess"):
            guessed.add(where)
        if "value" in node:
            return node["value"]
        return node if where.startswith("fields.") else node["path"]
    out = {}
    for key, value in node.items():
        if key == "guess" and isinstance(value, bool):
            if value:
                guessed.add(where)
            continue
        out[key] = _strip_marks(value, f"{where}.{key}" if where else key, guessed)
    return out


def _check_fields(file: Path, doc: Document) -> None:
    for group, needed in REQUIRED_FIELDS.items():
        missing = sorted(needed - set(getattr(doc.fields, group)))
        if missing:
            raise ProfileError(f"{file}: fields.{group} lacks {', '.join(missing)}")


def _int_map(file: Path, table: str, value: Any) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProfileError(f"{file}: [{table}] must be a table of id = number")
    out = {}
    for key, number in value.items():
        if not isinstance(number, int) or isinstance(number, bool):
            raise ProfileError(f"{file}: {table}.{key} must be an upstream id (a number)")
        out[str(key)] = number
    return out


def _relative(file: Path, value: Any) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ProfileError(f"{file}: a path must be a string")
    path = Path(value)
    return path if path.is_absolute() else file.parent / path


def _private(file: Path, path: Path | None) -> Path | None:
    """A credentials file others may read is refused: its secrets would be theirs."""
    if path is None:
        return None
    if not path.is_file():
        raise ProfileError(f"{file}: credentials_file {path} does not exist")
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise ProfileError(f"{file}: credentials_file {path} must be private (chmod 600)")
    return path


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"
