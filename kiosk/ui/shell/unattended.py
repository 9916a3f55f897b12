"""What keeps a kiosk safe to leave alone all day, wired to one window.

- **Idle logout.** :class:`~kiosk.ui.runners.idle_watch.QtIdleWatch` runs the countdown on every
  patient screen after the attract screen; this class shows "Still there?"
  (:class:`~kiosk.ui.shell.still_there.QtStillThereOverlay`) and, when nobody answers, logs the
  patient out: a session paused (or stopped for pain) is ended as stopped — its finished sets
  are already in the database, so the visit can be resumed — and the window returns to the
  attract screen, which deletes the visit's screens and clears the keypad.
- **Check-in lockout.** :class:`~kiosk.ui.runners.checkin_lock.QtCheckInLock` counts wrong codes
  for the whole clinic (in the database) and pauses the keypad.
- **Clinic settings.** The clinic's name, the time-outs and the lockout thresholds are read
  when the database has loaded and again whenever staff mode closes (staff may have changed
  them); the attract screen gets its facts and starts its clock.

It reaches the window only through :class:`UnattendedHost` and learns what happens from the
window's own signals: ``screen_changed`` (the idle countdown runs on patient screens; leaving
staff mode re-reads the settings) and ``services_loaded``. Built by the window after its first
frame (nothing here is imported before it), so the attract screen's first paint does not wait
for any of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QWidget

from kiosk import text
from kiosk.core.clock import Clock
from kiosk.core.idle import IdleSettings
from kiosk.core.lockout import LockoutSettings
from kiosk.ui.runners.checkin_lock import QtCheckInLock
from kiosk.ui.runners.idle_watch import QtIdleWatch
from kiosk.ui.timers import TimerFactory

if TYPE_CHECKING:
    from kiosk.services import KioskServices
    from kiosk.ui.runners.voice_bridge import QtVoiceBridge
    from kiosk.ui.shell.still_there import QtStillThereOverlay
    from kiosk.ui.theme import Theme
    from kiosk.ui.visit.attract_screen import QtAttractScreen
    from kiosk.ui.visit.checkin_screen import QtCheckInScreen
    from kiosk.ui.widgets.base import QtScreen

log = logging.getLogger(__name__)


class UnattendedHost(Protocol):
    """What the unattended policy asks of the window it looks after (the window is one)."""

    screen_changed: SignalInstance
    services_loaded: SignalInstance
    attract: QtAttractScreen
    services: KioskServices | None

    @property
    def theme(self) -> Theme: ...

    @property
    def checkin(self) -> QtCheckInScreen: ...

    @property
    def voice(self) -> QtVoiceBridge | None: ...

    def current_screen(self) -> QtScreen: ...

    def setWindowTitle(self, title: str) -> None: ...

    def abandon_visit(self) -> None:
        """End the visit's session as stopped and go back to the start."""
        ...


class QtUnattended(QObject):
    """Idle logout, check-in lockout and the clinic settings for one kiosk window."""

    def __init__(
        self,
        window: UnattendedHost,
        *,
        clock: Clock,
        wall_clock: Callable[[], datetime],
        timers: TimerFactory,
        parent: QWidget,
    ) -> None:
        """``parent`` is the window's widget: "Still there?" covers it."""
        super().__init__(parent)
        self._window = window
        self._parent = parent
        self._clock = clock
        self._wall_clock = wall_clock
        self._timers = timers
        self.idle = QtIdleWatch(clock, timers, parent=self)
        self.idle.warned.connect(self._on_idle_warned)
        self.idle.countdown_changed.connect(self._on_idle_countdown_changed)
        self.idle.answered.connect(self._on_idle_answered)
        self.idle.expired.connect(self._on_idle_expired)
        self.still_there: QtStillThereOverlay | None = None
        self._still_there_language = ""  # the language the overlay was built in
        self.lock: QtCheckInLock | None = None
        self.logouts = 0  # idle logouts since start (tests, screenshots)
        self._in_staff_mode = False
        window.screen_changed.connect(self._on_window_screen_changed)
        window.services_loaded.connect(self._on_window_services_loaded)

    # -- screens ---------------------------------------------------------------------------

    def _on_window_screen_changed(self, _name: str) -> None:
        screen = self._window.current_screen()
        staff = bool(screen.property("staff"))
        self.idle.screen_shown(screen, patient=screen is not self._window.attract and not staff)
        if self._in_staff_mode and not staff and self._window.services is not None:
            self.apply_settings(self._window.services)  # staff may have changed them
        self._in_staff_mode = staff

    # -- services and settings ------------------------------------------------------------------

    def _on_window_services_loaded(self, ok: bool) -> None:
        if ok and self._window.services is not None:
            self.services_ready(self._window.services)

    def services_ready(self, services: KioskServices) -> None:
        """The database and library are open: settings, facts, the clock, the lockout."""
        self.lock = QtCheckInLock(
            self._wall_clock, self._timers, services.patient.lockout, services.audit, parent=self
        )
        self.lock.paused_changed.connect(self._on_lock_paused_changed)
        self.apply_settings(services)
        attract = self._window.attract
        try:
            library = services.patient.library_for(text.current().code)  # the clinic's language
            attract.set_facts([fact.text for fact in library.facts])
        except Exception:
            log.exception("the attract screen's facts could not be loaded")
        attract.start_ambient(self._wall_clock, self._timers)

    def apply_settings(self, services: KioskServices) -> None:
        """Read the clinic settings again (after start-up, and whenever staff mode closes)."""
        try:
            settings = services.clinic_settings()
            idle = IdleSettings(
                warn_after_s=float(settings.patient_idle_timeout_s),
                respond_within_s=float(settings.patient_idle_respond_s),
            )
            lockout = LockoutSettings(
                max_failures=settings.checkin_lockout_failures,
                window_s=float(settings.checkin_lockout_window_s),
                pause_s=float(settings.checkin_lockout_pause_s),
            )
        except Exception:  # a database hiccup must not stop the kiosk: keep what we had
            log.exception("the clinic settings could not be read; keeping the current ones")
            return
        self._window.attract.set_clinic_name(settings.clinic_name)
        self._window.setWindowTitle(settings.clinic_name)
        self.idle.apply_settings(idle)
        self._apply_voice_defaults(services)
        if self.lock is not None:
            self.lock.apply_settings(lockout)
            self.lock.refresh()  # staff may have opened check-in again

    def _apply_voice_defaults(self, services: KioskServices) -> None:
        """The staff's voice defaults (kind of voice, speed, volume) for the next visit, with
        ``kiosk.toml`` and ``KIOSK_VOICE_*`` still over them (docs/voice.md)."""
        voice = self._window.voice
        if voice is None or voice.service is None:
            return  # the voice reads them when it starts
        from voice.settings import load_settings

        defaults = services.voice_defaults()
        if defaults is not None:
            voice.apply_defaults(load_settings(base=defaults))

    # -- check-in -------------------------------------------------------------------------------

    def checkin_paused(self) -> bool:
        """True while wrong codes keep check-in paused (the keypad shows why)."""
        if self.lock is None or not self.lock.is_locked:
            return False
        self._window.checkin.set_paused(self.lock.seconds_left())
        return True

    def checkin_refused(self, code: str) -> None:
        """A code that checked nobody in (counted and audited as a fingerprint)."""
        if self.lock is not None:
            self.lock.record_failure(code)

    def _on_lock_paused_changed(self, seconds: int) -> None:
        self._window.checkin.set_paused(seconds)

    # -- "Still there?" --------------------------------------------------------------------------

    def _overlay(self) -> QtStillThereOverlay:
        """The overlay, built for the theme and the language showing now (a visit may be in
        large text, or in the patient's language)."""
        theme = self._window.theme
        language = text.current().code
        if self.still_there is not None and (
            self.still_there.theme != theme or self._still_there_language != language
        ):
            self.still_there.hide()
            self.still_there.deleteLater()
            self.still_there = None
        if self.still_there is None:
            from kiosk.ui.shell.still_there import QtStillThereOverlay

            self.still_there = QtStillThereOverlay(theme, self._parent)
            self.still_there.answered.connect(self._on_still_there_answered)
            self._still_there_language = language
        return self.still_there

    def _on_idle_warned(self) -> None:
        overlay = self._overlay()
        overlay.set_seconds(self.idle.seconds_left())
        overlay.open()

    def _on_idle_countdown_changed(self, seconds: int) -> None:
        if self.still_there is not None:
            self.still_there.set_seconds(seconds)

    def _on_idle_answered(self) -> None:
        if self.still_there is not None:
            self.still_there.hide()

    def _on_still_there_answered(self) -> None:
        self.idle.touched()

    def _on_idle_expired(self) -> None:
        self.log_out()

    def log_out(self) -> None:
        """Forget the patient now: end a paused session as stopped, back to the start."""
        if self.still_there is not None:
            self.still_there.hide()
        self.logouts += 1
        log.info("patient screens idle: logged out to the attract screen")
        self._window.abandon_visit()

    def shutdown(self) -> None:
        self.idle.stop()
        if self.lock is not None:
            self.lock.stop()
        if self.still_there is not None:
            self.still_there.hide()
