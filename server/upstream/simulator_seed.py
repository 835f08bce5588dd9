"""Seeded complaints for the simulator: an agency's inbox as SP4N-LAPOR! would hold it.

The same seed gives the same complaints, statuses and texts; times are set
back from the state's clock, so ages and deadlines look as in a real inbox.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta

from server import seed_data as words
from server.upstream.simulator_records import (
    AGENCY,
    COMPLETED,
    IN_PROGRESS,
    NATIONAL_ADMIN,
    REPORTER,
    UNVERIFIED,
    VERIFIED,
    Attachment,
    Complaint,
    DataLog,
    Followup,
    Reporter,
    StatusLog,
    status_logs_for,
)

# Mostly waiting for the office; the unverified ones are not the office's yet.
STATUS_WEIGHTS = {VERIFIED: 55, IN_PROGRESS: 20, UNVERIFIED: 10, COMPLETED: 15}
# The first four cover every status, so even a tiny seed shows each kind.
FIRST_STATUSES = [VERIFIED, IN_PROGRESS, UNVERIFIED, COMPLETED]
SOURCES = ["Website", "Website", "Aplikasi Mobile", "Aplikasi Mobile", "SMS", "Media Sosial"]
STREETS = ["Jl. Raya", "Jl. Gatot Subroto", "Jl. Diponegoro", "Jl. Ngurah Rai", "Gang Melati"]


def seed_records(
    count: int,
    seed: int,
    institutions: Mapping[int, str],
    now: datetime,
    first_id: int,
) -> tuple[list[Complaint], list[Followup]]:
    """``count`` complaints disposed in turn to ``institutions``, with their follow-ups."""
    rng = random.Random(seed)
    own = list(institutions.items())
    complaints: list[Complaint] = []
    followups: list[Followup] = []
    for i in range(count):
        status = (
            FIRST_STATUSES[i]
            if i < len(FIRST_STATUSES)
            else rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        )
        seeded = _Seeded(rng, first_id + i, own[i % len(own)], now, len(followups) + 1)
        complaints.append(seeded.complaint(status))
        followups.extend(seeded.followups)
    return complaints, followups


class _Seeded:
    """One complaint's history, told forward from its filing."""

    def __init__(
        self,
        rng: random.Random,
        cid: int,
        institution: tuple[int, str],
        now: datetime,
        next_followup: int,
    ) -> None:
        self.rng = rng
        self.cid = cid
        self.institution = institution
        # At most four steps of <= 30 h follow, so the last stays in the past.
        self.at = now - timedelta(days=rng.uniform(6, 40))
        self.at = self.at.replace(microsecond=0)
        self.next_followup = next_followup
        self.logs: list[tuple[StatusLog, DataLog]] = []
        self.followups: list[Followup] = []

    def step(self) -> datetime:
        self.at += timedelta(seconds=self.rng.randint(2 * 3600, 30 * 3600))
        return self.at

    def complaint(self, status: str) -> Complaint:
        rng = self.rng
        category_id, category, title, body = _texts(rng)
        district, _, _, villages = rng.choice(words.DISTRICTS)
        village = rng.choice(villages)
        anonymous = rng.random() < 0.15
        secret = rng.random() < 0.1
        created = self.at
        self._status(None, UNVERIFIED, NATIONAL_ADMIN)
        if status != UNVERIFIED:
            self.step()
            self._status(UNVERIFIED, VERIFIED, NATIONAL_ADMIN)
        if status in (IN_PROGRESS, COMPLETED):
            self._reply(rng.choice(words.RESPONSES))
            self._status(VERIFIED, IN_PROGRESS, self.institution)
            if rng.random() < 0.5:
                self._reporter(rng.choice(words.REPLIES))
        rating = comment = None
        if status == COMPLETED:
            self._reply(rng.choice(words.CLOSING))
            self._status(IN_PROGRESS, COMPLETED, self.institution)
            if rng.random() < 0.85:
                rating = rng.choice([5, 5, 4, 4, 3, 2, 1])
                comment = rng.choice(words.RATING_COMMENTS)
        return Complaint(
            id=self.cid,
            title=title.format(desa=village, kab=district),
            content=body.format(desa=village, kab=district),
            status_name=status,
            disposition_id=self.institution[0],
            created_at=created,
            updated_at=self.at,
            category_id=category_id,
            category_name=category,
            classification_name=_classification(title),
            source_name=rng.choice(SOURCES),
            is_anonymous=anonymous,
            is_secret=secret,
            reporter=None if anonymous else _reporter(rng),
            address=f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, {village}",
            district=district,
            rating=rating,
            rating_comment=comment,
            status_logs=tuple(s for s, _ in self.logs),
            data_logs=tuple(d for _, d in self.logs),
        )

    def _status(self, old: str | None, new: str, actor: tuple[int, str]) -> None:
        self.logs.append(status_logs_for(old, new, self.at, actor, self.institution[1]))

    def _reply(self, text: str) -> None:
        fid = self._followup_id()
        photo: tuple[Attachment, ...] = ()
        if self.rng.random() < 0.3:
            name = "foto-tindak-lanjut.jpg"
            photo = (Attachment(name, f"storage/followups/{fid}/0-{name}"),)
        iid = self.institution[0]
        self.followups.append(
            Followup(fid, self.cid, self.step(), text, AGENCY, iid, iid, attachments=photo)
        )

    def _reporter(self, text: str) -> None:
        fid = self._followup_id()
        self.followups.append(
            Followup(fid, self.cid, self.step(), text, REPORTER, None, self.institution[0])
        )

    def _followup_id(self) -> int:
        fid = self.next_followup
        self.next_followup += 1
        return fid


def _texts(rng: random.Random) -> tuple[int, str, str, str]:
    """Category id and name, and a title and body with {desa} and {kab} to fill."""
    roll = rng.random()
    if roll < 0.8:
        index = rng.randrange(len(words.CATEGORIES))
        _, name, pairs = words.CATEGORIES[index]
        title, body = rng.choice(pairs)
        return index + 1, name, title, body
    pairs = words.ASPIRASI if roll < 0.9 else words.INFORMASI
    title, body = rng.choice(pairs)
    return 1, words.CATEGORIES[0][1], title, body


def _classification(title: str) -> str:
    if any(title == t for t, _ in words.ASPIRASI):
        return "Aspirasi"
    if any(title == t for t, _ in words.INFORMASI):
        return "Permintaan Informasi"
    return "Pengaduan"


def _reporter(rng: random.Random) -> Reporter:
    first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
    handle = f"{first}.{last}".lower().replace(" ", "")
    phone = f"08{rng.randint(1_000_000_000, 9_999_999_999)}"
    return Reporter(f"{first} {last}", phone, handle + "@mail.example")
