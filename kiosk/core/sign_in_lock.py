"""Staff sign-in's lock: after 20 wrong PINs within a day, PIN sign-in stops on every kiosk.

The keypad asks for a PIN only, and the PIN says who it is, so a guess is tried against every
staff member at once: with ten staff, each guess has ten chances in a million. The back-off
(:class:`kiosk.core.pin.LoginThrottle`) slows guessing and forgives a typo; this lock stops
it. It counts wrong PINs on all the clinic's kiosks (they share the database) within
:attr:`SignInLockPolicy.window_s`, and a successful sign-in does *not* reset that count — if
it did, a guesser could try 19 PINs between each of the staff's own sign-ins, all day.

Once locked, a PIN alone opens nothing. A staff member unlocks it by naming themselves and
typing their own PIN: one account, one hash, one chance in a million per try, and only
:attr:`SignInLockPolicy.unlock_tries` wrong tries before that way closes too. From a shell on
the kiosk (``kiosk staff unlock``), or from staff mode on another kiosk that is still signed
in, it always opens; so the clinic is never locked out for good.

The state itself is kept in the audit log (``db.repositories.sign_in``): it survives a
restart, and every kiosk on the server sees the same lock. This module holds only the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Wrong PINs within a day that lock staff sign-in.
LOCK_AFTER_FAILURES = 20
LOCK_WINDOW_S = 24 * 3600.0
#: Wrong PINs a named unlock may take before only a shell (or a signed-in kiosk) can unlock.
UNLOCK_TRIES = 5


@dataclass(frozen=True)
class SignInLockPolicy:
    """``failures`` wrong PINs within ``window_s`` seconds lock sign-in; while locked, a named
    unlock gets ``unlock_tries`` wrong PINs."""

    failures: int = LOCK_AFTER_FAILURES
    window_s: float = LOCK_WINDOW_S
    unlock_tries: int = UNLOCK_TRIES

    def __post_init__(self) -> None:
        if self.failures < 1 or self.window_s <= 0 or self.unlock_tries < 0:
            raise ValueError(f"invalid sign-in lock policy {self}")

    def locks(self, failures_in_window: int) -> bool:
        """Whether this many wrong PINs within the window lock sign-in."""
        return failures_in_window >= self.failures


@dataclass(frozen=True)
class SignInLockState:
    """Where staff sign-in stands.

    ``failures``: wrong PINs counted towards the lock now (within the window, since the last
    unlock). When ``locked``: ``locked_at`` is when, and ``unlock_failures`` how many named
    unlocks have failed since.
    """

    locked: bool
    failures: int = 0
    locked_at: datetime | None = None
    unlock_failures: int = 0
    policy: SignInLockPolicy = SignInLockPolicy()

    @property
    def unlock_tries_left(self) -> int:
        """Named unlocks still allowed (0: only a shell or a signed-in kiosk can unlock)."""
        if not self.locked:
            return self.policy.unlock_tries
        return max(0, self.policy.unlock_tries - self.unlock_failures)
