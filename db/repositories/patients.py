"""Patients: check-in lookup and registration."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Patient
from db.validation import normalize_code


class DuplicateCodeError(ValueError):
    """Another patient already has this check-in code (codes identify patients at the kiosk)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"check-in code {code!r} is already in use")
        self.code = code


class PatientNotFoundError(LookupError):
    """No patient with this id."""


@dataclass(frozen=True)
class PatientInfo:
    id: int
    code: str
    display_name: str


def _info(patient: Patient) -> PatientInfo:
    return PatientInfo(id=patient.id, code=patient.code, display_name=patient.display_name)


class PatientRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find_by_code(self, code: str) -> PatientInfo | None:
        """The active patient with this code; None for unknown or deactivated codes alike."""
        query = select(Patient).where(Patient.code == normalize_code(code), Patient.active)
        with Session(self._engine) as session:
            patient = session.scalars(query).one_or_none()
            return None if patient is None else _info(patient)

    def add(self, display_name: str, code: str) -> PatientInfo:
        """Register a patient; invalid input raises a ``ValueError`` subclass.

        Raises :class:`DuplicateCodeError` if the code is taken (also by an inactive patient:
        a code is never reused, so an old log can't be mistaken for a new patient's).
        """
        patient = Patient(display_name=display_name, code=code)
        with Session(self._engine) as session:
            session.add(patient)
            try:
                session.commit()
            except IntegrityError as error:
                raise DuplicateCodeError(patient.code) from error
            return _info(patient)

    def list_active(self) -> tuple[PatientInfo, ...]:
        """Active patients by display name (then id, so equal names keep a stable order)."""
        query = select(Patient).where(Patient.active).order_by(Patient.display_name, Patient.id)
        with Session(self._engine) as session:
            return tuple(_info(p) for p in session.scalars(query))

    def set_active(self, patient_id: int, active: bool) -> None:
        """Deactivate (or reactivate) a patient: their code stops (or starts) working."""
        with Session(self._engine) as session:
            result = session.execute(
                update(Patient).where(Patient.id == patient_id).values(active=active)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise PatientNotFoundError(f"no patient with id {patient_id}")
            session.commit()
