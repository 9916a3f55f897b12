"""Every (state, command) pair: legal moves land where the table says, the rest raise."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.compiler import compile_program
from kiosk.core.engine import FINAL_STATES, TRANSITIONS, SessionEngine
from kiosk.core.events import (
    Command,
    CueDue,
    IllegalTransitionError,
    SessionEnded,
    SessionState,
    SetFinished,
    StepStarted,
)
from kiosk.core.records import SetStatus
from kiosk.core.timeline import Timeline
from media.schema import SidePattern
from tests.core.builders import hold_rx, make_engine, program, reps_rx, run_by_deadlines

S = SessionState
C = Command

#: The table as the brief states it, written out independently of the engine's.
EXPECTED = {
    (S.READY, C.START): S.RUNNING,
    (S.READY, C.STOP): S.STOPPED,
    (S.RUNNING, C.PAUSE): S.PAUSED,
    (S.RUNNING, C.NEXT): S.RUNNING,
    (S.RUNNING, C.REPEAT): S.RUNNING,
    (S.RUNNING, C.HURT): S.PAIN,
    (S.RUNNING, C.SKIP_EXERCISE): S.RUNNING,
    (S.RUNNING, C.STOP): S.STOPPED,
    (S.RUNNING, C.FINISH): S.FINISHED,
    (S.PAUSED, C.RESUME): S.RUNNING,
    (S.PAUSED, C.NEXT): S.PAUSED,
    (S.PAUSED, C.REPEAT): S.PAUSED,
    (S.PAUSED, C.HURT): S.PAIN,
    (S.PAUSED, C.SKIP_EXERCISE): S.PAUSED,
    (S.PAUSED, C.STOP): S.STOPPED,
    (S.PAUSED, C.FINISH): S.FINISHED,
    (S.PAIN, C.RESUME): S.RUNNING,
    (S.PAIN, C.SKIP_EXERCISE): S.RUNNING,
    (S.PAIN, C.STOP): S.STOPPED,
}


def timeline() -> Timeline:
    return compile_program(program(reps_rx(), hold_rx(), rest_between_exercises_s=5.0))


def engine_in(state: SessionState) -> SessionEngine:
    engine, clock, _ = make_engine(timeline())
    if state is S.READY:
        return engine
    engine.start()
    clock.advance(2.0)
    engine.update()
    if state is S.PAUSED:
        engine.pause()
    elif state is S.PAIN:
        engine.hurt()
    elif state is S.STOPPED:
        engine.stop()
    elif state is S.FINISHED:
        run_by_deadlines(engine, clock)
    assert engine.state is state
    return engine


COMMANDS: dict[Command, Callable[[SessionEngine], None]] = {
    C.START: SessionEngine.start,
    C.PAUSE: SessionEngine.pause,
    C.RESUME: SessionEngine.resume,
    C.NEXT: SessionEngine.next,
    C.REPEAT: SessionEngine.repeat,
    C.STOP: SessionEngine.stop,
    C.HURT: SessionEngine.hurt,
    C.SKIP_EXERCISE: SessionEngine.skip_exercise,
}


def test_the_table_is_the_documented_one() -> None:
    assert TRANSITIONS == EXPECTED
    assert not any(state in FINAL_STATES for state, _ in TRANSITIONS)


@pytest.mark.parametrize(("state", "command"), list(itertools.product(S, COMMANDS)))
def test_every_state_and_command(state: SessionState, command: Command) -> None:
    engine = engine_in(state)
    call = COMMANDS[command]
    expected = EXPECTED.get((state, command))
    if expected is None:
        with pytest.raises(IllegalTransitionError) as info:
            call(engine)
        assert (info.value.state, info.value.command) == (state, command)
        assert engine.state is state  # an illegal move changes nothing
    else:
        call(engine)
        assert engine.state is expected


def test_the_error_message_names_the_move() -> None:
    engine = engine_in(S.RUNNING)
    with pytest.raises(IllegalTransitionError, match="cannot resume while running"):
        engine.resume()


# -- random sessions: whatever the patient taps, the log stays sane -----------------------
ACTIONS = st.sampled_from(
    ["tick", "tick", "tick", "pause", "resume", "next", "repeat", "hurt", "skip", "stop"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(ACTIONS, st.floats(0.0, 20.0)), max_size=60),
    st.sampled_from(SidePattern),
)
def test_random_taps_keep_the_session_consistent(
    actions: list[tuple[str, float]], sides: SidePattern
) -> None:
    tl = compile_program(
        program(reps_rx(sets=2, sides=sides, final_hold_s=3.0), hold_rx(hold_s=8.0, sets=1))
    )
    engine, clock, rec = make_engine(tl)
    engine.start()
    methods = {
        "pause": engine.pause,
        "resume": engine.resume,
        "next": engine.next,
        "repeat": engine.repeat,
        "hurt": engine.hurt,
        "skip": engine.skip_exercise,
        "stop": engine.stop,
    }
    last_position = 0.0
    for action, dt in actions:
        clock.advance(dt)
        if action == "tick":
            engine.update()
        else:
            with contextlib.suppress(IllegalTransitionError):
                methods[action]()
        position = engine.position_s()
        assert position >= last_position - 1e-9  # time never runs backwards
        assert 0.0 <= position <= tl.total_s + 1e-9
        last_position = position
        assert engine.remaining_in_step_s() >= 0.0
    if engine.state not in FINAL_STATES:
        engine.stop()

    records = engine.records
    sets = {(r.exercise_index, r.set_number, r.side) for r in records}
    assert len(sets) == len(records)  # at most one record per set
    assert [e.record for e in rec.of(SetFinished)] == list(records)
    assert sum(1 for e in rec.events if isinstance(e, SessionEnded)) == 1
    for r in records:
        assert r.paused_s >= 0.0
        assert r.started_at <= r.ended_at
        if r.reps_target is not None:
            assert r.reps_done is not None
            assert 0 <= r.reps_done <= r.reps_target
            assert (r.reps_done == r.reps_target) or r.status is not SetStatus.COMPLETED
        if r.hold_target_s is not None:
            assert r.hold_done_s is not None
            assert 0.0 <= r.hold_done_s <= r.hold_target_s + 1e-9
    # Cues come out in timeline order (repeats aside) and steps only move forward.
    position_of = {id(c): i for i, c in enumerate(tl.cues())}
    first_seen: list[int] = []
    for event in rec.of(CueDue):
        index = position_of[id(event.cue)]
        if index not in first_seen:
            first_seen.append(index)
    assert first_seen == sorted(first_seen)
    starts = [e.step.index for e in rec.of(StepStarted)]
    assert starts == sorted(set(starts))
