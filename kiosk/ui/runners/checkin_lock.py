"""Runs the check-in lockout on Qt: counts wrong codes, audits them, counts the pause down.

:class:`kiosk.core.lockout.CheckInGuard` holds the rule (ten wrong codes within five minutes
pause check-in for a minute, from the clinic settings) on the injected clock. This class
writes each wrong code to the audit log as the guard's keyed fingerprint — never the code —
plus one entry when check-in pauses, and tells the keypad how many seconds are left with one
precise single-shot timer armed at each whole second (the number on screen is read from the
clock, so a late timer cannot make the pause longer or shorter).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.core.clock import Clock
from kiosk.core.lockout import CheckInGuard, LockoutSettings
from kiosk.ui.timers import TimerFactory

log = logging.getLogger(__name__)

FAILED = "check-in failed"
PAUSED = "check-in paused"

Audit = Callable[[str, str | None], None]


class QtCheckInLock(QObject):
    """Wrong check-in codes on this kiosk.

    Signals:
        paused_changed(int): whole seconds check-in stays paused; 0 when it opens again.
    """

    paused_changed = Signal(int)

    def __init__(
        self,
        clock: Clock,
        timers: TimerFactory,
        audit: Audit,
        settings: LockoutSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._audit = audit
        self.guard = CheckInGuard(clock, settings)
        self.timer = timers.create(self, "checkin-lockout", single_shot=True, precise=True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._shown = 0

    @property
    def is_locked(self) -> bool:
        return self.guard.is_locked

    def seconds_left(self) -> int:
        left = self.guard.locked_for_s()
        return math.ceil(left - 1e-6) if left > 0 else 0

    def apply_settings(self, settings: LockoutSettings) -> None:
        """New thresholds (the clinic settings); a pause already running keeps its end."""
        self.guard.settings = settings

    def record_failure(self, code: str) -> None:
        """A code that checked nobody in: count it, audit its fingerprint, maybe pause."""
        was_locked = self.guard.is_locked
        fingerprint = self.guard.record_failure(code)
        self._record(FAILED, fingerprint)
        if self.guard.is_locked and not was_locked:
            s = self.guard.settings
            detail = f"{s.max_failures} wrong codes within {s.window_s:g} s"
            self._record(PAUSED, f"{detail}; paused for {s.pause_s:g} s")
            self.update()

    def _record(self, action: str, detail: str) -> None:
        try:
            self._audit(action, detail)
        except Exception:  # the keypad must keep working whatever the database does
            log.exception("could not audit %r", action)

    def update(self) -> None:
        """Tell the keypad the seconds left and arm the timer for the next whole second.

        The timer calls this; tests advance a fake clock and call it directly.
        """
        left = self.guard.locked_for_s()
        shown = self.seconds_left()
        if shown != self._shown:
            self._shown = shown
            self.paused_changed.emit(shown)
        if shown <= 0:
            self.timer.stop()
            return
        delay_s = max(0.0, left - (shown - 1))
        self.timer.start(max(1, math.ceil(delay_s * 1000)))

    def stop(self) -> None:
        self.timer.stop()

    def _on_timer_timeout(self) -> None:
        self.update()
