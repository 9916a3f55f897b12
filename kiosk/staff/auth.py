"""Entering and leaving staff mode: the PIN check, the back-off, the idle lock, the audit log.

One :class:`StaffGate` per kiosk window. The screen hands it every PIN and every touch and
asks it whether staff mode is open; it never sleeps or starts timers itself (clocks are
injected), so the whole flow is tested with a fake clock and a real database.
"""

from __future__ import annotations

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


class LoginOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # wrong PIN; ``wait_s`` may now be > 0
    WAIT = "wait"  # still backing off: the PIN was not even checked


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    staff: StaffInfo | None = None
    wait_s: float = 0.0  # seconds before the keypad may take the next PIN
    # OK only: the demo staff member, whose PIN the README prints, can still sign in here.
    demo_staff: bool = False


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
        from db.repositories.staff import StaffRepository

        self._database = database
        self._wall_clock = wall_clock
        settings = settings or SettingsRepository(database).load()
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
        self._current: StaffInfo | None = None
        failures, last = failed_pins_since_last_login(database)
        if failures and last is not None:
            self.throttle.restore(failures, (wall_clock() - last).total_seconds())

    @property
    def current(self) -> StaffInfo | None:
        """Who is in staff mode, or None when it is locked (idle time is checked here)."""
        self._check_idle()
        return self._current

    def has_staff(self) -> bool:
        """False on a fresh install: the screen explains ``kiosk staff add NAME`` instead."""
        return self._staff.count_active() > 0

    def try_pin(self, pin: str) -> LoginResult:
        """Check a PIN typed on the keypad (slow: one scrypt hash per staff member).

        A right one also says whether the demo staff member is still there (the staff home
        then warns): the PIN typed is the published one, or :func:`db.demo.holds_demo_staff`.
        """
        from db.demo import holds_demo_staff
        from db.repositories.audit import Action, audit
        from db.repositories.staff import DEMO_STAFF_PIN

        wait = self.throttle.wait_s()
        if wait > 0:
            return LoginResult(LoginOutcome.WAIT, wait_s=wait)
        staff = self._staff.identify(pin)
        if staff is None:
            delay = self.throttle.record_failure()
            detail = f"{self.throttle.failures} in a row; next try in {delay:g} s"
            audit(self._database, "unknown", Action.PIN_FAILED, detail, at=self._wall_clock())
            return LoginResult(LoginOutcome.WRONG, wait_s=delay)
        demo = pin == DEMO_STAFF_PIN or holds_demo_staff(self._database)
        self.throttle.record_success()
        self.idle.unlock()
        self._current = staff
        audit(self._database, staff.name, Action.LOGIN, at=self._wall_clock())
        return LoginResult(LoginOutcome.OK, staff=staff, demo_staff=demo)

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
        if self._current is not None and self.idle.is_locked():
            self.lock(f"idle for {self.idle.timeout_s:g} s")
