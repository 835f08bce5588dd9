"""Wire complaint records straight into replica rows with ``executemany``: no ORM, no pydantic.

Two uses: the floor of the sync benches (what decoding and inserting the same
rows costs at the least) and filling a 100,000-complaint replica for the GUI
bench in seconds rather than minutes. The rows are what ``sync.store.records``
writes for the same records, bar validation.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any

from sync.store.search_index import BUILD_AFTER_SQL, HOLD_SQL

COMPLAINT_COLUMNS = (
    "id", "version", "type", "title", "body", "category_id", "category_name", "channel",
    "anonymous", "confidential", "reporter_name", "reporter_phone", "reporter_email",
    "address", "district", "lat", "lon", "status", "submitted_at", "verified_at",
    "assigned_at", "due_at", "updated_at", "rating_score", "rating_comment", "removed",
    "local_due",
)
EVENT_COLUMNS = ("complaint_id", "id", "position", "at", "type", "actor_id", "actor_name",
                 "actor_role", "text", "attachment_ids")


def _stored_time(wire: str | None) -> str | None:
    """The store's fixed-width UTC text (sync.store.types.UtcDateTime) from wire ``...Z``."""
    if wire is None:
        return None
    if "." in wire:
        head, _, frac = wire[:-1].partition(".")
        return f"{head}.{frac[:6]:0<6}Z"
    return f"{wire[:-1]}.000000Z"


def complaint_row(data: dict[str, Any], local_due: str | None = None) -> tuple[Any, ...]:
    reporter = None if data["anonymous"] else data.get("reporter")
    location = data.get("location")
    rating = data.get("rating")
    return (
        data["id"], data["version"], data["type"], data["title"], data["body"],
        data["category"]["id"], data["category"]["name"], data["channel"],
        data["anonymous"], data["confidential"],
        reporter and reporter.get("name"), reporter and reporter.get("phone"),
        reporter and reporter.get("email"),
        location and location.get("address"), location and location.get("district"),
        location and location.get("lat"), location and location.get("lon"),
        data["status"], _stored_time(data["submitted_at"]), _stored_time(data.get("verified_at")),
        _stored_time(data["assigned_at"]), _stored_time(data.get("due_at")),
        _stored_time(data["updated_at"]), rating and rating["score"],
        rating and rating.get("comment"), False, local_due,
    )


def event_rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for position, event in enumerate(data["events"]):
        actor = event.get("actor") or {}
        rows.append((
            data["id"], event["id"], position, _stored_time(event["at"]), event["type"],
            actor.get("id"), actor.get("name"), actor.get("role"), event.get("text"),
            json.dumps([a["id"] for a in event.get("attachments", [])]),
        ))
    return rows


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


COMPLAINTS_SQL = _insert_sql("complaints", COMPLAINT_COLUMNS)
EVENTS_SQL = _insert_sql("events", EVENT_COLUMNS)


def insert_records(dbapi_conn: Any, records: Iterable[dict[str, Any]],
                   due: dict[str, str] | None = None) -> int:
    """Insert ``records`` in one transaction on a raw DB-API connection; returns how many."""
    records = list(records)
    complaints = [complaint_row(r, (due or {}).get(r["id"])) for r in records]
    events = [row for r in records for row in event_rows(r)]
    cursor = dbapi_conn.cursor()
    cursor.execute("BEGIN IMMEDIATE")
    # The search index is built once per batch, as the sync does (sync.store.search_index).
    last_pk = cursor.execute("SELECT coalesce(max(pk), 0) FROM complaints").fetchone()[0]
    cursor.execute(HOLD_SQL, (1,))
    cursor.executemany(COMPLAINTS_SQL, complaints)
    cursor.executemany(EVENTS_SQL, events)
    cursor.execute(BUILD_AFTER_SQL, (last_pk,))
    cursor.execute(HOLD_SQL, (0,))
    cursor.execute("COMMIT")
    return len(complaints)


def raw_connection(engine: Any) -> Any:
    """A pooled SQLCipher connection of ``engine`` (key, WAL, synchronous=FULL set); close it."""
    return engine.raw_connection()


class BodyFiller:
    """Grows a complaint's text to a size with plausible words.

    Words of the complaint's own category and a Zipf-weighted filler, so that a
    topic word ("puskesmas") hits its topic's share of complaints, as in life,
    not every complaint, and gzip gets no easier a text than real reports.
    """

    SYLLABLES = ("ka", "la", "ma", "na", "pa", "ra", "sa", "ta", "di", "ke", "be", "se", "an",
                 "ung", "ik", "ar", "em", "ol", "ut", "ya", "wa", "ga", "ba", "ha")

    def __init__(self, rng: Any) -> None:
        from server import seed_data as words

        self.rng = rng
        self.topic = {cid: sorted({w.strip(".,:;!?()") for pair in texts for text in pair
                                   for w in text.split()} - {""})
                      for cid, _name, texts in words.CATEGORIES}
        self.filler = sorted({"".join(rng.choices(self.SYLLABLES, k=rng.randint(2, 4)))
                              for _ in range(3000)})
        self.cum_weights = list(itertools.accumulate(1 / (rank + 1)
                                                     for rank in range(len(self.filler))))
        self.pool: list[str] | None = None

    def grow(self, body: str, category_id: str, size: int) -> str:
        # A slice of a pre-drawn pool, every third word swapped for a topic word:
        # drawing each word afresh took minutes for 100,000 bodies.
        if self.pool is None:
            self.pool = self.rng.choices(self.filler, cum_weights=self.cum_weights, k=1 << 20)
        need = max(0, size - len(body)) // 5 + 8
        start = self.rng.randrange(len(self.pool) - need)
        words = self.pool[start:start + need]
        topic = self.topic.get(category_id) or self.filler
        first = self.rng.randrange(3)
        words[first::3] = self.rng.choices(topic, k=len(range(first, need, 3)))
        text = " ".join([body, *words])
        return text[:size].rsplit(" ", 1)[0] if len(text) > size > len(body) else text


def synthetic_records(count: int, *, body_bytes: int = 1500, seed: int = 2026,
                      start: int = 1) -> Iterable[dict[str, Any]]:
    """Wire complaint records like the seeded server's, without a server (GUI, offline benches).

    A generator: 100,000 records of 1.5 KB never sit in memory at once.
    """
    import random
    from datetime import UTC, datetime, timedelta

    from server import seed_data as words
    from sync.protocol import format_time

    rng = random.Random(seed)
    filler = BodyFiller(rng)
    now = datetime(2026, 11, 27, tzinfo=UTC)
    for number in range(start, start + count):
        category_id, category_name, texts = rng.choice(words.CATEGORIES)
        district, _lat, _lon, villages = rng.choice(words.DISTRICTS)
        village = rng.choice(villages)
        title, body = (t.format(desa=village, kab=district) for t in rng.choice(texts))
        body = filler.grow(body, category_id, body_bytes)
        complaint_id = f"LAP-2026-{number:07d}"
        assigned = now - timedelta(days=rng.randint(0, 90), minutes=rng.randint(0, 1439))
        status = rng.choices(["verified", "in_progress", "completed", "archived"],
                             [40, 30, 22, 8])[0]
        name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        events = [
            {"id": f"{complaint_id}-e{k + 1}", "at": format_time(assigned + timedelta(hours=k)),
             "type": kind, "actor": {"id": "x", "name": name, "role": "reporter"},
             "text": text, "attachments": []}
            for k, (kind, text) in enumerate([
                ("submitted", body[:200]), ("verified", None), ("assigned", "Diteruskan"),
                ("response", rng.choice(words.RESPONSES)), ("note", "Dikoordinasikan."),
            ])
        ]
        yield {
            "id": complaint_id, "version": len(events), "type": rng.choice(
                ["pengaduan", "aspirasi", "permintaan_informasi"]),
            "title": title, "body": body,
            "category": {"id": category_id, "name": category_name},
            "channel": "web", "anonymous": False, "confidential": rng.random() < 0.08,
            "reporter": {"name": name, "phone": "081234567890", "email": None},
            "location": {"address": f"Jl. {village}", "district": district,
                         "lat": -8.6, "lon": 115.2},
            "status": status, "submitted_at": format_time(assigned - timedelta(days=2)),
            "verified_at": format_time(assigned - timedelta(days=1)),
            "assigned_at": format_time(assigned),
            "due_at": format_time(assigned + timedelta(days=14)),
            "updated_at": events[-1]["at"], "events": events, "attachments": [],
            "rating": None,
        }


def fill_replica(engine: Any, records: Iterable[dict[str, Any]], rules: Any,
                 batch: int = 5000) -> int:
    """Bulk-load wire records into a migrated replica, with the office's due dates."""
    from sync.deadlines import deadline_for
    from sync.protocol import parse_time

    conn = raw_connection(engine)
    total = 0
    try:
        chunk: list[dict[str, Any]] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= batch:
                total += _fill(conn, chunk, rules, deadline_for, parse_time)
                chunk = []
        total += _fill(conn, chunk, rules, deadline_for, parse_time)
    finally:
        conn.close()
    return total


def _fill(conn: Any, chunk: list[dict[str, Any]], rules: Any, deadline_for: Any,
          parse_time: Any) -> int:
    if not chunk:
        return 0
    due = {}
    for r in chunk:
        assigned = parse_time(r["assigned_at"])
        due[r["id"]] = deadline_for(status=r["status"], complaint_type=r["type"],
                                    assigned_at=assigned, now=assigned, rules=rules).due.isoformat()
    return insert_records(conn, chunk, due)
