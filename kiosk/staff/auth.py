"""Entering and leaving staff mode: the PIN check, the back-off, the sign-in lock, the idle
lock, the audit log.

One :class:`StaffGate` per kiosk window. The screen hands it every PIN and every touch and
asks it whether staff mode is open; it never sleeps or starts timers itself (clocks are
injected), so the whole flow is tested with a fake clock and a real database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.core.clock import Clock, utc_now
from kiosk.core.pin import OWASP_SCRYPT, IdleLock, LoginThrottle, ScryptParams, ThrottlePolicy

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.repositories.settings import ClinicSettings
    from db.repositories.staff import StaffInfo
    from kiosk.core.sign_in_lock import SignInLockState


log = logging.getLogger(__name__)

#: Seconds between checks that the signed-in staff member is still active.
ACTIVE_CHECK_S = 5.0


class LoginOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # wrong PIN; ``wait_s`` may now be > 0
    WAIT = "wait"  # still backing off: the PIN was not even checked
    LOCKED = "locked"  # sign-in is locked (now, or by this wrong PIN): only an unlock opens it


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    staff: StaffInfo | None = None
    wait_s: float = 0.0  # seconds before the keypad may take the next PIN
    # OK only: the demo staff member, whose PIN the README prints, can still sign in here.
    demo_staff: bool = False
    # OK only: wrong PINs on any kiosk since this staff member last signed in.
    failed_since_last_visit: int = 0
    # LOCKED, or WRONG on an unlock: how many named unlocks are still allowed.
    unlock_tries_left: int = 0


class StaffGate:
    """Staff mode's lock.

    ``clock``: monotonic seconds (back-off and idle time); ``wall_clock``: aware UTC now (to
    resume a back-off the audit log shows was running before a restart).
    """

    def __init__(
        self,
        database: Engine,
        clock: Clock,
        *,
        settings: ClinicSettings | None = None,
        wall_clock: Callable[[], datetime] = utc_now,
        pin_params: ScryptParams = OWASP_SCRYPT,
    ) -> None:
        from db.repositories.audit import failed_pins_since_last_login
        from db.repositories.settings import SettingsRepository
        from db.repositories.sign_in import SignInLog
        from db.repositories.staff import StaffRepository

        self._database = database
        self._wall_clock = wall_clock
        settings = settings or SettingsRepository(database).load()
        self.pin_params = pin_params  # the staff page hashes new PINs with the same
        self._staff = StaffRepository(database, pin_params)
        self.throttle = LoginThrottle(
            clock,
            ThrottlePolicy(
                free_failures=settings.pin_free_failures,
                base_s=settings.pin_backoff_base_s,
                max_s=settings.pin_backoff_max_s,
            ),
        )
        self.idle = IdleLock(clock, float(settings.staff_idle_timeout_s))
        self.sign_in = SignInLog(database)
        self._current: StaffInfo | None = None
        self._clock = clock
        self._checked_active_at = float("-inf")
        failures, last = failed_pins_since_last_login(database)
        if failures and last is not None:
            self.throttle.restore(failures, (wall_clock() - last).total_seconds())

    @property
    def current(self) -> StaffInfo | None:
        """Who is in staff mode, or None when it is locked (idle time is checked here)."""
        self._check_idle()
        return self._current

    def active_staff(self) -> tuple[StaffInfo, ...]:
        """Who may unlock a locked sign-in (the pad lists their names)."""
        return self._staff.list()

    def has_staff(self) -> bool:
        """False on a fresh install: the screen explains ``kiosk staff add NAME`` instead."""
        return self._staff.count_active() > 0

    def sign_in_state(self) -> SignInLockState:
        """Whether PIN sign-in is locked (on every kiosk of this database), and how far."""
        return self.sign_in.state(self._wall_clock())

    def try_pin(self, pin: str) -> LoginResult:
        """Check a PIN typed on the keypad (slow: one scrypt hash per staff member).

        While sign-in is locked the PIN is not checked at all. A right one also says whether
        the demo staff member is still there (the staff home then warns): the PIN typed is
        the published one, or :func:`db.demo.holds_demo_staff`.
        """
        state = self.sign_in_state()
        if state.locked:
            # The lock holds the guesser now; whoever signs in after the unlock (here or on
            # another kiosk) starts without the back-off they earned.
            self.throttle.record_success()
            return LoginResult(LoginOutcome.LOCKED, unlock_tries_left=state.unlock_tries_left)
        wait = self.throttle.wait_s()
        if wait > 0:
            return LoginResult(LoginOutcome.WAIT, wait_s=wait)
        staff = self._staff.identify(pin)
        if staff is None:
            delay = self.throttle.record_failure()
            detail = f"{self.throttle.failures} in a row; next try in {delay:g} s"
            state = self.sign_in.record_failure(self._wall_clock(), detail)
            if state.locked:
                self.throttle.record_success()
                return LoginResult(LoginOutcome.LOCKED, unlock_tries_left=state.unlock_tries_left)
            return LoginResult(LoginOutcome.WRONG, wait_s=delay)
        return self._signed_in(staff, demo_pin=pin)

    def try_unlock(self, staff_id: int, pin: str) -> LoginResult:
        """Unlock a locked sign-in as the staff member ``staff_id`` with their own PIN, and
        sign them in (one hash: the PIN is checked against that one account only).

        A wrong PIN is audited and uses up one of the policy's few tries; with none left
        (``LOCKED``), only a shell (``kiosk staff unlock``) or a signed-in kiosk can unlock.
        On a sign-in that is not locked (someone unlocked it meanwhile) it is an ordinary
        :meth:`try_pin`, back-off and all: this way in is no way around the back-off.
        """
        state = self.sign_in_state()
        if not state.locked:
            return self.try_pin(pin)
        if state.unlock_tries_left <= 0:
            return LoginResult(LoginOutcome.LOCKED, unlock_tries_left=0)
        staff = self._staff.find(staff_id)
        if staff is None or not self._staff.verify(staff_id, pin):
            name = staff.name if staff is not None else f"#{staff_id}"
            after = self.sign_in.record_unlock_failure(name, self._wall_clock())
            outcome = LoginOutcome.WRONG if after.unlock_tries_left > 0 else LoginOutcome.LOCKED
            return LoginResult(outcome, unlock_tries_left=after.unlock_tries_left)
        self.sign_in.unlock(staff.name, "with their own PIN on the PIN pad", self._wall_clock())
        return self._signed_in(staff, demo_pin=pin)

    def unlock_sign_in(self) -> SignInLockState | None:
        """The signed-in staff member unlocks PIN sign-in for every kiosk (audited as them).

        Returns the state it was in, or None if it was not locked. Raises ``PermissionError``
        when staff mode is locked here."""
        staff = self.current
        if staff is None:
            raise PermissionError("staff mode is locked")
        return self.sign_in.unlock(staff.name, "from staff mode", self._wall_clock())

    def confirm_pin(self, staff: StaffInfo, pin: str) -> bool:
        """Whether ``pin`` is the signed-in ``staff`` member's own, asked again before any PIN
        is changed or an account let back in (whoever stands at an open staff screen is not
        necessarily who signed in).

        Slow (one hash): call it off the UI thread, with ``staff`` read on it. A wrong PIN
        counts towards the sign-in lock like one on the pad, and while sign-in is locked no
        PIN is taken here either: an open staff screen is no place to guess a colleague's PIN.
        """
        if self.sign_in_state().locked:
            return False
        if self._staff.verify(staff.id, pin):
            return True
        self.sign_in.record_failure(
            self._wall_clock(), f"typed to confirm a change as {staff.name}"
        )
        return False

    def _signed_in(self, staff: StaffInfo, *, demo_pin: str) -> LoginResult:
        from db.demo import holds_demo_staff
        from db.repositories.audit import Action, audit
        from db.repositories.staff import DEMO_STAFF_PIN

        now = self._wall_clock()
        missed = self.sign_in.failed_since_last_visit(staff.id)
        demo = demo_pin == DEMO_STAFF_PIN or holds_demo_staff(self._database)
        self.throttle.record_success()
        self.idle.unlock()
        self._current = staff
        self._checked_active_at = self._clock()
        audit(self._database, staff.name, Action.LOGIN, at=now)
        return LoginResult(
            LoginOutcome.OK, staff=staff, demo_staff=demo, failed_since_last_visit=missed
        )

    def touch(self) -> None:
        """Any input in staff mode: restarts the idle countdown."""
        if self.current is not None:
            self.idle.touch()

    def remaining_s(self) -> float:
        """Seconds until the idle lock, for a single-shot timer (0 when locked)."""
        return self.idle.remaining_s() if self.current is not None else 0.0

    def lock(self, reason: str = "by staff") -> None:
        """Leave staff mode (the Lock button, or idle time): audited once."""
        from db.repositories.audit import Action, audit

        if self._current is not None:
            audit(self._database, self._current.name, Action.LOCKED, reason, at=self._wall_clock())
        self._current = None
        self.idle.lock()

    def record(self, action: str, detail: str | None = None) -> None:
        """Audit an action by whoever is in staff mode (exports, handouts, quit...).

        Raises ``PermissionError`` when staff mode is locked: such actions are staff-only.
        """
        from db.repositories.audit import audit

        staff = self.current
        if staff is None:
            raise PermissionError("staff mode is locked")
        audit(self._database, staff.name, action, detail, at=self._wall_clock())

    def request_quit(self) -> bool:
        """True (and audited) if staff mode is open: quitting the kiosk is staff-only."""
        from db.repositories.audit import Action

        if self.current is None:
            return False
        self.record(Action.QUIT)
        return True

    def _check_idle(self) -> None:
        if self._current is None:
            return
        if self.idle.is_locked():
            self.lock(f"idle for {self.idle.timeout_s:g} s")
            return
        # Deactivated on this kiosk or another: their open staff mode closes at the next
        # touch (at most one database read per ACTIVE_CHECK_S, not one per touch).
        now = self._clock()
        if now - self._checked_active_at >= ACTIVE_CHECK_S:
            self._checked_active_at = now
            try:
                active = self._staff.is_active(self._current.id)
            except Exception:  # the database away for a moment: ask again at a later touch
                log.warning("could not check that the signed-in staff member is still active")
                return
            if not active:
                self.lock("the staff member was deactivated")
