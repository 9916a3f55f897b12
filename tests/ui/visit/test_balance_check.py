"""The balance check: timed stance on each side with voice, yes/no per side, saved for staff."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AssessmentResult
from db.repositories.assessments import Answer
from db.repositories.patients import PatientRepository
from db.repositories.progress import ProgressQueries
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.timeline import Side, StepKind
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.progress_page import QtProgressPage
from kiosk.ui.visit.balance_screen import QtBalanceCheckScreen
from tests.clinic import ANN, TODAY, saved
from tests.ui.conftest import VoiceParts, advance_to_next_moment, check_in, tap
from tests.ui.staff_mode.conftest import figures_read, open_page, sign_in


def _balance(window: QtKioskWindow) -> QtBalanceCheckScreen:
    assert window.visit.balance is not None
    assert window.current_screen() is window.visit.balance
    return window.visit.balance


def _until(clock: FakeClock, check: QtBalanceCheckScreen, done: object) -> None:
    for _ in range(1000):
        if callable(done) and done():
            return
        deadline = check.engine.next_deadline()
        assert deadline is not None, f"stuck while {check.engine.state}"
        clock.advance(max(0.0, deadline - clock()))
        check.driver.update()
    raise AssertionError("not reached")


def _kind(check: QtBalanceCheckScreen) -> StepKind:
    return check.engine.current_step().kind


def _rows(services: KioskServices) -> list[AssessmentResult]:
    with Session(saved(services)) as session:
        rows = list(session.scalars(select(AssessmentResult).order_by(AssessmentResult.id)))
        session.expunge_all()
    return rows


def test_the_check_from_the_welcome_times_each_side_asks_and_saves(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    check_in(window, ANN)
    assert window.visit.program is not None
    tap(window.visit.program.pain_scale.buttons[2])
    tap(window.visit.program.balance_button)
    check = _balance(window)
    assert check.page == "intro"
    assert check.title.text() == "One-leg balance check"
    # The instructions show the check's demonstration: standing by the chair, a foot lifted.
    assert not check.picture.pixmap().isNull()
    assert check.picture.pixmap().width() > 100
    tap(check.start_button)
    assert check.page == "run"
    assert check.engine.state is SessionState.RUNNING
    # Left: the countdown, then the stance; the patient puts the foot down after 12 s.
    _until(clock, check, lambda: _kind(check) is StepKind.COUNTDOWN)
    assert check.status.text() == "Standing on your left leg"
    assert check.side_badge.text() == t("side.left")
    assert check.caption.text() == "Stand on your left leg."  # every word shown as said
    assert not check.foot_down_button.isEnabled()
    _until(clock, check, lambda: _kind(check) is StepKind.HOLD)
    assert check.foot_down_button.isEnabled()
    clock.advance(12.0)
    check.driver.update()
    assert check.ring.seconds_text == "18"
    tap(check.foot_down_button)
    # A rest on both feet, "Switch legs.", then the right side held to the end.
    _until(clock, check, lambda: _kind(check) is StepKind.SWITCH_SIDE)
    assert check.caption.text() == t("cue.stance_switch")
    _until(clock, check, lambda: _kind(check) is StepKind.HOLD)
    assert check.side_badge.text() == t("side.right")
    _until(clock, check, lambda: check.engine.current_step().end_s - check.engine.position_s() <= 5)
    _until(clock, check, lambda: check.caption.text() == "4")  # the last five counted aloud
    _until(clock, check, lambda: check.page == "questions")
    # Per side: the library's list, each Yes / No.
    assert [s.side for s in check.sides] == [Side.LEFT, Side.RIGHT]
    left, right = check.sides
    assert left.questions == check.check.assessment.watch_for
    tap(left.buttons[0][Answer.YES])
    tap(left.buttons[1][Answer.NO])
    assert left.buttons[0][Answer.YES].text() == "✓ Yes"
    tap(check.next_buttons[0])
    tap(right.buttons[3][Answer.YES])
    assert check.next_buttons[1].text() == t("balance.save")
    tap(check.next_buttons[1])
    assert check.page == "saved"
    assert check.saved_body.text() == t("balance.saved_body")
    assert check.held.text() == "Left leg: 12 of 30 seconds\nRight leg: 30 of 30 seconds"
    # The database: one row per side, linked to no session (the session has not started).
    rows = _rows(services)
    assert [(r.side, r.held_s, r.target_s, r.session_id, r.assessment_id) for r in rows] == [
        (Side.LEFT, 12.0, 30.0, None, "single-leg-stance"),
        (Side.RIGHT, 30.0, 30.0, None, "single-leg-stance"),
    ]
    answers = [a["answer"] for a in json.loads(rows[0].answers)]
    assert answers == ["yes", "no", None, None]
    # Done: back to the welcome, the pain rating still there.
    tap(check.done_button)
    assert window.current_screen() is window.visit.program
    assert window.visit.program.pain_before == 2
    assert window.visit.balance is None


def test_the_check_after_a_session_is_linked_to_it_and_staff_see_it(
    qtbot: QtBot, window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    check_in(window, ANN)
    assert window.visit.program is not None
    tap(window.visit.program.start_button)
    player = window.visit.player
    assert player is not None
    with qtbot.waitSignal(window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"):
        for _ in range(1000):
            if player.engine.state is not SessionState.RUNNING:
                break
            advance_to_next_moment(clock, player)
    summary = window.visit.summary
    assert summary is not None
    tap(summary.skip_button)
    tap(summary.balance_button)
    check = _balance(window)
    tap(check.start_button)
    _until(clock, check, lambda: check.page == "questions")
    for side, next_button in zip(check.sides, check.next_buttons, strict=True):
        tap(side.buttons[2][Answer.YES])  # wobbly, both sides
        tap(next_button)
    tap(check.done_button)
    assert window.current_screen() is summary
    assert summary.page == "totals"  # back to the totals, not the pain question again
    rows = _rows(services)
    assert [r.session_id for r in rows] == [1, 1]
    ann = PatientRepository(services.database).find_by_code(ANN)
    assert ann is not None
    reports = ProgressQueries(saved(services)).assessments(ann.id, TODAY, TODAY)
    assert [r.noticed for r in reports] == [(check.check.questions[2],)] * 2
    # The staff progress page lists them.
    tap(summary.done_button)
    window.go_to_attract()
    home = sign_in(qtbot, window, clock)
    page = open_page(home, "progress")
    assert isinstance(page, QtProgressPage)
    page.select_patient(ann.id)
    figures_read(page)
    text = page.detail.assessments.text()
    assert "Left leg: held 30 of 30 s · noticed: You feel wobbly" in text
    assert "Right leg: held 30 of 30 s" in text


def test_stopping_before_anything_was_timed_saves_nothing(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    check_in(window, ANN)
    assert window.visit.program is not None
    tap(window.visit.program.balance_button)
    check = _balance(window)
    tap(check.start_button)
    tap(check.stop_button)  # during the intro
    assert window.current_screen() is window.visit.program
    assert _rows(services) == []


def test_back_from_the_instructions(window: QtKioskWindow, services: KioskServices) -> None:
    check_in(window, ANN)
    assert window.visit.program is not None
    tap(window.visit.program.balance_button)
    tap(_balance(window).back_button)
    assert window.current_screen() is window.visit.program
    assert _rows(services) == []


def test_the_voice_speaks_the_check(
    voice_window: QtKioskWindow, voice_parts: VoiceParts, clock: FakeClock, qtbot: QtBot
) -> None:
    check_in(voice_window, ANN)
    assert voice_window.visit.program is not None
    tap(voice_window.visit.program.balance_button)
    check = _balance(voice_window)
    voice = voice_window.voice
    assert voice is not None
    qtbot.waitUntil(lambda: voice.progress[1] > 0 and voice.progress[0] == voice.progress[1])
    spoken_before = len(voice_parts.output.spoken())
    tap(check.start_button)
    _until(clock, check, lambda: _kind(check) is StepKind.HOLD)
    assert len(voice_parts.output.spoken()) > spoken_before  # intro, "Stand on your left leg."
    assert voice_parts.output.tones()  # the 3-2-1 pips and go
