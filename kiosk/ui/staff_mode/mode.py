"""Staff mode's life: the PIN pad, the PIN check on a worker thread, the staff home, the idle
lock, Lock and Quit.

The window builds one :class:`QtStaffMode` the first time the corner is held (so nothing of
staff mode is imported before then) and only reacts to its three signals. The gate
(``kiosk.staff.auth.StaffGate``) holds the rules — back-off, idle time, audit — on the
injected clock; this class only runs them on Qt: a worker for the slow hash, single-shot
timers armed at the gate's deadlines, and an application event filter that counts every
touch as activity while staff mode is open (and swallows a touch that arrives after the idle
time ran out, before the timer could fire).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, Signal, SignalInstance

from kiosk.core.clock import Clock
from kiosk.staff.auth import LoginOutcome, LoginResult, StaffGate
from kiosk.ui.runners.app_events import AppEventFilter
from kiosk.ui.staff_mode.pin_pad import QtStaffPinScreen
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory

if TYPE_CHECKING:
    from db.repositories.settings import ClinicSettings
    from kiosk.staff.services import StaffServices
    from kiosk.ui.runners.writer_status import QtWriterStatus
    from kiosk.ui.staff_mode.home import QtStaffHome

log = logging.getLogger(__name__)

WAIT_TICK_MS = 250
_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class _PinCheck(QRunnable):
    """``gate.try_pin`` (or ``gate.try_unlock`` as ``unlock_as``) on a pool thread; the answer
    comes back through ``done`` (queued to the UI thread). None means the check itself failed
    (e.g. the database went away).

    The pool deletes it once it has run: a runnable the pool does not delete is owned by
    nobody, and stayed in memory for good with the PIN as typed (found by the clinic-day
    soak). The mode's reference only says a check is in flight; nothing is called on it.
    """

    def __init__(
        self, gate: StaffGate, pin: str, done: SignalInstance, unlock_as: int | None = None
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._gate = gate
        self._pin = pin
        self._done = done
        self._unlock_as = unlock_as

    def run(self) -> None:
        result: LoginResult | None
        try:
            if self._unlock_as is None:
                result = self._gate.try_pin(self._pin)
            else:
                result = self._gate.try_unlock(self._unlock_as, self._pin)
        except Exception:
            log.exception("the staff PIN could not be checked")
            result = None
        self._done.emit(result)


class QtStaffMode(QObject):
    """Staff mode for one kiosk window.

    Signals:
        screen_requested(object): show this screen (the PIN pad or the staff home).
        closed(): staff mode ended (Back on the pad, Lock, or idle time): show the start.
        quit_approved(): a signed-in staff member confirmed Quit (audited): close the kiosk.
        pin_checked(object): a PIN check finished (its ``LoginResult``, or None on failure).
    """

    screen_requested = Signal(object)
    closed = Signal()
    quit_approved = Signal()
    pin_checked = Signal(object)

    def __init__(
        self,
        theme: Theme,
        services: StaffServices,
        *,
        clock: Clock,
        wall_clock: Callable[[], datetime],
        timers: TimerFactory,
        writer_status: QtWriterStatus | None = None,
        listen: Callable[[str, Callable[[], None]], bool] | None = None,
        voice_control_changed: Callable[[], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self._services = services
        self._listen = listen
        self._voice_control_changed = voice_control_changed
        self._writer_status = writer_status
        self._clock = clock
        self._wall_clock = wall_clock
        self._timers = timers
        self.gate: StaffGate | None = None
        self.home: QtStaffHome | None = None
        self._pending: _PinCheck | None = None
        self._abandoned = False  # Back was pressed while a PIN was being checked
        self._app_events = AppEventFilter(self)
        self._seeded = False
        self._shut_down = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

        self.pin_screen = QtStaffPinScreen(theme, timers)
        self.pin_screen.pin_entered.connect(self._on_pin_screen_pin_entered)
        self.pin_screen.cancelled.connect(self._on_pin_screen_cancelled)
        self.pin_screen.unlock_requested.connect(self._on_pin_screen_unlock_requested)
        self.pin_checked.connect(self._on_self_pin_checked)

        self.wait_timer = timers.create(self, "staff-pin-wait", interval_ms=WAIT_TICK_MS)
        self.wait_timer.timeout.connect(self._on_wait_timer_timeout)
        self.idle_timer = timers.create(self, "staff-idle-lock", single_shot=True)
        self.idle_timer.timeout.connect(self._on_idle_timer_timeout)

    @property
    def is_open(self) -> bool:
        return self.home is not None

    def today(self) -> date:
        return self._services.today()

    # -- entering --------------------------------------------------------------------------

    def begin(self) -> None:
        """The corner was held: the PIN pad, or why staff mode cannot open here."""
        if self.is_open:
            assert self.home is not None
            self.screen_requested.emit(self.home)
            return
        self.pin_screen.reset()
        if self._pending is None:
            # A fresh gate each time: today's settings, the back-off as the audit log has it.
            try:
                self.gate = self._services.gate(self._clock, self._wall_clock)
                has_staff = self.gate.has_staff()
                lock = self.gate.sign_in_state()
            except Exception:
                log.exception("staff mode cannot open")
                self.gate = None
                self.pin_screen.show_unavailable()
                self.screen_requested.emit(self.pin_screen)
                return
            if not has_staff:
                self.pin_screen.show_no_staff()
            elif lock.locked:
                self.pin_screen.show_locked(lock.unlock_tries_left)
            else:
                self._show_back_off()
        else:
            self._abandoned = False  # back in time for the answer
            self.pin_screen.show_checking()
        self.screen_requested.emit(self.pin_screen)

    def _show_back_off(self) -> bool:
        assert self.gate is not None
        wait = self.gate.throttle.wait_s()
        if wait <= 0:
            self.wait_timer.stop()
            return False
        self.pin_screen.show_wait(math.ceil(wait))
        self.wait_timer.start()
        return True

    def _on_pin_screen_pin_entered(self, pin: str) -> None:
        if self.gate is None or self._pending is not None:
            return
        unlocking = self.pin_screen.unlocking_as
        unlock_as = None if unlocking is None else unlocking[0]
        self._pending = _PinCheck(self.gate, pin, self.pin_checked, unlock_as)
        self._pool.start(self._pending)

    def _on_pin_screen_unlock_requested(self) -> None:
        if self.gate is None:
            return
        try:
            staff = [(s.id, s.name) for s in self.gate.active_staff()]
        except Exception:
            log.exception("the staff names could not be read")
            self.pin_screen.show_error()
            return
        self.pin_screen.show_names(staff)

    def _on_self_pin_checked(self, result: LoginResult | None) -> None:
        self._pending = None
        if self._shut_down:
            return
        if self._abandoned:  # nobody is waiting at the pad: never open staff mode unseen
            self._abandoned = False
            if result is not None and result.outcome is LoginOutcome.OK and self.gate:
                self.gate.lock("left the PIN pad before the check ended")
            return
        if result is None:
            self.pin_screen.show_error()
            return
        if result.outcome is LoginOutcome.OK and result.staff is not None:
            self._open(
                demo_staff=result.demo_staff, failed_since_last_visit=result.failed_since_last_visit
            )
            return
        if result.outcome is LoginOutcome.LOCKED:
            self.wait_timer.stop()
            self.pin_screen.show_locked(result.unlock_tries_left)
            return
        if self.pin_screen.unlocking_as is not None and result.unlock_tries_left > 0:
            self.pin_screen.show_unlock_wrong(result.unlock_tries_left)
            return  # else unlocked meanwhile (elsewhere): an ordinary wrong PIN, below
        wait = math.ceil(result.wait_s)
        self.pin_screen.show_wrong(wait)
        if wait > 0:
            self.wait_timer.start()

    def _on_wait_timer_timeout(self) -> None:
        if self.gate is None or not self._show_back_off():
            self.wait_timer.stop()
            self.pin_screen.show_ready()

    def _on_pin_screen_cancelled(self) -> None:
        self.wait_timer.stop()
        self._abandoned = self._pending is not None
        self.closed.emit()

    # -- open ------------------------------------------------------------------------------

    def _open(self, *, demo_staff: bool = False, failed_since_last_visit: int = 0) -> None:
        from kiosk.ui.staff_mode.context import StaffContext
        from kiosk.ui.staff_mode.home import QtStaffHome

        assert self.gate is not None
        staff = self.gate.current
        assert staff is not None
        self.wait_timer.stop()
        self.pin_screen.reset()
        self._seed_templates()
        context = StaffContext(
            theme=self.theme,
            database=self._services.database,
            library=self._services.library,
            gate=self.gate,
            today=self._services.today,
            clock=self._clock,
            wall_clock=self._wall_clock,
            timers=self._timers,
            writer_status=self._writer_status,
        )
        context.settings_applied = self._on_context_settings_applied
        context.listen = self._listen
        context.voice_control_changed = self._voice_control_changed
        self.home = QtStaffHome(
            context,
            staff.name,
            demo_staff=demo_staff,
            failed_since_last_visit=failed_since_last_visit,
        )
        self.home.lock_requested.connect(self._on_home_lock_requested)
        self.home.quit_confirmed.connect(self._on_home_quit_confirmed)
        self._app_events.set_active(True)
        self._arm_idle_timer()
        self.screen_requested.emit(self.home)

    def _seed_templates(self) -> None:
        """The seeds' program templates, once per database (the function remembers)."""
        if self._seeded:
            return
        try:
            self._services.ensure_templates()
            self._seeded = True
        except Exception:
            log.exception("the seed program templates could not be added")

    # -- staying open ------------------------------------------------------------------------

    def _arm_idle_timer(self) -> None:
        assert self.gate is not None
        self.idle_timer.start(max(1, math.ceil(self.gate.remaining_s() * 1000)))

    def _on_idle_timer_timeout(self) -> None:
        if not self.is_open or self.gate is None:
            return
        if self.gate.current is None:  # the gate locked itself (and audited it)
            self._close()
        else:
            self._arm_idle_timer()  # there was activity since: wait for the rest

    def _on_context_settings_applied(self, settings: ClinicSettings) -> None:
        from kiosk.core.pin import ThrottlePolicy

        if self.gate is None:
            return
        self.gate.idle.timeout_s = float(settings.staff_idle_timeout_s)  # capped by IdleLock
        self.gate.throttle.policy = ThrottlePolicy(
            free_failures=settings.pin_free_failures,
            base_s=settings.pin_backoff_base_s,
            max_s=settings.pin_backoff_max_s,
        )
        if self.is_open:
            self._arm_idle_timer()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Every touch or key in staff mode restarts the idle time."""
        if event.type() not in _ACTIVITY or self.gate is None or not self.is_open:
            return False
        if self.gate.current is None:
            self._close()  # locked by idle time before the timer got to say so
            return True  # and this touch does nothing on a staff screen
        self.gate.touch()
        return False

    # -- leaving ---------------------------------------------------------------------------

    def lock(self, reason: str = "by staff") -> None:
        if self.gate is not None:
            self.gate.lock(reason)
        self._close()

    def _on_home_lock_requested(self) -> None:
        self.lock()

    def _on_home_quit_confirmed(self) -> None:
        if self.gate is not None and self.gate.request_quit():
            self._stop()
            self.quit_approved.emit()
        else:
            self._close()  # locked in the meantime: no quitting

    def _stop(self) -> None:
        self.idle_timer.stop()
        self.wait_timer.stop()
        self._app_events.set_active(False)

    def _close(self) -> None:
        self._stop()
        home, self.home = self.home, None
        self.closed.emit()  # the window shows the start screen first...
        if home is not None:
            home.discard()  # ...then the staff screens go, with every name on them
            home.deleteLater()

    def shutdown(self) -> None:
        """The window is closing: lock, stop every timer, wait for a PIN check in flight."""
        if self._shut_down:
            return
        self._shut_down = True
        if self.gate is not None and self.gate.current is not None:
            self.gate.lock("the kiosk closed")
        self._stop()
        self.pin_screen.left()
        if self.home is not None:
            self.home.discard()
        self._pool.waitForDone(10_000)
