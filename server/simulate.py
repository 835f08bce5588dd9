"""The national side at work: new complaints, reporter replies, ratings, moves, auto-close.

Each ``step`` does one thing a reporter or a national admin would do, in its
own transaction, through the same functions as everything else, so the
offices see it in their change feed.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select

from server import seed_data as words
from server.complaints import move, national_event, touched
from server.config import utc_now
from server.db import Complaint, ComplaintOffice, Database, Office, User
from server.feed import publish
from server.seed import make_complaint

# The reporter may answer a reply within 10 working days; silence closes the report.
REPLY_WINDOW_WORKING_DAYS = 10


class Simulator:
    def __init__(
        self,
        db: Database,
        *,
        seed: int = 1,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.clock = clock
        self.steps = 0

    def step(self) -> str:
        """Do one random action; returns what was done, for the log."""
        self.steps += 1
        # Looking for silent reporters scans open reports: not on every step.
        closed = self.auto_close() if self.steps % 20 == 1 else None
        action = self.rng.choices(
            [self.forward_new, self.reporter_replies, self.reporter_rates, self.move_away],
            [40, 25, 15, 5],
        )[0]
        return closed or action() or "nothing to do"

    def forward_new(self) -> str:
        now = self.clock()
        with self.db.writing() as session:
            offices = list(session.scalars(select(Office.id).order_by(Office.id)))
            office_id = self.rng.choice(offices)
            officer = session.scalars(
                select(User).where(User.office_id == office_id, User.role == "officer")
            ).first()
            actor = {"id": "", "name": "", "role": "officer"}
            if officer is not None:
                actor = {"id": officer.id, "name": officer.full_name, "role": officer.role}
            number = session.execute(select(func.count()).select_from(Complaint)).scalar_one() + 1
            while session.get(Complaint, f"LAP-2026-{number:07d}") is not None:
                number += 1
            row, _ = make_complaint(self.rng, number, office_id, actor, [], now, "verified")
            complaint = Complaint(**row)
            session.add(complaint)
            session.add(ComplaintOffice(complaint_id=complaint.id, office_id=office_id))
            session.flush()
            publish(session, now, touched(complaint))
            return f"forwarded {complaint.id} to {office_id}"

    def reporter_replies(self) -> str | None:
        row_id = self._pick("in_progress", last_event="response")
        if row_id is None:
            return None
        with self.db.writing() as session:
            row = session.get(Complaint, row_id, with_for_update=True)
            assert row is not None
            national_event(
                session, row, "reporter_reply", self.clock(), self.rng.choice(words.REPLIES)
            )
        return f"reporter replied on {row_id}"

    def reporter_rates(self) -> str | None:
        row_id = self._pick("completed", last_event="response")
        if row_id is None:
            return None
        score = self.rng.randint(1, 5)
        with self.db.writing() as session:
            row = session.get(Complaint, row_id, with_for_update=True)
            assert row is not None
            data = copy.deepcopy(row.data)
            data["rating"] = {"score": score, "comment": self.rng.choice(words.RATING_COMMENTS)}
            row.data = data
            national_event(session, row, "rating", self.clock(), f"Penilaian {score}/5")
        return f"reporter rated {row_id} {score}/5"

    def move_away(self) -> str | None:
        row_id = self._pick("verified")
        if row_id is None:
            return None
        with self.db.writing() as session:
            row = session.get(Complaint, row_id, with_for_update=True)
            assert row is not None
            offices = [o for o in session.scalars(select(Office.id)) if o != row.office_id]
            if not offices:
                return None
            target = self.rng.choice(sorted(offices))
            move(
                session,
                row,
                target,
                self.clock(),
                {"id": "admin-instansi", "name": "Admin Instansi", "role": "admin"},
            )
        return f"moved {row_id} to {target}"

    def auto_close(self) -> str | None:
        """Close one report whose reply got no answer for 10 working days."""
        now = self.clock()
        with self.db.writing() as session:
            for row in session.scalars(select(Complaint).where(Complaint.status == "in_progress")):
                last = row.data["events"][-1] if row.data["events"] else None
                if last is None or last["type"] != "response":
                    continue
                replied = datetime.fromisoformat(last["at"].replace("Z", "+00:00"))
                if _working_days_between(replied, now) < REPLY_WINDOW_WORKING_DAYS:
                    continue
                text = "Ditutup otomatis: pelapor tidak menanggapi dalam 10 hari kerja."
                national_event(session, row, "status", now, text, "completed")
                return f"closed {row.id} after the reporter's silence"
        return None

    def _pick(self, status: str, last_event: str | None = None) -> str | None:
        with self.db.reading() as session:
            rows = list(
                session.scalars(
                    select(Complaint)
                    .where(Complaint.status == status)
                    .order_by(Complaint.id)
                    .limit(500)
                )
            )
        if last_event is not None:
            rows = [
                r for r in rows if r.data["events"] and r.data["events"][-1]["type"] == last_event
            ]
        return self.rng.choice(rows).id if rows else None


def _working_days_between(start: datetime, end: datetime) -> int:
    days, moment = 0, start
    while moment + timedelta(days=1) <= end:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days += 1
    return days
