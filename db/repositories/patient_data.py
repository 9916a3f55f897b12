"""Everything the database holds about one patient, table by table (the right of access).

Each table that can hold something of a patient is read in full for them: every column of
every row, by the column's own name, so a column added later is exported without a change
here. Linked to the patient by their id (``patients``, ``retired_codes``, ``assignments``,
``sessions``, ``assessment_results``), by one of their sessions (``set_records``,
``pain_events``, ``feedback_events``), by one of their programs (``programs``,
``program_items``: assigned to them, or run in one of their sessions, templates aside), and
the audit entries that name them (``patient 12``). Staff accounts, clinic settings and
import batches hold nothing of a patient and are not read.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Engine, Table, or_, select

from db.models import (
    AssessmentResult,
    Assignment,
    AuditEntryRow,
    ExerciseSession,
    FeedbackEventRow,
    PainEventRow,
    Patient,
    Program,
    ProgramItem,
    RetiredCode,
    SetRow,
)
from db.repositories.patients import PatientNotFoundError

Rows = list[dict[str, Any]]

#: The tables an export reads (and :func:`patient_data` returns), in this order.
TABLES = (
    "patients",
    "retired_codes",
    "assignments",
    "programs",
    "program_items",
    "sessions",
    "set_records",
    "pain_events",
    "feedback_events",
    "assessment_results",
    "audit_log",
)


def plain(value: Any) -> Any:
    """A column's value as JSON: times and days in ISO 8601 (UTC), enums by their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _rows(connection: Connection, table: Table, where: Any) -> Rows:
    query = select(table).where(where).order_by(*table.primary_key.columns)
    return [{k: plain(v) for k, v in row._mapping.items()} for row in connection.execute(query)]


def patient_data(engine: Engine, patient_id: int) -> dict[str, Rows]:
    """Every row about the patient, by table (:data:`TABLES`); raises
    :class:`PatientNotFoundError`."""
    with engine.connect() as connection:
        patients = _rows(connection, Patient.__table__, Patient.id == patient_id)  # type: ignore[arg-type]
        if not patients:
            raise PatientNotFoundError(f"no patient with id {patient_id}")
        sessions = select(ExerciseSession.id).where(ExerciseSession.patient_id == patient_id)
        programs = select(Program.id).where(
            or_(
                Program.id.in_(
                    select(Assignment.program_id).where(Assignment.patient_id == patient_id)
                ),
                Program.id.in_(
                    select(ExerciseSession.program_id).where(
                        ExerciseSession.patient_id == patient_id
                    )
                ),
            ),
            ~Program.is_template,
        )
        wheres: dict[type, Any] = {
            RetiredCode: RetiredCode.patient_id == patient_id,
            Assignment: Assignment.patient_id == patient_id,
            Program: Program.id.in_(programs),
            ProgramItem: ProgramItem.program_id.in_(programs),
            ExerciseSession: ExerciseSession.patient_id == patient_id,
            SetRow: SetRow.session_id.in_(sessions),
            PainEventRow: PainEventRow.session_id.in_(sessions),
            FeedbackEventRow: FeedbackEventRow.session_id.in_(sessions),
            AssessmentResult: AssessmentResult.patient_id == patient_id,
            AuditEntryRow: AuditEntryRow.detail.like(f"%patient {patient_id}%"),
        }
        found = {"patients": patients}
        for model, where in wheres.items():
            found[model.__tablename__] = _rows(connection, model.__table__, where)  # type: ignore[attr-defined]
    mention = re.compile(rf"\bpatient {patient_id}(?!\d)")
    found["audit_log"] = [r for r in found["audit_log"] if mention.search(r["detail"] or "")]
    return {name: found[name] for name in TABLES}
