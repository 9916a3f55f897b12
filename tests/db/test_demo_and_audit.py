"""Demo data for a fresh kiosk, and the audit log."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine

from db.demo import DEMO_PATIENTS, THREE_MINUTE_HIP_SERIES, ensure_demo_data
from db.repositories.audit import audit, recent_entries
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from kiosk.core.prescription import ProgramItemSpec
from tests.db.times import at
from tests.db.together import run_together

TODAY = date(2025, 3, 3)


def test_demo_data_creates_the_four_patients(engine: Engine) -> None:
    assert ensure_demo_data(engine, TODAY) is True
    active = PatientRepository(engine).list_active()
    assert {(p.code, p.display_name) for p in active} == {
        ("482913", "Maria"),
        ("305718", "J.K."),
        ("716254", "Tom"),
        ("551937", "Ann"),
    }
    assert [(p.code, p.display_name) for p in DEMO_PATIENTS] == [
        ("482913", "Maria"),
        ("305718", "J.K."),
        ("716254", "Tom"),
        ("551937", "Ann"),
    ]


def test_demo_programs_are_assigned_from_today_open_ended(engine: Engine) -> None:
    ensure_demo_data(engine, TODAY)
    patients = PatientRepository(engine)
    programs = ProgramRepository(engine)

    def program_of(code: str, day: date = TODAY) -> tuple[str, ...] | None:
        patient = patients.find_by_code(code)
        assert patient is not None
        found = programs.program_for(patient.id, day)
        return None if found is None else tuple(i.exercise_id for i in found.items)

    assert program_of("482913") == ("clamshell", "side-lying-lift-and-sweep")
    assert program_of("716254") == (
        "standing-lateral-leg-raise",
        "standing-wall-press",
        "functional-clamshell",
    )
    assert program_of("482913", TODAY - timedelta(days=1)) is None
    assert program_of("482913", TODAY + timedelta(days=365)) is not None

    jk = patients.find_by_code("305718")
    assert jk is not None
    series = programs.program_for(jk.id, TODAY)
    assert series is not None
    assert series.side_series is True
    assert series.routine_id == THREE_MINUTE_HIP_SERIES
    assert tuple(i.exercise_id for i in series.items) == (
        "small-leg-raises",
        "bicycle-to-sidekick",
        "big-leg-lifts",
        "leg-circles-counterclockwise",
        "leg-circles-clockwise",
    )
    assert all(i == ProgramItemSpec(i.exercise_id) for i in series.items)  # library defaults

    ann = patients.find_by_code("551937")
    assert ann is not None
    tryout = programs.program_for(ann.id, TODAY)
    assert tryout is not None
    assert tryout.items == (ProgramItemSpec("clamshell", sets=1, reps=3, rest_s=5.0),)


def test_demo_data_is_idempotent(engine: Engine) -> None:
    assert ensure_demo_data(engine, TODAY) is True
    assert ensure_demo_data(engine, TODAY + timedelta(days=1)) is False
    assert len(PatientRepository(engine).list_active()) == 4
    actions = [e.action for e in recent_entries(engine)]
    assert actions == ["demo data created"]


def test_kiosks_starting_together_create_the_demo_data_once(engine: Engine) -> None:
    # Several kiosks started at once on a new shared server: one creates the demo data, the
    # others wait their turn and find it there (before, all but one failed to start).
    created, errors = run_together(4, lambda: ensure_demo_data(engine, TODAY))
    assert errors == []
    assert sorted(created) == [False, False, False, True]
    assert len(PatientRepository(engine).list_active()) == len(DEMO_PATIENTS)
    assert [e.action for e in recent_entries(engine)] == ["demo data created"]


def test_no_demo_data_beside_real_patients(engine: Engine) -> None:
    PatientRepository(engine).add("Maria", "111111")
    assert ensure_demo_data(engine, TODAY) is False
    assert [p.code for p in PatientRepository(engine).list_active()] == ["111111"]


def test_audit_entries_newest_first(engine: Engine) -> None:
    audit(engine, "staff:kim", "program assigned", "patient 1, program 2", at=at(1))
    audit(engine, "system", "started", at=at(2))
    entries = recent_entries(engine)
    assert [(e.actor, e.action, e.detail, e.at) for e in entries] == [
        ("system", "started", None, at(2)),
        ("staff:kim", "program assigned", "patient 1, program 2", at(1)),
    ]
