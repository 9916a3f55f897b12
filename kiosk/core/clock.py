"""Clocks. The engine never reads the time itself: it is handed a clock.

Two kinds: a :class:`Clock` (monotonic seconds, for deadlines) and a :data:`WallClock` (the
date and time, aware UTC, for what is logged and shown). Remaining time is always
``deadline - clock()``, never a count of ticks, so a coarse UI timer can tick late without the
hold ending late.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

#: The date and time now, as an aware UTC datetime (:func:`utc_now`, or a test's).
WallClock = Callable[[], datetime]


class Clock(Protocol):
    def __call__(self) -> float:
        """Seconds on a monotonic scale; only differences mean anything."""
        ...


def monotonic_clock() -> float:
    return time.monotonic()


def utc_now() -> datetime:
    """The real wall clock: an aware UTC datetime (the only kind the database accepts)."""
    return datetime.now(UTC)


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
