"""Where a report can be moved ("Bukan Wewenang"): the server's list, kept for offline use.

``GET /agencies`` is an addition to the sync API (docs/API-NOTES.md). A server
without it answers 404 and the list stays empty: the officer types the
agency's name, as before. The list is public data, kept as plain JSON beside
the profile, and read from there when offline.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from sync.connection import LoginRequired, NetworkOptions, Tokens, connect
from sync.credentials import SecretStore
from sync.store.profile import Account, Profile
from sync.transport import ApiError, TransportError
from sync.values import AgencyInfo

log = logging.getLogger(__name__)

CACHE_FILE = "agencies.json"


def cached(profile: Profile) -> list[AgencyInfo]:
    path = profile.directory / CACHE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return _parse(raw)


def refresh(
    profile: Profile, secrets: SecretStore, account: Account, options: NetworkOptions
) -> list[AgencyInfo]:
    """Ask the server (online only); on any failure the kept list is the answer."""
    tokens = Tokens(secrets, profile, account.user_id)
    if not tokens.present:
        return cached(profile)
    try:
        with connect(profile, tokens, options) as transport:
            raw = transport.get_json("/agencies")
    except ApiError as exc:
        if exc.status != 404:  # 404: a server from before the list; nothing to say
            log.warning("agency list refused: %s", exc.code)
        return cached(profile)
    except (TransportError, LoginRequired, OSError) as exc:
        log.info("agency list not fetched: %s", type(exc).__name__)
        return cached(profile)
    found = _parse(raw)
    _write(profile.directory / CACHE_FILE, found)
    return found


def _parse(raw: object) -> list[AgencyInfo]:
    """Only well-formed entries; a bad one is skipped, never shown half."""
    items = raw.get("agencies") if isinstance(raw, dict) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            agency_id, name = item.get("id"), item.get("name")
            if isinstance(agency_id, str) and isinstance(name, str) and agency_id and name.strip():
                found.append(AgencyInfo(agency_id, name.strip()[:200]))
    return found


def _write(path: Path, agencies: list[AgencyInfo]) -> None:
    part = path.with_suffix(".part")
    body = {"agencies": [{"id": a.id, "name": a.name} for a in agencies]}
    part.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    os.replace(part, path)
