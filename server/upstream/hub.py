"""The hub: a reference server that also carries its offices' work to SP4N-LAPOR!.

``create_app(db_url, upstream=Hub(profile))`` turns a server into a hub:
approved actions owe upstream jobs, and the runner's poller and pusher
start. Without a ``Hub`` the server is exactly the plain reference server.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from server.config import Settings
from server.db import Database
from server.uploads import Uploads
from server.upstream.connector import Connector
from server.upstream.lapor_v3 import LaporV3
from server.upstream.outbox import UpstreamOutbox
from server.upstream.profile import Profile, load_profile
from server.upstream.runner import UpstreamRunner


@dataclass(frozen=True)
class Hub:
    """How a server reaches upstream; collaborators default to the real ones."""

    profile: Profile
    connector: Connector | None = None  # default: LAPOR! v3 with the profile's credentials
    lease_s: float = 30.0
    start_workers: bool = True
    rng: random.Random | None = None

    @classmethod
    def from_file(cls, path: str) -> Hub:
        """A hub for a deployment's profile; its credentials are checked now, not at first use."""
        profile = load_profile(path)
        connector = LaporV3(profile, profile.credentials())
        return cls(profile, connector, lease_s=profile.doc.poll.lease_s)

    def outbox(self) -> UpstreamOutbox:
        return UpstreamOutbox(self.profile)

    def runner(self, db: Database, settings: Settings, outbox: UpstreamOutbox) -> UpstreamRunner:
        connector = self.connector or LaporV3(self.profile, self.profile.credentials())
        return UpstreamRunner(
            db,
            self.profile,
            connector,
            outbox,
            Uploads(db, settings),
            lease_s=self.lease_s,
            clock=settings.clock,
            rng=self.rng,
        )
