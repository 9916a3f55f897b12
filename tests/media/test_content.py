"""The packaged library: every required exercise, the seeds' dosage facts, readable text."""

from __future__ import annotations

import re

import pytest

from kiosk.core.prescription import Prescription, ProgramItemSpec, build_program
from media.loader import load_library
from media.schema import IntRange, Library, Position, SidePattern

S000 = "000_a06848ef647bbab3.txt"
S001 = "001_e686c30460befa77.txt"
S002 = "002_80aa1b295a97ba88.txt"
S003 = "003_646421fcbe690552.txt"
S004 = "004_87324b03f2703a74.txt"
SEEDS = {S000, S001, S002, S003, S004}

REQUIRED_SOURCES = {
    "standing-lateral-leg-raise": {S000},
    "standing-wall-press": {S000},
    "clamshell": {S000, S001, S003},
    "prone-straddle-hold": {S001},
    "four-point-hip-abduction": {S001},
    "standing-ball-squeeze": {S001},
    "ball-squeeze-squat": {S001},
    "side-lying-lift-and-sweep": {S002},
    "functional-clamshell": {S003},
    "lateral-band-walk": {S003},
    "small-leg-raises": {S004},
    "bicycle-to-sidekick": {S004},
    "big-leg-lifts": {S004},
    "leg-circles-counterclockwise": {S004},
    "leg-circles-clockwise": {S004},
}
HIP_SERIES = [
    "small-leg-raises",
    "bicycle-to-sidekick",
    "big-leg-lifts",
    "leg-circles-counterclockwise",
    "leg-circles-clockwise",
]


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def test_exactly_the_required_exercises_with_their_sources(lib: Library) -> None:
    assert set(lib.exercises) == set(REQUIRED_SOURCES)
    for exercise_id, sources in REQUIRED_SOURCES.items():
        assert set(lib.exercise(exercise_id).sources) == sources, exercise_id


def test_every_source_is_a_seed_file(lib: Library) -> None:
    cited = {s for e in lib.exercises.values() for s in e.sources}
    cited |= {v.source for e in lib.exercises.values() for v in e.progressions + e.regressions}
    cited |= {s for a in lib.assessments.values() for s in a.sources}
    cited |= {s for r in lib.routines.values() for s in r.sources}
    cited |= {n.source for n in lib.safety}
    assert cited <= SEEDS


def test_standing_lateral_leg_raise_is_3x8_alternating(lib: Library) -> None:
    d = lib.exercise("standing-lateral-leg-raise").dosage
    assert (d.sets, d.reps, d.sides) == (IntRange(3, 3), IntRange(8, 8), SidePattern.ALTERNATE)
    assert d.hold_s is None


def test_clamshell_dose_and_variations(lib: Library) -> None:
    e = lib.exercise("clamshell")
    assert e.position is Position.SIDE_LYING
    assert (e.dosage.sets, e.dosage.reps) == (IntRange(3, 3), IntRange(10, 12))
    assert e.dosage.sides is SidePattern.ALTERNATE
    assert {v.source for v in e.progressions} == {S000, S001, S003}
    assert e.breathing  # 001: breathe out as the knee lifts


def test_wall_press_is_a_30_second_hold_three_times(lib: Library) -> None:
    d = lib.exercise("standing-wall-press").dosage
    assert d.is_hold
    assert d.reps is None
    assert (d.sets, d.hold_s, d.sides) == (IntRange(3, 3), IntRange(30, 30), SidePattern.ALTERNATE)


def test_prone_straddle_hold_is_10_to_30_seconds_both_legs(lib: Library) -> None:
    e = lib.exercise("prone-straddle-hold")
    assert e.position is Position.PRONE
    assert e.dosage.is_hold
    assert e.dosage.hold_s == IntRange(10, 30)
    assert e.dosage.sides is SidePattern.NONE
    assert len(e.breathing) >= 3


def test_side_lying_lift_and_sweep(lib: Library) -> None:
    e = lib.exercise("side-lying-lift-and-sweep")
    d = e.dosage
    assert (d.sets, d.reps, d.final_hold_s) == (IntRange(3, 3), IntRange(10, 15), 10)
    assert d.sides is SidePattern.EACH
    assert [r.source for r in e.regressions] == [S002]
    assert "5" in e.regressions[0].description or "five" in e.regressions[0].description
    assert any("painful side" in s for s in e.safety)


def test_seed_003_ranges(lib: Library) -> None:
    assert lib.exercise("functional-clamshell").dosage.reps == IntRange(8, 10)
    walk = lib.exercise("lateral-band-walk")
    assert (walk.dosage.reps, walk.dosage.sets) == (IntRange(5, 6), IntRange(2, 3))
    assert walk.position is Position.ATHLETIC_STANCE
    assert walk.progressions
    assert walk.regressions


@pytest.mark.parametrize(
    ("exercise_id", "reps"),
    [
        ("small-leg-raises", IntRange(10, 10)),
        ("bicycle-to-sidekick", IntRange(5, 5)),
        ("big-leg-lifts", IntRange(10, 10)),
        ("leg-circles-counterclockwise", IntRange(5, 10)),
        ("leg-circles-clockwise", IntRange(5, 10)),
    ],
)
def test_hip_series_exercises(lib: Library, exercise_id: str, reps: IntRange) -> None:
    e = lib.exercise(exercise_id)
    assert e.position is Position.SIDE_LYING
    assert e.dosage.reps == reps
    assert e.dosage.sides is SidePattern.EACH


def test_hip_series_routine(lib: Library) -> None:
    r = lib.routines["three-minute-hip-series"]
    assert list(r.exercise_ids) == HIP_SERIES
    assert r.side_series
    assert r.sources == (S004,)
    notes = " ".join(r.notes).lower()
    for phrase in ("wall", "band", "rest whenever"):
        assert phrase in notes


def test_single_leg_stance_assessment(lib: Library) -> None:
    a = lib.assessments["single-leg-stance"]
    assert a.position is Position.STANDING
    assert a.hold_s == 30
    assert a.sides is not SidePattern.NONE
    assert len(a.watch_for) == 4
    assert set(a.sources) == {S000, S004}


def test_general_safety_notes(lib: Library) -> None:
    text = " ".join(n.text.lower() for n in lib.safety)
    for phrase in ("should hurt", "stop", "doctor", "professional", "painful side"):
        assert phrase in text


def test_every_exercise_is_complete(lib: Library) -> None:
    for e in lib.exercises.values():
        for field in ("summary", "steps", "safety", "equipment", "target_muscles"):
            assert getattr(e, field), (e.id, field)
        assert 2 <= len(e.key_points) <= 5, e.id


def test_seed_free_figures_are_marked_as_defaults(lib: Library) -> None:
    for e in lib.exercises.values():
        d = e.dosage
        if not d.is_hold:
            assert "tempo" in d.defaults, e.id  # no seed gives a tempo
            assert all(0 < p.seconds <= 4 for p in d.tempo), e.id
            assert all(p.word for p in d.tempo), e.id


def test_breathing_cues_only_where_a_seed_gives_them(lib: Library) -> None:
    with_breathing = {e.id for e in lib.exercises.values() if e.breathing}
    assert with_breathing == {"clamshell", "prone-straddle-hold"}


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+", text) if s]


def test_text_is_short_enough_to_read_aloud(lib: Library) -> None:
    for e in lib.exercises.values():
        for line in (*e.steps, *e.key_points, *e.breathing, *e.safety):
            for sentence in _sentences(line):
                assert len(sentence.split()) <= 20, (e.id, sentence)
        for point in e.key_points:
            assert len(point.split()) <= 12, (e.id, point)


def test_every_exercise_makes_a_prescription(lib: Library) -> None:
    for e in lib.exercises.values():
        p = Prescription.from_exercise(e)
        assert p.sets == e.dosage.sets.low


def test_hip_series_builds_a_program(lib: Library) -> None:
    r = lib.routines["three-minute-hip-series"]
    items = [ProgramItemSpec(exercise_id=i) for i in r.exercise_ids]
    program = build_program(r.name, items, lib.exercises, side_series=r.side_series)
    assert [p.exercise_id for p in program.items] == HIP_SERIES


def test_the_attract_screen_facts_are_short_and_sourced() -> None:
    facts = load_library().facts
    assert len(facts) >= 6
    seeds = {f"{n:03d}" for n in range(5)}
    for fact in facts:
        assert len(fact.text.split()) <= 20, fact.text  # readable across the room in one glance
        assert fact.source[:3] in seeds
