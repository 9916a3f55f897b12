"""One patient's path after check-in, from "carry on?" or the welcome to the goodbye.

check-in ─► resume prompt? ─► today's program (welcome) ─► player ─► pain, totals, goodbye
                 │ Continue ─────────────────────────────►  │
                 └ Start again ─► today's program            └─► attract
    the balance check opens from today's program or the totals, and returns there.

The window owns the screens (``window.program``, ``player``, ``summary``, ``resume_prompt``,
``balance``) and deletes them when they are left, so nothing of a patient outlives the visit;
this object decides which comes next and carries what the visit has chosen so far (the pain
rating before the session, the session's feedback recorder). Built on the first check-in,
after the first frame, like everything it imports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.core.clock import Clock
from kiosk.ui.timers import TimerFactory

if TYPE_CHECKING:
    from db.repositories.assessments import SideResult
    from kiosk.services import CheckIn, KioskServices
    from kiosk.ui.shell.window import QtKioskWindow
    from kiosk.ui.visit.summary_screen import SessionSummary
    from kiosk.ui.widgets.base import QtScreen
    from kiosk.visit import ResumeOffer, RunningSession, StanceCheck

log = logging.getLogger(__name__)


class QtVisitFlow(QObject):
    """The screens of one visit, in order, for one kiosk window."""

    def __init__(
        self,
        window: QtKioskWindow,
        *,
        clock: Clock,
        wall_clock: Callable[[], datetime],
        timers: TimerFactory,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._clock = clock
        self._wall_clock = wall_clock
        self._timers = timers
        self.checkin: CheckIn | None = None
        self.offer: ResumeOffer | None = None
        self.session: RunningSession | None = None
        self._check: StanceCheck | None = None
        self._return_to: QtScreen | None = None

    @property
    def _services(self) -> KioskServices:
        services = self._window.services
        assert services is not None  # a check-in happened: the services are loaded
        return services

    @property
    def keep(self) -> QtScreen | None:
        """A screen to keep while the balance check shows: the check returns to it."""
        return self._return_to

    def end(self) -> None:
        """The visit is over (logout, goodbye, Back to the keypad): forget it."""
        self.checkin = None
        self.offer = None
        self.session = None
        self._check = None
        self._return_to = None

    # -- check-in -------------------------------------------------------------------------------

    def checked_in(self, checkin: CheckIn) -> None:
        """A patient with a program today: carry on an interrupted session, or welcome them."""
        self.end()
        self.checkin = checkin
        window = self._window
        if window.voice is not None:
            window.voice.prepare(checkin.timeline)  # every cue rendered before it is needed
        try:
            self.offer = self._services.resume_offer(checkin, self._wall_clock())
        except Exception:  # carrying on is a convenience: never a reason to turn anyone away
            log.exception("could not look for an interrupted session")
            self.offer = None
        if self.offer is not None:
            self.show_resume_prompt()
        else:
            self.show_program()

    def _voice_on(self) -> bool | None:
        voice = self._window.voice
        settings = voice.settings if voice is not None else None
        return None if settings is None else settings.speaks

    def show_resume_prompt(self) -> None:
        from kiosk.ui.visit.resume_screen import QtResumePrompt

        checkin, offer, window = self.checkin, self.offer, self._window
        assert checkin is not None
        assert offer is not None
        screen = QtResumePrompt(
            window.theme, checkin.display_name, offer, voice_on=self._voice_on()
        )
        screen.continue_requested.connect(self._on_resume_prompt_continue_requested)
        screen.start_again_requested.connect(self._on_resume_prompt_start_again_requested)
        screen.display_requested.connect(self._on_display_requested)
        screen.voice_requested.connect(self._on_voice_requested)
        window.resume_prompt = screen
        window.show_screen(screen)

    def show_program(self, pain_before: int | None = None) -> None:
        """Today's program with the welcome (again, in a new look: the rating is kept)."""
        from kiosk.ui.visit.program_screen import QtProgramScreen

        checkin, window, services = self.checkin, self._window, self._services
        assert checkin is not None
        screen = QtProgramScreen(
            window.theme,
            checkin,
            services.estimate_minutes,
            safety=self._safety(),
            pain_before=pain_before,
            voice_on=self._voice_on(),
            balance_check=self._stance_check() is not None,
        )
        screen.start_requested.connect(self._on_program_start_requested)
        screen.back_requested.connect(self._on_program_back_requested)
        screen.balance_requested.connect(self._on_balance_requested)
        screen.display_requested.connect(self._on_display_requested)
        screen.voice_requested.connect(self._on_voice_requested)
        window.program = screen
        window.show_screen(screen)

    def _safety(self) -> str | None:
        try:
            return self._services.safety_reminder()
        except Exception:
            log.exception("the library's safety notes could not be read")
            return None

    def _stance_check(self) -> StanceCheck | None:
        if self._check is None:
            try:
                self._check = self._services.stance_check()
            except Exception:
                log.exception("the balance check could not be built")
        return self._check

    # -- the welcome's choices -------------------------------------------------------------------

    def _on_display_requested(self, large_text: bool, high_contrast: bool) -> None:
        """Re-theme the window, and rebuild the screen showing so every size fits the look."""
        window = self._window
        current = window.current_screen()
        pain = window.program.pain_before if window.program is not None else None
        window.set_display(large_text, high_contrast)
        if current is window.program:
            self.show_program(pain_before=pain)
        elif current is window.resume_prompt:
            self.show_resume_prompt()

    def _on_voice_requested(self, on: bool) -> None:
        if self._window.voice is not None:
            self._window.voice.set_voice(on)

    def _on_program_back_requested(self) -> None:
        self.end()
        self._window.go_to_checkin()

    # -- the session -----------------------------------------------------------------------------

    def _on_program_start_requested(self) -> None:
        program = self._window.program
        pain = program.pain_before if program is not None else None
        self._start(resume=None, pain_before=pain)

    def _on_resume_prompt_continue_requested(self) -> None:
        self._start(resume=self.offer, pain_before=None)

    def _on_resume_prompt_start_again_requested(self) -> None:
        self.offer = None
        self.show_program()

    def _start(self, *, resume: ResumeOffer | None, pain_before: int | None) -> None:
        checkin, window = self.checkin, self._window
        if checkin is None or window.services is None:
            return
        try:
            session = window.services.begin_session(
                checkin, self._clock, self._wall_clock, resume=resume
            )
        except Exception:
            log.exception("the session could not start")
            self.end()
            window.go_to_checkin()
            window.checkin.show_unavailable()
            return
        self.session = session
        if pain_before is not None:
            from kiosk.core.records import FeedbackKind

            session.feedback.record(FeedbackKind.PAIN_BEFORE, str(pain_before))
        from kiosk.ui.runners.session_driver import QtSessionDriver
        from kiosk.ui.visit.player_screen import QtPlayerScreen

        driver = QtSessionDriver(session.engine, self._clock, self._timers)
        player = QtPlayerScreen(
            window.theme,
            driver,
            checkin,
            self._clock,
            voice=window.voice,
            feedback=session.feedback,
            earlier=session.earlier,
        )
        driver.setParent(player)
        player.session_ended.connect(self._on_player_session_ended)
        window.player = player
        window.show_screen(player)
        player.start(session.from_step)

    def _on_player_session_ended(self, summary: SessionSummary) -> None:
        from kiosk.ui.visit.summary_screen import QtSummaryScreen

        window = self._window
        screen = QtSummaryScreen(
            window.theme,
            summary,
            self._timers,
            feedback=self.session.feedback if self.session is not None else None,
            balance_check=self._stance_check() is not None,
        )
        screen.finished.connect(self._on_summary_finished)
        screen.balance_requested.connect(self._on_balance_requested)
        window.summary = screen
        window.show_screen(screen)

    def _on_summary_finished(self) -> None:
        self._window.go_to_attract()

    # -- the balance check ------------------------------------------------------------------------

    def _on_balance_requested(self) -> None:
        check, window = self._stance_check(), self._window
        if check is None or self.checkin is None:
            return
        from kiosk.ui.visit.balance_screen import QtBalanceCheckScreen

        self._return_to = window.current_screen()
        if window.voice is not None:
            window.voice.prepare(check.timeline)
        screen = QtBalanceCheckScreen(
            window.theme,
            check,
            clock=self._clock,
            wall_clock=self._wall_clock,
            timers=self._timers,
            save=self._save_balance_check,
            voice=window.voice,
        )
        screen.finished.connect(self._on_balance_finished)
        window.balance = screen
        window.show_screen(screen)

    def _save_balance_check(self, results: Sequence[SideResult]) -> None:
        checkin, check = self.checkin, self._check
        assert checkin is not None
        assert check is not None
        session_id = self.session.session_id if self.session is not None else None
        self._services.save_stance_check(
            checkin.patient.id, check, results, self._wall_clock(), session_id=session_id
        )

    def _on_balance_finished(self) -> None:
        window, back = self._window, self._return_to
        self._return_to = None
        if back is None:
            window.go_to_attract()
            return
        if window.voice is not None and self.checkin is not None and self.session is None:
            window.voice.prepare(self.checkin.timeline)  # the session is still to come
        window.show_screen(back)
