"""Stand-ins for time, so tests assert the waits asked for instead of waiting them."""

from __future__ import annotations


class Sleeps(list[float]):
    """A ``sleep`` that records each wait asked for and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
