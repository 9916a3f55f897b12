"""Runs the idle policy on Qt: "Still there?" after a quiet spell, then log the patient out.

:class:`kiosk.core.idle.IdlePolicy` holds the rule on the injected clock; this class only
feeds it and acts on it:

- every touch, click or key anywhere in the application counts as the patient being there
  (an application-level event filter, installed only while the countdown can run, so a
  running session pays nothing for it);
- one precise single-shot timer is armed at the policy's next deadline (and, while the
  warning shows, at each whole second so the countdown on screen is exact), never a
  ticking poll whose lateness would add up;
- it is suspended while a session timer runs (the patient is exercising, not idle), on the
  attract screen (nobody to log out), on staff screens (staff mode locks itself), and while
  anything *holds* it (a call for staff waiting to be answered: see :func:`hold_for`).

While the warning shows, the overlay takes every touch and its release answers it, so the
touch that says "I'm still here" never also presses a button hidden underneath; keys (a
barcode scanner) are swallowed and do not answer: a new patient scanning their card must not
keep the previous patient's screen alive.
"""

from __future__ import annotations

import contextlib
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk.core.clock import Clock
from kiosk.core.events import SessionState, StateChanged
from kiosk.core.idle import IdlePolicy, IdleSettings, IdleState
from kiosk.ui.runners.app_events import AppEventFilter
from kiosk.ui.timers import TimerFactory

if TYPE_CHECKING:
    from kiosk.ui.widgets.base import QtScreen

#: Input that means someone is at the screen (a touchscreen also sends TouchBegin).
ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)
_KEYS = frozenset({QEvent.Type.KeyPress})
#: A call for staff waiting for an answer (see :func:`hold_for`).
CALL_STAFF = "call-staff"


class QtIdleWatch(QObject):
    """The patient screens' idle countdown for one window.

    Signals:
        warned(): "Still there?" should show now.
        countdown_changed(int): whole seconds left to answer (while warning; ends at 1).
        answered(): the warning was answered, or no longer applies: hide it.
        expired(): nobody answered: log the patient out now.
    """

    warned = Signal()
    countdown_changed = Signal(int)
    answered = Signal()
    expired = Signal()

    def __init__(
        self,
        clock: Clock,
        timers: TimerFactory,
        settings: IdleSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.policy = IdlePolicy(clock, settings)
        self.policy.suspend()  # nothing to watch until a patient screen shows
        self.timer = timers.create(self, "patient-idle", single_shot=True, precise=True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._watching = False  # a patient screen is showing
        self._running = False  # a session timer runs on it
        self._holds: set[str] = set()
        self._suspended = True
        self._warning = False  # "Still there?" is on screen
        self._app_events = AppEventFilter(self)
        self._driver: QObject | None = None

    # -- what is showing ---------------------------------------------------------------------

    @property
    def watching(self) -> bool:
        return self._watching

    @property
    def warning(self) -> bool:
        return self._warning

    @property
    def holds(self) -> frozenset[str]:
        return frozenset(self._holds)

    def screen_shown(self, screen: QtScreen, *, patient: bool) -> None:
        """The window shows ``screen``; ``patient`` is False for the attract screen and staff
        screens. A screen with a session driver (the player) suspends the countdown while its
        engine runs."""
        self._watch_driver(getattr(screen, "driver", None) if patient else None)
        engine = getattr(screen, "engine", None) if patient else None
        state = getattr(engine, "state", None)
        self._running = state is SessionState.RUNNING
        self._set_watching(patient)

    def stop(self) -> None:
        """Nothing to watch any more (the window is closing, or the patient was logged out)."""
        self._watch_driver(None)
        self._running = False
        self._holds.clear()
        self._set_watching(False)

    def _set_watching(self, on: bool) -> None:
        if not on:
            self._holds.clear()  # a hold belongs to the visit it was made in
        fresh = on and not self._watching
        self._watching = on
        if fresh:
            self.policy.touched()
        self._apply()

    def _watch_driver(self, driver: QObject | None) -> None:
        if driver is self._driver:
            return
        old, self._driver = self._driver, driver
        signal_name = "event_emitted"
        if old is not None and hasattr(old, signal_name):
            with contextlib.suppress(RuntimeError, TypeError):  # gone with its screen
                getattr(old, signal_name).disconnect(self._on_driver_event_emitted)
        if driver is not None and hasattr(driver, signal_name):
            getattr(driver, signal_name).connect(self._on_driver_event_emitted)

    def _on_driver_event_emitted(self, event: object) -> None:
        if isinstance(event, StateChanged):
            self._running = event.new is SessionState.RUNNING
            self._apply()

    # -- holds -------------------------------------------------------------------------------

    def hold(self, reason: str) -> None:
        """Suspend the countdown until :meth:`release` (e.g. :data:`CALL_STAFF`: the patient
        was told to wait for staff; logging them out would hide the banner staff come to)."""
        self._holds.add(reason)
        self._apply()

    def release(self, reason: str) -> None:
        self._holds.discard(reason)
        self._apply()

    # -- settings ----------------------------------------------------------------------------

    def apply_settings(self, settings: IdleSettings) -> None:
        """New time-outs (the clinic settings); they count from the last touch."""
        if settings == self.policy.settings:
            return
        self.policy.settings = settings
        self.update()

    # -- the countdown -----------------------------------------------------------------------

    def touched(self) -> None:
        """The patient is there (the overlay's "I'm still here", or any touch)."""
        if self._watching and not self._suspended:
            self.policy.touched()
            self.update()

    def _apply(self) -> None:
        suspended = not self._watching or self._running or bool(self._holds)
        if suspended != self._suspended:
            self._suspended = suspended
            if suspended:
                self.policy.suspend()
            else:
                self.policy.resume()  # the quiet spell starts now
        self._app_events.set_active(not suspended)
        self.update()

    def update(self) -> None:
        """Act on the policy's state and arm the timer for its next change.

        The timer calls this; tests advance a fake clock and call it directly.
        """
        state = self.policy.state()
        if state is IdleState.SUSPENDED or state is IdleState.ACTIVE:
            self._end_warning()
            self._arm(self.policy.next_deadline())
            return
        if state is IdleState.WARNING:
            if not self._warning:
                self._warning = True
                self.warned.emit()
            left = self.policy.seconds_to_respond()
            shown = max(1, math.ceil(left - 1e-6))
            self.countdown_changed.emit(shown)
            # The next whole second shown, or the end: the countdown never skips a number.
            self._arm(self._clock() + max(0.0, left - (shown - 1)))
            return
        self.timer.stop()
        self._warning = False
        self._watching = False
        self._suspended = True
        self.policy.suspend()
        self._app_events.set_active(False)
        self.expired.emit()

    def seconds_left(self) -> int:
        """Whole seconds left to answer the warning (0 when there is none)."""
        if not self._warning:
            return 0
        return max(1, math.ceil(self.policy.seconds_to_respond() - 1e-6))

    def _end_warning(self) -> None:
        if self._warning:
            self._warning = False
            self.answered.emit()

    def _arm(self, deadline: float | None) -> None:
        if deadline is None:
            self.timer.stop()
            return
        self.timer.start(max(1, math.ceil((deadline - self._clock()) * 1000)))

    def _on_timer_timeout(self) -> None:
        self.update()

    # -- touches anywhere --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in ACTIVITY or self._suspended:
            return False
        if self._warning:
            # The overlay covers the window and answers on release; keys do not answer.
            return kind in _KEYS
        if self.policy.state() is IdleState.EXPIRED:
            self.update()  # the timer was late (a busy machine): log out, and do nothing else
            return True
        self.policy.touched()  # no re-arm: the timer re-reads the deadline when it fires
        return False

    @property
    def _filtering(self) -> bool:
        """Whether the application event filter is in (a running session pays nothing)."""
        return self._app_events.active


def hold_for(widget: QWidget, reason: str, on: bool = True) -> bool:
    """Hold (``on``) or release the idle countdown of the kiosk window showing ``widget``.

    For screens that must not be logged out for a while, without knowing the window: e.g. the
    player while "call staff" waits (``hold_for(self, CALL_STAFF)`` when the call is made,
    ``hold_for(self, CALL_STAFF, False)`` when staff dismiss it). False if there is no watch.
    """
    watch = getattr(widget.window(), "idle", None)
    if not isinstance(watch, QtIdleWatch):
        return False
    if on:
        watch.hold(reason)
    else:
        watch.release(reason)
    return True
