"""Runs the check-in lockout on Qt: counts wrong codes, and counts the pause down.

:mod:`kiosk.core.lockout` holds the rule; the database holds its state for every kiosk of the
clinic (``db/repositories/checkin_lockout.py``, which also audits each wrong code as a
fingerprint and each pause, in the same transaction). This class asks the database whether
check-in is paused before each code is looked up, counts each code that checked nobody in,
and tells the keypad how many seconds are left with one precise single-shot timer armed at
each whole second (the number on screen is read from the wall clock, so a late timer cannot
make the pause longer or shorter).

If the database will not count a wrong code, the same rule counts it in this kiosk's memory
(:class:`~kiosk.core.lockout.CheckInGuard`, audited through the writer as before): a database
fault never leaves check-in open to guessing. A pause from either holds.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from db.repositories.audit import Action
from kiosk.core.lockout import (
    CheckInGuard,
    LockoutSettings,
    LockoutState,
    whole_seconds,
)
from kiosk.ui.timers import TimerFactory

log = logging.getLogger(__name__)

#: While check-in is paused, the database is read again this often (staff may open it again
#: from another kiosk's Today board).
RELOAD_S = 15.0

FAILED = Action.CHECKIN_FAILED
PAUSED = Action.CHECKIN_PAUSED

Audit = Callable[[str, str | None], None]


class Counted(Protocol):
    @property
    def state(self) -> LockoutState: ...


class LockoutStore(Protocol):
    """The clinic's lockout in the database (``CheckInLockoutStore``)."""

    def load(self) -> LockoutState: ...

    def record_wrong(self, code: str, now: datetime, settings: LockoutSettings) -> Counted: ...


class QtCheckInLock(QObject):
    """Wrong check-in codes, for the whole clinic.

    Signals:
        paused_changed(int): whole seconds check-in stays paused; 0 when it opens again.
    """

    paused_changed = Signal(int)

    def __init__(
        self,
        wall_clock: Callable[[], datetime],
        timers: TimerFactory,
        store: LockoutStore,
        audit: Audit,
        settings: LockoutSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._wall_clock = wall_clock
        self._store = store
        self._audit = audit
        self.settings = settings or LockoutSettings()
        self.guard = CheckInGuard(wall_clock, self.settings)  # the backstop (module docstring)
        self.state = LockoutState()  # the database's, as last read
        self.timer = timers.create(self, "checkin-lockout", single_shot=True, precise=True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._shown = 0
        self._read_at: datetime | None = None

    def apply_settings(self, settings: LockoutSettings) -> None:
        """New thresholds (the clinic settings); a pause already running keeps its end."""
        self.settings = settings
        self.guard.settings = settings

    # -- asking --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the clinic's lockout again (another kiosk may have paused check-in, or staff
        opened it); if the database cannot say, what was last read holds."""
        self._reload()
        self.update()

    def _reload(self) -> None:
        self._read_at = self._wall_clock()
        try:
            self.state = self._store.load()
        except Exception as error:
            log.warning("could not read the check-in lockout: %s", error.__class__.__name__)

    def seconds_left_exact(self) -> float:
        now = self._wall_clock()
        return max(self.state.seconds_left(now), self.guard.state.seconds_left(now))

    def seconds_left(self) -> int:
        return whole_seconds(self.seconds_left_exact())

    @property
    def is_locked(self) -> bool:
        """Whether check-in is paused now, as the database says (read now)."""
        self.refresh()
        return self.seconds_left() > 0

    # -- counting ------------------------------------------------------------------------------

    def record_failure(self, code: str) -> None:
        """A code that checked nobody in: count it for the clinic, maybe pause."""
        try:
            self.state = self._store.record_wrong(code, self._wall_clock(), self.settings).state
        except Exception as error:
            log.warning(
                "the database did not count a wrong check-in code (%s); counting it on this "
                "kiosk", error.__class__.__name__,
            )  # fmt: skip
            self._count_here(code)
        self.update()

    def _count_here(self, code: str) -> None:
        was_paused = self.guard.seconds_left() > 0
        mark = self.guard.record_wrong(code)
        self._record(FAILED, mark)
        if self.guard.seconds_left() > 0 and not was_paused:
            self._record(PAUSED, self.guard.state.describe_pause(self.settings))

    def _record(self, action: str, detail: str) -> None:
        try:
            self._audit(action, detail)
        except Exception:  # the keypad must keep working whatever the database does
            log.exception("could not audit '%s'", action)

    # -- the countdown -------------------------------------------------------------------------

    def update(self) -> None:
        """Tell the keypad the seconds left and arm the timer for the next whole second.

        The timer calls this; tests advance a fake clock and call it directly. When the
        countdown ends the database is asked again before check-in opens.
        """
        left = self.seconds_left_exact()
        if self._shown > 0 and (whole_seconds(left) <= 0 or self._reading_is_old()):
            self._reload()  # staff or another kiosk may have changed it meanwhile
            left = self.seconds_left_exact()
        shown = whole_seconds(left)
        if shown != self._shown:
            self._shown = shown
            self.paused_changed.emit(shown)
        if shown <= 0:
            self.timer.stop()
            return
        delay_s = max(0.0, left - (shown - 1))
        self.timer.start(max(1, math.ceil(delay_s * 1000)))

    def _reading_is_old(self) -> bool:
        read_at = self._read_at
        return read_at is None or (self._wall_clock() - read_at).total_seconds() >= RELOAD_S

    def stop(self) -> None:
        self.timer.stop()

    def _on_timer_timeout(self) -> None:
        self.update()
