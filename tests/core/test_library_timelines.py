"""The real library compiles: every exercise's default dose, and every preset routine."""

from __future__ import annotations

import itertools

import pytest

from kiosk.core import cue_text
from kiosk.core.compiler import (
    compile_prescription,
    compile_program,
    estimate_duration_s,
    timeline_to_dict,
)
from kiosk.core.engine import SessionEngine
from kiosk.core.events import SessionState
from kiosk.core.prescription import Prescription, ProgramItemSpec, build_program
from kiosk.core.timeline import StepKind, Timeline
from media.loader import load_library
from media.schema import Library
from tests.core.builders import make_engine, run_by_deadlines

LIBRARY: Library = load_library()


def check(tl: Timeline) -> None:
    """The invariants the hypothesis tests prove on synthetic prescriptions."""
    for prev, step in itertools.pairwise(tl.steps):
        assert step.start_s == prev.end_s
    for step in tl.steps:
        assert [c.at_s for c in step.cues] == sorted(c.at_s for c in step.cues)
        assert all(step.start_s <= c.at_s <= step.end_s for c in step.cues)
    spoken = [c for c in tl.cues() if c.text is not None]
    for earlier, cue in itertools.pairwise(spoken):
        assert cue.at_s >= earlier.at_s + cue_text.speech_s(earlier.text or "") - 1e-9


@pytest.mark.parametrize("exercise_id", sorted(LIBRARY.exercises))
def test_every_exercise_default_dose_compiles_and_runs(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    rx = Prescription.from_exercise(exercise)
    tl = compile_prescription(rx)
    check(tl)
    assert tl.steps[0].kind is StepKind.INTRO
    assert tl.steps[0].cues[0].text is not None
    assert tl.steps[0].cues[0].text.startswith(exercise.name)
    assert 30.0 < estimate_duration_s(rx) < 30 * 60.0
    assert timeline_to_dict(tl)["exercise"] == exercise.name

    engine, clock, _ = make_engine(tl)
    engine.start()
    run_by_deadlines(engine, clock)
    assert engine.state is SessionState.FINISHED
    assert len(engine.records) == rx.sets * rx.side_count


@pytest.mark.parametrize("routine_id", sorted(LIBRARY.routines))
def test_every_routine_compiles_as_a_program(routine_id: str) -> None:
    routine = LIBRARY.routines[routine_id]
    prog = build_program(
        routine.name,
        [ProgramItemSpec(exercise_id=i) for i in routine.exercise_ids],
        LIBRARY.exercises,
        side_series=routine.side_series,
        rest_between_exercises_s=float(routine.rest_s),
    )
    tl = compile_program(prog)
    check(tl)
    switches = [s for s in tl.steps if s.kind is StepKind.SWITCH_SIDE]
    if routine.side_series:
        assert len(switches) == 1
    engine: SessionEngine
    engine, clock, _ = make_engine(tl)
    engine.start()
    run_by_deadlines(engine, clock)
    assert len(engine.records) == sum(p.sets * p.side_count for p in prog.items)


@pytest.mark.parametrize("exercise_id", sorted(LIBRARY.exercises))
def test_in_spanish_every_cue_is_said_and_none_talks_over_another(exercise_id: str) -> None:
    """Spoken at Spanish's measured pace (``es.SECONDS_PER_WORD``), the Spanish library's
    cues still all fit: none is dropped for want of time, none starts before the last ends."""
    from kiosk import text

    spanish = load_library(language="es")
    english_rx = Prescription.from_exercise(LIBRARY.exercise(exercise_id))
    english = [c for c in compile_prescription(english_rx).cues() if c.text]
    text.use("es")
    try:
        exercise = spanish.exercise(exercise_id)
        tl = compile_prescription(Prescription.from_exercise(exercise))
        check(tl)  # spaced by the Spanish estimate
        said = [c for c in tl.cues() if c.text]
        assert tl.steps[0].cues[0].text is not None
        assert tl.steps[0].cues[0].text.startswith(exercise.name)
    finally:
        text.use("en")
    assert len(said) == len(english)  # the same cues, none dropped


@pytest.mark.parametrize("routine_id", sorted(LIBRARY.routines))
def test_in_spanish_every_routine_keeps_every_cue(routine_id: str) -> None:
    from kiosk import text

    def cues(library: Library) -> list[str]:
        routine = library.routines[routine_id]
        prog = build_program(
            routine.name,
            [ProgramItemSpec(exercise_id=i) for i in routine.exercise_ids],
            library.exercises,
            side_series=routine.side_series,
            rest_between_exercises_s=float(routine.rest_s),
        )
        tl = compile_program(prog)
        check(tl)
        return [c.text for c in tl.cues() if c.text]

    english = cues(LIBRARY)
    text.use("es")
    try:
        spanish = cues(load_library(language="es"))
    finally:
        text.use("en")
    assert len(spanish) == len(english)
