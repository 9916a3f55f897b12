"""Clocks. The engine never reads the time itself: it is handed a clock.

Remaining time is always ``deadline - clock()``, never a count of ticks, so a coarse UI timer
can tick late without the hold ending late.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def __call__(self) -> float:
        """Seconds on a monotonic scale; only differences mean anything."""
        ...


def monotonic_clock() -> float:
    return time.monotonic()


class FakeClock:
    """A deterministic clock for tests and rehearsals (after Twisted's ``task.Clock``)."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds
