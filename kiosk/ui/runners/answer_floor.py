"""Holds a check-in's answer until the answer floor has passed since OK.

A right code, a wrong code and a fault while looking one up take different times in the
database; shown at once, the difference could tell someone at the keypad which codes exist.
So every answer is shown :data:`~kiosk.core.lockout.ANSWER_FLOOR_S` after OK at the earliest
(:func:`~kiosk.core.lockout.answer_wait_s` holds the rule), from one precise single-shot
timer; the wait is read from the injected clock, so a late timer cannot shorten it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject

from kiosk.core.clock import Clock
from kiosk.core.lockout import answer_wait_s
from kiosk.ui.timers import TimerFactory

Answer = Callable[[], None]
#: Less than this left is none (what the clock's float arithmetic leaves over).
_EPSILON_S = 1e-6


class QtAnswerFloor(QObject):
    """One answer at a time, shown no sooner than the floor allows."""

    def __init__(self, clock: Clock, timers: TimerFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.timer = timers.create(self, "checkin-answer", single_shot=True, precise=True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._started = 0.0
        self._answer: Answer | None = None

    @property
    def pending(self) -> bool:
        """An answer is waiting for the floor."""
        return self._answer is not None

    def hold(self, started: float, answer: Answer) -> None:
        """Show ``answer`` (call it) once the floor has passed since ``started`` (when OK
        was pressed, on the clock); at once if it already has."""
        self._started = started
        self._answer = answer
        self.update()

    def seconds_left(self) -> float:
        return answer_wait_s(self._started, self.clock()) if self.pending else 0.0

    def update(self) -> None:
        """Show the answer if its time has come, else wait for it (the timer calls this;
        tests advance a fake clock and call it directly)."""
        if self._answer is None:
            return
        left = self.seconds_left()
        if left > _EPSILON_S:
            self.timer.start(max(1, math.ceil(left * 1000)))
            return
        self.timer.stop()
        answer, self._answer = self._answer, None
        answer()

    def cancel(self) -> None:
        """Nobody is waiting for the answer any more (Cancel, back to the start)."""
        self._answer = None
        self.timer.stop()

    def _on_timer_timeout(self) -> None:
        self.update()
