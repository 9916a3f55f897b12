"""Check-in: a code a patient typed or scanned → that patient and today's program, compiled.

One neutral answer, None, for an unknown code, a patient with nothing today and a program that
no longer builds: the screen shows one message either way, so the kiosk never tells anyone
which codes exist; staff find a broken program in the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from db.repositories.patients import PatientInfo, PatientRepository
from db.repositories.programs import AssignedProgram, ProgramRepository
from kiosk.core.codes import InvalidCheckInCodeError, validate_code
from kiosk.core.compiler import compile_program
from kiosk.core.prescription import PrescriptionError, Program, build_program
from kiosk.core.timeline import Timeline
from media.schema import Library

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckIn:
    """A patient who has a program today, with the program compiled and ready to run."""

    patient: PatientInfo
    program_id: int
    program: Program
    timeline: Timeline
    #: What the program was built from, so it can be built again in another language.
    assigned: AssignedProgram | None = field(default=None, repr=False, compare=False)

    @property
    def display_name(self) -> str:
        return self.patient.display_name


def in_library(checkin: CheckIn, library: Library) -> CheckIn:
    """The same check-in with its program built from ``library`` (another language's: the
    same exercises and doses, other words) and compiled in the kiosk's current language, so
    the cues are said in it and spaced for it. Unchanged if it cannot be rebuilt."""
    assigned = checkin.assigned
    if assigned is None:
        return checkin
    try:
        return _built(checkin.patient, assigned, library)
    except PrescriptionError:
        log.exception("program %s cannot be built in language %s", assigned.id, library.language)
        return checkin


def find_checkin(database: Engine, library: Library, code: str, day: date) -> CheckIn | None:
    """The patient with ``code`` and their program for ``day``, or None (see the module)."""
    try:
        code = validate_code(code)
    except InvalidCheckInCodeError:
        return None
    patient = PatientRepository(database).find_by_code(code)
    if patient is None:
        return None
    assigned = ProgramRepository(database).program_for(patient.id, day)
    if assigned is None:
        return None
    try:
        return _built(patient, assigned, library)
    except PrescriptionError:
        # A staff configuration problem (an exercise removed from the library).
        log.exception("program %s for patient %s cannot be built", assigned.id, patient.id)
        return None


def _built(patient: PatientInfo, assigned: AssignedProgram, library: Library) -> CheckIn:
    """The check-in for ``assigned``, its program built from ``library`` and compiled in the
    kiosk's current language. Raises ``PrescriptionError`` if it cannot be built."""
    program = build_program(
        assigned.name, assigned.items, library.exercises, side_series=assigned.side_series
    )
    return CheckIn(
        patient=patient,
        program_id=assigned.id,
        program=program,
        timeline=compile_program(program),
        assigned=assigned,
    )
