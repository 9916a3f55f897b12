"""The session engine driven by a FakeClock: whole sessions in milliseconds, pause, the
player's view and listeners. Commands are in test_engine_commands.py."""

from __future__ import annotations

import logging
import math
from datetime import timedelta

import pytest

from kiosk.core.compiler import compile_prescription
from kiosk.core.engine import STALL_S, SessionEngine
from kiosk.core.events import (
    CueDue,
    Event,
    PhaseStarted,
    SessionEnded,
    SessionState,
    SetFinished,
    StateChanged,
    StepStarted,
)
from kiosk.core.records import SetStatus
from kiosk.core.timeline import Side, StepKind, Timeline, Tone
from media.schema import SidePattern
from tests.core.builders import (
    EPOCH,
    advance_to,
    first_step,
    hold_rx,
    make_engine,
    reps_rx,
    run_by_deadlines,
    two_exercises,
)

L, R = Side.LEFT, Side.RIGHT
S = SessionState
K = StepKind


# -- whole sessions ----------------------------------------------------------------------
def test_a_whole_session_by_deadlines_emits_everything_on_time_in_order() -> None:
    tl = two_exercises()
    engine, clock, rec = make_engine(tl)
    engine.start()
    run_by_deadlines(engine, clock)

    assert engine.state is S.FINISHED
    assert rec.steps() == list(tl.steps)
    assert rec.cues() == list(tl.cues())
    assert all(e.late_s < 1e-6 for e in rec.of(CueDue))
    phases = [e.phase for e in rec.of(PhaseStarted)]
    assert phases == [p for s in tl.steps for p in s.phases]
    assert engine.position_s() == tl.total_s
    assert clock() == pytest.approx(1000.0 + tl.total_s)
    assert isinstance(rec.events[-1], SessionEnded)
    assert rec.events[-1].state is S.FINISHED
    assert rec.of(StateChanged) == [
        StateChanged(S.READY, S.RUNNING),
        StateChanged(S.RUNNING, S.FINISHED),
    ]


def test_records_one_per_set_with_sides_counts_and_times() -> None:
    tl = two_exercises()
    engine, clock, rec = make_engine(tl)
    engine.start()
    advance_to(engine, clock, tl.total_s + 1, tick=0.37)

    records = engine.records
    assert [(r.exercise_id, r.set_number, r.side) for r in records] == [
        ("clamshell", 1, L),
        ("clamshell", 1, R),
        ("clamshell", 2, L),
        ("clamshell", 2, R),
        ("wall-press", 1, L),
        ("wall-press", 1, R),
    ]
    assert [e.record for e in rec.of(SetFinished)] == list(records)
    assert rec.events[-1] == SessionEnded(S.FINISHED, records)
    for r in records[:4]:
        assert (r.reps_target, r.reps_done) == (4, 4)
        assert (r.hold_target_s, r.hold_done_s) == (5.0, 5.0)  # the final hold
    for r in records[4:]:
        assert (r.reps_target, r.reps_done) == (None, None)
        assert (r.hold_target_s, r.hold_done_s) == (30.0, 30.0)
    assert all(r.status is SetStatus.COMPLETED and r.paused_s == 0.0 for r in records)
    # Wall times: the set's first work step start to its last work step end (ticks of 0.37 s).
    first = first_step(tl, K.REP, set=1, side=R, rep=1)
    last = first_step(tl, K.HOLD, set=1, side=R)
    r = records[1]
    tick = timedelta(seconds=0.37)
    assert r.started_at - EPOCH == pytest.approx(timedelta(seconds=first.start_s), abs=tick)
    assert r.ended_at - EPOCH == pytest.approx(timedelta(seconds=last.end_s), abs=tick)


def test_a_30_s_hold_ends_at_30_s_of_position_however_the_clock_ticks() -> None:
    tl = compile_prescription(hold_rx(sets=1, sides=SidePattern.NONE, hold_s=30.0))
    hold = first_step(tl, K.HOLD)
    engine, clock, rec = make_engine(tl)
    engine.start()
    seen: list[tuple[float, float]] = []
    while engine.state is S.RUNNING and engine.position_s() < hold.end_s + 1:
        clock.advance(0.37)
        engine.update()
        if engine.current_step() is hold:
            seen.append((engine.position_s(), engine.remaining_in_step_s()))
    # Remaining time comes from the deadline, never from counting ticks.
    assert all(remaining == pytest.approx(hold.end_s - pos) for pos, remaining in seen)
    (end,) = [e for e in rec.of(CueDue) if e.cue.tone is Tone.HOLD_END]
    assert end.cue.at_s == hold.end_s
    noticed_at = end.cue.at_s + end.late_s
    assert 0.0 <= end.late_s < 0.37
    assert (noticed_at - hold.start_s) == pytest.approx(30.0 + end.late_s)
    (record,) = engine.records
    assert record.hold_done_s == 30.0


def test_next_deadline_arms_one_timer_exactly_at_the_hold_end() -> None:
    tl = compile_prescription(hold_rx(sets=1, sides=SidePattern.NONE, hold_s=30.0))
    hold = first_step(tl, K.HOLD)
    engine, clock, rec = make_engine(tl)
    assert engine.next_deadline() is None  # READY
    engine.start()
    # Everything at 0 went out with start(); the next moment is the end of the intro.
    assert engine.next_deadline() == pytest.approx(1000.0 + tl.steps[1].start_s)
    advance_to(engine, clock, hold.end_s - 1.5, tick=0.37)
    # The next moments: the count "1", then HOLD_END at exactly 30 s into the hold (with the
    # set's end and the next step's start at the same instant).
    deadlines = []
    while engine.current_step() is hold:
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(deadline - clock() - 0.001)
        count = len(rec.events)
        engine.update()
        assert len(rec.events) == count  # a millisecond early: nothing yet
        clock.advance(0.001)
        engine.update()
        assert len(rec.events) > count
        deadlines.append(deadline - 1000.0)
    assert deadlines == pytest.approx([hold.end_s - 1, hold.end_s], abs=1e-9)
    assert hold.end_s - hold.start_s == 30.0
    engine.pause()
    assert engine.next_deadline() is None


def test_a_late_update_catches_up_in_order_with_late_s() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=2, sides=SidePattern.NONE))
    engine, clock, rec = make_engine(tl, stall_s=math.inf)  # late, not a kiosk standing still
    engine.start()
    clock.advance(tl.total_s + 100)
    engine.update()
    assert engine.state is S.FINISHED
    assert rec.cues() == list(tl.cues())
    late = [e.late_s for e in rec.of(CueDue)][1:]  # the first went out with start()
    assert late == sorted(late, reverse=True)
    assert late[-1] == pytest.approx(100 + tl.total_s - tl.cues()[-1].at_s)


def test_start_emits_the_first_step_and_its_cues_at_zero() -> None:
    tl = compile_prescription(reps_rx())
    engine, _, rec = make_engine(tl)
    assert engine.position_s() == 0.0
    assert engine.current_step() is tl.steps[0]
    engine.start()
    assert rec.events == [
        StateChanged(S.READY, S.RUNNING),
        StepStarted(tl.steps[0]),
        CueDue(tl.steps[0].cues[0], 0.0),
    ]


def test_hold_end_is_emitted_before_the_set_finishes_and_the_next_step_starts() -> None:
    tl = compile_prescription(hold_rx(sets=2, sides=SidePattern.NONE, rest_s=5.0))
    hold = first_step(tl, K.HOLD, set=1)
    engine, clock, rec = make_engine(tl)
    engine.start()
    advance_to(engine, clock, hold.end_s - 0.5, tick=0.5)
    rec.clear()
    clock.advance(0.5)
    engine.update()
    assert [type(e) for e in rec.events] == [CueDue, SetFinished, StepStarted, CueDue]
    assert rec.events[0].cue.tone is Tone.HOLD_END  # type: ignore[union-attr]


# -- pause and resume --------------------------------------------------------------------
def test_pause_freezes_position_and_counts_into_the_set_record() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=3, sides=SidePattern.NONE))
    rep2 = first_step(tl, K.REP, rep=2)
    engine, clock, _rec = make_engine(tl)
    engine.start()
    advance_to(engine, clock, rep2.start_s + 1.0, tick=0.25)
    position, remaining = engine.position_s(), engine.remaining_in_step_s()
    engine.pause()
    clock.advance(42.0)
    engine.update()
    assert engine.position_s() == position
    assert engine.remaining_in_step_s() == remaining
    assert engine.state is S.PAUSED
    engine.resume()
    advance_to(engine, clock, tl.total_s, tick=0.25)
    (record,) = engine.records
    assert record.paused_s == pytest.approx(42.0)
    assert record.status is SetStatus.COMPLETED
    assert (record.ended_at - record.started_at).total_seconds() == pytest.approx(
        first_step(tl, K.REP, rep=3).end_s - first_step(tl, K.REP, rep=1).start_s + 42.0,
        abs=0.25,
    )


def test_a_pause_outside_a_set_is_not_counted_in_it() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=2, sides=SidePattern.NONE))
    engine, clock, _ = make_engine(tl)
    engine.start()
    engine.pause()  # during the intro
    clock.advance(60.0)
    engine.resume()
    run_by_deadlines(engine, clock)
    assert engine.records[0].paused_s == 0.0


# -- the player's view -------------------------------------------------------------------
def test_set_progress_and_current_phase() -> None:
    tl = compile_prescription(reps_rx(sets=3, reps=10, rep_hold_s=1.0))
    rep7 = first_step(tl, K.REP, set=2, side=L, rep=7)
    engine, clock, _ = make_engine(tl)
    assert engine.set_progress() is None  # the intro
    engine.start()
    advance_to(engine, clock, rep7.start_s + 2.5, tick=0.5)
    progress = engine.set_progress()
    assert progress is not None
    assert (progress.set_number, progress.sets_total, progress.side) == (2, 3, L)
    assert (progress.rep, progress.reps_done, progress.reps_total) == (7, 6, 10)
    phase = engine.current_phase()
    assert phase is not None
    assert (phase.name, phase.word) == ("hold", "Hold")


def test_set_progress_during_a_hold() -> None:
    tl = compile_prescription(hold_rx(sets=1, sides=SidePattern.NONE, hold_s=30.0))
    hold = first_step(tl, K.HOLD)
    engine, clock, _ = make_engine(tl)
    engine.start()
    advance_to(engine, clock, hold.start_s + 10.0, tick=0.5)
    progress = engine.set_progress()
    assert progress is not None
    assert progress.hold_elapsed_s == pytest.approx(10.0)
    assert progress.hold_total_s == 30.0
    assert engine.remaining_in_step_s() == pytest.approx(20.0)


# -- listeners ---------------------------------------------------------------------------
def test_a_failing_listener_is_logged_and_the_others_still_hear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=2, sides=SidePattern.NONE))
    engine, clock, rec = make_engine(tl)

    def broken(event: Event) -> None:
        raise RuntimeError("listener bug")

    engine.unsubscribe(rec)
    engine.subscribe(broken)
    engine.subscribe(rec)
    with caplog.at_level(logging.ERROR, logger="kiosk.core.engine"):
        engine.start()
        run_by_deadlines(engine, clock)
    assert engine.state is S.FINISHED
    assert rec.steps() == list(tl.steps)
    assert "listener bug" in caplog.text


def test_a_listener_may_command_the_engine_and_events_stay_in_order() -> None:
    tl = compile_prescription(reps_rx(sets=1, reps=3, sides=SidePattern.NONE))
    engine, clock, rec = make_engine(tl, stall_s=math.inf)  # late, not a kiosk standing still
    order: list[str] = []

    def pauses_on_countdown(event: Event) -> None:
        order.append(type(event).__name__)
        if isinstance(event, StepStarted) and event.step.kind is K.COUNTDOWN:
            engine.pause()

    engine.subscribe(pauses_on_countdown)
    engine.start()
    clock.advance(7.0)  # one late update: the countdown started 2 s ago
    engine.update()
    assert engine.state is S.PAUSED
    assert engine.current_step().kind is K.COUNTDOWN
    # The pause came after the StepStarted that caused it, and nothing ran past the pause.
    assert order[-2:] == ["StepStarted", "StateChanged"]
    assert rec.of(StateChanged)[-1] == StateChanged(S.RUNNING, S.PAUSED)
    assert engine.position_s() == 7.0  # paused at the real now
    # On resume the walk catches up with what it had not yet emitted.
    engine.resume()
    announce = tl.steps[1].cues[0]
    (late,) = [e.late_s for e in rec.of(CueDue) if e.cue is announce]
    assert late == pytest.approx(2.0)


def test_unsubscribe_stops_delivery() -> None:
    engine, _, rec = make_engine(compile_prescription(reps_rx()))
    engine.unsubscribe(rec)
    engine.unsubscribe(rec)  # twice is harmless
    engine.start()
    assert rec.events == []


def test_an_empty_timeline_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        SessionEngine(Timeline("x", ()), clock=lambda: 0.0)


def test_a_kiosk_that_stood_still_carries_on_where_it_stood() -> None:
    """Ten seconds with no update (the screen frozen): no step is rushed, nothing is dropped,
    and the set is recorded as it really went, the lost time as paused."""
    tl = compile_prescription(reps_rx(sets=2, reps=3, sides=SidePattern.NONE, rest_s=5.0))
    engine, clock, rec = make_engine(tl)
    engine.start()
    while engine.current_step().kind is not K.REP:
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(deadline - clock())
        engine.update()
    stood_at, stood_clock = engine.position_s(), clock()
    next_due = engine.next_deadline()
    assert next_due is not None
    clock.advance(10.0)
    engine.update()
    # Carried on STALL_S past the moment that was due; the rest of the ten seconds is paused.
    gap = stood_clock + 10.0 - next_due - STALL_S
    assert engine.position_s() == pytest.approx(stood_at + (next_due - stood_clock) + STALL_S)
    run_by_deadlines(engine, clock)
    assert engine.state is S.FINISHED
    assert rec.cues() == list(tl.cues())  # every cue said, in order
    assert max(e.late_s for e in rec.of(CueDue)) <= STALL_S + 1e-9
    first, second = engine.records
    assert (first.status, first.reps_done) == (SetStatus.COMPLETED, 3)
    assert first.paused_s == pytest.approx(gap)
    span = [s for s in tl.steps if s.kind is K.REP and s.set == 1]
    lasted = (first.ended_at - first.started_at).total_seconds()
    assert lasted == pytest.approx(span[-1].end_s - span[0].start_s + gap)
    assert second.paused_s == 0.0
