"""Check-in lockout: too many wrong codes pause check-in on this kiosk for a while.

Six-digit codes are guessable by brute force at a keypad; ten wrong codes within five minutes
pause check-in for a minute (all three numbers from configuration). The wrong codes are never
kept: the audit log gets a keyed fingerprint, so staff can see "the same wrong code twelve
times" (someone misremembering) from "forty different codes" (someone guessing), and the
fingerprint cannot be turned back into a code because the key lives only in this process.
A correct code does not clear the count, or a guesser could interleave their own code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import deque
from dataclasses import dataclass

from kiosk.core.clock import Clock


@dataclass(frozen=True)
class LockoutSettings:
    max_failures: int = 10
    window_s: float = 300.0
    pause_s: float = 60.0

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.window_s <= 0 or self.pause_s <= 0:
            raise ValueError(f"invalid lockout settings: {self}")


class CheckInGuard:
    def __init__(self, clock: Clock, settings: LockoutSettings | None = None) -> None:
        self._clock = clock
        self.settings = settings or LockoutSettings()
        self._failures: deque[float] = deque()
        self._locked_until = 0.0
        self._key = secrets.token_bytes(32)

    def locked_for_s(self) -> float:
        """Seconds until check-in opens again; 0 when it is open."""
        return max(0.0, self._locked_until - self._clock())

    @property
    def is_locked(self) -> bool:
        return self.locked_for_s() > 0

    def record_failure(self, code: str) -> str:
        """Count a wrong code; returns its fingerprint for the audit log.

        Lock when the count within the window reaches the threshold; the count then starts
        again, so the next lock needs another full run of wrong codes.
        """
        now = self._clock()
        self._failures.append(now)
        while self._failures and self._failures[0] <= now - self.settings.window_s:
            self._failures.popleft()
        if len(self._failures) >= self.settings.max_failures:
            self._locked_until = now + self.settings.pause_s
            self._failures.clear()
        return self.fingerprint(code)

    def recent_failures(self) -> int:
        now = self._clock()
        return sum(1 for t in self._failures if t > now - self.settings.window_s)

    def fingerprint(self, code: str) -> str:
        digest = hmac.new(self._key, code.strip().encode(), hashlib.sha256).hexdigest()
        return digest[:12]
