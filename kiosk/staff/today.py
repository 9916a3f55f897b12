"""Each patient's program for a day, resolved against the library: ``kiosk today`` and the
staff "today" list. Doses are the ones the player will really use (the library's defaults
filled in), so IT can check an import against what patients will be coached through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk.core.describe import describe_prescription
from kiosk.core.prescription import Prescription, PrescriptionError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiosk.core.program_builder import DraftItem
    from media.schema import Library


@dataclass(frozen=True)
class DayItem:
    exercise_id: str
    name: str
    sets: int
    reps: int | None
    hold_s: float | None
    sides: str
    rest_s: float
    notes: str | None
    variation: str | None
    dose: str  # in words, e.g. "3 sets of 10 reps on each side, ..."
    problem: str | None = None  # the exercise is no longer in the library
    # Seconds per tempo phase as the player runs them (None: a hold exercise), and the same
    # in words ("Lift 3 s · Lower 3 s") only when staff changed it from the library's.
    tempo_s: tuple[float, ...] | None = None
    tempo_changed: str | None = None


@dataclass(frozen=True)
class DayProgram:
    code: str
    display_name: str
    patient_id: int
    program_id: int
    program_name: str
    side_series: bool
    items: tuple[DayItem, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "display_name": self.display_name,
            "program_id": self.program_id,
            "program": self.program_name,
            "side_series": self.side_series,
            "items": [
                {
                    "exercise": i.exercise_id,
                    "sets": i.sets,
                    "reps": i.reps,
                    "hold_s": i.hold_s,
                    "sides": i.sides,
                    "rest_s": i.rest_s,
                    "notes": i.notes,
                    "variation": i.variation,
                    "dose": i.dose,
                    "tempo_s": list(i.tempo_s) if i.tempo_s is not None else None,
                    "tempo_from_library": i.tempo_changed is None,
                    **({"problem": i.problem} if i.problem else {}),
                }
                for i in self.items
            ],
        }


def resolve_item(item: DraftItem, library: Library) -> DayItem:
    """A stored item with the library's defaults filled in."""
    exercise = library.exercises.get(item.exercise_id)
    if exercise is None:
        return DayItem(
            item.exercise_id, item.exercise_id, item.sets or 0, item.reps, item.hold_s,
            item.sides.value if item.sides else "", item.rest_s or 0.0, item.notes,
            item.variation, "", problem="no such exercise in the library",
        )  # fmt: skip
    try:
        p = Prescription.from_spec(exercise, item)
    except PrescriptionError as error:
        return DayItem(
            exercise.id, exercise.name, item.sets or 0, item.reps, item.hold_s, "",
            item.rest_s or 0.0, item.notes, item.variation, "", problem=str(error),
        )  # fmt: skip
    dose = describe_prescription(p)
    return DayItem(
        exercise_id=exercise.id,
        name=exercise.name,
        sets=p.sets,
        reps=p.reps,
        hold_s=p.hold_s if p.is_hold else p.rep_hold_s,
        sides=p.sides.value,
        rest_s=p.rest_s,
        notes=item.notes,
        variation=item.variation,
        dose=dose,
        tempo_s=None if p.is_hold else tuple(phase.seconds for phase in p.tempo),
        tempo_changed=(
            " · ".join(f"{phase.word or phase.name} {phase.seconds:g} s" for phase in p.tempo)
            if p.tempo != exercise.dosage.tempo
            else None
        ),
    )


def programs_for_day(
    database: Engine, day: date, library: Library, code: str | None = None
) -> tuple[DayProgram, ...]:
    """Every active patient (or the one with ``code``) who has a program on ``day``, by code."""
    from sqlalchemy import or_, select
    from sqlalchemy.orm import Session

    from db.models import Assignment, Patient
    from db.repositories.program_store import ProgramStore
    from db.repositories.progress import covering_program

    with Session(database) as session:
        patients_query = select(Patient).where(Patient.active)
        if code is not None:
            patients_query = patients_query.where(Patient.code == code.strip())
        patients = {p.id: (p.code, p.display_name) for p in session.scalars(patients_query)}
        covering = select(Assignment).where(
            Assignment.start_date <= day,
            or_(Assignment.end_date.is_(None), Assignment.end_date >= day),
        )
        if code is not None:
            covering = covering.where(Assignment.patient_id.in_(sorted(patients)))
        by_patient: dict[int, list[Assignment]] = {}
        for a in session.scalars(covering):
            if a.patient_id in patients:  # active ones only
                by_patient.setdefault(a.patient_id, []).append(a)
    store = ProgramStore(database)
    found = []
    for patient_id, assignments in by_patient.items():
        program_id = covering_program(assignments, day)
        draft = None if program_id is None else store.load(program_id)
        if program_id is None or draft is None:
            continue
        code_, name = patients[patient_id]
        found.append(
            DayProgram(
                code=code_,
                display_name=name,
                patient_id=patient_id,
                program_id=program_id,
                program_name=draft.name,
                side_series=draft.side_series,
                items=tuple(resolve_item(item, library) for item in draft.items),
            )
        )
    return tuple(sorted(found, key=lambda p: p.code))
