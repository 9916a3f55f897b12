"""The way into staff mode: press and hold the screen's top-left corner for 3 seconds.

Nothing on a patient screen says staff mode exists, and a patient's ordinary taps (even one in
the corner) keep working: a touch shorter than the hold passes through untouched. The hold is
measured on the injected clock, not by counting timer ticks, so a late timer cannot shorten
it and tests drive it by advancing a ``FakeClock``. The timer only makes the hold work without
lifting the finger; a release after 3 s counts too.

Deliberately small (QtCore/QtGui only): the window installs it right after its first frame.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from kiosk.core.clock import Clock
from kiosk.ui.timers import TimerFactory

HOLD_S = 3.0


class QtCornerHold(QObject):
    """Watches widgets (full-window screens) for a long press in their top-left corner.

    Signals:
        held(): the corner was held for :data:`HOLD_S` seconds.
    """

    held = Signal()

    def __init__(
        self,
        clock: Clock,
        timers: TimerFactory,
        corner_px: int,
        parent: QObject | None = None,
        *,
        hold_s: float = HOLD_S,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._corner_px = corner_px
        self.hold_s = hold_s
        self._pressed_at: float | None = None
        self._swallow_release = False
        self.timer = timers.create(self, "staff-corner-hold", single_shot=True)
        self.timer.timeout.connect(self._on_timer_timeout)

    def watch(self, widget: QWidget) -> None:
        """Listen to presses on ``widget`` (and those its children pass up to it)."""
        widget.installEventFilter(self)

    @property
    def holding(self) -> bool:
        return self._pressed_at is not None

    def in_corner(self, position: QPointF) -> bool:
        return 0 <= position.x() < self._corner_px and 0 <= position.y() < self._corner_px

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton and self.in_corner(event.position()):
                self._start()
            return False
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            if self.holding and not self.in_corner(event.position()):
                self.cancel()  # the finger slid away: an ordinary swipe
            return False
        if kind == QEvent.Type.MouseButtonRelease:
            return self._on_release()
        return False

    def cancel(self) -> None:
        self._pressed_at = None
        self.timer.stop()

    def _start(self) -> None:
        self._pressed_at = self._clock()
        self._swallow_release = False
        self.timer.start(round(self.hold_s * 1000))

    def _elapsed(self) -> float:
        return 0.0 if self._pressed_at is None else self._clock() - self._pressed_at

    def _on_timer_timeout(self) -> None:
        if self._pressed_at is None:
            return
        remaining = self.hold_s - self._elapsed()
        if remaining > 0:  # the clock says not yet (a fake clock, or a timer that ran early)
            self.timer.start(max(1, round(remaining * 1000)))
            return
        self._fire()

    def _on_release(self) -> bool:
        """True swallows the release, so the hold does not also count as a tap."""
        if self._swallow_release:
            self._swallow_release = False
            return True
        if self._pressed_at is not None and self._elapsed() >= self.hold_s:
            self._fire()
            self._swallow_release = False
            return True
        self.cancel()
        return False

    def _fire(self) -> None:
        self.cancel()
        self._swallow_release = True  # the finger is still down: its release is not a tap
        self.held.emit()
