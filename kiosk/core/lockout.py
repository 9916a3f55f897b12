"""Check-in lockout: wrong codes pause check-in for the whole clinic, longer each time.

A check-in code has six digits, and anyone at the keypad can try one after another. This rule
limits how many they get. Its state is a value (:class:`LockoutState`): the database keeps it
for every kiosk sharing it (``db/repositories/checkin_lockout.py`` applies this rule to it one
kiosk at a time), so a restart does not wipe it and a second kiosk does not count alone.

- Each wrong code is kept as a keyed fingerprint and a time, never as the code. When
  ``max_failures`` *different* wrong codes fall within ``window_s``, check-in pauses. The same
  wrong code typed again is not counted again: it tells a guesser nothing new (they learnt it
  is wrong the first time), and a patient who misremembers their code types the same wrong one
  over and over. A guesser's codes are all different, so for them every code counts.
- Each pause is twice as long as the one before, from ``pause_s`` up to :data:`MAX_PAUSE_S`
  (a day). Every :data:`CALM_S` without a pause takes one step off: waiting buys a guesser
  nothing they would not get by carrying on. Staff reopening check-in starts from nothing.
- After a pause the count starts again from nothing. A right code does not clear it, or a
  guesser could type their own code between guesses.
- Every check-in answer takes at least :data:`ANSWER_FLOOR_S` (:func:`answer_wait_s`), right
  code, wrong code or fault alike: how long the database took cannot tell anyone which codes
  exist.

The settings are bounded (:data:`FAILURES_BOUNDS` and the others) so that no choice a clinic
can make lets guessing pay: the window is at least a day, or a guesser could type
``max_failures - 1`` codes every window and never be paused. ``docs/security.md`` gives the
figures, and ``tests/core/test_lockout_guesses.py`` runs simulated guessers against this code
at the strictest and loosest settings. Times are aware UTC datetimes (a wall clock: kiosks and
restarts share them); nothing here reads a clock, imports Qt or touches the database.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

#: The shortest time a check-in takes to answer, from OK to the answer on screen.
ANSWER_FLOOR_S = 0.6
#: The longest pause, however many came before: a day (staff can reopen check-in sooner).
MAX_PAUSE_S = 86400.0
#: Each day without a pause takes one step off the next pause's length.
CALM_S = 86400.0

#: (lowest, highest) for each clinic setting (``db/repositories/settings.py`` refuses others).
FAILURES_BOUNDS = (3, 10)
WINDOW_BOUNDS_S = (86400, 7 * 86400)
PAUSE_BOUNDS_S = (10, 3600)

#: Hex digits of a wrong code's fingerprint.
FINGERPRINT_HEX = 12


@dataclass(frozen=True)
class LockoutSettings:
    """``max_failures`` different wrong codes within ``window_s`` pause check-in, the first
    time for ``pause_s``; see the module for the rest. Out of bounds raises ValueError."""

    max_failures: int = 10
    window_s: float = 86400.0
    pause_s: float = 60.0

    def __post_init__(self) -> None:
        bounds = (
            (self.max_failures, FAILURES_BOUNDS),
            (self.window_s, WINDOW_BOUNDS_S),
            (self.pause_s, PAUSE_BOUNDS_S),
        )
        if any(not low <= value <= high for value, (low, high) in bounds):
            raise ValueError(f"invalid lockout settings: {self}")

    def pause_for(self, nth: int) -> float:
        """Seconds the ``nth`` pause in a row lasts (1: the first)."""
        return min(MAX_PAUSE_S, self.pause_s * 2.0 ** min(max(nth, 1) - 1, 64))


@dataclass(frozen=True)
class WrongCode:
    """A wrong code as kept: when, and its fingerprint."""

    at: datetime
    fingerprint: str


@dataclass(frozen=True)
class LockoutState:
    """Everything the rule needs to remember, for the whole clinic.

    ``wrong``: the wrong codes counted towards the next pause, oldest first, one per
    fingerprint. ``paused_at``/``paused_until``: the last pause (kept after it ends, for the
    next one's length). ``pauses``: its step (1: a first pause). ``paused_after``: how many
    wrong codes started it (staff see it).
    """

    wrong: tuple[WrongCode, ...] = ()
    paused_at: datetime | None = None
    paused_until: datetime | None = None
    pauses: int = 0
    paused_after: int = 0

    def seconds_left(self, now: datetime) -> float:
        """Seconds until check-in opens again; 0 when it is open."""
        if self.paused_until is None:
            return 0.0
        return max(0.0, (self.paused_until - now).total_seconds())

    def is_paused(self, now: datetime) -> bool:
        return self.seconds_left(now) > 0

    def counted(self, now: datetime, settings: LockoutSettings) -> tuple[WrongCode, ...]:
        """The wrong codes that count now: within the window (each fingerprint once)."""
        since = now - timedelta(seconds=settings.window_s)
        return tuple(w for w in self.wrong if w.at > since)

    def record_wrong(
        self, now: datetime, fingerprint: str, settings: LockoutSettings
    ) -> LockoutState:
        """The state after a wrong code at ``now``: counted, and a pause if it is the
        ``max_failures``-th different one within the window. During a pause nothing is
        counted (check-in does not look codes up then)."""
        if self.is_paused(now):
            return self
        kept = [w for w in self.counted(now, settings) if w.fingerprint != fingerprint]
        kept.append(WrongCode(now, fingerprint))
        if len(kept) < settings.max_failures:
            return replace(self, wrong=tuple(kept))
        nth = self.pauses_in_a_row(now) + 1
        return LockoutState(
            wrong=(),
            paused_at=now,
            paused_until=now + timedelta(seconds=settings.pause_for(nth)),
            pauses=nth,
            paused_after=len(kept),
        )

    def pauses_in_a_row(self, now: datetime) -> int:
        """The step the next pause follows on from (0: it would be a first): the last pause's,
        less one for each whole :data:`CALM_S` since it ended."""
        if self.paused_until is None:
            return 0
        calm_days = int(max(0.0, (now - self.paused_until).total_seconds()) // CALM_S)
        return max(0, self.pauses - calm_days)

    def reopened(self, now: datetime) -> LockoutState:
        """Staff open check-in now: no pause, nothing counted, the next pause a first one."""
        ended = self.paused_until if not self.is_paused(now) else now
        return LockoutState(paused_at=self.paused_at, paused_until=ended, pauses=0)

    def describe_pause(self, settings: LockoutSettings) -> str:
        """The audit log's words for the last pause (staff and IT read it; never a code)."""
        seconds = 0.0
        if self.paused_at is not None and self.paused_until is not None:
            seconds = (self.paused_until - self.paused_at).total_seconds()
        return (
            f"{self.paused_after} wrong codes within {settings.window_s:g} s; "
            f"paused for {seconds:g} s (pause {self.pauses} in a row)"
        )


def fingerprint(key: bytes, code: str) -> str:
    """A wrong code as the audit log and the lockout keep it: a keyed hash, so the same code
    gives the same fingerprint (a misremembered code, not guessing) and a fingerprint cannot
    be turned back into a code without the key."""
    digest = hmac.new(key, code.strip().encode(), hashlib.sha256).hexdigest()
    return digest[:FINGERPRINT_HEX]


def whole_seconds(seconds: float) -> int:
    """Seconds as a countdown shows them: 59.2 → 60, 0 → 0."""
    return math.ceil(seconds - 1e-6) if seconds > 0 else 0


def answer_wait_s(started: float, now: float) -> float:
    """How much longer a check-in answer must wait, asked at ``now`` for an OK pressed at
    ``started`` (monotonic seconds): the answer shows :data:`ANSWER_FLOOR_S` after OK at the
    earliest, whatever the lookup found and however long it took."""
    return max(0.0, ANSWER_FLOOR_S - (now - started))


@dataclass
class CheckInGuard:
    """The same rule held in memory, with a key of its own: a kiosk's backstop for wrong
    codes the database could not count, so a database that will not take writes can never
    leave check-in open to unlimited guessing."""

    wall_clock: Callable[[], datetime]
    settings: LockoutSettings = field(default_factory=LockoutSettings)
    state: LockoutState = field(default_factory=LockoutState)
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def seconds_left(self) -> float:
        return self.state.seconds_left(self.wall_clock())

    def record_wrong(self, code: str) -> str:
        """Count a wrong code; returns its fingerprint (under this guard's own key)."""
        mark = fingerprint(self._key, code)
        self.state = self.state.record_wrong(self.wall_clock(), mark, self.settings)
        return mark

    def reopen(self) -> None:
        self.state = self.state.reopened(self.wall_clock())
