"""Every QTimer the kiosk uses is made here (after qutebrowser's ``usertypes.Timer``).

One factory means tests can list the timers a screen left running (a timer that outlives its
screen keeps firing into a dead session all day on an unattended kiosk) and tools can swap the
factory for one that records or holds timers. Timers are named for the failure message.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer


class TimerFactory:
    """Creates named QTimers and remembers them so tests can inspect them."""

    def __init__(self) -> None:
        self._timers: list[QTimer] = []

    def create(
        self,
        parent: QObject,
        name: str,
        *,
        interval_ms: int = 0,
        single_shot: bool = False,
        precise: bool = False,
    ) -> QTimer:
        """A stopped timer owned by ``parent``; ``precise`` for deadlines (cue and hold ends)."""
        timer = QTimer(parent)
        timer.setObjectName(name)
        timer.setInterval(interval_ms)
        timer.setSingleShot(single_shot)
        timer.setTimerType(Qt.TimerType.PreciseTimer if precise else Qt.TimerType.CoarseTimer)
        self._prune()
        self._timers.append(timer)
        return timer

    def call_soon(self, parent: QObject, name: str, callback: Callable[[], None]) -> QTimer:
        """Run ``callback`` once the event loop is idle (e.g. after the first frame is painted).

        The timer is owned by ``parent``, so it dies with it rather than calling into a
        deleted object, which a static ``QTimer.singleShot`` could do.
        """
        timer = self.create(parent, name, single_shot=True)
        timer.timeout.connect(callback)
        timer.start()
        return timer

    def active(self) -> list[QTimer]:
        """Timers that are still alive and running."""
        self._prune()
        return [t for t in self._timers if t.isActive()]

    def _prune(self) -> None:
        self._timers = [t for t in self._timers if shiboken6.isValid(t)]


_factory = TimerFactory()


def factory() -> TimerFactory:
    """The process-wide factory."""
    return _factory


def set_factory(new: TimerFactory) -> TimerFactory:
    """Swap the factory (tests); returns the old one so it can be put back."""
    global _factory
    old, _factory = _factory, new
    return old
