"""Deterministic demo and test data: offices, users, complaints, attachments, reviews.

The same ``seed`` and ``now`` give the same database. Rows go in with bulk
inserts, so 100,000 complaints take minutes. The first office is always the
small fixed demo office that tests and the desktop demo rely on.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from server import seed_data as words
from server.db import (
    NATIONAL,
    Attachment,
    Category,
    ChangeLog,
    Complaint,
    ComplaintOffice,
    Database,
    Office,
    Review,
    Template,
    User,
)
from server.feed import allocate, ensure_state
from server.passwords import hash_password
from server.samplefiles import pdf, png
from server.seed_incidents import INCIDENT_STORIES, Story
from server.uploads import store_file
from sync.protocol import format_time

DEMO_OFFICE = "kantor-demo"
OTHER_OFFICE = "kantor-lain"
BATCH = 5000

# (username, full name, role) per office; the password is "demo-<username>".
DEMO_USERS = {
    DEMO_OFFICE: [
        ("petugas1", "Ni Made Ariani", "officer"),
        ("petugas2", "I Komang Wirawan", "officer"),
        ("atasan1", "I Gede Mahendra, S.Sos.", "supervisor"),
    ],
    OTHER_OFFICE: [
        ("petugas.lain", "Ni Putu Lestari", "officer"),
        ("atasan.lain", "I Wayan Suarjana, S.T.", "supervisor"),
    ],
}
OFFICE_NAMES = {
    DEMO_OFFICE: ("Kantor Demo: Kecamatan Kuta", "Badung"),
    OTHER_OFFICE: ("Kantor Lain: Kecamatan Ubud", "Gianyar"),
}

NATIONAL_ADMIN = {"id": "admin-nasional", "name": "Admin Nasional LAPOR!", "role": "admin"}
AGENCY_ADMIN = {"id": "admin-instansi", "name": "Admin Instansi Kab.", "role": "admin"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    full_name: str
    role: str
    office_id: str


@dataclass
class SeedReport:
    offices: list[str] = field(default_factory=list)
    users: list[DemoUser] = field(default_factory=list)
    complaints: int = 0


def demo_password(username: str) -> str:
    return f"demo-{username}"


def seed(
    db: Database,
    *,
    offices: int = 2,
    complaints: int = 10,
    seed: int = 2026,
    now: datetime | None = None,
    incidents: bool = False,
) -> SeedReport:
    """Fill an empty database. ``now`` defaults to the start of today (UTC).

    ``incidents`` adds the demo's stories to the first office after the random
    complaints: reports of one incident in different words, and earlier
    complaints the office answered well (``server.seed_incidents``).
    """
    now = now or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    rng = random.Random(seed)
    report = SeedReport()
    with db.writing() as session:
        if session.execute(select(func.count()).select_from(Office)).scalar_one():
            raise ValueError("this database already holds data: seed an empty one")
        state = ensure_state(session)
        seqs = _Seqs(allocate(session, 0))
        _national(session, seqs, now)
        office_ids = _office_ids(max(1, offices))
        for office_id in office_ids:
            report.users += _office(session, seqs, office_id, now)
        report.offices = office_ids
        users = {u.office_id: u for u in report.users if u.role == "officer"}
        pools = {o: _attachment_pool(session, o, users[o].username, now) for o in office_ids}
        rows, links = [], []
        for number in range(1, complaints + 1):
            office_id = office_ids[(number - 1) % len(office_ids)]
            officer = _officer_actor(session, users[office_id].username)
            row, attached = make_complaint(rng, number, office_id, officer, pools[office_id], now)
            rows.append(row)
            links += [{"upload_id": a, "complaint_id": row["id"]} for a in attached]
            if len(rows) >= BATCH:
                _insert_complaints(session, seqs, rows, links, now)
                rows, links = [], []
        if incidents:
            officer = _officer_actor(session, users[office_ids[0]].username)
            rows += [make_complaint(rng, complaints + 1 + i, office_ids[0], officer, [], now,
                                   story=story)[0]
                    for i, story in enumerate(INCIDENT_STORIES)]
            complaints += len(rows)
        _insert_complaints(session, seqs, rows, links, now)
        _demo_review(session, seqs, now)
        state.last_seq = seqs.next - 1
        report.complaints = complaints
    return report


class _Seqs:
    def __init__(self, first: int) -> None:
        self.next = first

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _change(
    seqs: _Seqs, office_id: str, kind: str, entity_id: str, now: datetime
) -> dict[str, Any]:
    return {
        "office_id": office_id,
        "kind": kind,
        "entity_id": entity_id,
        "seq": seqs.take(),
        "op": "upsert",
        "at": now,
    }


def _national(session: Any, seqs: _Seqs, now: datetime) -> None:
    session.execute(insert(Category), [{"id": c, "name": n} for c, n, _ in words.CATEGORIES])
    session.execute(
        insert(Template),
        [
            {"id": i, "office_id": NATIONAL, "title": t, "type": k, "body": b}
            for i, t, k, b in words.TEMPLATES
        ],
    )
    changes = [_change(seqs, NATIONAL, "category", c, now) for c, _n, _ in words.CATEGORIES]
    changes += [_change(seqs, NATIONAL, "template", t[0], now) for t in words.TEMPLATES]
    session.execute(insert(ChangeLog), changes)


def _office_ids(count: int) -> list[str]:
    ids = [DEMO_OFFICE, OTHER_OFFICE][:count]
    for n in range(len(ids), count):
        district = words.DISTRICTS[n % len(words.DISTRICTS)][0].lower()
        ids.append(f"kantor-{district}-{n + 1}")
    return ids


def _office(session: Any, seqs: _Seqs, office_id: str, now: datetime) -> list[DemoUser]:
    name, district = OFFICE_NAMES.get(office_id, (None, None))
    if name is None:
        district = office_id.split("-")[1].title()
        name = f"Kantor {district} {office_id.rsplit('-', 1)[1]}"
    session.add(Office(id=office_id, name=name, district=district))
    people = DEMO_USERS.get(office_id) or [
        (f"petugas1.{office_id}", "Ni Kadek Astuti", "officer"),
        (f"atasan1.{office_id}", "I Nyoman Putra, S.H.", "supervisor"),
    ]
    users = []
    for username, full_name, role in people:
        user_id = f"u-{username}"
        session.add(
            User(
                id=user_id,
                username=username,
                full_name=full_name,
                role=role,
                office_id=office_id,
                active=True,
                password_hash=hash_password(demo_password(username)),
            )
        )
        users.append(DemoUser(username, demo_password(username), full_name, role, office_id))
    session.flush()
    changes = [_change(seqs, office_id, "user", f"u-{u.username}", now) for u in users]
    office_template = {
        "id": f"tpl-{office_id}",
        "office_id": office_id,
        "title": "Salam pembuka kantor",
        "type": "pengaduan",
        "body": f"Om Swastyastu. {name} menanggapi laporan {{nomor}} sebagai berikut:",
    }
    session.execute(insert(Template), [office_template])
    changes.append(_change(seqs, office_id, "template", office_template["id"], now))
    session.execute(insert(ChangeLog), changes)
    return users


def _officer_actor(session: Any, username: str) -> dict[str, str]:
    user = session.get(User, f"u-{username}")
    return {"id": user.id, "name": user.full_name, "role": user.role}


def _attachment_pool(
    session: Any, office_id: str, username: str, now: datetime
) -> list[dict[str, Any]]:
    """A few photos and letters per office that the seeded complaints share."""
    pool = []
    for k in range(8):
        if k < 5:
            data = png(48 + 8 * k, 32 + 4 * k, (40 * k % 255, 120 + 20 * k, 200 - 30 * k))
            name, mime = f"foto_lokasi_{k + 1}.png", "image/png"
        else:
            data = pdf([f"Surat Pengantar {office_id}", f"Nomor: {k + 100}/2026", "Lampiran"])
            name, mime = f"surat_{k + 1}.pdf", "application/pdf"
        upload_id = f"att-{office_id}-{k + 1}"
        pool.append(
            store_file(session, upload_id, office_id, f"u-{username}", name, mime, data, now).meta()
        )
    session.flush()
    return pool


def _working_days(start: datetime, days: int) -> datetime:
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def _status_weights(age_days: int) -> list[int]:
    """Chances of verified, in_progress, completed, archived for a report this old."""
    if age_days <= 7:
        return [70, 25, 5, 0]
    if age_days <= 30:
        return [25, 45, 25, 5]
    return [8, 22, 55, 15]


def make_complaint(
    rng: random.Random,
    number: int,
    office_id: str,
    officer: dict[str, str],
    pool: list[dict[str, Any]],
    now: datetime,
    status: str | None = None,
    story: Story | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """One complaint row (wire JSON, version, history) and the upload ids it uses.

    A ``story`` fixes what is told, where, how long ago and the office's reply
    (the demo's incidents and reusable replies); the rest stays random.
    """
    complaint_id = f"LAP-2026-{number:07d}"
    kind = rng.choices(["pengaduan", "aspirasi", "permintaan_informasi"], [70, 20, 10])[0]
    category_id, category_name, texts = rng.choice(words.CATEGORIES)
    if kind == "aspirasi":
        texts = words.ASPIRASI
    elif kind == "permintaan_informasi":
        texts = words.INFORMASI
    district, lat, lon, villages = rng.choice(words.DISTRICTS)
    village = rng.choice(villages)
    title, body = (t.format(desa=village, kab=district) for t in rng.choice(texts))
    if story is not None:
        kind, (category_id, category_name) = "pengaduan", story.category
        district, lat, lon = _district(story.district)
        village, title, body, status = story.village, story.title, story.body, story.status
    anonymous = rng.random() < 0.15
    name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
    reporter = None
    if not anonymous:
        handle = name.lower().replace(" ", ".")
        reporter = {
            "name": name,
            "phone": f"08{rng.randint(1100000000, 1999999999)}",
            "email": f"{handle}@contoh.id" if rng.random() < 0.6 else None,
        }
    reporter_actor = {"id": "pelapor", "name": "Anonim" if anonymous else name, "role": "reporter"}
    # Most reports are recent and the old ones mostly settled, as in a working
    # office; so the demo shows deadlines on time, due soon and overdue.
    age_days = min(120, 1 + int(rng.expovariate(1 / 18)))
    if story is not None:
        age_days = story.age_days
    submitted = now - timedelta(days=age_days, minutes=rng.randint(0, 1439))
    verified = submitted + timedelta(hours=rng.randint(2, 60))
    assigned = verified + timedelta(hours=rng.randint(1, 30))
    attached = rng.sample(pool, rng.choice([1, 2])) if pool and rng.random() < 0.12 else []
    timeline = _Timeline(complaint_id)
    timeline.add("submitted", submitted, reporter_actor, body, attached)
    timeline.add("verified", verified, NATIONAL_ADMIN, None)
    timeline.add("assigned", assigned, AGENCY_ADMIN, f"Diteruskan ke {office_id}")
    statuses = ["verified", "in_progress", "completed", "archived"]
    status = status or rng.choices(statuses, _status_weights(age_days))[0]
    reply = story.reply if story is not None else None
    rating = _follow_up(rng, timeline, status, assigned, officer, reporter_actor, now, reply)
    due_days = 14 if kind == "pengaduan" else 5
    data = {
        "id": complaint_id,
        "version": len(timeline.events),
        "type": kind,
        "title": title,
        "body": body,
        "category": {"id": category_id, "name": category_name},
        "channel": rng.choices(
            ["web", "mobile", "sms", "social_media", "walk_in"], [40, 35, 10, 10, 5]
        )[0],
        "anonymous": anonymous,
        "confidential": rng.random() < 0.08 and story is None,
        "reporter": reporter,
        "location": None
        if rng.random() < 0.1
        else {
            "address": f"Jl. Raya {village} No. {rng.randint(1, 200)}",
            "district": district,
            "lat": round(lat + rng.uniform(-0.05, 0.05), 5),
            "lon": round(lon + rng.uniform(-0.05, 0.05), 5),
        },
        "status": timeline.status,
        "submitted_at": format_time(submitted),
        "verified_at": format_time(verified),
        "assigned_at": format_time(assigned),
        "due_at": format_time(_working_days(assigned, due_days)),
        "updated_at": timeline.events[-1]["at"],
        "events": timeline.events,
        "attachments": attached,
        "rating": rating,
    }
    row = {
        "id": complaint_id,
        "office_id": office_id,
        "version": data["version"],
        "status": timeline.status,
        "data": data,
        "history": timeline.history,
    }
    return row, [a["id"] for a in attached]


class _Timeline:
    """Events with ids and the history the conflict rules read; one version each."""

    def __init__(self, complaint_id: str) -> None:
        self.complaint_id = complaint_id
        self.events: list[dict[str, Any]] = []
        self.history: list[list[Any]] = []
        self.status = "verified"

    def add(
        self,
        event_type: str,
        at: datetime,
        actor: dict[str, str],
        text: str | None,
        attachments: list[dict[str, Any]] | None = None,
        status: str | None = None,
    ) -> None:
        self.status = status or self.status
        self.events.append(
            {
                "id": f"{self.complaint_id}-e{len(self.events) + 1}",
                "at": format_time(at),
                "type": event_type,
                "actor": actor,
                "text": text,
                "attachments": attachments or [],
            }
        )
        self.history.append([len(self.events), self.status, event_type])


def _follow_up(
    rng: random.Random,
    timeline: _Timeline,
    status: str,
    assigned: datetime,
    officer: dict[str, str],
    reporter: dict[str, str],
    now: datetime,
    reply: str | None = None,
) -> dict[str, Any] | None:
    """The office's replies, the reporter's answers and a rating, as far as ``status`` goes.

    ``reply``, when given, is the office's first answer instead of a stock one.
    """
    if status == "verified":
        return None
    moment = min(assigned + timedelta(hours=rng.randint(4, 120)), now - timedelta(minutes=5))
    answer = reply or rng.choice(words.RESPONSES)
    timeline.add("response", moment, officer, answer, status="in_progress")
    if rng.random() < 0.5:
        moment += timedelta(hours=rng.randint(1, 48))
        timeline.add("reporter_reply", moment, reporter, rng.choice(words.REPLIES))
    if rng.random() < 0.3:
        moment += timedelta(minutes=rng.randint(5, 300))
        timeline.add("note", moment, officer, "Sudah dikoordinasikan dengan bidang teknis.")
    if status == "archived":
        timeline.add(
            "status", moment + timedelta(hours=1), AGENCY_ADMIN, "Diarsipkan", status="archived"
        )
        return None
    if status == "in_progress":
        return None
    moment += timedelta(hours=rng.randint(1, 72))
    timeline.add("response", moment, officer, rng.choice(words.CLOSING), status="completed")
    if rng.random() < 0.6:
        rating = {"score": rng.randint(1, 5), "comment": rng.choice(words.RATING_COMMENTS)}
        text = f"Penilaian {rating['score']}/5"
        timeline.add("rating", moment + timedelta(hours=rng.randint(1, 24)), reporter, text)
        return rating
    return None


def _district(name: str) -> tuple[str, float, float]:
    for district, lat, lon, _villages in words.DISTRICTS:
        if district == name:
            return district, lat, lon
    raise ValueError(f"no seeded district {name}")


def _insert_complaints(
    session: Any,
    seqs: _Seqs,
    rows: list[dict[str, Any]],
    links: list[dict[str, Any]],
    now: datetime,
) -> None:
    if not rows:
        return
    session.execute(insert(Complaint), rows)
    session.execute(
        insert(ComplaintOffice),
        [{"complaint_id": r["id"], "office_id": r["office_id"]} for r in rows],
    )
    if links:
        session.execute(insert(Attachment), links)
    changes = [_change(seqs, r["office_id"], "complaint", r["id"], now) for r in rows]
    session.execute(insert(ChangeLog), changes)


def _demo_review(session: Any, seqs: _Seqs, now: datetime) -> None:
    """One reply waiting for the demo supervisor, so the approval queue is never empty."""
    target = session.scalars(
        select(Complaint)
        .where(Complaint.office_id == DEMO_OFFICE, Complaint.status == "verified")
        .order_by(Complaint.id)
    ).first()
    if target is None:
        return
    session.add(
        Review(
            id="rev-demo-1",
            office_id=DEMO_OFFICE,
            complaint_id=target.id,
            author_id="u-petugas1",
            mutation_type="respond",
            payload={"text": words.RESPONSES[0], "attachment_ids": []},
            base_version=target.version,
            submitted_at=now,
            state="pending",
            decision=None,
        )
    )
    session.flush()
    session.execute(insert(ChangeLog), [_change(seqs, DEMO_OFFICE, "review", "rev-demo-1", now)])


def iter_users(report: SeedReport) -> Iterator[str]:
    """Lines that show who can log in, for the command line and the demo."""
    for user in report.users:
        yield f"{user.office_id:<24} {user.role:<11} {user.username:<28} {user.password}"
