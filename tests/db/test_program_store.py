"""Saving drafts and templates, assigning copies, the seed templates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from db.models import Program
from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore, describe_weekdays
from db.repositories.programs import ProgramError, ProgramRepository, weekday_mask
from db.seed_templates import SEED_TEMPLATES, ensure_seed_templates
from kiosk.core.program_builder import ProgramDraft
from media.loader import load_library
from tests.db.together import run_together

LIBRARY = load_library()
MONDAY = date(2025, 3, 3)


def _draft() -> ProgramDraft:
    return (
        ProgramDraft(name="Hips")
        .with_added("clamshell", LIBRARY)
        .with_added("big-leg-lifts", LIBRARY)
        .progressed(1, LIBRARY)
        .with_dose(0, LIBRARY, sets=2, notes="slowly")
    )


def test_save_and_load_keep_doses_and_variations(engine: Engine) -> None:
    store = ProgramStore(engine)
    program_id = store.save(_draft(), actor="Anna")
    assert store.load(program_id) == _draft()
    assert store.load(999) is None
    assert entries(engine, actions=(Action.PROGRAM_SAVED,))[0].actor == "Anna"


def test_templates_are_listed_and_never_change_an_assignment(engine: Engine) -> None:
    store = ProgramStore(engine)
    template_id = store.save(_draft(), actor="Anna", template=True)
    store.save(_draft().renamed("Not a template"), actor="Anna")
    (summary,) = store.templates()
    assert (summary.id, summary.is_template) == (template_id, True)
    assert summary.exercise_ids == ("clamshell", "big-leg-lifts")
    maria = PatientRepository(engine).add("Maria", "482913")
    template = store.load(template_id)
    assert template is not None
    assignment = store.assign(template, maria.id, MONDAY, None, actor="Anna")
    assert assignment.program_id != template_id
    program = ProgramRepository(engine).program_for(maria.id, MONDAY)
    assert program is not None
    assert program.id == assignment.program_id
    assert [i.exercise_id for i in program.items] == ["clamshell", "big-leg-lifts"]


def test_assign_for_a_date_range_and_weekdays(engine: Engine) -> None:
    store = ProgramStore(engine)
    maria = PatientRepository(engine).add("Maria", "482913")
    mask = weekday_mask([0, 2, 4])
    info = store.assign(_draft(), maria.id, MONDAY, MONDAY + timedelta(days=13), mask, actor="Anna")
    assert info.weekday_text == "Mon, Wed, Fri"
    programs = ProgramRepository(engine)
    days = [MONDAY + timedelta(days=n) for n in range(16)]
    covered = [d for d in days if programs.program_for(maria.id, d) is not None]
    assert [d.weekday() for d in covered] == [0, 2, 4, 0, 2, 4]
    assert store.assignments_for(maria.id) == (info,)
    store.end_assignment(info.id, MONDAY + timedelta(days=2), actor="Anna")
    assert programs.program_for(maria.id, MONDAY + timedelta(days=4)) is None
    with pytest.raises(ProgramError):
        store.end_assignment(info.id, MONDAY - timedelta(days=1), actor="Anna")
    with pytest.raises(ProgramError):
        store.assign(_draft(), 999, MONDAY, None, actor="Anna")
    assert len(entries(engine, actions=(Action.PROGRAM_ASSIGNED,))) == 2
    assert describe_weekdays(None) == "every day"


def test_seed_templates_are_created_once(engine: Engine) -> None:
    made = ensure_seed_templates(engine, LIBRARY)
    assert made == len(LIBRARY.routines) + len(SEED_TEMPLATES)
    templates = ProgramStore(engine).templates()
    hip = next(t for t in templates if t.routine_id == "three-minute-hip-series")
    assert hip.side_series
    assert len(hip.exercise_ids) == 5
    ProgramStore(engine).load(hip.id).check(LIBRARY)  # type: ignore[union-attr]
    with Session(engine) as session:
        session.execute(delete(Program).where(Program.id == hip.id))
        session.commit()
    assert ensure_seed_templates(engine, LIBRARY) == 0  # a deleted template stays deleted
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(Program))
    assert count == made - 1


def test_kiosks_entering_staff_mode_together_seed_the_templates_once(engine: Engine) -> None:
    made, errors = run_together(3, lambda: ensure_seed_templates(engine, LIBRARY))
    assert errors == []
    assert sorted(made) == [0, 0, len(LIBRARY.routines) + len(SEED_TEMPLATES)]
    assert len(ProgramStore(engine).templates()) == max(made)
