"""The window shell: one fullscreen window and a stack of screens.

attract → check-in → (carry on?) → today's program → player → summary → attract. The window
owns the two screens that live all day, the attract screen and the keypad, and what runs
beside them: staff mode behind the corner hold, the voice, and the unattended policy
(:mod:`kiosk.ui.shell.unattended`, which listens to :attr:`QtKioskWindow.screen_changed` and
:attr:`QtKioskWindow.services_loaded`). Everything after check-in belongs to the visit
(:class:`~kiosk.ui.visit.flow.QtVisitFlow`): it builds the visit's screens, shows them through
the window's :meth:`show_screen` and deletes them when the visit moves on or ends; the window
never holds one. The services (database, library) arrive after the first frame is painted;
until then the attract screen says it is getting ready.

If they cannot load, or check-in later finds the database unusable (:mod:`db.problems`), the
kiosk is *out of order*: the attract screen and the keypad ask patients to tell a member of
staff, and nothing can be started; one line is logged, saying why. Holding the corner tries
the database again: if it is back the kiosk is in order again and staff mode opens; if not, the
PIN pad says staff mode is not available.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QPaintEvent
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk import text
from kiosk.text import t
from kiosk.ui.theme import Theme, stylesheet
from kiosk.ui.timers import TimerFactory
from kiosk.ui.visit.attract_screen import QtAttractScreen
from kiosk.ui.widgets.base import QtScreen

# Only the attract screen is imported up front: the other screens, the session driver and
# the services (with kiosk.core) load after the first frame, keeping start-up near a bare
# window's (bench/startup.py).
if TYPE_CHECKING:
    from kiosk.core.clock import Clock, WallClock
    from kiosk.patient.writer import WriterStatus
    from kiosk.services import KioskServices
    from kiosk.ui.runners.answer_floor import QtAnswerFloor
    from kiosk.ui.runners.idle_watch import QtIdleWatch
    from kiosk.ui.runners.voice_bridge import QtVoiceBridge, VoiceFactory
    from kiosk.ui.runners.voice_control import QtVoiceControl
    from kiosk.ui.runners.voice_control_switch import MicrophoneOpener, VoiceControlSwitch
    from kiosk.ui.runners.writer_status import QtWriterStatus
    from kiosk.ui.shell.setup import QtSetupWatch
    from kiosk.ui.shell.unattended import QtUnattended
    from kiosk.ui.staff_mode.corner import QtCornerHold
    from kiosk.ui.staff_mode.mode import QtStaffMode
    from kiosk.ui.staff_mode.pin_pad import QtStaffPinScreen
    from kiosk.ui.visit.checkin_screen import QtCheckInScreen
    from kiosk.ui.visit.flow import QtVisitFlow

log = logging.getLogger(__name__)

#: How long closing waits for the writer (what it has not written stays in its journal):
#: a service manager's stop gives the kiosk a couple of seconds.
CLOSE_WAIT_S = 1.0

ServicesFactory = Callable[[], "KioskServices"]


class QtKioskWindow(QWidget):
    """The kiosk's only window.

    Signals:
        first_painted(): the first frame is on the screen (start-up benchmark, deferred work).
        screen_changed(str): the object name of the screen now showing.
        services_loaded(bool): the database and library are ready (False: they failed).
    """

    first_painted = Signal()
    screen_changed = Signal(str)
    services_loaded = Signal(bool)

    def __init__(
        self,
        theme: Theme,
        services: KioskServices | ServicesFactory,
        *,
        clock: Clock,
        wall_clock: WallClock,
        timers: TimerFactory,
        parent: QWidget | None = None,
        voice: VoiceFactory | None = None,
        dev_mode: bool = False,
        follow_clinic_language: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        self.setWindowTitle(t("clinic.name"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(stylesheet(theme))
        self._theme = theme
        self.base_theme = theme  # the look without the patient's display choice
        # The clinic's language (--language, KIOSK_LANGUAGE) is the attract screen's and staff
        # mode's, and every visit's until the patient chooses theirs (docs/languages.md). While
        # a visit speaks the patient's, the clinic's waits here.
        self._clinic_language: str | None = None
        self._chosen_language: str | None = None  # tapped on the keypad, this visit
        # True: the clinic's language is the one staff chose in Settings, read when the
        # services load and at every return to it (False: the start-up's, --language or
        # KIOSK_LANGUAGE, which override the setting; tools and tests fix theirs).
        self._follow_clinic_language = follow_clinic_language
        self._attract_language = text.current().code  # the attract screen's words
        self._staff_language = ""  # staff mode's PIN pad's words
        self.timers = timers
        self._clock = clock
        self._wall_clock = wall_clock
        self.services: KioskServices | None = None
        self._services_factory: ServicesFactory | None = None
        if callable(services):
            self._services_factory = services
        else:
            self.services = services  # the caller's: the caller closes it
        self._owns_services = self._services_factory is not None
        self._painted = False
        self.started_up = False  # True once the work deferred past the first frame is done
        self._deferred: QTimer | None = None
        # Out of order: the database cannot be used (see the module docstring). The factory
        # is kept to try again when staff hold the corner.
        self._out_of_order = False
        self._retry_services: ServicesFactory | None = None
        self._unavailable_pad: QtStaffPinScreen | None = None
        # The voice (pygame, the mixer, synthesis) loads after the first frame and is built off
        # the Qt thread; without a factory the kiosk is silent (captions and flashes only).
        self._voice_factory = voice
        self._voice: QtVoiceBridge | None = None
        #: The settings page's answer to a Listen whose sample another voice spoke.
        self._listen_fell_back: Callable[[], None] | None = None
        # Spoken commands (docs/voice.md), when staff switched them on for this kiosk; staff
        # switch them on or off while the kiosk runs (after the first frame).
        self._voice_control_switch: VoiceControlSwitch | None = None
        self._open_microphone: MicrophoneOpener | None = None
        self._shut_down = False
        # Quitting is for staff mode only; a developer's window (--windowed) also takes
        # Ctrl+Q and the window manager's close button.
        self.dev_mode = dev_mode
        self._quit_approved = False
        self.corner: QtCornerHold | None = None  # the staff-mode gesture, after the first frame
        self.staff: QtStaffMode | None = None  # built the first time the corner is held
        # Idle logout, check-in lockout, clinic settings (kiosk/ui/shell/unattended.py): after the
        # first frame. ``idle`` is its countdown (kiosk/ui/runners/idle_watch.py: hold_for()).
        self.unattended: QtUnattended | None = None
        self.idle: QtIdleWatch | None = None
        # Holds each check-in answer back until the same moment after OK (after the first frame).
        self.answer: QtAnswerFloor | None = None
        # No staff member yet: how to set the kiosk up, instead of check-in (shell/setup.py).
        self.setup: QtSetupWatch | None = None
        # What the database has not taken yet, once the services are up.
        self.writer_status: QtWriterStatus | None = None

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("Screens")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The window's size is the screen's: the layout must not impose a minimum on it (a
        # fullscreen window has nowhere to grow, and Qt would warn on every change).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self.stack)

        self.attract = QtAttractScreen(theme)
        self.attract.touched.connect(self._on_attract_touched)
        self.attract.digit_typed.connect(self._on_attract_digit_typed)
        self.stack.addWidget(self.attract)
        self._checkin: QtCheckInScreen | None = None
        if self.services is None:
            self.attract.set_status(t("starting.up"))

        # The patient's path after check-in (kiosk/ui/visit/flow.py), after the first frame.
        self._visit: QtVisitFlow | None = None

    # -- what a visit and the unattended policy ask of the window --------------------------

    @property
    def theme(self) -> Theme:
        """The look showing now: the base theme, or the visit's display choice."""
        return self._theme

    @property
    def voice(self) -> QtVoiceBridge | None:
        """The voice once it has started (None: captions and flashes only)."""
        return self._voice

    @property
    def voice_control(self) -> QtVoiceControl | None:
        """Spoken commands, when staff switched them on for this kiosk (else None)."""
        switch = self._voice_control_switch
        return None if switch is None else switch.control

    def use_voice_control(self, control: QtVoiceControl | None) -> None:
        """Listen with ``control`` from the next session (tests and tools feed their own)."""
        self._voice_switch().use(control)

    def use_microphones(self, open_microphone: MicrophoneOpener) -> None:
        """Open the microphone staff chose with ``open_microphone(name)`` (tests and tools
        feed their own sound), from the next session."""
        self._open_microphone = open_microphone
        if self._voice_control_switch is not None:
            self._voice_control_switch.use_microphones(open_microphone)

    def apply_voice_control(self) -> None:
        """Staff changed voice control (on, off, the microphone): it applies now, or from
        the end of a visit in progress. The environment still wins over the staff's file.
        As at start-up, only a kiosk with a voice listens (its speech gates the listener)."""
        if self._voice is not None:
            self._voice_switch().apply()

    def _voice_switch(self) -> VoiceControlSwitch:
        if self._voice_control_switch is None:
            from kiosk.ui.runners.voice_control_switch import VoiceControlSwitch

            switch = VoiceControlSwitch(self, gate=self._voice_gate, in_visit=self._in_visit)
            if self._open_microphone is not None:
                switch.open_microphone = self._open_microphone
            self._voice_control_switch = switch
        return self._voice_control_switch

    def _voice_gate(self) -> Callable[[float], bool] | None:
        return self._voice.speaking if self._voice is not None else None

    def _in_visit(self) -> bool:
        return self._visit is not None and self._visit.active

    def _start_voice_control(self) -> None:
        """Listen during sessions if staff switched voice control on for this kiosk. The
        recogniser and the microphone open on the control's own thread at each session."""
        self._voice_switch().apply()

    @property
    def visit(self) -> QtVisitFlow:
        """The patient's path after check-in: the visit's screens live there."""
        assert self._visit is not None, "the visit flow is built after the first frame"
        return self._visit

    # -- screens ---------------------------------------------------------------------------

    @property
    def checkin(self) -> QtCheckInScreen:
        """The keypad, built on first use (after the first frame, see :meth:`paintEvent`)."""
        if self._checkin is None:
            from kiosk.ui.visit.checkin_screen import QtCheckInScreen

            self._checkin = QtCheckInScreen(self.theme)
            self._checkin.code_entered.connect(self._on_checkin_code_entered)
            self._checkin.cancelled.connect(self._on_checkin_cancelled)
            self._checkin.language_requested.connect(self._on_checkin_language_requested)
            self.stack.addWidget(self._checkin)
        return self._checkin

    def current_screen(self) -> QtScreen:
        screen = self.stack.currentWidget()
        assert isinstance(screen, QtScreen)
        return screen

    def _show(self, screen: QtScreen) -> None:
        previous = self.stack.currentWidget()
        if previous is screen:
            return
        if isinstance(previous, QtScreen):
            previous.left()
        if self.stack.indexOf(screen) < 0:
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        screen.entered()
        self.screen_changed.emit(screen.objectName())

    def show_screen(self, screen: QtScreen) -> None:
        """Show ``screen`` (the visit's screens and staff mode's come and go through here)."""
        self._show(screen)

    def remove_screen(self, screen: QtScreen) -> None:
        """Take a screen that is not showing off the stack (its owner deletes it)."""
        if screen is not self.stack.currentWidget():
            self.stack.removeWidget(screen)

    def _end_visit(self) -> None:
        """The visit is over: its screens go (called once another screen shows)."""
        if self._visit is not None:
            self._visit.end()
        if self._voice_control_switch is not None:
            self._voice_control_switch.visit_ended()  # a change staff made during it

    def set_display(self, large_text: bool, high_contrast: bool) -> None:
        """The patient's display choice for this visit: the whole window re-themed at once.

        Screens built from now on get the new theme's sizes; the welcome rebuilds itself
        (kiosk/ui/visit/flow.py). Back to the defaults at the end of the visit.
        """
        from kiosk.ui.theme import display_variant

        theme = display_variant(self.base_theme, large_text=large_text, high_contrast=high_contrast)
        if theme == self._theme:
            return
        self._theme = theme
        self.setStyleSheet(stylesheet(theme))

    @property
    def chosen_language(self) -> str | None:
        """The language the patient tapped on the keypad before checking in (None: none)."""
        return self._chosen_language

    @property
    def clinic_language(self) -> str:
        """The kiosk's own language, whatever the patient at it now chose."""
        return self._clinic_language or text.current().code

    def use_language(self, code: str) -> None:
        """Everything from now on in ``code``, for this visit: the screens built next, the
        keypad at once, the cues compiled next and the voice that says them."""
        if text.current().code == code:
            return
        if self._clinic_language is None:
            self._clinic_language = text.current().code
        self._switch_language(code)

    def _switch_language(self, code: str) -> None:
        text.use(code)
        if self._checkin is not None:
            self._checkin.retranslate()

    def _back_to_clinic_language(self) -> None:
        """The visit is over: the next patient (and staff) get the clinic's language (the
        one chosen in Settings, read now, when the window follows it)."""
        self._chosen_language = None
        clinic, self._clinic_language = self._clinic_language, None
        chosen = self._setting_language()
        if chosen is not None:
            clinic = chosen
        if clinic is not None and clinic != text.current().code:
            self._switch_language(clinic)
        if self._attract_language != text.current().code:
            self._retranslate_attract()

    def _setting_language(self) -> str | None:
        """The clinic's language from Settings (None: not followed, or unreadable: the
        language in use stays). A bad stored value reads as English (the repository says
        why, and the settings screen shows it)."""
        if not self._follow_clinic_language or self.services is None:
            return None
        try:
            code = self.services.clinic_settings().clinic_language
            text.language(code)
        except Exception:  # a database hiccup or a catalog gone: keep the language we have
            log.exception("the clinic's language could not be read; keeping the current one")
            return None
        return code

    def _retranslate_attract(self) -> None:
        """The attract screen in the clinic's new language, its facts from that library."""
        self._attract_language = code = text.current().code
        self.attract.retranslate()
        if self.services is None:
            return
        try:
            library = self.services.patient.library_for(code)
        except Exception:
            log.exception("the attract screen's facts could not be loaded")
            return
        self.attract.set_facts([fact.text for fact in library.facts])

    def go_to_attract(self) -> None:
        """Back to the start: the visit ends, and the next patient gets the standard look,
        the clinic's language and the staff's voice settings."""
        self.set_display(False, False)
        self._back_to_clinic_language()
        if self._voice is not None:
            self._voice.detach()
        if self.voice_control is not None:
            self.voice_control.enabled = True  # the patient's switch was for their visit
        if self.answer is not None:
            self.answer.cancel()  # an answer on its way is nobody's now
        self.checkin.reset()
        self._show(self.attract if self.setup is None else self.setup.start_screen())
        self._end_visit()

    def go_to_checkin(self, *, unavailable: bool = False) -> None:
        """The keypad, empty (the visit, if any, ends); ``unavailable`` says check-in cannot
        work just now (a session that could not start)."""
        if self._visit is not None and self._visit.active:
            self._back_to_clinic_language()  # a visit ends here; a keypad choice stays
        self.checkin.reset()
        self._show(self.checkin)
        self._end_visit()
        if unavailable:
            self.checkin.show_unavailable()

    def abandon_visit(self) -> None:
        """Nobody is there any more: end the visit's session as stopped, then the start."""
        if self._visit is not None:
            self._visit.abandon()
        self.go_to_attract()

    # -- services, loaded after the first frame ----------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
            self._deferred = self.timers.call_soon(
                self, "after-first-frame", self._after_first_frame
            )

    def _after_first_frame(self) -> None:
        """What the first patient will need, once the attract screen is up."""
        _ = self.checkin
        self._install_corner_hold()
        from kiosk.ui.shell.unattended import QtUnattended
        from kiosk.ui.visit.flow import QtVisitFlow

        self._visit = QtVisitFlow(
            self, clock=self._clock, wall_clock=self._wall_clock, timers=self.timers, parent=self
        )
        self.unattended = QtUnattended(
            self, clock=self._clock, wall_clock=self._wall_clock, timers=self.timers, parent=self
        )
        self.idle = self.unattended.idle
        from kiosk.ui.runners.answer_floor import QtAnswerFloor

        self.answer = QtAnswerFloor(self._clock, self.timers, self)
        from kiosk.ui.shell.setup import QtSetupWatch

        self.setup = QtSetupWatch(
            self, self.attract, theme=self.base_theme, timers=self.timers, parent=self
        )
        factory, self._services_factory = self._services_factory, None
        if factory is not None:
            self._load_services(factory)
        elif self.services is not None:
            self._watch_writer(self.services)
            self._back_to_clinic_language()  # the one chosen in Settings, if followed
            self.services_loaded.emit(True)  # the caller's, loaded before the window
        voice, self._voice_factory = self._voice_factory, None
        if self._shut_down:
            # Closed while the services loaded (a tool quitting on services_loaded): starting
            # the voice now would leave its thread inside SDL's set-up as the process exits,
            # which aborts it ("terminate called without an active exception").
            return
        if voice is not None:
            from kiosk.ui.runners.voice_bridge import QtVoiceBridge

            self._voice = QtVoiceBridge(self._clock, self)
            self._voice.sample_fell_back.connect(self._on_sample_fell_back)
            self._voice.start(voice)
            self._start_voice_control()
        self.started_up = True

    def _load_services(self, factory: ServicesFactory) -> None:
        try:
            services = factory()
        except Exception as error:
            self._retry_services = factory
            self.attract.set_status("")
            self._go_out_of_order("the kiosk's services could not start", error)
            self.services_loaded.emit(False)
            return
        self._retry_services = None
        self.services = services
        self.attract.set_status("")
        self._watch_writer(services)
        self._set_out_of_order(False)
        self._back_to_clinic_language()  # the one chosen in Settings, if followed
        self.services_loaded.emit(True)

    def _watch_writer(self, services: KioskServices) -> None:
        """Records the database has not taken yet, on the attract screen for staff to see."""
        from kiosk.ui.runners.writer_status import QtWriterStatus

        self.writer_status = QtWriterStatus(services.writer, self)
        self.writer_status.changed.connect(self._on_writer_status_changed)
        self._on_writer_status_changed(self.writer_status.status)

    def _on_writer_status_changed(self, status: WriterStatus) -> None:
        from kiosk.ui.runners.writer_status import waiting_text

        self.attract.set_waiting(waiting_text(status))

    # -- out of order ----------------------------------------------------------------------------

    @property
    def out_of_order(self) -> bool:
        """The database cannot be used: patients are asked to tell staff, and start nothing."""
        return self._out_of_order

    def _go_out_of_order(self, what: str, error: Exception) -> None:
        """Out of order because of ``error``, logged as one line: the database's own sentence
        for a known bad day (its traceback was logged at DEBUG where it was met, by
        :mod:`db.problems`), else the traceback. Never a patient's code or name."""
        from db.problems import DatabaseUnavailableError

        if isinstance(error, DatabaseUnavailableError):
            log.error("out of order: %s: %s", what, error)
        else:
            log.error("out of order: %s", what, exc_info=error)
        self._set_out_of_order(True)

    def _database_problem(self, error: Exception) -> Exception | None:
        """``error`` as the database's sentence, if it is one of its bad days (else None)."""
        from db.problems import database_problem

        assert self.services is not None
        # In full: the sentence hides any password, the query's too (db.problems.redact).
        url = self.services.database.url.render_as_string(hide_password=False)
        return database_problem(error, url)

    def _set_out_of_order(self, out_of_order: bool) -> None:
        if out_of_order == self._out_of_order:
            return
        if not out_of_order:
            log.warning("back in order: the database can be used again")
        self._out_of_order = out_of_order
        self.attract.set_out_of_order(out_of_order)
        self.checkin.set_out_of_order(out_of_order)

    def _try_to_recover(self) -> None:
        """Staff are at the kiosk: is the database back? (Loads the services if they never
        did; else reads the schema's revision, which needs the database whole and reachable.)"""
        factory = self._retry_services
        if self.services is None:
            if factory is not None:
                self._load_services(factory)
            return
        from db.connection import current_revision

        try:
            current_revision(self.services.database)
        except Exception as error:
            log.info("still out of order: %s", error.__class__.__name__)
            return
        self._set_out_of_order(False)

    # -- the patient's path ------------------------------------------------------------------

    def _on_attract_touched(self) -> None:
        if self._out_of_order:
            return  # the screen already says to tell staff: a touch starts nothing
        self.go_to_checkin()

    def _on_attract_digit_typed(self, digit: str) -> None:
        if self._out_of_order:
            return
        self.go_to_checkin()
        self.checkin.type_digit(digit)

    def _on_checkin_cancelled(self) -> None:
        self.go_to_attract()

    def _on_checkin_language_requested(self, code: str) -> None:
        self._chosen_language = code
        self.use_language(code)

    def _on_checkin_code_entered(self, code: str) -> None:
        if self.answer is not None and self.answer.pending:
            return  # the answer to the last OK is on its way
        if self.unattended is not None and self.unattended.checkin_paused():
            return  # too many wrong codes: the keypad says so and counts down
        if self._out_of_order:
            return  # the keypad says so and takes no digits
        if self.services is None or self.answer is None:
            self.checkin.show_wait()
            return
        started = self._clock()
        self.checkin.show_checking()
        self.answer.hold(started, self._look_up(code))

    def _look_up(self, code: str) -> Callable[[], None]:
        """Look ``code`` up and count it if it checks nobody in; what to show, which the
        answer floor holds back until the same moment whatever it is (docs/security.md)."""
        assert self.services is not None
        patient = self.services.patient
        try:
            result = patient.check_in(code)
        except Exception as error:
            problem = self._database_problem(error)
            if problem is not None:
                return partial(
                    self._go_out_of_order, "check-in found the database unusable", problem
                )
            # A fault looks like a wrong code to the patient, and is not counted as one.
            log.exception("check-in failed")
            return self.checkin.show_not_found
        if result is None:
            if self.unattended is not None:
                self.unattended.checkin_refused(code)  # counted, audited as a fingerprint
            return self.checkin.show_not_found
        return partial(self.visit.checked_in, result, patient)  # carry on, or the welcome

    # -- staff mode (kiosk/ui/staff_mode): hold the top-left corner for 3 s ----------------------

    def _install_corner_hold(self) -> None:
        from kiosk.ui.staff_mode.corner import QtCornerHold

        self.corner = QtCornerHold(self._clock, self.timers, self.theme.metrics.px(160), self)
        self.corner.watch(self.attract)
        self.corner.watch(self.checkin)
        self.corner.held.connect(self._on_corner_held)

    def _on_corner_held(self) -> None:
        self.open_staff_mode()

    def open_staff_mode(self) -> None:
        """The staff PIN pad (what the corner hold does); out of order, after trying the
        database again. Without a database the pad says staff mode is not available."""
        if self._out_of_order:
            self._try_to_recover()
        if self.services is None:
            if self._retry_services is not None:  # the database failed to open
                self._show_unavailable_pad()
            return  # else nothing to sign in against yet: the services are still loading
        self._back_to_clinic_language()  # staff screens in the clinic's language
        if (
            self.staff is not None
            and not self.staff.is_open
            and self._staff_language != text.current().code
        ):
            self._drop_staff_mode()  # its PIN pad speaks another language
        if self.staff is None:
            from kiosk.ui.staff_mode.mode import QtStaffMode

            staff_services = self.services.staff
            # The program builder's exercise names in the clinic's language, as it is now.
            staff_services.library = self.services.patient.library_for(text.current().code)
            self.staff = QtStaffMode(
                self.theme,
                staff_services,
                clock=self._clock,
                wall_clock=self._wall_clock,
                timers=self.timers,
                writer_status=self.writer_status,
                listen=self._on_staff_listen,
                voice_control_changed=self.apply_voice_control,
                parent=self,
            )
            self.staff.screen_requested.connect(self._on_staff_screen_requested)
            self.staff.closed.connect(self._on_staff_closed)
            self.staff.quit_approved.connect(self._on_staff_quit_approved)
            self._staff_language = text.current().code
        self.set_display(False, False)  # staff screens in the standard look
        if self.answer is not None:
            self.answer.cancel()
        self.checkin.reset()
        self.staff.begin()

    def _drop_staff_mode(self) -> None:
        """Staff mode, closed, goes; the next corner hold builds it in the language now."""
        staff, self.staff = self.staff, None
        self._listen_fell_back = None
        if staff is None:
            return
        staff.shutdown()
        self.remove_screen(staff.pin_screen)
        staff.pin_screen.deleteLater()
        staff.deleteLater()

    def _on_staff_listen(self, style: str, fell_back: Callable[[], None]) -> bool:
        """The settings screen's Listen: a sample in that kind of voice, if it can be heard;
        ``fell_back`` is called if another voice spoke it."""
        self._listen_fell_back = fell_back
        return self._voice is not None and self._voice.play_sample(style)

    def _on_sample_fell_back(self) -> None:
        fell_back = self._listen_fell_back
        if fell_back is not None and self.staff is not None:  # (the page is staff mode's)
            fell_back()

    def _show_unavailable_pad(self) -> None:
        """The PIN pad without its keypad, saying staff mode cannot open (no database)."""
        if self._unavailable_pad is None:
            from kiosk.ui.staff_mode.pin_pad import QtStaffPinScreen

            self._unavailable_pad = QtStaffPinScreen(self.theme, self.timers)
            self._unavailable_pad.cancelled.connect(self._on_unavailable_pad_cancelled)
        self.set_display(False, False)
        self._unavailable_pad.show_unavailable()
        self._show(self._unavailable_pad)

    def _on_unavailable_pad_cancelled(self) -> None:
        self.go_to_attract()

    def _on_staff_screen_requested(self, screen: QtScreen) -> None:
        self._show(screen)

    def _on_staff_closed(self) -> None:
        self.go_to_attract()  # the unattended policy reads the settings staff may have changed
        self.setFocus()  # the scanner's keys come to the window again, not a staff field

    def _on_staff_quit_approved(self) -> None:
        self._quit_approved = True
        self.close()

    def close_now(self) -> None:
        """Close whatever the mode (tools and tests; never wired to any input)."""
        self._quit_approved = True
        self.close()

    # -- keys ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Q quits a development window (``--windowed``) only; the rest go to the
        screen, which is how a barcode scanner's digits and Enter reach the keypad."""
        if event.key() == Qt.Key.Key_Q and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.dev_mode:
                self.close()
            event.accept()
            return
        if self.current_screen().handle_key(event.key(), event.text()):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Only staff mode's Quit closes a kiosk (a development window closes as usual)."""
        if not (self.dev_mode or self._quit_approved):
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop every timer and the running session (e.g. before the window closes)."""
        self._shut_down = True
        if self._deferred is not None:
            self._deferred.stop()
        if self.corner is not None:
            self.corner.cancel()
        if self.unattended is not None:
            self.unattended.shutdown()
        if self.answer is not None:
            self.answer.cancel()
        if self.writer_status is not None:
            self.writer_status.close()
        if self.staff is not None:
            self.staff.shutdown()
        if self._visit is not None:
            self._visit.abandon()  # a session under way ends as stopped: its set is saved
        self.current_screen().left()
        if self._visit is not None:
            self._visit.end()
        if self.services is not None and self._owns_services:
            self.services.close(timeout=CLOSE_WAIT_S)
        if self._voice_control_switch is not None:
            self._voice_control_switch.close()
        if self._voice is not None:
            try:
                self._voice.close()
            except Exception:  # the window must close whatever the voice does
                log.exception("the voice did not close cleanly")
