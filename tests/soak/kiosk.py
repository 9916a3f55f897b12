"""The real kiosk window on the day's fake clock, and the gestures a clinic day is made of.

:class:`Kiosk` taps the screens as a patient or a member of staff would (the helpers of
``tests/ui``), runs a session deadline to deadline as the session driver's timer would, and
lets the event loop paint and deliver between gestures as it would between touches. Time never
passes by itself: only :meth:`Kiosk.wait` moves the clock (and fires what is due at the new
time), so a day of visits takes minutes, and the same day happens on every run.

What it expects the kiosk to do, it checks: a screen that does not come is a
:class:`SoakError`, and the soak fails with its message, like a leak.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Protocol

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.clock import FakeClock
from kiosk.core.engine import SessionEngine
from kiosk.core.events import SessionState
from kiosk.services import KioskServices
from kiosk.ui.runners.session_driver import QtSessionDriver
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.player_screen import QtPlayerScreen
from kiosk.ui.visit.summary_screen import QtSummaryScreen
from kiosk.ui.widgets.base import QtScreen
from tests.ui.conftest import tap as click

#: How long a real wait may take: the PIN's hash on its worker, the voice, the writer.
WAIT_S = 30.0
#: Moments in one session, at most (J.K.'s hip series has a few hundred).
MOMENTS = 5000


class SoakError(AssertionError):
    """The kiosk did not do what the day expected of it."""


class Timed(Protocol):
    """A screen that runs an engine through its driver: the player, the balance check."""

    engine: SessionEngine
    driver: QtSessionDriver


def wait_until(done: Callable[[], bool], what: str, timeout_s: float = WAIT_S) -> None:
    """Let the event loop run until ``done()`` (work on another thread reporting back)."""
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise SoakError(f"{what}: not within {timeout_s:.0f} s")
        QTest.qWait(5)


class Kiosk:
    """One kiosk window for the day, and what happened on it (:attr:`tally`)."""

    def __init__(self, window: QtKioskWindow, clock: FakeClock, services: KioskServices) -> None:
        self.window = window
        self.clock = clock
        self.services = services
        self.tally: Counter[str] = Counter()

    # -- touching and waiting --------------------------------------------------------------

    @staticmethod
    def pump() -> None:
        """What the event loop does between two touches: paint, deliver queued signals."""
        QApplication.processEvents()

    def tap(self, widget: QWidget) -> None:
        click(widget)
        self.pump()

    def wait(self, seconds: float) -> None:
        """``seconds`` pass with nobody touching; what is due by then fires (the idle watch,
        the check-in pause), as their single-shot timers would."""
        self.clock.advance(seconds)
        if self.window.answer is not None:
            self.window.answer.update()
        unattended = self.window.unattended
        if unattended is not None:
            unattended.idle.update()
            if unattended.lock is not None:
                unattended.lock.update()
        self.pump()

    def showing(self) -> QtScreen:
        return self.window.current_screen()

    def expect(self, screen: QWidget | None, what: str) -> None:
        if screen is None or self.showing() is not screen:
            raise SoakError(f"expected {what}, but {self.showing().objectName()} shows")

    def at_rest(self) -> None:
        """Between visits: the attract screen, and every record the visit made written."""
        self.expect(self.window.attract, "the attract screen")
        if not self.services.writer.wait_idle(WAIT_S):
            raise SoakError(f"the writer did not catch up: {self.services.writer.status()}")

    # -- check-in ---------------------------------------------------------------------------

    def type_code(self, code: str) -> None:
        """Touch the attract screen, tap ``code`` and OK (the screens of ``tests/ui``)."""
        self.tap(self.window.attract)
        for digit in code:
            self.tap(self.window.checkin.digit_buttons[digit])
        self.tap(self.window.checkin.ok_button)
        self.answer()

    def answer(self) -> None:
        """The check-in's answer shows, at its floor after OK (kiosk/ui/runners/answer_floor.py)."""
        floor = self.window.answer
        if floor is not None and floor.pending:
            self.wait(floor.seconds_left())

    def check_in(self, code: str, *, carry_on: bool | None = None) -> None:
        """Check in; ``carry_on``: the "Continue?" prompt is expected and answered (None: it
        may come, after a session left within the half hour, and is answered Start again)."""
        self.type_code(code)
        self.voice_ready()
        visit = self.window.visit
        prompt = visit.resume_prompt
        if carry_on is not None:
            self.expect(prompt, "the offer to carry on")
        if prompt is not None and self.showing() is prompt:
            self.tally["offers to carry on"] += 1
            if carry_on:
                self.tally["sessions carried on"] += 1
                self.tap(prompt.continue_button)
                return
            self.tally["started again"] += 1
            self.tap(prompt.start_again_button)
        self.expect(visit.program, "the welcome")

    def voice_ready(self) -> None:
        """The check-in's cues rendered (the fake synthesizer takes milliseconds)."""
        voice = self.window.voice
        if voice is not None:
            wait_until(
                lambda: voice.progress[1] > 0 and voice.progress[0] == voice.progress[1],
                "the voice preparing the cues",
            )

    # -- the session ------------------------------------------------------------------------

    def start(self) -> QtPlayerScreen:
        program = self.window.visit.program
        assert program is not None
        self.tap(program.start_button)
        self.tally["sessions started"] += 1
        return self.player()

    def player(self) -> QtPlayerScreen:
        player = self.window.visit.player
        self.expect(player, "the session")
        assert player is not None
        return player

    def run(self, screen: Timed, until: Callable[[], bool] | None = None) -> None:
        """Deadline to deadline until ``until()`` or the engine stops running, painting each
        moment (what the driver's deadline timer does, without the wait)."""
        engine = screen.engine
        for _ in range(MOMENTS):
            if engine.state is not SessionState.RUNNING or (until and until()):
                return
            deadline = engine.next_deadline()
            if deadline is None:
                raise SoakError(f"no deadline while {engine.state}")
            self.clock.advance(max(0.0, deadline - self.clock()))
            screen.driver.update()
            self.pump()
        raise SoakError(f"the engine still runs after {MOMENTS} moments")

    def run_to_end(self, player: QtPlayerScreen) -> QtSummaryScreen:
        self.run(player)
        return self.summary()

    def sets_logged(self, player: QtPlayerScreen, count: int) -> Callable[[], bool]:
        return lambda: len(player.engine.records) >= count

    def summary(self) -> QtSummaryScreen:
        summary = self.window.visit.summary
        self.expect(summary, "the totals")
        assert summary is not None
        self.tally["sessions finished" if summary.summary.finished else "sessions stopped"] += 1
        return summary

    def stop(self, player: QtPlayerScreen) -> QtSummaryScreen:
        self.tap(player.stop_button)
        self.tap(player.stop_overlay.first_button)
        return self.summary()

    def rate_when_asked(self, player: QtPlayerScreen, value: str) -> None:
        """In the rest after an exercise: one tap on the rating (runs until it is offered)."""
        self.run(player, lambda: player.rating_shown)
        choices = player.rating_panel.choices
        if player.rating_shown and choices is not None:
            self.tap(choices.buttons[value])
            self.tally["exercises rated"] += 1

    def it_hurts(self, player: QtPlayerScreen, *, call_staff: bool) -> None:
        self.tap(player.hurts_button)
        if player.engine.state is not SessionState.PAIN:
            raise SoakError(f"'It hurts' left the session {player.engine.state}")
        self.tally["'It hurts'"] += 1
        if call_staff:
            self.tap(player.pain_overlay.call_button)
            self.tally["staff called"] += 1

    # -- after the session ------------------------------------------------------------------

    def goodbye(self, summary: QtSummaryScreen, *, pain: int | None, rate: str | None) -> None:
        """Pain now (and the last exercise's rating, if asked), the totals, Finish, a tap
        on the goodbye: back to the start."""
        if pain is not None:
            self.tap(summary.pain_scale.buttons[pain])
            self.tally["pain after"] += 1
        if rate is not None and summary.rating is not None:
            self.tap(summary.rating.buttons[rate])
            self.tally["exercises rated"] += 1
        if summary.page == "pain":
            self.tap(summary.skip_button)
        self.tap(summary.done_button)
        if summary.page != "goodbye":
            raise SoakError(f"Finish showed the {summary.page} page, not the goodbye")
        self.tap(summary)  # a tap on the goodbye ends it at once
        self.at_rest()

    def unattended_goodbye(self, summary: QtSummaryScreen) -> None:
        """Nobody answers: each page's own timer moves it on (they run on real time, so the
        day fires them as the event loop would, at once)."""
        for timer in (summary.pain_timer, summary.timer, summary.goodbye_timer):
            if not timer.isActive():
                raise SoakError(f"the summary's {timer.objectName()} is not running")
            timer.timeout.emit()
            self.pump()
        self.at_rest()

    # -- nobody there -----------------------------------------------------------------------

    def walk_away(self) -> None:
        """The patient leaves: "Still there?" after the idle time, unanswered, then logout."""
        idle = self.window.idle
        assert idle is not None
        before = self.window.unattended.logouts if self.window.unattended else 0
        self.wait(idle.policy.settings.warn_after_s)
        if not idle.warning:
            raise SoakError(f"no 'Still there?' on {self.showing().objectName()}")
        self.wait(idle.policy.settings.respond_within_s)
        unattended = self.window.unattended
        if unattended is None or unattended.logouts != before + 1:
            raise SoakError("nobody answered 'Still there?', but the patient was not logged out")
        self.tally["idle logouts"] += 1
        self.at_rest()

    def still_here(self) -> None:
        """'Still there?' comes and the patient answers it."""
        idle = self.window.idle
        unattended = self.window.unattended
        assert idle is not None
        assert unattended is not None
        self.wait(idle.policy.settings.warn_after_s)
        overlay = unattended.still_there
        if overlay is None or not overlay.isVisible():
            raise SoakError(f"no 'Still there?' on {self.showing().objectName()}")
        self.tap(overlay.button)
        if overlay.isVisible():
            raise SoakError("'I'm still here' did not close 'Still there?'")
        self.tally["'Still there?' answered"] += 1
