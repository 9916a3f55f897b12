"""A program item's own tempo: from the stored item to the prescription and the timeline,
and the builder's bounds, steps and resets (issue 6)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.core.compiler import compile_program
from kiosk.core.prescription import (
    Prescription,
    PrescriptionError,
    ProgramItemSpec,
    build_program,
)
from kiosk.core.program_builder import (
    LIMITS,
    TEMPO_STEP_S,
    BuilderError,
    DraftItem,
    ProgramDraft,
    dose_problems,
    library_tempo,
)
from media.loader import load_library
from media.schema import SidePattern

LIBRARY = load_library()
CLAM = LIBRARY.exercise("clamshell")  # Open 2 s, Close 2 s
SWEEP = LIBRARY.exercise("side-lying-lift-and-sweep")  # Lift, Back, Lower: 2 s each
WALL = LIBRARY.exercise("standing-wall-press")  # a hold exercise


def test_from_exercise_retimes_the_librarys_phases_keeping_names_and_words() -> None:
    p = Prescription.from_exercise(SWEEP, tempo_s=(1.5, 1, 3))
    assert [(ph.name, ph.word, ph.seconds) for ph in p.tempo] == [
        ("raise", "Lift", 1.5),
        ("sweep", "Back", 1.0),
        ("lower", "Lower", 3.0),
    ]
    assert Prescription.from_exercise(SWEEP).tempo == SWEEP.dosage.tempo


@pytest.mark.parametrize(
    ("exercise_id", "tempo_s", "match"),
    [
        ("clamshell", (2.0,), r"needs 2 phase time\(s\) \(Open, Close\), got 1"),
        ("clamshell", (2.0, 2.0, 2.0), "got 3"),
        ("clamshell", (2.0, 0.0), "'Close' phase needs a positive number of seconds"),
        ("clamshell", (float("nan"), 2.0), "positive"),
        ("standing-wall-press", (2.0,), "hold exercise has no tempo"),
    ],
)
def test_a_tempo_that_does_not_fit_is_refused(
    exercise_id: str, tempo_s: tuple[float, ...], match: str
) -> None:
    with pytest.raises(PrescriptionError, match=match):
        Prescription.from_exercise(LIBRARY.exercise(exercise_id), tempo_s=tempo_s)


def test_build_program_passes_the_tempo_through_and_the_timeline_follows() -> None:
    base = ProgramItemSpec("clamshell", sets=1, reps=10, sides=SidePattern.NONE)
    library_pace = build_program("P", [base], LIBRARY.exercises)
    slow = build_program("P", [replace(base, tempo_s=(3.0, 4.0))], LIBRARY.exercises)
    assert [ph.seconds for ph in slow.items[0].tempo] == [3.0, 4.0]
    # Ten reps at 7 s instead of 4 s: 30 s longer, everything else the same.
    gained = compile_program(slow).total_s - compile_program(library_pace).total_s
    assert gained == pytest.approx(30.0)


# --- the builder ------------------------------------------------------------------------------


def test_tempo_limits_and_steps_in_plain_words() -> None:
    limit = LIMITS["tempo_s"]
    assert (limit.low, limit.high, TEMPO_STEP_S) == (0.5, 10, 0.5)
    assert dose_problems(CLAM, tempo_s=(0.5, 10)) == []
    messages = [p.message for p in dose_problems(CLAM, tempo_s=(0.4, 10.5))]
    assert messages == [
        "Open must take 0.5 to 10 s, got 0.4 s",
        "Close must take 0.5 to 10 s, got 10.5 s",
    ]
    (problem,) = dose_problems(CLAM, tempo_s=(2.25, 2))
    assert (problem.field, problem.message) == (
        "tempo_s",
        "Open is set in steps of 0.5 s, got 2.25 s",
    )
    (problem,) = dose_problems(CLAM, tempo_s=(2,))
    assert "has 2 phase(s) (Open, Close), got 1 time(s)" in problem.message
    (problem,) = dose_problems(WALL, tempo_s=(2,))
    assert "hold exercise" in problem.message


def test_with_tempo_sets_one_phase_and_the_librarys_tempo_is_stored_as_none() -> None:
    draft = ProgramDraft().with_added("side-lying-lift-and-sweep", LIBRARY)
    draft = draft.with_tempo(0, LIBRARY, 2, 3.5)
    assert draft.items[0].tempo_s == (2.0, 2.0, 3.5)
    draft = draft.with_tempo(0, LIBRARY, 0, 1)
    assert draft.items[0].tempo_s == (1.0, 2.0, 3.5)
    assert draft.specs()[0].tempo_s == (1.0, 2.0, 3.5)
    back = draft.with_tempo(0, LIBRARY, 0, 2).with_tempo(0, LIBRARY, 2, 2)
    assert back.items[0].tempo_s is None  # follows later library edits again
    assert draft.with_dose(0, LIBRARY, tempo_s=library_tempo(SWEEP)).items[0].tempo_s is None


def test_bad_tempo_edits_leave_the_draft_alone() -> None:
    draft = (
        ProgramDraft().with_added("clamshell", LIBRARY).with_added("standing-wall-press", LIBRARY)
    )
    with pytest.raises(BuilderError, match=r"Close must take 0\.5 to 10 s"):
        draft.with_tempo(0, LIBRARY, 1, 11)
    with pytest.raises(BuilderError, match=r"steps of 0\.5 s"):
        draft.with_tempo(0, LIBRARY, 1, 1.2)
    with pytest.raises(BuilderError, match="no phase 3"):
        draft.with_tempo(0, LIBRARY, 2, 2)
    with pytest.raises(BuilderError, match="hold exercise"):
        draft.with_tempo(1, LIBRARY, 0, 2)
    with pytest.raises(BuilderError, match="has 2 phase"):
        draft.with_dose(0, LIBRARY, tempo_s=(2.0,))
    assert draft.items[0].tempo_s is None


def test_library_dose_resets_the_tempo_and_a_ladder_step_keeps_it() -> None:
    draft = ProgramDraft().with_added("clamshell", LIBRARY).with_tempo(0, LIBRARY, 0, 3)
    harder = draft.progressed(0, LIBRARY).progressed(0, LIBRARY)
    assert harder.items[0].variation == "Light band"  # a variation shares the base's phases
    assert harder.items[0].tempo_s == (3.0, 2.0)
    assert harder.regressed(0, LIBRARY).items[0].tempo_s == (3.0, 2.0)
    reset = draft.with_dose(0, LIBRARY, sets=None, reps=None, rest_s=None, tempo_s=None)
    assert reset.items[0] == DraftItem("clamshell")
    draft.check(LIBRARY)


def test_draft_items_and_specs_round_trip_the_tempo() -> None:
    item = DraftItem("clamshell", reps=12, tempo_s=(3.0, 3.0), variation="Light band")
    assert DraftItem.from_spec(item.spec(), "Light band") == item
