"""An interrupted session can be carried on the same day within 30 minutes, in the same row;
sets already logged (completed or skipped) are not repeated."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from db.models import SessionStatus
from db.repositories.progress import DayStatus, ProgressQueries
from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.records import FeedbackKind, SetStatus
from kiosk.core.timeline import Side, StepKind
from kiosk.services import KioskServices
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.resume_screen import QtResumePrompt
from tests.clinic import ANN, TODAY, TOM, saved
from tests.ui.conftest import (
    OpenWindow,
    advance_to_next_moment,
    check_in,
    run_until,
    start_session,
    tap,
)
from tests.ui.visit.conftest import feedback, player_of, screens_in, sessions

pytestmark = pytest.mark.usefixtures("utc")


def _prompt(window: QtKioskWindow) -> QtResumePrompt:
    assert window.current_screen() is window.visit.resume_prompt
    assert window.visit.resume_prompt is not None
    return window.visit.resume_prompt


def _ann_walks_away_after_the_left_side(window: QtKioskWindow, clock: FakeClock) -> None:
    """Ann finishes her left set, then stops (an idle logout ends a session the same way)."""
    player = start_session(window, ANN)
    run_until(clock, player, lambda: len(player.engine.records) == 1)
    tap(player.stop_button)
    tap(player.stop_overlay.first_button)
    window.go_to_attract()


def test_checking_in_again_offers_to_continue_and_finishes_in_the_same_row(
    qtbot: QtBot, window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    _ann_walks_away_after_the_left_side(window, clock)
    clock.advance(10 * 60)
    check_in(window, ANN)
    prompt = _prompt(window)
    assert prompt.title.text() == "Welcome back, Ann"
    assert prompt.question.text() == "Continue with Clamshell, set 1, right leg?"
    tap(prompt.continue_button)
    player = player_of(window)
    step = player.engine.current_step()
    assert step.kind in (StepKind.SWITCH_SIDE, StepKind.COUNTDOWN, StepKind.REST)
    assert step.side is Side.RIGHT
    with qtbot.waitSignal(window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"):
        for _ in range(1000):
            if player.engine.state is not SessionState.RUNNING:
                break
            advance_to_next_moment(clock, player)
    # One session: the left set once (not repeated), then the right; finished.
    assert sessions(services) == [(1, SessionStatus.FINISHED)]
    sets = SessionLog(saved(services)).sets_for(1)
    assert [(r.side, r.status) for r in sets] == [
        (Side.LEFT, SetStatus.COMPLETED),
        (Side.RIGHT, SetStatus.COMPLETED),
    ]
    (resumed,) = feedback(services, FeedbackKind.RESUMED)
    assert (resumed.session_id, resumed.value) == (1, "stopped")
    assert window.visit.summary is not None
    assert window.visit.summary.summary.sets == 2  # the whole session's, both halves
    # Staff see one finished session with two sets.
    (row,) = [r for r in ProgressQueries(saved(services)).day_rows(TODAY, TODAY) if r.code == ANN]
    assert (row.sessions_started, row.sessions_finished, row.sets_completed) == (1, 1, 2)


def test_a_session_left_running_by_a_crash_is_resumable_after_a_restart(
    open_window: OpenWindow,
    window: QtKioskWindow,
    services: KioskServices,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    player = start_session(window, TOM)
    run_until(clock, player, lambda: len(player.engine.records) == 2)
    # The power goes: nothing runs after it, not even the stop a closing kiosk makes (the
    # running set saved as stopped), so the row stays "running".
    monkeypatch.setattr(player.engine, "stop", _nothing)
    window.close_now()
    assert sessions(services) == [(1, SessionStatus.RUNNING)]
    clock.advance(5 * 60)
    restarted = open_window()  # the kiosk starts again on the same database
    check_in(restarted, TOM)
    prompt = _prompt(restarted)
    assert prompt.question.text() == "Continue with Standing side leg raise, set 2, left leg?"
    tap(prompt.continue_button)
    assert sessions(services) == [(1, SessionStatus.RUNNING)]
    (entry,) = [e for e in ProgressQueries(saved(services)).day_board(TODAY) if e.code == TOM]
    assert entry.status is DayStatus.IN_PROGRESS
    resumed = player_of(restarted)
    run_until(clock, resumed, lambda: len(resumed.engine.records) == 1)
    sets = SessionLog(saved(services)).sets_for(1)
    assert [(r.set_number, r.side) for r in sets] == [
        (1, Side.LEFT),
        (1, Side.RIGHT),
        (2, Side.LEFT),  # carried on from here: nothing repeated
    ]
    (resumed_event,) = feedback(services, FeedbackKind.RESUMED)
    assert resumed_event.value == "running"
    restarted.close()


def test_a_display_change_replaces_the_prompt_and_leaves_none_behind(
    window: QtKioskWindow, clock: FakeClock
) -> None:
    _ann_walks_away_after_the_left_side(window, clock)
    check_in(window, ANN)
    tap(_prompt(window).toggles.large_button)
    assert screens_in(window, QtResumePrompt) == [_prompt(window)]
    window.go_to_attract()
    assert screens_in(window, QtResumePrompt) == []


def test_start_again_begins_a_new_session_and_the_old_one_stays_stopped(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    _ann_walks_away_after_the_left_side(window, clock)
    check_in(window, ANN)
    tap(_prompt(window).start_again_button)
    assert window.current_screen() is window.visit.program
    assert window.visit.program is not None
    tap(window.visit.program.start_button)
    assert sessions(services) == [(1, SessionStatus.STOPPED), (2, SessionStatus.RUNNING)]
    assert player_of(window).engine.current_step().kind is StepKind.INTRO


def test_start_again_abandons_a_session_left_running(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, ANN)
    run_until(clock, player, lambda: len(player.engine.records) == 1)
    window.go_to_attract()  # the screen went away with the session still "running"
    check_in(window, ANN)
    tap(_prompt(window).start_again_button)
    assert window.visit.program is not None
    tap(window.visit.program.start_button)
    assert sessions(services) == [(1, SessionStatus.ABANDONED), (2, SessionStatus.RUNNING)]


def test_no_offer_after_30_minutes(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    _ann_walks_away_after_the_left_side(window, clock)
    clock.advance(30 * 60 + 60)
    check_in(window, ANN)
    assert window.current_screen() is window.visit.program
    assert window.visit.resume_prompt is None


def test_no_offer_when_nothing_was_done_or_everything_was(
    qtbot: QtBot, window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, ANN)  # stopped during the intro: no set logged
    tap(player.stop_button)
    tap(player.stop_overlay.first_button)
    window.go_to_attract()
    check_in(window, ANN)
    assert window.current_screen() is window.visit.program
    player = start_session(window, ANN)
    with qtbot.waitSignal(window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"):
        for _ in range(1000):
            if player.engine.state is not SessionState.RUNNING:
                break
            advance_to_next_moment(clock, player)
    window.go_to_attract()
    check_in(window, ANN)  # finished today: a new session if they want one
    assert window.current_screen() is window.visit.program


def _nothing() -> None:
    """What runs after a power cut."""


def test_carrying_on_in_the_patients_language_and_switching_on_the_prompt(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    from db.repositories.patients import PatientRepository
    from media.loader import load_library

    _ann_walks_away_after_the_left_side(window, clock)
    ann = PatientRepository(saved(services)).find_by_code(ANN)
    assert ann is not None
    PatientRepository(saved(services)).set_language(ann.id, "es")
    clock.advance(10 * 60)
    check_in(window, ANN)
    prompt = _prompt(window)
    clamshell_es = load_library(language="es").exercises["clamshell"].name
    assert prompt.title.text() == "Hola de nuevo, Ann"
    assert prompt.question.text() == f"¿Seguir con {clamshell_es}, serie 1, pierna derecha?"
    assert prompt.language_button.text() == "English"
    tap(prompt.language_button)
    prompt = _prompt(window)  # built again, in English, with the same offer
    assert prompt.title.text() == "Welcome back, Ann"
    assert prompt.question.text() == "Continue with Clamshell, set 1, right leg?"
