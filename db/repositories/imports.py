"""Writing an imported day's schedule: all or nothing, and a second import changes nothing.

Each patient-day becomes a program and a one-day assignment. A one-day assignment starts
later than any ongoing one, so it wins that day (``ProgramRepository.program_for``) and the
patient's usual program comes back the next day by itself.

Idempotent per patient-day: if the patient's program for that day is already exactly the
file's (same exercises, same doses, same order), nothing is written for it. So importing the
same file twice writes nothing the second time, a corrected file rewrites only the patients
that changed, and importing an old file after a correction brings the old version back — the
last import is what the patient gets, which is what staff expect. Nothing is written at all
when nothing changed, except the audit entry that says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Assignment, ImportBatch, Patient, Program
from db.repositories.audit import Action, audit_row
from db.repositories.programs import (
    ProgramError,
    assignment_row,
    program_row,
    program_with_items,
    stored_item,
)
from db.repositories.progress import covering_program
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.program_builder import DraftItem


class ImportConflictError(RuntimeError):
    """The database changed since the preview (e.g. a patient was deactivated): nothing written.

    ``patient_ids``: the patients no longer active. The message here is English, for logs;
    :func:`kiosk.staff.importing.import_schedule` raises it again in staff's words.
    """

    def __init__(self, message: str, patient_ids: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.patient_ids = tuple(patient_ids)


@dataclass(frozen=True)
class ImportedDay:
    """One patient's program for one day, as read from the file.

    ``program_name``: the title the patient sees if it is written (the caller words it, in
    the kiosk's language: "Program for Mon 3 Mar").
    """

    day: date
    patient_id: int
    items: tuple[ProgramItemSpec, ...]
    program_name: str


@dataclass(frozen=True)
class ImportOutcome:
    batch_id: int | None  # None: nothing was new, nothing written
    programs_written: int
    unchanged: int


def _same(program: Program, items: Sequence[ProgramItemSpec]) -> bool:
    """The program is exactly these items: a stored variation or tempo (an import has
    neither) makes it another program."""
    stored = [stored_item(row) for row in program.items]
    return not program.side_series and stored == [DraftItem.from_spec(item) for item in items]


def apply_import(
    engine: Engine,
    days: Sequence[ImportedDay],
    *,
    actor: str,
    filename: str,
    file_format: str,
    content_sha256: str,
    row_count: int,
) -> ImportOutcome:
    """Write every patient-day that differs from what the patient already has, in one
    transaction, with an ``import_batches`` row and an audit entry."""
    if not days:
        raise ProgramError("nothing to import")
    with Session(engine) as session:
        patient_ids = {d.patient_id for d in days}
        active = set(
            session.scalars(select(Patient.id).where(Patient.id.in_(patient_ids), Patient.active))
        )
        missing = patient_ids - active
        if missing:
            raise ImportConflictError(
                f"patients {sorted(missing)} are no longer active; preview the file again",
                sorted(missing),
            )
        assignments: dict[int, list[Assignment]] = {pid: [] for pid in patient_ids}
        for a in session.scalars(select(Assignment).where(Assignment.patient_id.in_(patient_ids))):
            assignments[a.patient_id].append(a)
        to_write = []
        for day in days:
            current = covering_program(assignments[day.patient_id], day.day)
            if current is not None:
                program = program_with_items(session, current)
                if program is not None and _same(program, day.items):
                    continue
            to_write.append(day)
        unchanged = len(days) - len(to_write)
        if not to_write:
            detail = f"{filename}: nothing new ({unchanged} programs already in place)"
            session.add(audit_row(actor, Action.IMPORT, detail, None))
            session.commit()
            return ImportOutcome(batch_id=None, programs_written=0, unchanged=unchanged)
        batch = ImportBatch(
            content_sha256=content_sha256,
            filename=filename[-255:],
            file_format=file_format,
            actor=actor,
            row_count=row_count,
            programs_written=len(to_write),
        )
        session.add(batch)
        session.flush()
        for day in to_write:
            program = program_row(
                day.program_name,
                day.items,
                side_series=False,
                routine_id=None,
                notes=f"imported from {filename}"[:500],
                import_batch_id=batch.id,
            )
            session.add(program)
            session.flush()
            session.add(assignment_row(program.id, day.patient_id, day.day, day.day, None))
        detail = (
            f"{filename}: {row_count} rows, {len(to_write)} programs written, "
            f"{unchanged} unchanged (batch {batch.id})"
        )
        session.add(audit_row(actor, Action.IMPORT, detail, None))
        session.commit()
        return ImportOutcome(batch_id=batch.id, programs_written=len(to_write), unchanged=unchanged)
