"""Demo patients and a demo staff member, so a fresh kiosk can be tried at once.

The README lists the codes and the demo PIN. Created only when asked (``kiosk --demo``, which
``make run`` passes) and only into an empty database (no patients at all), in one transaction,
so a clinic's real data is never touched, a crash half-way leaves nothing behind to block a
retry, and a real clinic's database never gets the published PIN. A database that still holds
the demo staff member (:func:`holds_demo_staff`) says so on the staff home.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import Engine, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.connection import one_at_a_time
from db.models import Patient, StaffUser
from db.repositories.audit import audit_row
from db.repositories.programs import assignment_row, program_row
from db.repositories.staff import DEMO_STAFF_NAME as DEMO_STAFF_NAME
from db.repositories.staff import DEMO_STAFF_PIN as DEMO_STAFF_PIN
from kiosk.core.pin import verify_pin
from kiosk.core.prescription import ProgramItemSpec

# The demo staff member's name and PIN (listed in the README; only in a demo database) live
# with the staff repository, which refuses the PIN for anyone else.
# hash_pin(DEMO_STAFF_PIN) made once: the PIN is public anyway, and hashing it at every demo
# start would cost 0.4 s and 128 MiB (a test checks the two still match).
DEMO_STAFF_PIN_HASH = (
    "scrypt$ln=17,r=8,p=1$sXcqdWsJSh4Y5ZlfCitZnQ$7igsAzVFF7sSGC4bNAYoaUJgaZvOrGOu96EpZGmzcTA"
)

THREE_MINUTE_HIP_SERIES = "three-minute-hip-series"


class DemoPatient(NamedTuple):
    code: str
    display_name: str
    program: str  # what the patient will be coached through, for the README


class _DemoProgram(NamedTuple):
    name: str
    items: tuple[ProgramItemSpec, ...]
    side_series: bool = False
    routine_id: str | None = None


def _items(*exercise_ids: str) -> tuple[ProgramItemSpec, ...]:
    return tuple(ProgramItemSpec(exercise_id) for exercise_id in exercise_ids)


_DEMO: tuple[tuple[DemoPatient, _DemoProgram], ...] = (
    (
        DemoPatient("482913", "Maria", "side-lying: clamshell, side-lying lift and sweep"),
        _DemoProgram("Side-lying hip strength", _items("clamshell", "side-lying-lift-and-sweep")),
    ),
    (
        DemoPatient(
            "305718",
            "J.K.",
            "the 3-minute hip series: small leg raises, bicycle to sidekick, big leg lifts, "
            "leg circles both ways — all on one side, then the other",
        ),
        _DemoProgram(
            "3-minute hip series",
            _items(
                "small-leg-raises",
                "bicycle-to-sidekick",
                "big-leg-lifts",
                "leg-circles-counterclockwise",
                "leg-circles-clockwise",
            ),
            side_series=True,
            routine_id=THREE_MINUTE_HIP_SERIES,
        ),
    ),
    (
        DemoPatient(
            "716254",
            "Tom",
            "standing: standing lateral leg raise, standing wall press, functional clamshell",
        ),
        _DemoProgram(
            "Standing hip strength",
            _items("standing-lateral-leg-raise", "standing-wall-press", "functional-clamshell"),
        ),
    ),
    (
        DemoPatient("551937", "Ann", "a short try-out: one set of 3 clamshells, 5 s rest"),
        _DemoProgram("Try-out", (ProgramItemSpec("clamshell", sets=1, reps=3, rest_s=5.0),)),
    ),
)

DEMO_PATIENTS: tuple[DemoPatient, ...] = tuple(patient for patient, _ in _DEMO)


def ensure_demo_data(engine: Engine, today: date) -> bool:
    """Create the demo patients, their programs and the demo staff member if there are no
    patients yet.

    Programs are assigned open-ended from ``today``. Returns True if anything was created.
    """
    # Kiosks starting together on a new shared server take turns: the first creates the
    # demo data, the others then find patients and leave it alone.
    with one_at_a_time(engine) as session:
        if session.scalar(select(exists().select_from(Patient))):
            return False
        try:
            if not session.scalar(select(exists().select_from(StaffUser))):
                # Only where nobody has a PIN yet: real staff never share a kiosk with a
                # public one.
                session.add(StaffUser(name=DEMO_STAFF_NAME, pin_hash=DEMO_STAFF_PIN_HASH))
            for patient_spec, program_spec in _DEMO:
                patient = Patient(code=patient_spec.code, display_name=patient_spec.display_name)
                program = program_row(
                    program_spec.name,
                    program_spec.items,
                    program_spec.side_series,
                    program_spec.routine_id,
                    notes="demo",
                )
                session.add_all([patient, program])
                session.flush()
                session.add(assignment_row(program.id, patient.id, today, None, None))
            session.add(audit_row("system", "demo data created", None, None))
            session.commit()
        except IntegrityError:
            # Someone else wrote one of these codes or names meanwhile: leave theirs alone.
            return False
    return True


def holds_demo_staff(engine: Engine) -> bool:
    """Whether an active staff member can still be signed in with the published demo PIN.

    The demo staff member is stored with :data:`DEMO_STAFF_PIN_HASH` itself, whose salt no
    other hash shares: one query finds it, whatever it has been renamed to. A "Demo" whose
    hash has been re-made since (a login re-hashes a hash made with weaker parameters) is
    checked against the PIN itself, one scrypt hash (0.4 s: call it off the UI thread).
    """
    query = select(StaffUser.name, StaffUser.pin_hash).where(StaffUser.active)
    with Session(engine) as session:
        rows = session.execute(query).all()
    if any(pin_hash == DEMO_STAFF_PIN_HASH for _, pin_hash in rows):
        return True
    return any(
        verify_pin(DEMO_STAFF_PIN, pin_hash) for name, pin_hash in rows if name == DEMO_STAFF_NAME
    )
