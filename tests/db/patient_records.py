"""A patient with something in every table that can hold them: for erasure, retention and
the patient's export. Written through the real repositories, at the times given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from db.models import SessionStatus
from db.repositories.assessments import Answer, AssessmentLog, SideResult
from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from db.repositories.programs import ProgramRepository
from db.repositories.sessions import SessionLog
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.records import FeedbackKind, PainEvent, SetRecord, SetStatus
from kiosk.core.timeline import Side


@dataclass(frozen=True)
class Visit:
    session_id: int
    program_id: int


def a_set(start: datetime, number: int = 1) -> SetRecord:
    return SetRecord(
        exercise_index=0, exercise_id="clamshell", set_number=number, side=Side.LEFT,
        reps_target=10, reps_done=9, hold_target_s=None, hold_done_s=None,
        started_at=start, ended_at=start + timedelta(seconds=40), paused_s=0.0,
        status=SetStatus.COMPLETED,
    )  # fmt: skip


def visit(engine: Engine, patient_id: int, start: datetime, note: str = "slowly") -> Visit:
    """A program assigned for the day, and a finished session on it: two sets, "It hurts",
    pain before and after, a difficulty, and a balance check after it."""
    programs = ProgramRepository(engine)
    program = programs.create(f"Hips {note}", [ProgramItemSpec("clamshell", sets=2, notes=note)])
    programs.assign(program, patient_id, start.date(), start.date())
    log = SessionLog(engine)
    session = log.start(patient_id, program, start)
    log.log_feedback(session, FeedbackKind.PAIN_BEFORE, "3", start)
    log.log_set(session, a_set(start, 1))
    log.log_set(session, a_set(start + timedelta(minutes=1), 2))
    log.log_pain(session, PainEvent(0, "clamshell", 2, Side.LEFT, 4, start + timedelta(minutes=1)))
    log.log_feedback(session, FeedbackKind.DIFFICULTY, "hard", start + timedelta(minutes=2))
    log.log_feedback(session, FeedbackKind.PAIN_AFTER, "2", start + timedelta(minutes=2))
    log.finish(session, SessionStatus.FINISHED, start + timedelta(minutes=3))
    result = SideResult(Side.LEFT, 12.5, 30.0, (("Did your hip drop?", Answer.NO),))
    AssessmentLog(engine).record(
        patient_id, "single-leg-stance", [result], start + timedelta(minutes=4), session_id=session
    )
    return Visit(session, program)


def full_patient(engine: Engine, name: str, code: str, start: datetime) -> int:
    """A patient added, renamed back and forth, given a new code (the old one retired), given
    a program from the builder (audited with their id), with two visits a week apart."""
    repo = PatientRepository(engine)
    patient = repo.add(name, code, actor="Anna")
    repo.rename(patient.id, name + "x", actor="Anna")
    repo.rename(patient.id, name, actor="Anna")
    repo.regenerate_code(patient.id, actor="Anna")
    store = ProgramStore(engine)
    draft = store.load(ProgramRepository(engine).create("Builder", [ProgramItemSpec("clamshell")]))
    assert draft is not None
    store.assign(draft, patient.id, start.date(), None, actor="Anna")
    visit(engine, patient.id, start, "week one")
    visit(engine, patient.id, start + timedelta(days=7), "week two")
    return patient.id
