"""The builder's draft: dose limits, editing, and progress/regress along the library."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.program_builder import (
    BuilderError,
    DraftItem,
    ProgramDraft,
    dose_problems,
    equipment_names,
    filter_exercises,
    step,
)
from kiosk.text import pseudo
from media.loader import load_library
from media.schema import Position, SidePattern

LIBRARY = load_library()


@pytest.mark.parametrize(
    ("field", "ok", "bad"),
    [("sets", (1, 10), (0, 11)), ("reps", (1, 50), (0, 51)), ("hold_s", (1, 300), (0.5, 301)),
     ("rest_s", (0, 600), (-1, 601))],
)  # fmt: skip
def test_dose_limits(field: str, ok: tuple[float, float], bad: tuple[float, float]) -> None:
    exercise = LIBRARY.exercise("clamshell")
    for value in ok:
        assert dose_problems(exercise, **{field: value}) == []  # type: ignore[arg-type]
    for value in bad:
        (problem,) = dose_problems(exercise, **{field: value})  # type: ignore[arg-type]
        assert problem.field == field
        assert "must be" in problem.message


def test_a_hold_exercise_given_reps_is_refused() -> None:
    (problem,) = dose_problems(LIBRARY.exercise("standing-wall-press"), reps=10)
    assert problem.field == "reps"
    assert "hold exercise" in problem.message


def test_sets_must_be_whole() -> None:
    (problem,) = dose_problems(None, sets=2.5)  # type: ignore[arg-type]
    assert "whole number" in problem.message


def test_building_a_program() -> None:
    draft = (
        ProgramDraft()
        .renamed("  Hips  ")
        .with_added("clamshell", LIBRARY)
        .with_added("STANDING-WALL-PRESS", LIBRARY)
        .with_added("small-leg-raises", LIBRARY, at=0)
    )
    assert draft.name == "Hips"
    assert [i.exercise_id for i in draft.items] == [
        "small-leg-raises", "clamshell", "standing-wall-press",
    ]  # fmt: skip
    draft = draft.moved(0, 2).without(0)
    assert [i.exercise_id for i in draft.items] == ["standing-wall-press", "small-leg-raises"]
    draft = draft.with_dose(0, LIBRARY, sets=2, hold_s=20, sides=SidePattern.EACH, rest_s=45)
    assert draft.items[0] == DraftItem(
        "standing-wall-press", sets=2, hold_s=20, sides=SidePattern.EACH, rest_s=45
    )
    assert draft.with_dose(0, LIBRARY, sets=None).items[0].sets is None
    draft.check(LIBRARY)
    assert draft.specs()[0].hold_s == 20


def test_bad_edits_leave_the_draft_alone() -> None:
    draft = ProgramDraft().with_added("standing-wall-press", LIBRARY)
    with pytest.raises(BuilderError, match="hold exercise"):
        draft.with_dose(0, LIBRARY, reps=10)
    with pytest.raises(BuilderError, match="sets must be 1 to 10"):
        draft.with_dose(0, LIBRARY, sets=11)
    with pytest.raises(BuilderError, match="no exercise"):
        draft.with_added("jumping-jacks", LIBRARY)
    with pytest.raises(BuilderError, match="no item 3"):
        draft.without(3)
    with pytest.raises(BuilderError, match="name"):
        draft.renamed("   ")
    with pytest.raises(BuilderError, match="at least one exercise"):
        ProgramDraft().check(LIBRARY)
    assert draft.items == (DraftItem("standing-wall-press"),)


def test_clamshell_ladder_goes_up_the_range_then_through_the_progressions() -> None:
    item = DraftItem("clamshell")  # 3 sets of 10-12 reps; three progressions, no regressions
    seen = [(item.variation, item.reps, item.sets)]
    for _ in range(7):
        item = step(item, LIBRARY, +1)
        seen.append((item.variation, item.reps, item.sets))
    with pytest.raises(BuilderError, match="hardest"):
        step(item, LIBRARY, +1)
    assert seen == [
        (None, None, None),
        (None, 12, None),
        ("Light band", None, None),
        ("Light band", 12, None),
        ("Elastic band above the knees", None, None),
        ("Elastic band above the knees", 12, None),
        ("Straight top leg", None, None),
        ("Straight top leg", 12, None),
    ]
    with pytest.raises(BuilderError, match="easiest"):
        step(DraftItem("clamshell"), LIBRARY, -1)


def test_regressions_come_below_the_exercise_and_sets_ranges_count() -> None:
    walk = LIBRARY.exercise("lateral-band-walk")  # sets 2-3, reps 5-6, 2 regressions
    assert len(walk.regressions) == 2
    item = step(DraftItem("lateral-band-walk"), LIBRARY, -1)
    assert (item.variation, item.reps, item.sets) == (walk.regressions[0].name, 6, 3)
    item = step(DraftItem("lateral-band-walk", reps=6), LIBRARY, +1)
    assert (item.reps, item.sets) == (6, 3)


def test_hold_exercises_step_their_hold() -> None:
    item = step(DraftItem("prone-straddle-hold"), LIBRARY, +1)  # hold 10-30 s
    assert item.hold_s == 30
    assert item.reps is None


def test_a_hand_set_dose_steps_to_the_nearest_state() -> None:
    item = step(DraftItem("clamshell", reps=11), LIBRARY, +1)
    assert (item.variation, item.reps) == (None, 12)
    item = step(DraftItem("clamshell", reps=11), LIBRARY, -1)
    assert (item.variation, item.reps) == (None, None)


@given(st.sampled_from(sorted(LIBRARY.exercises)), st.lists(st.sampled_from([1, -1]), max_size=12))
def test_progress_then_regress_comes_back(exercise_id: str, moves: list[int]) -> None:
    item = DraftItem(exercise_id)
    for direction in moves:
        try:
            moved = step(item, LIBRARY, direction)
        except BuilderError:
            continue
        assert step(moved, LIBRARY, -direction) == item
        item = moved
        ProgramDraft(items=(item,)).check(LIBRARY)


def test_draft_progress_and_regress_by_index() -> None:
    draft = ProgramDraft().with_added("clamshell", LIBRARY).with_added("big-leg-lifts", LIBRARY)
    harder = draft.progressed(1, LIBRARY)
    assert harder.items[1].variation == LIBRARY.exercise("big-leg-lifts").progressions[0].name
    assert harder.regressed(1, LIBRARY) == draft


def test_filters() -> None:
    lying = filter_exercises(LIBRARY, position=Position.SIDE_LYING)
    assert lying
    assert all(e.position is Position.SIDE_LYING for e in lying)
    banded = filter_exercises(LIBRARY, equipment="elastic band")
    assert {e.id for e in banded} == {"functional-clamshell", "lateral-band-walk"}
    assert "mat" in equipment_names(LIBRARY)
    assert len(filter_exercises(LIBRARY)) == len(LIBRARY.exercises)


def _translated(message: str) -> bool:
    return pseudo.is_pseudo(message)


@pytest.mark.usefixtures("pseudo_language")
def test_problems_for_staff_are_in_the_kiosk_language() -> None:
    clamshell = LIBRARY.exercise("clamshell")
    problems = [
        *dose_problems(clamshell, sets=11, reps=2.5, rest_s=601),  # type: ignore[arg-type]
        *dose_problems(LIBRARY.exercise("standing-wall-press"), reps=10, tempo_s=(2, 2)),
        *dose_problems(clamshell, tempo_s=(0.4, 2.25)),
        *dose_problems(clamshell, tempo_s=(2,)),
    ]
    assert [p.field for p in problems] == [
        "sets", "reps", "rest_s", "reps", "tempo_s", "tempo_s", "tempo_s", "tempo_s"
    ]  # fmt: skip
    assert all(_translated(p.message) for p in problems), problems
    assert "sets" in problems[0].message  # the field's name stays: it is the file format's
    draft = ProgramDraft().with_added("clamshell", LIBRARY)
    refusals: list[Callable[[], object]] = [
        lambda: step(DraftItem("clamshell"), LIBRARY, -1),
        lambda: draft.renamed(" "),
        lambda: ProgramDraft(name="Knee").check(LIBRARY),
        lambda: draft.with_dose(0, LIBRARY, notes="x" * 501),
        lambda: draft.with_added("no-such-exercise", LIBRARY),
    ]
    for refuse in refusals:
        with pytest.raises(BuilderError) as refused:
            refuse()
        assert _translated(str(refused.value)), refused.value


def test_problems_for_staff_read_as_before_in_english() -> None:
    draft = ProgramDraft().with_added("clamshell", LIBRARY)
    with pytest.raises(BuilderError) as refused:
        draft.with_dose(0, LIBRARY, sets=11, notes="x" * 501)
    assert str(refused.value) == (
        "clamshell: sets must be 1 to 10, got 11; notes are at most 500 characters"
    )
    (problem,) = dose_problems(LIBRARY.exercise("clamshell"), hold_s=301)
    assert problem.message == "hold_s must be 1 to 300 s, got 301"
