"""Properties every compiled timeline has, whatever the prescriptions (hypothesis)."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core import cue_text
from kiosk.core.compiler import compile_program, estimate_duration_s
from kiosk.core.prescription import Prescription, Program
from kiosk.core.timeline import CuePriority, Side, Step, StepKind, Timeline, Tone
from media.schema import Phase, Position, SidePattern

K = StepKind
WORK = (K.REP, K.HOLD)
TOL = 1e-9

seconds = st.floats(min_value=0.1, max_value=8.0, allow_nan=False).map(lambda x: round(x, 2))
words = st.text(alphabet="abcdefgh ", min_size=1, max_size=60).filter(lambda s: s.strip())


@st.composite
def prescriptions(draw: st.DrawFn, index: int = 0) -> Prescription:
    is_hold = draw(st.booleans())
    tempo = tuple(
        Phase(f"p{i}", draw(seconds), draw(st.sampled_from(["Lift", "Lower", "Hold it there"])))
        for i in range(draw(st.integers(1, 3)))
    )
    return Prescription(
        exercise_id=f"ex{index}",
        name=draw(st.sampled_from(["Clamshell", "Side-lying lift and sweep", "Wall press"])),
        sets=draw(st.integers(1, 4)),
        reps=None if is_hold else draw(st.integers(1, 15)),
        hold_s=draw(st.floats(0.3, 75.0).map(lambda x: round(x, 1))) if is_hold else None,
        tempo=() if is_hold else tempo,
        sides=draw(st.sampled_from(SidePattern)),
        rest_s=draw(st.sampled_from([0.0, 0.5, 2.0, 3.3, 15.0, 30.0])),
        rep_hold_s=None if is_hold else draw(st.none() | seconds),
        final_hold_s=None if is_hold else draw(st.none() | st.sampled_from([2.0, 10.0, 25.0])),
        key_points=tuple(draw(st.lists(words, max_size=4))),
        position=draw(st.none() | st.sampled_from(Position)),
    )


@st.composite
def programs(draw: st.DrawFn) -> Program:
    n = draw(st.integers(1, 4))
    return Program(
        name="Today",
        items=tuple(draw(prescriptions(i)) for i in range(n)),
        side_series=draw(st.booleans()),
        rest_between_exercises_s=draw(st.sampled_from([0.0, 1.0, 15.0])),
    )


def work_sets(tl: Timeline) -> list[list[Step]]:
    """Consecutive work steps of one (exercise, set, side): the sets as the patient does them."""
    groups: list[list[Step]] = []
    for step in tl.steps:
        if step.kind not in WORK:
            continue
        key = (step.exercise_index, step.set, step.side)
        prev = groups[-1][-1] if groups else None
        if (
            prev
            and prev.index == step.index - 1
            and (prev.exercise_index, prev.set, prev.side) == key
        ):
            groups[-1].append(step)
        else:
            groups.append([step])
    return groups


def expected_sides(p: Prescription, side_series: bool) -> list[tuple[int, Side | None]]:
    sets = range(1, p.sets + 1)
    if p.sides is SidePattern.NONE:
        return [(n, None) for n in sets]
    both: tuple[Side | None, ...] = (Side.LEFT, Side.RIGHT)
    if side_series:  # all of this exercise's left sets, later all its right sets
        return [(n, s) for s in both for n in sets]
    if p.sides is SidePattern.ALTERNATE:
        return [(n, s) for n in sets for s in both]
    return [(n, s) for s in both for n in sets]


@settings(max_examples=150, deadline=None)
@given(programs())
def test_steps_are_contiguous_and_add_up(program: Program) -> None:
    tl = compile_program(program)
    assert tl.steps[0].start_s == 0.0
    for prev, step in itertools.pairwise(tl.steps):
        assert step.start_s == prev.end_s
    assert all(step.duration_s > 0 for step in tl.steps)
    assert [s.index for s in tl.steps] == list(range(len(tl.steps)))
    assert math.isclose(tl.total_s, sum(s.duration_s for s in tl.steps), abs_tol=1e-6)
    assert tl.steps[-1].kind is K.DONE
    assert sum(1 for s in tl.steps if s.kind is K.DONE) == 1


@settings(max_examples=150, deadline=None)
@given(programs())
def test_every_set_is_there_with_its_reps_holds_and_sides(program: Program) -> None:
    tl = compile_program(program)
    groups = work_sets(tl)
    for index, p in enumerate(program.items):
        mine = [g for g in groups if g[0].exercise_index == index]
        assert len(mine) == p.sets * p.side_count
        assert sorted((g[0].set or 0, str(g[0].side)) for g in mine) == sorted(
            (n, str(s)) for n, s in expected_sides(p, program.side_series)
        )
        if not program.side_series:
            assert [(g[0].set, g[0].side) for g in mine] == expected_sides(p, False)
        for g in mine:
            reps = [s for s in g if s.kind is K.REP]
            holds = [s for s in g if s.kind is K.HOLD]
            if p.reps is None:
                assert reps == []
                assert [h.duration_s for h in holds] == [p.hold_s]
            else:
                assert [s.rep for s in reps] == list(range(1, p.reps + 1))
                assert [h.duration_s for h in holds] == (
                    [p.final_hold_s] if p.final_hold_s is not None else []
                )
                for rep in reps:
                    assert len(rep.phases) == len(p.tempo) + (p.rep_hold_s is not None)
    if program.side_series:
        sides = [g[0].side for g in groups if g[0].side is not None]
        assert sides == sorted(sides, key=lambda s: s is Side.RIGHT)  # all lefts, then rights
        assert sum(1 for s in tl.steps if s.kind is K.SWITCH_SIDE) == (1 if sides else 0)
        assert sum(1 for s in tl.steps if s.kind is K.INTRO) == len(program.items)


@settings(max_examples=150, deadline=None)
@given(programs())
def test_cues_are_sorted_inside_their_steps_and_never_talk_over_each_other(
    program: Program,
) -> None:
    tl = compile_program(program)
    for step in tl.steps:
        times = [c.at_s for c in step.cues]
        assert times == sorted(times)
        assert all(step.start_s <= t <= step.end_s for t in times)
        for span in step.phases:
            assert step.start_s - TOL <= span.start_s
            assert span.end_s <= step.end_s + 1e-6
    spoken = [c for c in tl.cues() if c.text is not None]
    for prev, cue in itertools.pairwise(spoken):
        assert cue.at_s >= prev.at_s + cue_text.speech_s(prev.text or "") - TOL, (prev, cue)
    assert spoken[-1].at_s + cue_text.speech_s(spoken[-1].text or "") <= tl.total_s + TOL


@settings(max_examples=150, deadline=None)
@given(programs())
def test_instructions_are_never_dropped(program: Program) -> None:
    tl = compile_program(program)
    for step in tl.steps:
        said = [c for c in step.cues if c.text is not None]
        if step.kind in (K.INTRO, K.SWITCH_SIDE, K.DONE):
            assert said
            assert said[0].at_s == step.start_s
            assert said[0].priority is CuePriority.INSTRUCTION
        if step.kind is K.COUNTDOWN:
            assert [c.text for c in said][1:] == ["3", "2", "1"]
            assert [c.tone for c in step.cues if c.tone] == [Tone.PIP] * 3
        if step.kind is K.HOLD:
            assert (step.cues[0].tone, step.cues[0].at_s) == (Tone.GO, step.start_s)
            assert (step.cues[-1].tone, step.cues[-1].at_s) == (Tone.HOLD_END, step.end_s)
        if step.kind is K.REP and step.rep == 1:
            assert step.cues[0].tone is Tone.GO


@settings(max_examples=100, deadline=None)
@given(prescriptions())
def test_estimate_matches_the_compiled_exercise(p: Prescription) -> None:
    tl = compile_program(Program(name="x", items=(p,)))
    assert math.isclose(estimate_duration_s(p), tl.total_s - tl.steps[-1].duration_s, abs_tol=1e-6)
