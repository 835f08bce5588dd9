"""One poll of SP4N-LAPOR!: what changed upstream becomes the hub's records and feed.

A poll reads the agency's listing (one request a page) and reads in full
only the complaints whose change marker moved, that are new, quarantined,
or due for a recheck. Each complaint is applied in its own transaction, so
one unreadable record is quarantined with its reason and the rest goes on.
A follow-up that is the hub's own post coming back is recognised by its
text and not added again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.complaints import (
    OUTSIDE,
    add_events,
    forward,
    leave_scope,
    move,
    new_event,
    touched,
)
from server.config import utc_now
from server.db import NATIONAL, Complaint, Database, Template
from server.feed import ChangeRef, publish
from server.upstream import mapping
from server.upstream.connector import (
    Connector,
    Listed,
    ListingUnavailable,
    MalformedRecord,
    RemoteComplaint,
    UpstreamError,
    content_hash,
)
from server.upstream.profile import Profile
from server.upstream.tables import UpstreamAgency, UpstreamComplaint, UpstreamQuarantine

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    listed: int = 0
    read: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    quarantined: int = 0
    from_ids: bool = False  # the listing did not work: read from known ids
    changed_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        source = "ids" if self.from_ids else "listing"
        return (
            f"poll ({source}): {self.listed} listed, {self.read} read, {self.created} new, "
            f"{self.updated} changed, {self.quarantined} quarantined"
        )


class Poller:
    def __init__(
        self,
        db: Database,
        connector: Connector,
        profile: Profile,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db, self.connector, self.profile, self.clock = db, connector, profile, clock

    def poll(self) -> PollReport:
        """Read what changed; an ``UpstreamError`` ends the poll (the runner backs off)."""
        report = PollReport()
        listed = self._listing(report)
        report.listed = len(listed)
        with self.db.reading() as session:
            # Columns, not objects: at 10,000 complaints the ORM rows cost more than the listing.
            known = {
                upstream_id: (marker, read_at)
                for upstream_id, marker, read_at in session.execute(
                    select(
                        UpstreamComplaint.upstream_id,
                        UpstreamComplaint.marker,
                        UpstreamComplaint.read_at,
                    )
                )
            }
            held = set(session.scalars(select(UpstreamQuarantine.upstream_id)))
        recheck = self.profile.doc.poll.recheck_after_s
        stale_before = self.clock() - timedelta(seconds=recheck) if recheck else None
        rechecks = self.profile.doc.poll.page_size  # the oldest few a poll, not all at once
        stale = []
        for entry in listed:
            seen = known.get(entry.upstream_id)
            if (
                seen is None
                or entry.marker is None
                or entry.marker != seen[0]
                or entry.upstream_id in held
            ):
                self.read_one(entry.upstream_id, entry.marker, report)
            elif stale_before is not None and seen[1] < stale_before:
                stale.append((seen[1], entry))
        for _at, entry in sorted(stale, key=lambda pair: pair[0])[:rechecks]:
            self.read_one(entry.upstream_id, entry.marker, report)
        if not report.from_ids:
            self._read_missing(known, {entry.upstream_id for entry in listed}, report)
        return report

    def _read_missing(self, known: Iterable[int], listed: set[int], report: PollReport) -> None:
        """Complaints an office holds that the listing no longer shows: where did they go?

        An agency's listing may drop a complaint moved to another agency; reading
        it tells its new disposition (and takes it out of the office).
        """
        gone = [upstream_id for upstream_id in known if upstream_id not in listed]
        if not gone:
            return
        with self.db.reading() as session:
            in_offices = set(
                session.scalars(
                    select(UpstreamComplaint.upstream_id)
                    .join(Complaint, Complaint.id == UpstreamComplaint.complaint_id)
                    .where(UpstreamComplaint.upstream_id.in_(gone), Complaint.office_id != OUTSIDE)
                )
            )
        for upstream_id in sorted(in_offices)[: self.profile.doc.poll.page_size]:
            self.read_one(upstream_id, None, report)

    def read_one(self, upstream_id: int, marker: str | None, report: PollReport) -> None:
        report.read += 1
        try:
            remote = self.connector.complaint(upstream_id)
            with self.db.writing() as session:
                self._apply(session, remote, marker, report)
                session.execute(
                    delete(UpstreamQuarantine).where(UpstreamQuarantine.upstream_id == upstream_id)
                )
        except MalformedRecord as exc:
            self._quarantine(upstream_id, str(exc), report)
        except UpstreamError as exc:
            if exc.status != 404:
                raise
            self._quarantine(upstream_id, "not found upstream (404)", report)

    def refresh_masters(self) -> tuple[int, int]:
        """Reply templates and agencies, as upstream publishes them."""
        templates = self.connector.templates()
        agencies = self.connector.agencies()
        now = self.clock()
        with self.db.writing() as session:
            changes = []
            for remote in templates:
                template_id = f"lapor-{remote.code}"
                row = session.get(Template, template_id)
                values = {"title": remote.title, "type": remote.type or "umum", "body": remote.body}
                if row is None:
                    session.add(Template(id=template_id, office_id=NATIONAL, **values))
                elif (row.title, row.type, row.body) != tuple(values.values()):
                    row.title, row.type, row.body = values["title"], values["type"], values["body"]
                else:
                    continue
                changes.append(ChangeRef(NATIONAL, "template", template_id))
            session.execute(delete(UpstreamAgency))
            session.add_all(UpstreamAgency(id=a.id, name=a.name) for a in agencies)
            publish(session, now, *changes)
        return len(templates), len(agencies)

    # --- one complaint --------------------------------------------------------

    def _listing(self, report: PollReport) -> list[Listed]:
        try:
            return list(self.connector.list_assigned())
        except ListingUnavailable as exc:
            log.info("upstream listing unavailable (%s): reading known complaint ids", exc)
            report.from_ids = True
            return [Listed(i, None) for i in sorted(self._known_ids())]

    def _known_ids(self) -> set[int]:
        ids: set[int] = set()
        path = self.profile.ids_file
        if path is not None and path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip().isdigit():
                    ids.add(int(line.strip()))
        with self.db.reading() as session:
            ids.update(session.scalars(select(UpstreamComplaint.upstream_id)))
        return ids

    def _apply(
        self, session: Session, remote: RemoteComplaint, marker: str | None, report: PollReport
    ) -> None:
        now = self.clock()
        status = mapping.status_of(self.profile, remote)
        office = self.profile.offices_by_institution.get(remote.disposition_id or -1)
        complaint_id = mapping.hub_id(self.profile, remote.upstream_id)
        seen = session.get(UpstreamComplaint, remote.upstream_id)
        if seen is None:
            seen = UpstreamComplaint(
                upstream_id=remote.upstream_id, complaint_id=complaint_id, seen=[], read_at=now
            )
            session.add(seen)
        row = session.get(Complaint, complaint_id, with_for_update=True)
        if row is None:
            if status == mapping.SKIP or office is None:
                report.skipped += 1  # not (yet) the hub's: read again when its marker moves
            else:
                data = mapping.new_record(self.profile, remote, status, now)
                data["events"] = self._without_own(data["events"], remote, seen, [])
                forward(session, data, office, now)
                report.created += 1
                report.changed_ids.append(complaint_id)
        elif self._update(session, row, remote, seen, status, office, now):
            report.updated += 1
            report.changed_ids.append(complaint_id)
        seen.marker = marker
        seen.status_name = remote.status_name
        seen.disposition_id = remote.disposition_id
        seen.rating = remote.rating
        seen.read_at = now

    def _update(
        self,
        session: Session,
        row: Complaint,
        remote: RemoteComplaint,
        seen: UpstreamComplaint,
        status: str,
        office: str | None,
        now: datetime,
    ) -> bool:
        have = {event["id"] for event in row.data["events"]}
        events = [mapping.status_event(entry) for entry in remote.status_logs]
        events += self._without_own(
            [mapping.followup_event(entry) for entry in remote.followups],
            remote,
            seen,
            row.data["events"],
        )
        new_rating = remote.rating is not None and remote.rating != seen.rating
        if new_rating:
            events.append(mapping.rating_event(remote, remote.updated_at or now))
        events = [e for e in events if e["id"] not in have]
        # Upstream's status counts only when upstream changed it: the hub's own reply
        # set a status that upstream shows only once the reply is delivered.
        new_status = None
        if remote.status_name != seen.status_name and status not in (mapping.SKIP, row.status):
            new_status = status
        changed = False
        if events or new_status is not None or new_rating:
            if new_rating:
                data = dict(row.data)
                data["rating"] = {"score": remote.rating, "comment": remote.rating_comment}
                row.data = data
            if events or new_status is not None:
                add_events(row, events or [_status_only(remote.status_name, now)], now, new_status)
            mapping.check(row.data)
            publish(session, now, touched(row))
            changed = True
        if office != row.office_id and remote.disposition_id != seen.disposition_id:
            if office is None:
                leave_scope(session, row, now, "Dialihkan ke instansi lain di SP4N-LAPOR!")
            else:
                move(session, row, office, now, mapping.NATIONAL_ADMIN)
            changed = True
        return changed

    def _without_own(
        self,
        events: list[dict[str, Any]],
        remote: RemoteComplaint,
        seen: UpstreamComplaint,
        hub_events: Iterable[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Drop the follow-ups that are the hub's own replies, come back from upstream.

        Each reply the hub made (a ``response`` event not made from upstream)
        claims one follow-up with the same text; claims are kept in ``seen``
        so a reply is matched once, even where two replies share their text.
        """
        made: dict[str, int] = {}
        for event in hub_events:
            if event["type"] == "response" and not event["id"].startswith("up-"):
                key = content_hash(event.get("text") or "")
                made[key] = made.get(key, 0) + 1
        claimed: dict[str, int] = {}
        for _fingerprint, key in seen.seen:
            claimed[key] = claimed.get(key, 0) + 1
        already = {fingerprint for fingerprint, _key in seen.seen}
        by_id = {mapping.followup_event(f)["id"]: f for f in remote.followups}
        kept = []
        for event in events:
            followup = by_id.get(event["id"])
            if followup is None or followup.by_reporter:
                kept.append(event)
                continue
            if followup.fingerprint in already:
                continue
            key = followup.content_hash
            if claimed.get(key, 0) < made.get(key, 0):
                claimed[key] = claimed.get(key, 0) + 1
                seen.seen = [*seen.seen, [followup.fingerprint, key]]
                continue
            kept.append(event)
        return kept

    def _quarantine(self, upstream_id: int, reason: str, report: PollReport) -> None:
        # The reason only: the record itself may hold a reporter's identity.
        log.warning("upstream complaint %s quarantined: %s", upstream_id, reason)
        report.quarantined += 1
        now = self.clock()
        with self.db.writing() as session:
            row = session.get(UpstreamQuarantine, upstream_id)
            if row is None:
                session.add(
                    UpstreamQuarantine(
                        upstream_id=upstream_id, reason=reason, first_at=now, last_at=now
                    )
                )
            else:
                row.reason, row.last_at, row.attempts = reason, now, row.attempts + 1


def _status_only(status_name: str, now: datetime) -> dict[str, Any]:
    return new_event("status", now, mapping.NATIONAL_ADMIN, f"Status: {status_name}")
