"""The idle policy: "Still there?" after a quiet spell, then back to the attract screen.

Outside a running timer, ``warn_after_s`` without a touch shows the warning, and the patient
has ``respond_within_s`` to carry on (WCAG 2.2.1 asks for at least 20 s) before the kiosk
logs out and forgets them. While a session timer runs, the patient is exercising, not idle:
the policy is suspended and starts afresh when it resumes. Deadlines come from the injected
clock, so tests step through minutes in microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.clock import Clock


@dataclass(frozen=True)
class IdleSettings:
    warn_after_s: float = 90.0
    respond_within_s: float = 20.0

    def __post_init__(self) -> None:
        if self.warn_after_s <= 0 or self.respond_within_s < 20:
            raise ValueError(f"invalid idle settings (respond_within_s >= 20): {self}")


class IdleState(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"  # "Still there?" is on screen
    EXPIRED = "expired"  # time to log out
    SUSPENDED = "suspended"  # a session timer is running


class IdlePolicy:
    def __init__(self, clock: Clock, settings: IdleSettings | None = None) -> None:
        self._clock = clock
        self.settings = settings or IdleSettings()
        self._last_touch = clock()
        self._suspended = False

    def touched(self) -> None:
        """Any touch or key: the patient is there."""
        self._last_touch = self._clock()

    def suspend(self) -> None:
        self._suspended = True

    def resume(self) -> None:
        self._suspended = False
        self._last_touch = self._clock()

    @property
    def _warn_at(self) -> float:
        return self._last_touch + self.settings.warn_after_s

    @property
    def _expire_at(self) -> float:
        return self._warn_at + self.settings.respond_within_s

    def state(self) -> IdleState:
        if self._suspended:
            return IdleState.SUSPENDED
        now = self._clock()
        if now < self._warn_at:
            return IdleState.ACTIVE
        if now < self._expire_at:
            return IdleState.WARNING
        return IdleState.EXPIRED

    def seconds_to_respond(self) -> float:
        """While warning: how long the patient still has to tap "I'm still here"."""
        return max(0.0, self._expire_at - self._clock()) if not self._suspended else 0.0

    def next_deadline(self) -> float | None:
        """The clock time of the next change of state, for one single-shot timer."""
        if self._suspended:
            return None
        now = self._clock()
        if now < self._warn_at:
            return self._warn_at
        if now < self._expire_at:
            return self._expire_at
        return None
