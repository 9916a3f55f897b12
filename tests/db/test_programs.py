"""Programs keep their items in order with their overrides; assignments pick today's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from db.repositories.patients import PatientRepository
from db.repositories.programs import (
    AssignedProgram,
    ProgramError,
    ProgramRepository,
    weekday_mask,
)
from kiosk.core.prescription import ProgramItemSpec
from media.schema import SidePattern

MONDAY = date(2025, 3, 3)

ITEMS = (
    ProgramItemSpec("standing-wall-press", sets=2, hold_s=10.0, notes="gently"),
    ProgramItemSpec("clamshell"),
    ProgramItemSpec("band-walks", reps=12, sides=SidePattern.EACH, rest_s=0.0),
    ProgramItemSpec("bridge", sets=3, reps=8, hold_s=2.5, sides=SidePattern.NONE, rest_s=45.0),
)


@pytest.fixture
def programs(engine: Engine) -> ProgramRepository:
    return ProgramRepository(engine)


@pytest.fixture
def patient_id(engine: Engine) -> int:
    return PatientRepository(engine).add("Maria", "482913").id


def test_round_trip_keeps_order_and_overrides(programs: ProgramRepository) -> None:
    program_id = programs.create("Hips", ITEMS, side_series=True, routine_id="r")
    assert programs.get(program_id) == AssignedProgram(program_id, "Hips", True, ITEMS, "r")


def test_unknown_program_is_none(programs: ProgramRepository) -> None:
    assert programs.get(42) is None


@pytest.mark.parametrize(
    "items",
    [
        (),
        (ProgramItemSpec(""),),
        (ProgramItemSpec("clamshell", sets=0),),
        (ProgramItemSpec("clamshell", reps=0),),
        (ProgramItemSpec("clamshell", hold_s=0.0),),
        (ProgramItemSpec("clamshell", hold_s=float("nan")),),
        (ProgramItemSpec("clamshell", rest_s=-1.0),),
    ],
)
def test_programs_that_cannot_run_are_refused(
    programs: ProgramRepository, items: tuple[ProgramItemSpec, ...]
) -> None:
    with pytest.raises(ProgramError):
        programs.create("Bad", items)


def test_assigned_program_covers_its_dates(programs: ProgramRepository, patient_id: int) -> None:
    program_id = programs.create("Hips", ITEMS)
    programs.assign(program_id, patient_id, MONDAY, MONDAY + timedelta(days=6))
    assert programs.program_for(patient_id, MONDAY - timedelta(days=1)) is None
    first = programs.program_for(patient_id, MONDAY)
    assert first is not None
    assert first.items == ITEMS
    assert programs.program_for(patient_id, MONDAY + timedelta(days=6)) == first
    assert programs.program_for(patient_id, MONDAY + timedelta(days=7)) is None


def test_open_ended_assignment(programs: ProgramRepository, patient_id: int) -> None:
    program_id = programs.create("Hips", ITEMS)
    programs.assign(program_id, patient_id, MONDAY, None)
    found = programs.program_for(patient_id, MONDAY + timedelta(days=400))
    assert found is not None
    assert found.id == program_id


def test_weekday_mask(programs: ProgramRepository, patient_id: int) -> None:
    program_id = programs.create("Hips", ITEMS)
    programs.assign(program_id, patient_id, MONDAY, None, weekdays=weekday_mask([0, 2, 4]))
    days = [MONDAY + timedelta(days=n) for n in range(7)]
    found = [programs.program_for(patient_id, day) is not None for day in days]
    assert found == [True, False, True, False, True, False, False]


def test_other_patients_do_not_see_the_program(
    engine: Engine, programs: ProgramRepository, patient_id: int
) -> None:
    tom = PatientRepository(engine).add("Tom", "716254")
    programs.assign(programs.create("Hips", ITEMS), patient_id, MONDAY, None)
    assert programs.program_for(tom.id, MONDAY) is None


def test_latest_assignment_wins(programs: ProgramRepository, patient_id: int) -> None:
    base = programs.create("Base", ITEMS)
    progression = programs.create("Progression", ITEMS[:1])
    correction = programs.create("Correction", ITEMS[1:2])
    # The progression is scheduled ahead, before a correction to the current program.
    programs.assign(base, patient_id, MONDAY, None)
    programs.assign(progression, patient_id, MONDAY + timedelta(days=7), None)
    programs.assign(correction, patient_id, MONDAY, None)

    def name_on(day: date) -> str | None:
        found = programs.program_for(patient_id, day)
        return None if found is None else found.name

    assert name_on(MONDAY) == "Correction"
    assert name_on(MONDAY + timedelta(days=7)) == "Progression"


def test_a_short_assignment_that_ended_gives_way(
    programs: ProgramRepository, patient_id: int
) -> None:
    base = programs.create("Base", ITEMS)
    easy_week = programs.create("Easy week", ITEMS[:1])
    programs.assign(base, patient_id, MONDAY, None)
    programs.assign(easy_week, patient_id, MONDAY + timedelta(days=7), MONDAY + timedelta(days=13))
    assert [
        getattr(programs.program_for(patient_id, MONDAY + timedelta(days=n)), "name", None)
        for n in (6, 7, 13, 14)
    ] == ["Base", "Easy week", "Easy week", "Base"]


@pytest.mark.parametrize(
    ("end", "weekdays"), [(MONDAY - timedelta(days=1), None), (None, 0), (None, 128)]
)
def test_bad_assignments_are_refused(
    programs: ProgramRepository, patient_id: int, end: date | None, weekdays: int | None
) -> None:
    program_id = programs.create("Hips", ITEMS)
    with pytest.raises(ProgramError):
        programs.assign(program_id, patient_id, MONDAY, end, weekdays)


def test_weekday_mask_rejects_bad_days() -> None:
    assert weekday_mask([0, 6]) == 0b100_0001
    with pytest.raises(ProgramError):
        weekday_mask([7])
