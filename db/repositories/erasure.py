"""Erasing a patient (the right to erasure): their row and everything recorded about them.

One transaction deletes the patient's sessions with their sets, pain and feedback events,
their balance checks, their assignments and the programs that were theirs alone, and the
patient. What must stay says nothing about them any more:

* the audit log keeps what staff did, but every mention of the patient (``patient 12``, and
  from older versions their code or name) becomes a pseudonym, ``patient #3f9c2a71``, the same
  in each entry, so the log still reads as one story about someone no longer named;
* their check-in codes stay retired, linked to nobody (``retired_codes.patient_id`` NULL), so
  an old card of theirs never opens the kiosk as a new patient.

The erasure itself is audited as ``patient erased`` with the pseudonym and the counts, never
the name. The deletes leave nothing readable in a SQLite file nor its WAL
(:mod:`db.secure_delete`): ``tests/db/test_erasure.py`` reads the raw files. Journals of
records not yet saved are the patient side's (``kiosk/patient/erasure.py``); backups keep the
patient until they age out (docs/security.md).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.models import (
    AssessmentResult,
    Assignment,
    AuditEntryRow,
    Base,
    ExerciseSession,
    FeedbackEventRow,
    PainEventRow,
    Patient,
    Program,
    ProgramItem,
    RetiredCode,
    SetRow,
)
from db.repositories.audit import Action, audit_row
from db.repositories.patients import PatientNotFoundError
from db.secure_delete import deleting_session

#: Names shorter than this are not searched for in old audit details (an initial would match
#: half the log); ids and codes always are.
_SHORTEST_NAME = 3


@dataclass(frozen=True)
class Erased:
    """What an erasure removed. ``pseudonym`` names the patient in the audit log from now on;
    ``session_uids`` and ``session_ids`` let the journals drop records not yet saved."""

    pseudonym: str
    sessions: int
    sets: int
    pain_events: int
    feedback_events: int
    assessments: int
    assignments: int
    programs: int
    audit_entries: int
    session_uids: frozenset[str]
    session_ids: frozenset[int]


def sessions_of(engine: Engine, patient_id: int) -> tuple[frozenset[str], frozenset[int]]:
    """The uids and ids of the patient's sessions in the database."""
    query = select(ExerciseSession.uid, ExerciseSession.id).where(
        ExerciseSession.patient_id == patient_id
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return frozenset(r.uid for r in rows if r.uid), frozenset(r.id for r in rows)


def new_pseudonym(token: Callable[[int], str] = secrets.token_hex) -> str:
    return f"patient #{token(4)}"


def erase_patient(
    engine: Engine, patient_id: int, *, actor: str, pseudonym: str | None = None
) -> Erased:
    """Delete the patient and what is theirs; raises :class:`PatientNotFoundError`."""
    pseudonym = pseudonym or new_pseudonym()
    with deleting_session(engine) as session:
        erased = _erase(session, patient_id, actor, pseudonym)
        session.commit()
    return erased


def _erase(session: Session, patient_id: int, actor: str, pseudonym: str) -> Erased:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise PatientNotFoundError(f"no patient with id {patient_id}")
    codes = {patient.code} | set(
        session.scalars(select(RetiredCode.code).where(RetiredCode.patient_id == patient_id))
    )
    name = patient.display_name
    sessions = session.execute(
        select(ExerciseSession.id, ExerciseSession.uid).where(
            ExerciseSession.patient_id == patient_id
        )
    ).all()
    session_ids = [row.id for row in sessions]
    counts = {
        SetRow: _delete(session, SetRow, SetRow.session_id.in_(session_ids)),
        PainEventRow: _delete(session, PainEventRow, PainEventRow.session_id.in_(session_ids)),
        FeedbackEventRow: _delete(
            session, FeedbackEventRow, FeedbackEventRow.session_id.in_(session_ids)
        ),
    }
    theirs = or_(
        AssessmentResult.patient_id == patient_id, AssessmentResult.session_id.in_(session_ids)
    )
    assessments = _delete(session, AssessmentResult, theirs)
    program_ids = set(
        session.scalars(select(Assignment.program_id).where(Assignment.patient_id == patient_id))
    ) | set(
        session.scalars(
            select(ExerciseSession.program_id).where(ExerciseSession.patient_id == patient_id)
        )
    )
    assignments = _delete(session, Assignment, Assignment.patient_id == patient_id)
    _delete(session, ExerciseSession, ExerciseSession.patient_id == patient_id)
    programs = _delete_programs_of_nobody(session, program_ids)
    session.execute(
        update(RetiredCode).where(RetiredCode.patient_id == patient_id).values(patient_id=None)
    )
    session.add(RetiredCode(code=patient.code, patient_id=None))
    session.delete(patient)
    session.flush()
    rewritten = _pseudonymise_audit(session, patient_id, codes, name, pseudonym)
    erased = Erased(
        pseudonym=pseudonym,
        sessions=len(session_ids),
        sets=counts[SetRow],
        pain_events=counts[PainEventRow],
        feedback_events=counts[FeedbackEventRow],
        assessments=assessments,
        assignments=assignments,
        programs=programs,
        audit_entries=rewritten,
        session_uids=frozenset(row.uid for row in sessions if row.uid),
        session_ids=frozenset(session_ids),
    )
    detail = (
        f"{pseudonym}: {erased.sessions} sessions, {erased.sets} sets, "
        f"{erased.pain_events} pain, {erased.feedback_events} feedback, "
        f"{erased.assessments} balance checks, {erased.programs} programs; "
        f"{erased.audit_entries} audit entries pseudonymised"
    )
    session.add(audit_row(actor, Action.PATIENT_ERASED, detail, None))
    return erased


def _delete(session: Session, model: type[Base], where: ColumnElement[bool]) -> int:
    result = session.execute(delete(model).where(where))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _delete_programs_of_nobody(session: Session, program_ids: set[int]) -> int:
    """The patient's programs (each assignment has its own copy), unless a template, or still
    used by another patient's assignment or session."""
    if not program_ids:
        return 0
    used = set(
        session.scalars(select(Assignment.program_id).where(Assignment.program_id.in_(program_ids)))
    ) | set(
        session.scalars(
            select(ExerciseSession.program_id).where(ExerciseSession.program_id.in_(program_ids))
        )
    )
    gone = sorted(
        session.scalars(
            select(Program.id).where(Program.id.in_(program_ids - used), ~Program.is_template)
        )
    )
    if not gone:
        return 0
    _delete(session, ProgramItem, ProgramItem.program_id.in_(gone))
    return _delete(session, Program, Program.id.in_(gone))


#: Entries about staff and the kiosk itself: a code or a name in them is not the patient's
#: (a staff member may share a first name; a wrong code's fingerprint may hold six digits).
_NOT_ABOUT_PATIENTS = frozenset({
    Action.STAFF_ADDED, Action.STAFF_PIN_CHANGED, Action.STAFF_DEACTIVATED,
    Action.STAFF_REMOVED, Action.LOGIN, Action.PIN_FAILED, Action.LOCKED,
    Action.SETTINGS_CHANGED, Action.QUIT,
})  # fmt: skip


def _pseudonymise_audit(
    session: Session, patient_id: int, codes: set[str], name: str, pseudonym: str
) -> int:
    """Every audit detail naming the patient, by id (``patient 12``, not ``patient 123``), and
    in an entry about patients (entries of older versions) by a check-in code or by name,
    names the pseudonym instead."""
    by_id = re.compile(rf"\bpatient {patient_id}(?!\d)")
    others = [rf"(?<!\d){re.escape(c)}(?!\d)" for c in codes]
    likes = [AuditEntryRow.detail.like(f"%patient {patient_id}%")]
    likes += [AuditEntryRow.detail.like(f"%{c}%") for c in codes]
    if len(name) >= _SHORTEST_NAME:
        others.append(rf"(?<!\w){re.escape(name)}(?!\w)")
        likes.append(func.lower(AuditEntryRow.detail).like(f"%{name.lower()}%"))
    by_code_or_name = re.compile("|".join(others), re.IGNORECASE)
    rewritten = 0
    for row in session.scalars(select(AuditEntryRow).where(or_(*likes))):
        assert row.detail is not None
        detail = by_id.sub(pseudonym, row.detail)
        if row.action not in _NOT_ABOUT_PATIENTS and row.actor != "kiosk":
            detail = by_code_or_name.sub(pseudonym, detail)
        if detail != row.detail and row.action == Action.PATIENT_RENAMED:
            detail = pseudonym  # an older version's "482913: 'Maria' → 'Mia'": both names go
        if detail != row.detail:
            row.detail = detail
            rewritten += 1
    return rewritten
