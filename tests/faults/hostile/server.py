"""A loopback sync server that is well-behaved except on the one route a case poisons.

It speaks just enough of the contract for ``Workspace.login`` and
``Workspace.sync``: a token for officer ``ani`` of ``office-1``, signing
keys, mutations (each applied), one feed page and its digest. A corpus case
replaces one route's answer; everything else stays honest, so what the
client does with the poison is all that differs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sync import protocol
from tests.helpers import replica
from tests.helpers.scripted_http import Answer, ScriptedServer, Seen

OFFICE = "office-1"
PREFIX = protocol.API_PREFIX
ROUTES = {
    ("POST", f"{PREFIX}/auth/token"): "token",
    ("PUT", f"{PREFIX}/me/signing-key"): "key",
    ("POST", f"{PREFIX}/mutations"): "mutations",
    ("GET", f"{PREFIX}/offices/{OFFICE}/changes"): "changes",
    ("GET", f"{PREFIX}/offices/{OFFICE}/digest"): "digest",
    ("POST", f"{PREFIX}/auth/logout"): "logout",
}
# The complaint the office's local work hangs on, and two the feed brings new.
WORKED_ON = "LAP-2026-0000001"
GOOD_IDS = (WORKED_ON, "LAP-2026-0000002", "LAP-2026-0000003")

Poison = Callable[["HostileServer", Seen], Answer]


def wire(complaint: protocol.Complaint) -> dict[str, Any]:
    return complaint.model_dump(mode="json")


def good_complaints() -> list[dict[str, Any]]:
    return [wire(replica.complaint(cid, title=f"Laporan {cid}")) for cid in GOOD_IDS]


def change(data: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"seq": 1, "kind": "complaint", "op": "upsert", "data": data}
    item["id"] = data["id"] if isinstance(data, dict) and "id" in data else "LAP-2026-0000099"
    item.update(fields)
    return item


def page(
    items: list[Any], *, has_more: bool = False, cursor: str = "c-end", clock_offset: float = 0.0
) -> dict[str, Any]:
    server_time = datetime.fromtimestamp(time.time() + clock_offset, UTC)
    return {"items": items, "next_cursor": cursor, "has_more": has_more,
            "server_time": protocol.format_time(server_time)}


@dataclass
class HostileServer:
    """``with HostileServer() as hostile:``; ``hostile.poison[route] = ...``."""

    poison: dict[str, Poison] = field(default_factory=dict)
    extra_items: list[Any] = field(default_factory=list)  # poisoned items in the good page
    complaints: list[dict[str, Any]] = field(default_factory=good_complaints)
    clock_offset: float = 0.0  # seconds the server's Date is off from true time
    feed_clock_offset: float | None = None  # its feed's server_time; None: as the Date

    def __post_init__(self) -> None:
        self.http = ScriptedServer(clock_offset=self.clock_offset)
        self.http.default = self._route  # type: ignore[assignment]

    @property
    def url(self) -> str:
        return self.http.url

    def requests(self, route: str) -> list[Seen]:
        return [seen for seen in self.http.seen if _route_of(seen) == route]

    def heal(self) -> None:
        self.poison.clear()
        self.extra_items.clear()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the honest answers ----------------------------------------------------

    def _route(self, seen: Seen) -> Answer:
        route = _route_of(seen)
        if route in self.poison:
            return self.poison[route](self, seen)
        honest = getattr(self, f"_{route}", None)
        if honest is None:
            return Answer(404, protocol.error_body("not_found", "no such route"))
        answer: Answer = honest(seen)
        return answer

    def _token(self, seen: Seen) -> Answer:
        return Answer(200, self.token_answer(seen.json()["username"]))

    def token_answer(self, username: str) -> dict[str, Any]:
        role = "supervisor" if username in ("siti", "bayu") else "officer"
        return {"access_token": f"akses-{username}", "refresh_token": f"segar-{username}",
                "expires_in": 900, "user": replica.user(username, role).model_dump(mode="json")}

    def _key(self, seen: Seen) -> Answer:
        return Answer(204, b"")

    def _logout(self, seen: Seen) -> Answer:
        return Answer(204, b"")

    def _mutations(self, seen: Seen) -> Answer:
        return Answer(200, self.applied(seen))

    def applied(self, seen: Seen) -> dict[str, Any]:
        mutations = seen.json()["mutations"]
        return {"results": [{"id": m["id"], "status": "applied", "complaint": None,
                             "error": None} for m in mutations]}

    def _changes(self, seen: Seen) -> Answer:
        return Answer(200, self.good_page())

    def good_page(self) -> dict[str, Any]:
        items = [change(c, seq=n) for n, c in enumerate(self.complaints, 1)]
        feed = self.clock_offset if self.feed_clock_offset is None else self.feed_clock_offset
        return page(items + self.extra_items, clock_offset=feed)

    def _digest(self, seen: Seen) -> Answer:
        versions = {c["id"]: c["version"] for c in self.complaints}
        return Answer(200, {"complaints": len(versions),
                            "digest": protocol.scope_digest(versions), "as_of_seq": 9})


def _route_of(seen: Seen) -> str:
    path = seen.path.split("?", 1)[0]
    if path.startswith(f"{PREFIX}/attachments/"):
        return "attachments"
    return ROUTES.get((seen.method, path), "unknown")
