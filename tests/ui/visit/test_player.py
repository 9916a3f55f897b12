"""The session player, driven by a fake clock through the real engine and database."""

from __future__ import annotations

import math

import pytest
from pytestqt.qtbot import QtBot

from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.records import SetStatus
from kiosk.core.timeline import Side, StepKind
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.player_screen import QtPlayerScreen
from tests.clinic import ANN, TOM, saved
from tests.ui.conftest import advance_to_next_moment, run_until, start_session, state_of, tap


def _kind(player: QtPlayerScreen) -> StepKind:
    return player.engine.current_step().kind


def _session_log(window: QtKioskWindow) -> SessionLog:
    assert window.services is not None
    return SessionLog(saved(window.services))


def test_the_player_starts_with_the_intro(window: QtKioskWindow) -> None:
    player = start_session(window, ANN)
    assert window.current_screen() is player
    assert state_of(player) is SessionState.RUNNING
    assert _kind(player) is StepKind.INTRO
    assert player.title.text() == "Clamshell"
    assert player.status.text() == t("player.get_ready")
    assert player.key_points.isVisible()
    assert player.ring.seconds_text == str(math.ceil(player.engine.current_step().duration_s))


def test_the_labels_show_rep_set_and_side(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    assert player.rep_label.text() == "Rep 1 of 3"
    assert player.set_label.text() == "Set 1 of 1"
    assert player.side_badge.text() == t("side.left")
    assert player.side_badge.property("side") == "left"
    assert "LEFT" in player.side_badge.text()  # named in words, not by colour alone
    assert player.phase_word.text() == "OPEN"
    # Everything spoken is captioned, word for word: here the phase word just said.
    assert player.caption.text() == "Open"
    run_until(clock, player, lambda: player.engine.current_step().rep == 2)
    assert player.rep_label.text() == "Rep 2 of 3"


def test_the_ring_counts_down_from_the_engine(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    step = player.engine.current_step()
    at = clock() + step.duration_s - 2.5
    while (deadline := player.engine.next_deadline()) is not None and deadline < at:
        clock.advance(deadline - clock())  # each moment on time, as the driver's timer does
        player.driver.update()
    clock.advance(at - clock())
    player.driver.update()
    assert player.ring.seconds_text == "3"
    assert player.ring.fraction == pytest.approx(2.5 / step.duration_s)


def test_rest_and_side_switch_say_what_is_next(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    run_until(clock, player, lambda: _kind(player) is StepKind.REST)
    assert player.title.text() == "Rest"
    assert player.next_up.text().startswith("Next up: ")
    assert not player.rep_label.isVisible()
    run_until(clock, player, lambda: _kind(player) is StepKind.SWITCH_SIDE)
    assert player.title.text() == "Switch sides"
    assert player.side_badge.text() == t("side.right")
    assert "RIGHT" in player.next_up.text()


def test_anns_whole_program_runs_to_the_summary_and_every_set_is_logged(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock
) -> None:
    player = start_session(window, ANN)
    with qtbot.waitSignal(window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"):
        for _ in range(1000):
            if player.engine.state is not SessionState.RUNNING:
                break
            before = len(player.engine.records)
            advance_to_next_moment(clock, player)
            # Each set reaches the database as soon as it finishes (the writer's thread takes
            # it from there), not at the end.
            if len(player.engine.records) > before:
                assert len(_session_log(window).sets_for(1)) == len(player.engine.records)
    log = _session_log(window)
    sets = log.sets_for(1)
    assert [(r.side, r.set_number, r.reps_done, r.status) for r in sets] == [
        (Side.LEFT, 1, 3, SetStatus.COMPLETED),
        (Side.RIGHT, 1, 3, SetStatus.COMPLETED),
    ]
    info = log.info(1)
    assert info is not None
    assert info.state.value == "finished"
    summary = window.visit.summary
    assert summary is not None
    assert summary.title.text() == "Well done, Ann!"
    assert (summary.summary.exercises, summary.summary.sets) == (1, 2)
    assert summary.summary.minutes == 1
    assert window.visit.player is None  # the player was deleted with its timers


def test_pause_freezes_the_countdown_and_resume_continues(
    window: QtKioskWindow, clock: FakeClock
) -> None:
    player = start_session(window, ANN)
    clock.advance(1.0)
    player.driver.update()
    tap(player.pause_button)
    assert state_of(player) is SessionState.PAUSED
    assert player.pause_button.text() == t("player.resume")
    assert player.ring.caption == t("player.paused")
    shown = player.ring.seconds_text
    clock.advance(60.0)
    player.driver.update()
    assert player.ring.seconds_text == shown
    assert player.engine.next_deadline() is None
    tap(player.pause_button)
    assert state_of(player) is SessionState.RUNNING
    assert player.pause_button.text() == t("player.pause")
    assert player.ring.seconds_text == shown


def test_next_skips_to_the_next_step(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    tap(player.next_button)
    assert _kind(player) is StepKind.COUNTDOWN
    assert player.status.text() == t("player.starting")
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    tap(player.next_button)  # inside a set: the set is skipped
    assert player.engine.records[-1].status is SetStatus.SKIPPED
    assert _session_log(window).sets_for(1)[-1].status is SetStatus.SKIPPED


def test_it_hurts_pauses_shows_the_calm_overlay_and_logs_pain(
    window: QtKioskWindow, clock: FakeClock
) -> None:
    player = start_session(window, ANN)
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    tap(player.hurts_button)
    assert state_of(player) is SessionState.PAIN
    assert player.pain_overlay.isVisible()
    assert player.pain_overlay.title.text() == t("pain.title")
    assert "Don't push through pain." in player.pain_overlay.body.text()
    pains = _session_log(window).pains_for(1)
    assert len(pains) == 1
    assert (pains[0].exercise_id, pains[0].side, pains[0].rep) == ("clamshell", Side.LEFT, 1)
    tap(player.pain_overlay.resume_button)
    assert state_of(player) is SessionState.RUNNING
    assert not player.pain_overlay.isVisible()


def test_ending_the_session_from_the_pain_overlay(qtbot: QtBot, window: QtKioskWindow) -> None:
    player = start_session(window, TOM)
    tap(player.hurts_button)
    with qtbot.waitSignal(window.screen_changed):
        tap(player.pain_overlay.end_button)
    assert window.visit.summary is not None
    assert window.visit.summary.title.text() == "Thank you, Tom"
    info = _session_log(window).info(1)
    assert info is not None
    assert info.state.value == "stopped"


def test_stop_asks_first_and_keep_going_resumes(window: QtKioskWindow) -> None:
    player = start_session(window, ANN)
    tap(player.stop_button)
    assert player.stop_overlay.isVisible()
    assert state_of(player) is SessionState.PAUSED
    tap(player.stop_overlay.second_button)  # keep going
    assert not player.stop_overlay.isVisible()
    assert state_of(player) is SessionState.RUNNING


def test_stop_confirmed_ends_the_session(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock
) -> None:
    player = start_session(window, ANN)
    run_until(clock, player, lambda: player.engine.current_step().rep == 2)
    tap(player.stop_button)
    with qtbot.waitSignal(window.screen_changed):
        tap(player.stop_overlay.first_button)
    sets = _session_log(window).sets_for(1)
    assert [(r.status, r.reps_done) for r in sets] == [(SetStatus.STOPPED, 1)]
    assert window.visit.summary is not None
    assert window.visit.summary.summary.sets == 0


def test_the_summary_returns_to_the_attract_screen_on_a_tap(window: QtKioskWindow) -> None:
    player = start_session(window, ANN)
    tap(player.stop_button)
    tap(player.stop_overlay.first_button)
    summary = window.visit.summary
    assert summary is not None
    assert summary.page == "pain"  # first: pain now (optional)
    tap(summary.skip_button)
    assert summary.page == "totals"
    assert summary.timer.isActive()
    assert summary.timer.interval() == 20_000
    tap(summary.done_button)
    assert summary.page == "goodbye"
    tap(summary)
    assert window.current_screen() is window.attract
    assert window.checkin.digits == ""


def test_the_summary_returns_by_itself(qtbot: QtBot, window: QtKioskWindow) -> None:
    player = start_session(window, ANN)
    tap(player.stop_button)
    tap(player.stop_overlay.first_button)
    summary = window.visit.summary
    assert summary is not None
    summary.pain_timer.timeout.emit()  # what a minute of nobody touching would do
    assert summary.page == "totals"
    summary.timer.timeout.emit()  # 20 s more
    assert summary.page == "goodbye"
    with qtbot.waitSignal(window.screen_changed):
        summary.goodbye_timer.timeout.emit()
    assert window.current_screen() is window.attract
