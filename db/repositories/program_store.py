"""Programs as the staff builder sees them: drafts, templates, assignments, with audit.

A stored program is never edited in place: sessions and old assignments point at it, and
their history must keep meaning what it meant. Saving a draft makes a new program;
assigning a draft (or a template) stores a copy for that patient. So a template can be
improved without changing anyone's program, and a patient's progress report always shows
what they were really given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from db.models import Assignment, Patient, Program
from db.repositories.audit import Action, audit_row
from db.repositories.programs import (
    ProgramError,
    assignment_row,
    program_row,
    read_program,
    stored_item,
)
from kiosk.core.program_builder import ProgramDraft

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ProgramSummary:
    id: int
    name: str
    side_series: bool
    exercise_ids: tuple[str, ...]
    is_template: bool
    routine_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class AssignmentInfo:
    """``weekdays``: a mask, bit 0 Monday (None: every day); ``end`` None: open-ended."""

    id: int
    patient_id: int
    program_id: int
    program_name: str
    start: date
    end: date | None
    weekdays: int | None
    created_at: datetime

    @property
    def weekday_text(self) -> str:
        return describe_weekdays(self.weekdays)


def describe_weekdays(mask: int | None) -> str:
    """ "every day", or e.g. "Mon, Wed, Fri"."""
    if mask is None or mask == 0b111_1111:
        return "every day"
    return ", ".join(name for bit, name in enumerate(WEEKDAY_NAMES) if mask & (1 << bit))


def _summary(program: Program) -> ProgramSummary:
    return ProgramSummary(
        id=program.id,
        name=program.name,
        side_series=program.side_series,
        exercise_ids=tuple(item.exercise_id for item in program.items),
        is_template=program.is_template,
        routine_id=program.routine_id,
        created_at=program.created_at,
    )


def _draft(program: Program) -> ProgramDraft:
    return ProgramDraft(
        name=program.name,
        side_series=program.side_series,
        notes=program.notes,
        routine_id=program.routine_id,
        items=tuple(stored_item(item) for item in program.items),
    )


def draft_row(
    draft: ProgramDraft, *, is_template: bool = False, import_batch_id: int | None = None
) -> Program:
    """A new program row for ``draft`` (checked by :func:`program_row`), for any transaction."""
    return program_row(
        draft.name,
        draft.items,
        draft.side_series,
        draft.routine_id,
        draft.notes,
        is_template=is_template,
        import_batch_id=import_batch_id,
    )


def _assignment_info(assignment: Assignment, program: Program) -> AssignmentInfo:
    return AssignmentInfo(
        id=assignment.id,
        patient_id=assignment.patient_id,
        program_id=program.id,
        program_name=program.name,
        start=assignment.start_date,
        end=assignment.end_date,
        weekdays=assignment.weekdays,
        created_at=assignment.created_at,
    )


class ProgramStore:
    """Check a draft with :meth:`ProgramDraft.check` (it needs the library) before saving."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save(self, draft: ProgramDraft, *, actor: str, template: bool = False) -> int:
        """Store the draft as a new program (or template); returns its id."""
        row = draft_row(draft, is_template=template)
        with Session(self._engine) as session:
            session.add(row)
            session.flush()
            action = Action.TEMPLATE_SAVED if template else Action.PROGRAM_SAVED
            session.add(audit_row(actor, action, f"program {row.id} {row.name!r}", None))
            session.commit()
            return row.id

    def load(self, program_id: int) -> ProgramDraft | None:
        """A stored program (or template) as a draft to edit, with each item's variation."""
        return read_program(self._engine, program_id, _draft)

    def templates(self) -> tuple[ProgramSummary, ...]:
        """Every template, by name."""
        query = (
            select(Program)
            .where(Program.is_template)
            .options(selectinload(Program.items))
            .order_by(Program.name, Program.id)
        )
        with Session(self._engine) as session:
            return tuple(_summary(p) for p in session.scalars(query))

    def summary(self, program_id: int) -> ProgramSummary | None:
        return read_program(self._engine, program_id, _summary)

    def assign(
        self,
        draft: ProgramDraft,
        patient_id: int,
        start: date,
        end: date | None,
        weekdays: int | None = None,
        *,
        actor: str,
    ) -> AssignmentInfo:
        """Give the patient a copy of ``draft`` from ``start`` to ``end`` on ``weekdays``.

        One transaction: the program copy, the assignment and the audit entry all land, or none.
        """
        with Session(self._engine) as session:
            if session.get(Patient, patient_id) is None:
                raise ProgramError(f"no patient with id {patient_id}")
            program = draft_row(draft)
            session.add(program)
            session.flush()
            assignment = assignment_row(program.id, patient_id, start, end, weekdays)
            session.add(assignment)
            session.flush()
            span = f"{start} to {end or 'open-ended'}, {describe_weekdays(weekdays)}"
            detail = f"patient {patient_id}: program {program.id} {program.name!r}, {span}"
            session.add(audit_row(actor, Action.PROGRAM_ASSIGNED, detail, None))
            session.commit()
            return _assignment_info(assignment, program)

    def assignments_for(self, patient_id: int) -> tuple[AssignmentInfo, ...]:
        """The patient's assignments, newest start first (the order that decides a day)."""
        query = (
            select(Assignment, Program)
            .join(Program, Program.id == Assignment.program_id)
            .where(Assignment.patient_id == patient_id)
            .order_by(Assignment.start_date.desc(), Assignment.id.desc())
        )
        with Session(self._engine) as session:
            return tuple(_assignment_info(a, p) for a, p in session.execute(query))

    def end_assignment(self, assignment_id: int, last_day: date, *, actor: str) -> None:
        """Stop an assignment after ``last_day`` (e.g. the patient was discharged)."""
        with Session(self._engine) as session:
            assignment = session.get(Assignment, assignment_id)
            if assignment is None:
                raise ProgramError(f"no assignment with id {assignment_id}")
            if last_day < assignment.start_date:
                raise ProgramError(f"{last_day} is before the assignment starts")
            assignment.end_date = last_day
            detail = f"assignment {assignment_id} ends {last_day}"
            session.add(audit_row(actor, Action.PROGRAM_ASSIGNED, detail, None))
            session.commit()
