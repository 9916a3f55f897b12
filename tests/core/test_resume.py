"""Resuming an interrupted session: the logged sets are not repeated."""

from __future__ import annotations

import pytest

from kiosk.core.compiler import compile_prescription, compile_program
from kiosk.core.resume import resume_point
from kiosk.core.timeline import Side, StepKind
from tests.core.builders import hold_rx, make_engine, program, reps_rx, run_by_deadlines

L, R = Side.LEFT, Side.RIGHT


def test_nothing_done_means_nothing_to_resume() -> None:
    assert resume_point(compile_prescription(reps_rx()), []) is None


def test_everything_done_means_nothing_to_resume() -> None:
    timeline = compile_prescription(reps_rx(sets=1))
    assert resume_point(timeline, [(0, 1, L), (0, 1, R)]) is None


def test_resume_starts_at_the_side_switch_before_the_first_missing_set() -> None:
    timeline = compile_prescription(reps_rx(sets=2))  # alternate: L1 R1 L2 R2
    point = resume_point(timeline, [(0, 1, L)])
    assert point is not None
    assert (point.exercise_index, point.set_number, point.side) == (0, 1, R)
    assert timeline.steps[point.step_index].kind is StepKind.SWITCH_SIDE
    assert point.exercise_name == timeline.steps[0].title
    assert point.sets_done == 1


def test_resume_at_a_new_exercise_starts_with_its_intro() -> None:
    timeline = compile_program(program(reps_rx(sets=1), hold_rx(sets=1)))
    point = resume_point(timeline, [(0, 1, L), (0, 1, R)])
    assert point is not None
    assert point.exercise_index == 1
    assert timeline.steps[point.step_index].kind is StepKind.INTRO


def test_the_resumed_engine_logs_only_the_sets_not_done() -> None:
    timeline = compile_prescription(reps_rx(sets=2))
    point = resume_point(timeline, [(0, 1, L), (0, 1, R)])
    assert point is not None
    engine, clock, _ = make_engine(timeline)
    engine.start(from_step=point.step_index)
    assert engine.current_step().index == point.step_index
    run_by_deadlines(engine, clock)
    assert [(r.set_number, r.side) for r in engine.records] == [(2, L), (2, R)]


def test_start_from_a_step_that_does_not_exist_raises() -> None:
    engine, _, _ = make_engine(compile_prescription(reps_rx()))
    with pytest.raises(ValueError, match="no step 999"):
        engine.start(from_step=999)
