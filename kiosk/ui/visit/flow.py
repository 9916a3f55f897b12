"""One patient's path after check-in, from "carry on?" or the welcome to the goodbye.

check-in ─► resume prompt? ─► today's program (welcome) ─► player ─► pain, totals, goodbye
                 │ Continue ─────────────────────────────►  │
                 └ Start again ─► today's program            └─► attract
    the balance check opens from today's program or the totals, and returns there.

This object owns the visit: what the patient has chosen so far (the pain rating before the
session, the session and its feedback) and the screens built for them (:attr:`program`,
:attr:`player`, :attr:`summary`, :attr:`resume_prompt`, :attr:`balance`). A screen is built
when the patient reaches it and deleted as soon as another one shows, and :meth:`end` deletes
whatever is left, so nothing of a patient (a name, a running timer, an engine subscription)
outlives the visit.

The window is reached only through :class:`VisitHost`, the few things a visit asks of it; the
flow never imports the window. Built by the window after the first frame, like everything it
imports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject

from kiosk import text
from kiosk.core.clock import Clock
from kiosk.core.compiler import estimate_minutes
from kiosk.core.events import SessionState
from kiosk.core.records import FeedbackKind
from kiosk.ui.timers import TimerFactory

if TYPE_CHECKING:
    from db.repositories.assessments import SideResult
    from kiosk.patient.balance import StanceCheck
    from kiosk.patient.carry_on import ResumeOffer
    from kiosk.patient.checkin import CheckIn
    from kiosk.patient.services import PatientServices
    from kiosk.patient.session import RunningSession
    from kiosk.ui.runners.voice_bridge import QtVoiceBridge
    from kiosk.ui.runners.voice_control import QtVoiceControl
    from kiosk.ui.theme import Theme
    from kiosk.ui.visit.balance_screen import QtBalanceCheckScreen
    from kiosk.ui.visit.player_screen import QtPlayerScreen
    from kiosk.ui.visit.program_screen import QtProgramScreen
    from kiosk.ui.visit.resume_screen import QtResumePrompt
    from kiosk.ui.visit.summary_screen import QtSummaryScreen, SessionSummary
    from kiosk.ui.widgets.base import QtScreen

log = logging.getLogger(__name__)

_ENDED = frozenset({SessionState.FINISHED, SessionState.STOPPED})


class VisitHost(Protocol):
    """What a visit asks of the window it runs in (the window is one)."""

    @property
    def theme(self) -> Theme:
        """The look showing now (the patient's display choice included)."""
        ...

    @property
    def voice(self) -> QtVoiceBridge | None:
        """The voice, once it has started (None: captions and flashes only)."""
        ...

    @property
    def voice_control(self) -> QtVoiceControl | None:
        """Spoken commands, when staff switched them on for this kiosk (else None)."""
        ...

    def show_screen(self, screen: QtScreen) -> None: ...

    def remove_screen(self, screen: QtScreen) -> None:
        """Take a screen that is not showing off the window (the visit deletes it)."""
        ...

    def current_screen(self) -> QtScreen: ...

    def set_display(self, large_text: bool, high_contrast: bool) -> None:
        """Re-theme the whole window for this visit."""
        ...

    def go_to_attract(self) -> None:
        """The visit is over: back to the start (which ends the visit)."""
        ...

    def go_to_checkin(self, *, unavailable: bool = False) -> None:
        """Back to the keypad, saying check-in cannot work now if ``unavailable``."""
        ...

    @property
    def chosen_language(self) -> str | None:
        """The language the patient tapped on the keypad before checking in (None: none)."""
        ...

    def use_language(self, code: str) -> None:
        """Switch the kiosk's words (and so the voice's) to ``code`` for this visit."""
        ...


class QtVisitFlow(QObject):
    """The screens of one visit, in order, for one kiosk window."""

    def __init__(
        self,
        host: VisitHost,
        *,
        clock: Clock,
        wall_clock: Callable[[], datetime],
        timers: TimerFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._clock = clock
        self._wall_clock = wall_clock
        self._timers = timers
        self._services: PatientServices | None = None
        self.checkin: CheckIn | None = None
        self.offer: ResumeOffer | None = None
        self.session: RunningSession | None = None
        self._check: StanceCheck | None = None
        self._return_to: QtScreen | None = None
        # The visit's screens: at most one showing, plus the one the balance check returns to.
        self.program: QtProgramScreen | None = None
        self.player: QtPlayerScreen | None = None
        self.summary: QtSummaryScreen | None = None
        self.resume_prompt: QtResumePrompt | None = None
        self.balance: QtBalanceCheckScreen | None = None
        # Every screen shown and not yet deleted. A screen rebuilt in a new look takes its
        # attribute before the old one goes, so this list, not the attributes, says what to
        # delete (else the old one stayed in the window all day, the patient's name on it).
        self._shown: list[QtScreen] = []

    @property
    def active(self) -> bool:
        """True from check-in until the visit ends."""
        return self.checkin is not None

    def end(self) -> None:
        """The visit is over (logout, goodbye, Back to the keypad): forget it and delete its
        screens. The window calls it once another screen shows."""
        self.checkin = None
        self.offer = None
        self.session = None
        self._services = None
        self._check = None
        self._return_to = None
        self._discard(keep=None)

    def abandon(self) -> None:
        """Nobody is there any more (idle logout): a session still running is ended as
        stopped — its finished sets are already logged, so it can be carried on — without a
        summary or a goodbye. The window then goes back to the start."""
        player = self.player
        if player is not None:
            player.blockSignals(True)  # no summary, no goodbye: nobody is there to see them
            engine = player.engine
            if engine.state not in _ENDED:
                player.driver.command(engine.stop)  # logged as stopped; finished sets stay

    # -- the screens ------------------------------------------------------------------------------

    def _show(self, screen: QtScreen) -> None:
        """Show one of the visit's screens, and delete the others (but the one the balance
        check returns to)."""
        if screen not in self._shown:
            self._shown.append(screen)
        self._host.show_screen(screen)
        self._discard(keep=screen)

    def _discard(self, keep: QtScreen | None) -> None:
        for screen in list(self._shown):
            if screen is keep or screen is self._return_to:
                continue
            self._shown.remove(screen)
            screen.left()
            self._host.remove_screen(screen)
            screen.deleteLater()
            if screen is self.program:
                self.program = None
            elif screen is self.player:
                self.player = None
            elif screen is self.summary:
                self.summary = None
            elif screen is self.resume_prompt:
                self.resume_prompt = None
            elif screen is self.balance:
                self.balance = None

    # -- check-in -------------------------------------------------------------------------------

    def checked_in(self, checkin: CheckIn, services: PatientServices) -> None:
        """A patient with a program today: carry on an interrupted session, or welcome them."""
        self.end()
        self._services = services
        self.checkin = checkin = self._in_patients_language(checkin, services)
        voice = self._host.voice
        if voice is not None:
            voice.prepare(checkin.timeline)  # every cue rendered before it is needed
        try:
            self.offer = services.resume_offer(checkin, self._wall_clock())
        except Exception:  # carrying on is a convenience: never a reason to turn anyone away
            log.exception("could not look for an interrupted session")
            self.offer = None
        if self.offer is not None:
            self.show_resume_prompt()
        else:
            self.show_program()

    def _in_patients_language(self, checkin: CheckIn, services: PatientServices) -> CheckIn:
        """The visit in the patient's language: the one tapped on the keypad just now (kept
        for their next visit), else the one they chose before, else the clinic's."""
        from kiosk.ui.widgets.language_button import patient_languages

        chosen = self._host.chosen_language
        if chosen is not None:
            if chosen != checkin.patient.language:
                services.remember_language(checkin.patient.id, chosen)
            return checkin  # the keypad already switched: it was compiled in it
        preferred = checkin.patient.language
        if preferred is None or preferred not in patient_languages():
            return checkin
        if preferred == text.current().code:
            return checkin
        self._host.use_language(preferred)
        return services.in_language(checkin)

    def _on_language_requested(self, code: str) -> None:
        """The patient chose another language on the welcome: the visit switches to it (its
        program's words, the cues and the voice) and remembers it for next time."""
        checkin, services = self.checkin, self._services
        if checkin is None or services is None:
            return
        current = self._host.current_screen()
        pain = self.program.pain_before if self.program is not None else None
        self._host.use_language(code)
        services.remember_language(checkin.patient.id, code)
        self.checkin = services.in_language(checkin)
        self._check = None  # the balance check's words and cues, in the new language
        voice = self._host.voice
        if voice is not None:
            voice.prepare(self.checkin.timeline)
        if current is self.resume_prompt and self.offer is not None:
            try:  # the offer names the exercise: in the new language too
                self.offer = services.resume_offer(self.checkin, self._wall_clock())
            except Exception:
                log.exception("could not look for an interrupted session")
                self.offer = None
        if current is self.resume_prompt and self.offer is not None:
            self.show_resume_prompt()
        else:
            self.show_program(pain_before=pain)

    def _voice_on(self) -> bool | None:
        voice = self._host.voice
        settings = voice.settings if voice is not None else None
        return None if settings is None else settings.speaks

    def _listen_on(self) -> bool | None:
        control = self._host.voice_control
        return None if control is None else control.enabled

    def _on_listen_requested(self, on: bool) -> None:
        """The patient's voice-control switch: for this visit (the window resets it)."""
        control = self._host.voice_control
        if control is not None:
            control.enabled = on

    def show_resume_prompt(self) -> None:
        from kiosk.ui.visit.resume_screen import QtResumePrompt

        checkin, offer = self.checkin, self.offer
        assert checkin is not None
        assert offer is not None
        screen = QtResumePrompt(
            self._host.theme, checkin.display_name, offer, voice_on=self._voice_on()
        )
        screen.continue_requested.connect(self._on_resume_prompt_continue_requested)
        screen.start_again_requested.connect(self._on_resume_prompt_start_again_requested)
        screen.display_requested.connect(self._on_display_requested)
        screen.voice_requested.connect(self._on_voice_requested)
        screen.language_requested.connect(self._on_language_requested)
        self.resume_prompt = screen
        self._show(screen)

    def show_program(self, pain_before: int | None = None) -> None:
        """Today's program with the welcome (again, in a new look: the rating is kept)."""
        from kiosk.ui.visit.program_screen import QtProgramScreen

        checkin = self.checkin
        assert checkin is not None
        screen = QtProgramScreen(
            self._host.theme,
            checkin,
            estimate_minutes,
            safety=self._safety(),
            pain_before=pain_before,
            voice_on=self._voice_on(),
            listen_on=self._listen_on(),
            balance_check=self._stance_check() is not None,
        )
        screen.listen_requested.connect(self._on_listen_requested)
        screen.start_requested.connect(self._on_program_start_requested)
        screen.back_requested.connect(self._on_program_back_requested)
        screen.balance_requested.connect(self._on_balance_requested)
        screen.display_requested.connect(self._on_display_requested)
        screen.voice_requested.connect(self._on_voice_requested)
        screen.language_requested.connect(self._on_language_requested)
        self.program = screen
        self._show(screen)

    def _safety(self) -> str | None:
        if self._services is None:
            return None
        try:
            return self._services.safety_reminder()
        except Exception:
            log.exception("the library's safety notes could not be read")
            return None

    def _stance_check(self) -> StanceCheck | None:
        if self._check is None and self._services is not None:
            try:
                self._check = self._services.stance_check()
            except Exception:
                log.exception("the balance check could not be built")
        return self._check

    # -- the welcome's choices -------------------------------------------------------------------

    def _on_display_requested(self, large_text: bool, high_contrast: bool) -> None:
        """Re-theme the window, and rebuild the screen showing so every size fits the look."""
        current = self._host.current_screen()
        pain = self.program.pain_before if self.program is not None else None
        self._host.set_display(large_text, high_contrast)
        if current is self.program:
            self.show_program(pain_before=pain)
        elif current is self.resume_prompt:
            self.show_resume_prompt()

    def _on_voice_requested(self, on: bool) -> None:
        voice = self._host.voice
        if voice is not None:
            voice.set_voice(on)

    def _on_program_back_requested(self) -> None:
        self._host.go_to_checkin()

    # -- the session -----------------------------------------------------------------------------

    def _on_program_start_requested(self) -> None:
        pain = self.program.pain_before if self.program is not None else None
        self._start(resume=None, pain_before=pain)

    def _on_resume_prompt_continue_requested(self) -> None:
        self._start(resume=self.offer, pain_before=None)

    def _on_resume_prompt_start_again_requested(self) -> None:
        self.offer = None
        self.show_program()

    def _start(self, *, resume: ResumeOffer | None, pain_before: int | None) -> None:
        checkin, services = self.checkin, self._services
        if checkin is None or services is None:
            return
        try:
            session = services.begin_session(checkin, self._clock, self._wall_clock, resume=resume)
        except Exception:
            log.exception("the session could not start")
            self._host.go_to_checkin(unavailable=True)
            return
        self.session = session
        if pain_before is not None:
            session.feedback.record(FeedbackKind.PAIN_BEFORE, str(pain_before))
        from kiosk.ui.runners.session_driver import QtSessionDriver
        from kiosk.ui.visit.player_screen import QtPlayerScreen

        driver = QtSessionDriver(session.engine, self._clock, self._timers)
        player = QtPlayerScreen(
            self._host.theme,
            driver,
            checkin,
            self._clock,
            voice=self._host.voice,
            feedback=session.feedback,
            earlier=session.earlier,
            video_folder=services.video_folder(),
            listen=self._host.voice_control,
        )
        driver.setParent(player)
        player.session_ended.connect(self._on_player_session_ended)
        self.player = player
        self._show(player)
        player.start(session.from_step)

    def _on_player_session_ended(self, summary: SessionSummary) -> None:
        from kiosk.ui.visit.summary_screen import QtSummaryScreen

        screen = QtSummaryScreen(
            self._host.theme,
            summary,
            self._timers,
            feedback=self.session.feedback if self.session is not None else None,
            balance_check=self._stance_check() is not None,
            all_saved=self._all_saved,
        )
        screen.finished.connect(self._on_summary_finished)
        screen.balance_requested.connect(self._on_balance_requested)
        self.summary = screen
        self._show(screen)

    def _all_saved(self) -> bool:
        """Whether the database has every set the writer was given (the summary says so)."""
        services = self._services
        return services is None or services.writer.status().sets_waiting == 0

    def _on_summary_finished(self) -> None:
        self._host.go_to_attract()

    # -- the balance check ------------------------------------------------------------------------

    def _on_balance_requested(self) -> None:
        check = self._stance_check()
        if check is None or self.checkin is None:
            return
        from kiosk.ui.visit.balance_screen import QtBalanceCheckScreen

        self._return_to = self._host.current_screen()
        voice = self._host.voice
        if voice is not None:
            voice.prepare(check.timeline)
        screen = QtBalanceCheckScreen(
            self._host.theme,
            check,
            clock=self._clock,
            wall_clock=self._wall_clock,
            timers=self._timers,
            save=self._save_balance_check,
            voice=voice,
        )
        screen.finished.connect(self._on_balance_finished)
        self.balance = screen
        self._show(screen)

    def _save_balance_check(self, results: Sequence[SideResult]) -> None:
        checkin, check, services = self.checkin, self._check, self._services
        assert checkin is not None
        assert check is not None
        assert services is not None
        session = self.session.session if self.session is not None else None
        services.save_stance_check(
            checkin.patient.id, check, results, self._wall_clock(), session=session
        )

    def _on_balance_finished(self) -> None:
        back = self._return_to
        self._return_to = None
        if back is None:
            self._host.go_to_attract()
            return
        voice = self._host.voice
        if voice is not None and self.checkin is not None and self.session is None:
            voice.prepare(self.checkin.timeline)  # the session is still to come
        self._show(back)
