"""The patient's visit, complete, for ``make screenshots`` (called by ``tools/screenshots.py``).

Every state issue 5 added to a patient's path: the welcome (pain before, the display toggles)
in large text and high contrast, "It hurts" with its choices and the call-staff banner, the
rating after an exercise, pain after the session, the totals and the goodbye, the "carry on?"
prompt after an interruption, and the balance check step by step. Sessions run on the fake
clock, moment by moment, as in ``screenshots.py``; the idle watch never fires (the fake clock
stands still while a patient screen waits).

Maria is left alone: the shell's walk checks her in next and must find her welcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kiosk.core.clock import FakeClock
from kiosk.core.engine import SessionEngine
from kiosk.core.events import SessionState
from kiosk.core.timeline import StepKind
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.balance_screen import QtBalanceCheckScreen
from kiosk.ui.visit.player_screen import QtPlayerScreen

ANN, TOM, JK = "551937", "716254", "305718"


class Shooter(Protocol):
    def __call__(self, name: str) -> None: ...

    def wait_for(self, done: Callable[[], bool], limit_s: float = 30.0) -> None: ...


def _check_in(window: QtKioskWindow, code: str) -> None:
    window.go_to_checkin()
    for digit in code:
        window.checkin.digit_buttons[digit].click()
    window.checkin.ok_button.click()
    answer_now(window)


def answer_now(window: QtKioskWindow) -> None:
    """The check-in answer's floor passes on the walk's fake clock, and the answer shows."""
    floor = window.answer
    if floor is not None and floor.pending:
        assert isinstance(floor.clock, FakeClock)
        floor.clock.advance(floor.seconds_left())
        floor.update()


def _voice_ready(window: QtKioskWindow, shoot: Shooter) -> None:
    """Every cue rendered (the screens would otherwise say "Preparing the voice")."""
    voice = window.voice
    if voice is not None:
        shoot.wait_for(lambda: voice.progress[1] > 0 and voice.progress[0] == voice.progress[1])


class _Steps:
    """Moves an engine's fake clock from deadline to deadline until a condition holds."""

    def __init__(self, clock: FakeClock, screen: QtPlayerScreen | QtBalanceCheckScreen) -> None:
        self.clock = clock
        self.screen = screen

    def until(self, done: Callable[[], bool]) -> None:
        engine = self.screen.engine
        for _ in range(10_000):
            if done():
                return
            deadline = engine.next_deadline()
            if deadline is None:
                raise RuntimeError(f"stuck while {engine.state}")
            self.clock.advance(max(0.0, deadline - self.clock()))
            self.screen.driver.update()
        raise RuntimeError("state not reached")

    @property
    def engine(self) -> SessionEngine:
        return self.screen.engine

    def kind(self) -> StepKind:
        return self.engine.current_step().kind

    def into(self, seconds: float) -> None:
        """``seconds`` into the current step (no deadline is crossed)."""
        engine = self.screen.engine
        deadline = engine.next_deadline()
        target = self.clock() + seconds
        if deadline is not None:
            target = min(target, deadline - 0.01)
        self.clock.advance(max(0.0, target - self.clock()))
        self.screen.driver.update()


def walk_patient(window: QtKioskWindow, clock: FakeClock, shoot: Shooter) -> None:
    clock.advance(3600.0)  # the walk before stopped Tom's session: past carrying it on
    _welcome(window, shoot)
    _session(window, clock, shoot)
    _after(window, clock, shoot)
    _resume(window, clock, shoot)
    _balance(window, clock, shoot)
    window.go_to_attract()


def _welcome(window: QtKioskWindow, shoot: Shooter) -> None:
    _check_in(window, TOM)
    program = window.visit.program
    assert program is not None
    program.pain_scale.buttons[3].click()
    shoot("welcome-pain-before")
    _check_in(window, JK)
    assert window.visit.program is not None
    window.visit.program.toggles.large_button.click()
    shoot("welcome-large-text")
    assert window.visit.program is not None
    window.visit.program.scroll_area.verticalScrollBar().setValue(10_000)
    shoot("welcome-large-text-scrolled")
    window.visit.program.toggles.large_button.click()
    assert window.visit.program is not None
    window.visit.program.toggles.contrast_button.click()
    shoot("welcome-high-contrast")
    window.go_to_attract()  # the display choice ends with the visit


def _session(window: QtKioskWindow, clock: FakeClock, shoot: Shooter) -> None:
    # Tom, in high contrast: it hurts, he calls staff, then carries on.
    _check_in(window, TOM)
    assert window.visit.program is not None
    window.visit.program.toggles.contrast_button.click()
    _voice_ready(window, shoot)
    assert window.visit.program is not None
    window.visit.program.start_button.click()
    player = window.visit.player
    assert player is not None
    steps = _Steps(clock, player)
    steps.until(lambda: steps.engine.current_step().rep == 4)
    steps.into(0.5)
    shoot("player-high-contrast")
    player.hurts_button.click()
    shoot("hurts-choices-high-contrast")
    player.pain_overlay.call_button.click()
    shoot("call-staff-banner-high-contrast")
    player.pain_overlay.resume_button.click()
    window.go_to_attract()

    # Tom again, standard look: the choices, the banner, then the rating after exercise 1.
    clock.advance(3600.0)  # well past carrying on: a fresh welcome
    _check_in(window, TOM)
    _voice_ready(window, shoot)
    assert window.visit.program is not None
    window.visit.program.start_button.click()
    player = window.visit.player
    assert player is not None
    steps = _Steps(clock, player)
    steps.until(lambda: steps.engine.current_step().rep == 2)
    player.hurts_button.click()
    shoot("hurts-choices")
    player.pain_overlay.call_button.click()
    shoot("call-staff-banner")
    player.pain_overlay.resume_button.click()
    steps.until(lambda: player.rating_shown)
    steps.into(3.0)
    shoot("rating-after-exercise")
    choices = player.rating_panel.choices
    assert choices is not None
    choices.buttons["just right"].click()
    shoot("rating-thanks")
    window.go_to_attract()


def _after(window: QtKioskWindow, clock: FakeClock, shoot: Shooter) -> None:
    clock.advance(3600.0)
    _check_in(window, ANN)
    _voice_ready(window, shoot)
    assert window.visit.program is not None
    window.visit.program.start_button.click()
    player = window.visit.player
    assert player is not None
    steps = _Steps(clock, player)
    steps.until(lambda: steps.engine.state is not SessionState.RUNNING)
    summary = window.visit.summary
    assert summary is not None
    shoot("after-pain-and-rating")
    summary.pain_scale.buttons[1].click()
    assert summary.rating is not None
    summary.rating.buttons["easy"].click()
    shoot("after-totals")
    summary.done_button.click()
    shoot("after-goodbye")
    window.go_to_attract()


def _resume(window: QtKioskWindow, clock: FakeClock, shoot: Shooter) -> None:
    # J.K. does two exercises on the left, then the kiosk loses power (no end is logged).
    clock.advance(3600.0)
    _check_in(window, JK)
    _voice_ready(window, shoot)
    assert window.visit.program is not None
    window.visit.program.start_button.click()
    player = window.visit.player
    assert player is not None
    steps = _Steps(clock, player)
    steps.until(lambda: len(steps.engine.records) == 2)
    window.go_to_attract()
    clock.advance(8 * 60.0)
    _check_in(window, JK)
    shoot("resume-prompt")
    assert window.visit.resume_prompt is not None
    window.visit.resume_prompt.toggles.large_button.click()
    shoot("resume-prompt-large-text")
    assert window.visit.resume_prompt is not None
    window.visit.resume_prompt.continue_button.click()
    player = window.visit.player
    assert player is not None
    _Steps(clock, player).into(1.0)
    shoot("resume-player-continues")
    window.go_to_attract()


def _balance(window: QtKioskWindow, clock: FakeClock, shoot: Shooter) -> None:
    clock.advance(3600.0)
    _check_in(window, ANN)
    assert window.visit.program is not None
    window.visit.program.balance_button.click()
    check = window.visit.balance
    assert check is not None
    _voice_ready(window, shoot)
    shoot("balance-instructions")
    check.start_button.click()
    steps = _Steps(clock, check)
    steps.until(lambda: steps.kind() is StepKind.COUNTDOWN)
    steps.into(2.0)
    shoot("balance-countdown")
    steps.until(lambda: steps.kind() is StepKind.HOLD)
    steps.into(9.0)
    shoot("balance-stance-left")
    steps.until(lambda: steps.kind() is StepKind.REST)
    steps.into(3.0)
    shoot("balance-rest")
    steps.until(lambda: steps.kind() is StepKind.SWITCH_SIDE)
    steps.into(1.0)
    shoot("balance-switch-legs")
    steps.until(lambda: steps.kind() is StepKind.HOLD)
    steps.until(lambda: check.caption.text() == "3")
    shoot("balance-last-five-seconds")
    check.foot_down_button.click()
    steps.until(lambda: check.page == "questions")
    from db.repositories.assessments import Answer

    left, right = check.sides
    left.answer(0, Answer.NO)
    left.answer(1, Answer.NO)
    left.answer(2, Answer.YES)
    shoot("balance-questions-left")
    check.next_buttons[0].click()
    right.answer(0, Answer.YES)
    shoot("balance-questions-right")
    check.next_buttons[1].click()
    shoot("balance-saved")
    check.done_button.click()
