"""The engine's commands: next, repeat, hurt, skip_exercise and stop (FakeClock only)."""

from __future__ import annotations

import math
from datetime import UTC, timedelta

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.compiler import compile_prescription
from kiosk.core.engine import SessionEngine
from kiosk.core.events import (
    CueDue,
    IllegalTransitionError,
    PainReported,
    SessionEnded,
    SessionState,
    SetFinished,
    StateChanged,
    StepStarted,
)
from kiosk.core.records import SetStatus
from kiosk.core.timeline import Side, StepKind
from media.schema import SidePattern
from tests.core.builders import (
    EPOCH,
    advance_to,
    first_step,
    hold_rx,
    make_engine,
    reps_rx,
    run_by_deadlines,
    state_of,
    two_exercises,
)

L, R = Side.LEFT, Side.RIGHT
S = SessionState
K = StepKind


# -- next --------------------------------------------------------------------------------
def test_next_during_the_intro_jumps_to_the_countdown_without_its_cues() -> None:
    tl = compile_prescription(reps_rx())
    engine, clock, rec = make_engine(tl)
    engine.start()
    clock.advance(1.0)
    engine.next()
    countdown = tl.steps[1]
    assert engine.current_step() is countdown
    assert engine.position_s() == countdown.start_s
    assert rec.steps() == [tl.steps[0], countdown]
    assert rec.cues()[-1] == countdown.cues[0]  # the announcement, at once
    assert engine.remaining_in_step_s() == countdown.duration_s


def test_next_during_a_rep_skips_the_rest_of_the_set() -> None:
    tl = compile_prescription(reps_rx(sets=2, reps=4, final_hold_s=10.0))
    rep3 = first_step(tl, K.REP, set=1, side=L, rep=3)
    engine, clock, rec = make_engine(tl)
    engine.start()
    advance_to(engine, clock, rep3.start_s + 1.0, tick=0.25)
    rec.clear()
    engine.next()
    (finished,) = rec.of(SetFinished)
    r = finished.record
    assert (r.status, r.reps_done, r.reps_target) == (SetStatus.SKIPPED, 2, 4)
    assert (r.hold_target_s, r.hold_done_s) == (10.0, 0.0)
    rest = engine.current_step()
    assert rest.kind is K.REST
    assert rest.index == first_step(tl, K.HOLD, set=1, side=L).index + 1
    # Nothing from the skipped reps or the final hold was said.
    assert all(c in rest.cues for c in rec.cues())
    # The session carries on normally.
    run_by_deadlines(engine, clock)
    assert [x.status for x in engine.records] == [SetStatus.SKIPPED] + [SetStatus.COMPLETED] * 3


def test_next_during_a_hold_records_how_long_was_held() -> None:
    tl = compile_prescription(hold_rx(sets=1, sides=SidePattern.NONE, hold_s=30.0))
    hold = first_step(tl, K.HOLD)
    engine, clock, _ = make_engine(tl)
    engine.start()
    advance_to(engine, clock, hold.start_s + 12.3, tick=0.1)
    engine.next()
    (r,) = engine.records
    assert r.status is SetStatus.SKIPPED
    assert r.hold_done_s == pytest.approx(12.3, abs=0.1)
    assert engine.current_step().kind is K.DONE


def test_next_while_paused_moves_the_screen_and_keeps_the_cues_for_resume() -> None:
    tl = compile_prescription(reps_rx())
    engine, clock, rec = make_engine(tl)
    engine.start()
    engine.pause()
    rec.clear()
    engine.next()
    assert engine.state is S.PAUSED
    assert rec.events == [StepStarted(tl.steps[1])]
    clock.advance(5.0)
    engine.update()
    assert engine.position_s() == tl.steps[1].start_s
    engine.resume()
    assert rec.events[1:] == [
        StateChanged(S.PAUSED, S.RUNNING),
        CueDue(tl.steps[1].cues[0], 0.0),
    ]


def test_next_on_the_last_step_finishes() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=1, sides=SidePattern.NONE))
    engine, _, rec = make_engine(tl)
    engine.start()
    for _ in range(len(tl.steps)):
        engine.next()
    assert engine.state is S.FINISHED
    assert rec.events[-1] == SessionEnded(S.FINISHED, engine.records)
    with pytest.raises(IllegalTransitionError):
        engine.next()


def test_next_on_the_last_step_while_paused_finishes_too() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=1, sides=SidePattern.NONE))
    engine, _, _ = make_engine(tl)
    engine.start()
    engine.pause()
    for _ in range(len(tl.steps)):
        engine.next()
    assert engine.state is S.FINISHED


# -- repeat ------------------------------------------------------------------------------
def test_repeat_says_the_latest_instruction_again_without_moving_time() -> None:
    tl = compile_prescription(reps_rx())
    engine, clock, rec = make_engine(tl)
    engine.start()
    clock.advance(3.0)
    engine.update()
    position = engine.position_s()
    rec.clear()
    engine.repeat()
    assert rec.events == [CueDue(tl.steps[0].cues[0], 0.0)]
    assert engine.position_s() == position
    # Counts are not instructions: during rep 2 the latest instruction is rep 1's last word.
    rep2 = first_step(tl, K.REP, rep=2)
    advance_to(engine, clock, rep2.start_s + 0.5, tick=0.25)
    rec.clear()
    engine.repeat()
    assert rec.events[0].cue.text == "Lower"  # type: ignore[union-attr]
    engine.pause()
    engine.repeat()  # allowed while paused
    assert engine.state is S.PAUSED


# -- pain, skip and stop -----------------------------------------------------------------
def test_hurt_records_a_pain_event_and_freezes_time() -> None:
    tl = compile_prescription(reps_rx(sets=2, reps=4))
    rep3 = first_step(tl, K.REP, set=1, side=R, rep=3)
    engine, clock, rec = make_engine(tl)
    engine.start()
    advance_to(engine, clock, rep3.start_s + 0.5, tick=0.5)
    rec.clear()
    engine.hurt()
    assert engine.state is S.PAIN
    (pain,) = engine.pain_events
    assert (pain.exercise_index, pain.exercise_id, pain.set_number, pain.side, pain.rep) == (
        0,
        "clamshell",
        1,
        R,
        3,
    )
    assert pain.at == EPOCH + timedelta(seconds=clock() - 1000.0)
    assert rec.events == [StateChanged(S.RUNNING, S.PAIN), PainReported(pain)]
    position = engine.position_s()
    clock.advance(30.0)
    engine.update()
    assert engine.position_s() == position
    engine.resume()
    run_by_deadlines(engine, clock)
    assert engine.records[1].paused_s == pytest.approx(30.0)


def test_skip_exercise_after_pain_resumes_at_the_next_exercise() -> None:
    tl = two_exercises()
    hold_intro = first_step(tl, K.INTRO, exercise_index=1)
    rep2 = first_step(tl, K.REP, set=1, side=L, rep=2)
    engine, clock, rec = make_engine(tl)
    engine.start()
    advance_to(engine, clock, rep2.start_s + 0.5, tick=0.5)
    engine.hurt()
    clock.advance(20.0)
    rec.clear()
    engine.skip_exercise()
    assert engine.state is S.RUNNING
    assert engine.current_step() is hold_intro
    (r,) = engine.records
    assert (r.status, r.reps_done) == (SetStatus.SKIPPED, 1)
    assert r.paused_s == pytest.approx(20.0)
    assert [type(e) for e in rec.events] == [SetFinished, StateChanged, StepStarted, CueDue]
    run_by_deadlines(engine, clock)
    assert [x.exercise_id for x in engine.records] == ["clamshell", "wall-press", "wall-press"]


def test_skip_exercise_on_the_last_exercise_goes_to_done_and_while_paused_stays_paused() -> None:
    tl = two_exercises()
    engine, _, _ = make_engine(tl)
    engine.start()
    engine.pause()
    engine.skip_exercise()
    assert engine.state is S.PAUSED
    assert engine.current_step() is first_step(tl, K.INTRO, exercise_index=1)
    engine.skip_exercise()
    assert engine.current_step().kind is K.DONE
    assert engine.records == ()
    engine.skip_exercise()  # from DONE: the end
    assert state_of(engine) is S.FINISHED


def test_stop_during_a_set_records_it_as_stopped() -> None:
    tl = compile_prescription(hold_rx(sets=2, sides=SidePattern.NONE))
    hold = first_step(tl, K.HOLD, set=1)
    engine, clock, rec = make_engine(tl)
    engine.start()
    advance_to(engine, clock, hold.start_s + 7.0, tick=0.5)
    engine.pause()
    clock.advance(3.0)
    rec.clear()
    engine.stop()
    assert engine.state is S.STOPPED
    (r,) = engine.records
    assert (r.status, r.hold_done_s, r.paused_s) == (SetStatus.STOPPED, 7.0, 3.0)
    assert rec.events == [
        SetFinished(r),
        StateChanged(S.PAUSED, S.STOPPED),
        SessionEnded(S.STOPPED, (r,)),
    ]
    position = engine.position_s()
    clock.advance(10.0)
    engine.update()
    assert engine.position_s() == position
    assert engine.next_deadline() is None


def test_stop_before_start_ends_an_empty_session() -> None:
    engine, _, rec = make_engine(compile_prescription(reps_rx()))
    engine.stop()
    assert rec.events == [StateChanged(S.READY, S.STOPPED), SessionEnded(S.STOPPED, ())]
    assert engine.position_s() == 0.0
    assert engine.next_deadline() is None


def test_the_default_wall_clock_is_utc() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=1, sides=SidePattern.NONE))
    clock = FakeClock()
    engine = SessionEngine(tl, clock=clock, stall_s=math.inf)
    engine.start()
    clock.advance(tl.total_s)
    engine.update()
    (record,) = engine.records
    assert record.started_at.tzinfo is UTC
    assert record.started_at <= record.ended_at


def test_a_command_after_the_timeline_ran_out_catches_up_first() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=1, sides=SidePattern.NONE))
    engine, clock, _ = make_engine(tl, stall_s=math.inf)
    engine.start()
    clock.advance(tl.total_s + 5)
    engine.stop()  # too late: the session had finished
    assert engine.state is S.FINISHED
    assert [r.status for r in engine.records] == [SetStatus.COMPLETED]


def test_hurt_after_the_timeline_ran_out_is_still_recorded() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=1, sides=SidePattern.NONE))
    engine, clock, rec = make_engine(tl, stall_s=math.inf)
    engine.start()
    clock.advance(tl.total_s + 5)
    engine.hurt()
    assert engine.state is S.FINISHED
    assert len(engine.pain_events) == 1
    assert isinstance(rec.events[-1], PainReported)
