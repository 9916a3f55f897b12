"""After each exercise a one-tap rating that never holds the session up; after the session,
pain again, the totals, a goodbye, and back to the start — all of it in the database."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from db.models import SessionStatus
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.records import FeedbackKind
from kiosk.core.timeline import StepKind
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.player_screen import QtPlayerScreen
from kiosk.ui.visit.summary_screen import QtSummaryScreen
from tests.clinic import ANN, TOM
from tests.ui.conftest import advance_to_next_moment, run_until, start_session, tap
from tests.ui.visit.conftest import feedback, sessions


def _rating_shown(player: QtPlayerScreen) -> bool:
    return player.rating_shown


def _summary(window: QtKioskWindow) -> QtSummaryScreen:
    assert window.visit.summary is not None
    return window.visit.summary


def _run_to_summary(qtbot: QtBot, window: QtKioskWindow, clock: FakeClock) -> QtSummaryScreen:
    player = window.visit.player
    assert player is not None
    with qtbot.waitSignal(window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"):
        for _ in range(10_000):
            if player.engine.state is not SessionState.RUNNING:
                break
            advance_to_next_moment(clock, player)
    return _summary(window)


def test_the_rating_comes_in_the_rest_after_an_exercises_last_set(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, TOM)
    run_until(clock, player, lambda: _rating_shown(player))
    step = player.engine.current_step()
    assert (step.kind, step.exercise_index, step.set) == (StepKind.REST, 0, None)
    # Every set of the exercise is done by then (3 each side), none before.
    assert len([r for r in player.engine.records if r.exercise_index == 0]) == 6
    choices = player.rating_panel.choices
    assert choices is not None
    assert choices.question.text() == "How was Standing side leg raise?"
    assert [b.text() for b in choices.buttons.values()] == ["Too easy", "Just right", "Too hard"]
    tap(choices.buttons["hard"])
    assert choices.question.text() == "✓  Too hard. Thank you."  # said, not only coloured
    (row,) = feedback(services, FeedbackKind.DIFFICULTY)
    assert (row.session_id, row.value, row.exercise_index, row.exercise_id) == (
        1,
        "hard",
        0,
        "standing-lateral-leg-raise",
    )
    # It goes when the next exercise starts.
    run_until(clock, player, lambda: player.engine.current_step().kind is StepKind.INTRO)
    assert not _rating_shown(player)
    assert player.engine.current_step().exercise_index == 1


def test_hands_free_the_rating_just_goes_and_the_session_never_waits(
    window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    player = start_session(window, TOM)
    started = clock()  # the session's time 0
    run_until(clock, player, lambda: _rating_shown(player))
    rest = player.engine.current_step()
    deadline = player.engine.next_deadline()
    assert deadline is not None  # the rest runs on its own time: nothing waits for a tap
    run_until(clock, player, lambda: player.engine.current_step().index > rest.index)
    assert clock() <= player.engine.timeline.steps[rest.index].end_s + started + 1e-6
    assert not _rating_shown(player)
    assert feedback(services, FeedbackKind.DIFFICULTY) == []


def test_after_a_finished_session_pain_and_the_last_exercise_are_asked_then_totals_goodbye(
    qtbot: QtBot, window: QtKioskWindow, services: KioskServices, clock: FakeClock
) -> None:
    start_session(window, ANN)
    summary = _run_to_summary(qtbot, window, clock)
    assert summary.page == "pain"
    assert summary.after_title.text() == "Before you go, Ann:"
    assert summary.pain_scale.question.text() == t("pain.after_question")
    rating = summary.rating
    assert rating is not None  # Ann's only exercise had no rest after it: asked here
    assert rating.question.text() == "How was Clamshell?"
    tap(summary.pain_scale.buttons[2])
    assert summary.page == "pain"  # one question still open
    assert summary.skip_button.text() == t("after.next")
    tap(rating.buttons["just right"])
    assert summary.page == "totals"  # everything answered: on at once
    assert summary.title.text() == "Well done, Ann!"
    assert [summary.figures[k].text() for k in ("exercises", "sets", "minutes")] == ["1", "2", "1"]
    assert summary.balance_button.isVisibleTo(summary)
    tap(summary.done_button)
    assert summary.page == "goodbye"
    assert summary.goodbye.text() == "Goodbye, Ann!"
    with qtbot.waitSignal(window.screen_changed):
        summary.goodbye_timer.timeout.emit()  # a few seconds, or a tap
    assert window.current_screen() is window.attract
    assert window.visit.summary is None  # nothing of Ann's is left on screen
    # All of it logged.
    assert sessions(services) == [(1, SessionStatus.FINISHED)]
    (after,) = feedback(services, FeedbackKind.PAIN_AFTER)
    assert (after.session_id, after.value) == (1, "2")
    (rated,) = feedback(services, FeedbackKind.DIFFICULTY)
    assert (rated.value, rated.exercise_id, rated.exercise_index) == ("just right", "clamshell", 0)


def test_pain_after_can_be_skipped_and_a_stopped_session_asks_no_rating(
    window: QtKioskWindow, services: KioskServices
) -> None:
    player = start_session(window, TOM)
    tap(player.stop_button)
    tap(player.stop_overlay.first_button)
    summary = _summary(window)
    assert summary.rating is None
    tap(summary.skip_button)
    assert summary.page == "totals"
    assert summary.title.text() == "Thank you, Tom"
    assert feedback(services) == []
