"""Which failures are worth another try, and how long to wait before it."""

from __future__ import annotations

import random
from dataclasses import dataclass

# The contract's transient statuses (SYNC-API.md, General).
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

# Statuses that say the server did not act on the request, so repeating it is
# safe even when the request is not idempotent. A 500, 502 or 504 may come
# after the work was done, so those repeat only idempotent requests.
UNPROCESSED_STATUSES = frozenset({408, 429, 503})

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2**n)]."""

    base: float = 1.0
    cap: float = 300.0

    def ceiling(self, failures: int) -> float:
        """Longest wait after the ``failures``-th failure in a row (1-based)."""
        exponent = min(max(failures - 1, 0), 62)  # beyond this the cap has long won
        return float(min(self.cap, self.base * 2**exponent))

    def delay(self, failures: int, rng: random.Random) -> float:
        return rng.uniform(0.0, self.ceiling(failures))
