"""The corpus: what a broken or hostile server may answer, one case per poison.

Each case poisons one route of ``HostileServer`` and says what the client
must make of it:

- ``"error"``: the cycle ends in a report with that error code (the poison
  is refused whole, the cursor is not moved past it);
- ``"quarantine"``: the poisoned records are set aside with a reason and the
  rest of the page goes in;
- ``"ok"``: odd but harmless; the sync succeeds.

Big poisons (10 MB strings, a gzip bomb, huge pages) are made when a case
runs, not stored in git.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.faults.hostile.server import (
    GOOD_IDS,
    HostileServer,
    Poison,
    change,
    good_complaints,
    page,
    wire,
)
from tests.helpers import replica
from tests.helpers.scripted_http import Answer, Seen

TEN_MB = 10 * 1024 * 1024
TRANSPORT_ERROR = "transport_error"
DEEP = b"[" * 1100 + b"]" * 1100  # 2 KB that ends in RecursionError if parsed unbounded


@dataclass(frozen=True)
class Case:
    name: str
    expect: str  # "error" | "quarantine" | "ok"
    route: str = "changes"
    poison: Poison | None = None
    items: Callable[[], list[Any]] | None = None  # poisoned items beside the good ones
    code: str = TRANSPORT_ERROR
    quarantined: tuple[str, ...] = ()  # ids set aside
    healed: Callable[[HostileServer], None] | None = None  # the server's state once healed
    check: Callable[[Any], None] | None = None  # more to see in the workspace after the cycle


def raw(body: bytes, status: int = 200, **headers: str) -> Poison:
    def answer(server: HostileServer, seen: Seen) -> Answer:
        return Answer(status, raw_body=body, headers=dict(headers))

    return answer


def json_answer(make: Callable[[HostileServer, Seen], Any], status: int = 200) -> Poison:
    def answer(server: HostileServer, seen: Seen) -> Answer:
        return Answer(status, make(server, seen))

    return answer


def bad(complaint_id: str, **fields: Any) -> dict[str, Any]:
    """A wire complaint with ``fields`` replaced (``None`` drops the field)."""
    data = wire(replica.complaint(complaint_id))
    for key, value in fields.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


def _gzip_bomb() -> bytes:
    # 80 MiB of zeros inflate from ~80 kB: past the 64 MiB cap.
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as packed:
        block = bytes(1024 * 1024)
        for _ in range(80):
            packed.write(block)
    return out.getvalue()


def _stuck_feed(server: HostileServer, seen: Seen) -> Answer:
    """has_more for ever, the same cursor each time: a feed that never moves on."""
    return Answer(200, page(server.good_page()["items"], has_more=True, cursor="c-stuck"))


def _duplicates() -> list[Any]:
    newer = wire(replica.complaint(GOOD_IDS[1], version=3, title="versi 3"))
    older = wire(replica.complaint(GOOD_IDS[1], version=2, title="versi 2"))
    return [change(newer, seq=50), change(older, seq=51)]


def _huge_page(server: HostileServer, seen: Seen) -> Answer:
    users = [
        {"seq": n, "kind": "user", "id": f"u-{n}", "op": "upsert",
         "data": replica.user(f"u-{n}").model_dump(mode="json")}
        for n in range(20_000)
    ]
    return Answer(200, page(server.good_page()["items"] + users))


def _results_for_fewer(server: HostileServer, seen: Seen) -> Any:
    return {"results": server.applied(seen)["results"][:-1]}


def _results_unknown_status(server: HostileServer, seen: Seen) -> Any:
    results = server.applied(seen)["results"]
    return {"results": [{**r, "status": "ok"} for r in results]}


def _results_with_junk_record(server: HostileServer, seen: Seen) -> Any:
    results = server.applied(seen)["results"]
    junk = {"id": "LAP-2026-0000077", "version": -4, "title": 12}
    return {"results": [{**r, "complaint": junk} for r in results]}


def _results_huge_refusal(server: HostileServer, seen: Seen) -> Any:
    results = server.applied(seen)["results"]
    return {"results": [
        {**r, "status": "rejected", "error": {"code": "validation_error", "message": "x" * TEN_MB}}
        for r in results
    ]}


PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def _with_attachment() -> list[Any]:
    """A record whose photo the (poisoned) attachment route serves."""
    photo = {"id": "att-foto", "filename": "foto.png", "mime": "image/png",
             "size": len(PNG_HEAD) + 8, "sha256": "0" * 64}
    return [change(bad("LAP-2026-0000050", attachments=[photo]), seq=50)]


def _photo_refused(workspace: Any) -> None:
    [photo] = workspace.complaint("LAP-2026-0000050").attachments
    assert (photo.download_state, photo.local_path) == ("failed", None)
    kept = workspace.profile.directory / "attachments"
    assert not any(p.is_file() for p in kept.rglob("*"))  # not even a .part left


def _oversized_file(server: HostileServer, seen: Seen) -> Answer:
    return Answer(200, raw_body=PNG_HEAD + bytes(5 * 1024 * 1024),
                  headers={"Content-Type": "image/png"})


def _anonymous_leak() -> list[Any]:
    # An anonim record that also fails validation, carrying the identity it must not.
    data = bad("LAP-2026-0000040", anonymous=True, status="lost",
               reporter={"name": "Rahasia Wibowo", "phone": "+62811999000",
                         "email": "rahasia@example.id"})
    return [change(data, seq=60)]


CASES: list[Case] = [
    # --- the page envelope: refused whole, nothing applied, the cursor kept --------
    Case("malformed JSON", "error", poison=raw(b'{"items": [{"seq": 1,')),
    Case("invalid UTF-8", "error",
         poison=raw(b'{"items": [], "next_cursor": "\xff\xfe\xfa", "has_more": false}')),
    Case("an HTML page with 200", "error", poison=raw(b"<html><body>Login Wi-Fi</body></html>")),
    Case("a JSON list, not a page", "error", poison=json_answer(lambda s, q: [1, 2, 3])),
    Case("items is an object", "error",
         poison=json_answer(lambda s, q: {**page([]), "items": {"0": change(None)}})),
    Case("next_cursor missing", "error",
         poison=json_answer(lambda s, q: {k: v for k, v in s.good_page().items()
                                          if k != "next_cursor"})),
    Case("has_more is a word", "error",
         poison=json_answer(lambda s, q: {**s.good_page(), "has_more": "mungkin"})),
    Case("a gzip bomb", "error",
         poison=lambda s, q: Answer(200, raw_body=_gzip_bomb(),
                                    headers={"Content-Encoding": "gzip"})),
    Case("an encoding never offered", "error",
         poison=raw(b"\x00\x01garbage", **{"Content-Encoding": "br"})),
    Case("a 10 MB cursor", "error",
         poison=json_answer(lambda s, q: {**s.good_page(), "next_cursor": "c" * TEN_MB})),
    Case("a feed that never moves on", "error", poison=_stuck_feed),
    Case("an empty 200 body", "error", poison=raw(b"")),
    Case("a page nested 1,100 levels deep", "error", poison=raw(DEEP)),
    Case("a digest nested 1,100 levels deep", "error", route="digest", poison=raw(DEEP)),
    Case("an error nested 1,100 levels deep", "error", code="server_error",
         poison=raw(DEEP, status=422)),
    Case("a body cut short", "error", code="offline",
         poison=lambda s, q: Answer(200, s.good_page(), cut_after=40)),
    Case("an error without the contract's body", "error", code="server_error",
         poison=raw(b"I'm a teapot", status=418)),
    Case("a redirect elsewhere", "error", code="server_error",
         poison=raw(b"", status=302, Location="http://127.0.0.1:9/steal")),
    # --- items: each bad one set aside, the good ones applied ------------------------
    Case("a negative version", "quarantine", quarantined=("LAP-2026-0000010",),
         items=lambda: [change(bad("LAP-2026-0000010", version=-3), seq=10)]),
    Case("a version that is a word", "quarantine", quarantined=("LAP-2026-0000011",),
         items=lambda: [change(bad("LAP-2026-0000011", version="tujuh"), seq=11)]),
    Case("a title that is a number", "quarantine", quarantined=("LAP-2026-0000012",),
         items=lambda: [change(bad("LAP-2026-0000012", title=12345), seq=12)]),
    Case("a missing status", "quarantine", quarantined=("LAP-2026-0000013",),
         items=lambda: [change(bad("LAP-2026-0000013", status=None), seq=13)]),
    Case("a time that is no time", "quarantine", quarantined=("LAP-2026-0000014",),
         items=lambda: [change(bad("LAP-2026-0000014", assigned_at="2026-13-45T99:00:00Z"),
                               seq=14)]),
    Case("a user where a complaint should be", "quarantine", quarantined=("u-asing",),
         items=lambda: [change(replica.user("u-asing").model_dump(mode="json"), seq=15)]),
    Case("an upsert without data", "quarantine", quarantined=("LAP-2026-0000016",),
         items=lambda: [change(None, id="LAP-2026-0000016", seq=16)]),
    Case("data for another id", "quarantine", quarantined=("LAP-2026-0000017",),
         items=lambda: [change(bad("LAP-2026-0000018"), id="LAP-2026-0000017", seq=17)]),
    Case("a 10 MB id", "quarantine", quarantined=("LAP-" + "9" * 196,),
         items=lambda: [change(bad("LAP-2026-0000018", id="X" * TEN_MB), id="LAP-" + "9" * 196,
                               seq=18)]),
    Case("an unknown kind", "quarantine", quarantined=("p-1",),
         items=lambda: [{"seq": 19, "kind": "petition", "id": "p-1", "op": "upsert",
                         "data": {"id": "p-1"}}]),
    Case("an unknown op", "quarantine", quarantined=("LAP-2026-0000020",),
         items=lambda: [change(bad("LAP-2026-0000020"), op="explode", seq=20)]),
    Case("a negative seq", "quarantine", quarantined=("LAP-2026-0000021",),
         items=lambda: [change(bad("LAP-2026-0000021"), seq=-21)]),
    Case("an item that is a string", "quarantine", quarantined=("?",),
         items=lambda: ["boom"]),
    Case("an item with a 10 MB data string id-less", "quarantine", quarantined=("?",),
         items=lambda: [{"seq": 22, "data": "y" * TEN_MB}]),
    Case("two events with one id", "quarantine", quarantined=("LAP-2026-0000023",),
         items=lambda: [change(bad("LAP-2026-0000023", events=[
             {"id": "ev-x", "at": "2026-11-01T00:00:00Z", "type": "submitted", "text": "a"},
             {"id": "ev-x", "at": "2026-11-01T01:00:00Z", "type": "verified", "text": "b"},
         ]), seq=23)]),
    Case("one attachment id in two complaints", "ok",
         items=lambda: [
             change(bad("LAP-2026-0000024", attachments=[_attachment("att-sama")]), seq=24),
             change(bad("LAP-2026-0000025", attachments=[_attachment("att-sama")]), seq=25),
         ]),
    Case("an anonim record that leaks its reporter and fails", "quarantine",
         quarantined=("LAP-2026-0000040",), items=_anonymous_leak),
    # --- odd but harmless ------------------------------------------------------------
    Case("duplicate ids in a page, newest first", "ok", items=_duplicates,
         healed=lambda server: server.complaints.__setitem__(1, _duplicates()[0]["data"])),
    Case("a 10 MB body text", "ok",
         items=lambda: [change(bad("LAP-2026-0000030", body="panjang " * (TEN_MB // 8)),
                               seq=30)]),
    Case("a huge page (20,000 users)", "ok", poison=_huge_page),
    Case("a file far larger than its record", "ok", route="attachments", items=_with_attachment,
         poison=_oversized_file, check=_photo_refused),
    Case("a file that is a gzip bomb", "ok", route="attachments", items=_with_attachment,
         poison=lambda s, q: Answer(200, raw_body=_gzip_bomb(),
                                    headers={"Content-Encoding": "gzip"}),
         check=_photo_refused),
    # --- the answers to a push ---------------------------------------------------------
    Case("push: malformed JSON", "error", route="mutations", poison=raw(b'{"results": [')),
    Case("push: fewer results than mutations", "error", route="mutations",
         poison=json_answer(_results_for_fewer)),
    Case("push: an unknown status", "error", route="mutations",
         poison=json_answer(_results_unknown_status)),
    Case("push: a result carrying a broken record", "quarantine", route="mutations",
         quarantined=("LAP-2026-0000077",), poison=json_answer(_results_with_junk_record)),
    Case("push: a refusal with a 10 MB reason", "ok", route="mutations",
         poison=json_answer(_results_huge_refusal)),
    # --- the digest ------------------------------------------------------------------
    Case("digest: a list", "error", route="digest", poison=json_answer(lambda s, q: [])),
    Case("digest: always different", "ok", route="digest",
         poison=json_answer(lambda s, q: {"complaints": 1, "digest": "0" * 64,
                                          "as_of_seq": 1})),
    Case("an empty snapshot (everything gone)", "error", code="mass_removal_refused",
         poison=json_answer(lambda s, q: page([]))),
]


def _attachment(att_id: str) -> dict[str, Any]:
    return {"id": att_id, "filename": "foto.png", "mime": "image/png", "size": 3,
            "sha256": "a" * 64}


def case_ids() -> list[str]:
    return [case.name for case in CASES]


__all__ = ["CASES", "Case", "case_ids", "good_complaints"]
