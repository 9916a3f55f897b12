"""Drives a session engine from the Qt event loop.

The engine never reads the time by itself: something has to call ``update()`` when the clock
passes its next deadline. One precise single-shot timer is armed at exactly that deadline
(re-armed after every update and every command), so a 30 s hold ends when the clock says so,
not when a coarse tick happens to come round. A second, coarse timer only repaints the
countdown ring; it never decides anything, and the time it shows is read from the engine.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.core.clock import Clock
from kiosk.core.events import Event, IllegalTransitionError
from kiosk.ui.timers import TimerFactory

if TYPE_CHECKING:
    from kiosk.core.engine import SessionEngine

log = logging.getLogger(__name__)

REFRESH_MS = 50  # 20 repaints a second: the ring's arc moves smoothly, the number on time


class QtSessionDriver(QObject):
    """The bridge between one :class:`SessionEngine` and the widgets.

    Signals:
        event_emitted(object): every engine event, in order, as the engine emits it.
        refreshed(): time to repaint anything that shows the remaining time.
    """

    event_emitted = Signal(object)
    refreshed = Signal()

    def __init__(
        self,
        engine: SessionEngine,
        clock: Clock,
        timers: TimerFactory,
        parent: QObject | None = None,
        *,
        refresh_ms: int = REFRESH_MS,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self._clock = clock
        self._deadline = timers.create(self, "session-deadline", single_shot=True, precise=True)
        self._deadline.timeout.connect(self._on_deadline_timeout)
        self._refresh = timers.create(self, "session-refresh", interval_ms=refresh_ms)
        self._refresh.timeout.connect(self._on_refresh_timeout)
        self._subscribed = False
        self._active = False

    # -- lifecycle ------------------------------------------------------------------------

    def start(self, from_step: int = 0) -> None:
        """Start the engine at ``from_step`` (a resumed session starts past what it logged)."""
        self.engine.subscribe(self._on_engine_event)
        self._subscribed = True
        self._active = True
        self.engine.start(from_step)
        self._refresh.start()
        self._arm()

    def shutdown(self) -> None:
        """Stop both timers and stop listening; safe to call twice, and from inside an event
        (the engine delivers to a copy of its listener list)."""
        self._active = False
        self._deadline.stop()
        self._refresh.stop()
        if self._subscribed:
            self.engine.unsubscribe(self._on_engine_event)
            self._subscribed = False

    # -- the update path ------------------------------------------------------------------

    def update(self) -> None:
        """Let the engine catch up with the clock, then re-arm for the next deadline.

        The deadline timer calls this; tests advance a fake clock and call it directly.
        """
        if not self._active:
            return
        self.engine.update()
        if self._active:
            self._arm()
            self.refreshed.emit()

    def command(self, action: Callable[[], None]) -> bool:
        """Run an engine command (``engine.pause`` ...); False if it made no sense just now.

        A command that is illegal in the current state is almost always a double tap on a
        button whose state is a frame behind; it is ignored rather than crashing the kiosk.
        """
        try:
            action()
        except IllegalTransitionError as error:
            log.info("ignored: %s", error)
            return False
        finally:
            if self._active:
                self._arm()
                self.refreshed.emit()
        return True

    def _arm(self) -> None:
        if not self._active:
            return
        deadline = self.engine.next_deadline()
        if deadline is None:
            self._deadline.stop()
            return
        delay_ms = max(0, math.ceil((deadline - self._clock()) * 1000))
        self._deadline.start(delay_ms)

    # -- handlers ---------------------------------------------------------------------------

    def _on_deadline_timeout(self) -> None:
        self.update()

    def _on_refresh_timeout(self) -> None:
        self.refreshed.emit()

    def _on_engine_event(self, event: Event) -> None:
        if self._active:
            self.event_emitted.emit(event)
