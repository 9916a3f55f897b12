"""Patients: check-in lookup, registration with a generated code, and the staff's edits.

A check-in code is never given out twice: a regenerated code moves to ``retired_codes``, and a
deactivated patient keeps theirs. So an old log, card or import file can never be mistaken
for another patient's. Generated codes follow :mod:`kiosk.core.codes` (random, 6 digits, not
trivial, no leading 0).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Patient, RetiredCode
from db.repositories.audit import Action, audit_row
from db.validation import validate_display_name
from kiosk.core.codes import RandBelow, generate_code, normalize_code


class DuplicateCodeError(ValueError):
    """Another patient already has this check-in code (codes identify patients at the kiosk)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"check-in code {code!r} is already in use")
        self.code = code


class PatientNotFoundError(LookupError):
    """No patient with this id."""


@dataclass(frozen=True)
class PatientInfo:
    """A patient; its repr shows only the id, so a ``%r`` in a log line (or a traceback's
    message) never carries a name or a check-in code."""

    id: int
    code: str = field(repr=False)
    display_name: str = field(repr=False)
    active: bool = True
    #: The patient's preferred language ("es"), or None: the clinic's.
    language: str | None = None


def _info(patient: Patient) -> PatientInfo:
    return PatientInfo(
        id=patient.id,
        code=patient.code,
        display_name=patient.display_name,
        active=patient.active,
        language=patient.language,
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PatientRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find_by_code(self, code: str) -> PatientInfo | None:
        """The active patient with this code; None for unknown or deactivated codes alike."""
        query = select(Patient).where(Patient.code == normalize_code(code), Patient.active)
        with Session(self._engine) as session:
            patient = session.scalars(query).one_or_none()
            return None if patient is None else _info(patient)

    def get(self, patient_id: int) -> PatientInfo | None:
        with Session(self._engine) as session:
            patient = session.get(Patient, patient_id)
            return None if patient is None else _info(patient)

    def by_codes(self, codes: set[str]) -> dict[str, PatientInfo]:
        """Patients (active or not) by code, for checking an import file in one query."""
        if not codes:
            return {}
        query = select(Patient).where(Patient.code.in_(sorted(codes)))
        with Session(self._engine) as session:
            return {p.code: _info(p) for p in session.scalars(query)}

    def add(self, display_name: str, code: str, *, actor: str | None = None) -> PatientInfo:
        """Register a patient; invalid input raises a ``ValueError`` subclass.

        Raises :class:`DuplicateCodeError` if the code is taken (also by an inactive patient,
        or retired: a code is never reused, so an old log can't be mistaken for a new patient's).
        """
        patient = Patient(display_name=display_name, code=code)
        with Session(self._engine) as session:
            if session.get(RetiredCode, patient.code) is not None:
                raise DuplicateCodeError(patient.code)
            session.add(patient)
            if actor is not None:
                session.flush()
                session.add(audit_row(actor, Action.PATIENT_ADDED, _who(patient), None))
            try:
                session.commit()
            except IntegrityError as error:
                raise DuplicateCodeError(patient.code) from error
            return _info(patient)

    def register(
        self, display_name: str, *, actor: str, randbelow: RandBelow = secrets.randbelow
    ) -> PatientInfo:
        """Register a patient with a newly generated code (printed on their check-in card)."""
        validate_display_name(display_name)
        for _ in range(5):
            code = generate_code(self._codes_in_use(), randbelow=randbelow)
            try:
                return self.add(display_name, code, actor=actor)
            except DuplicateCodeError:
                continue  # another kiosk took it this instant: draw again
        raise DuplicateCodeError(code)

    def list_active(self) -> tuple[PatientInfo, ...]:
        """Active patients by display name (then id, so equal names keep a stable order)."""
        return self.search("", include_inactive=False)

    def search(self, text: str = "", *, include_inactive: bool = False) -> tuple[PatientInfo, ...]:
        """Patients whose name contains ``text`` (any case) or whose code starts with it.

        Sorted by display name, then id; "" lists everyone.
        """
        query = select(Patient)
        text = text.strip()
        if text:
            pattern = _like_escape(text.lower())
            query = query.where(
                or_(
                    Patient.display_name.ilike(f"%{pattern}%", escape="\\"),
                    Patient.code.like(f"{pattern}%", escape="\\"),
                )
            )
        if not include_inactive:
            query = query.where(Patient.active)
        query = query.order_by(Patient.display_name, Patient.id)
        with Session(self._engine) as session:
            return tuple(_info(p) for p in session.scalars(query))

    def rename(self, patient_id: int, display_name: str, *, actor: str) -> PatientInfo:
        """Change the display name (initials or a first name; validated like a new one)."""
        with Session(self._engine) as session:
            patient = self._load(session, patient_id)
            patient.display_name = display_name
            # Neither name nor code: the audit log outlives an erasure (pseudonymised then).
            session.add(audit_row(actor, Action.PATIENT_RENAMED, _who(patient), None))
            session.commit()
            return _info(patient)

    def regenerate_code(
        self, patient_id: int, *, actor: str, randbelow: RandBelow = secrets.randbelow
    ) -> PatientInfo:
        """Give the patient a new code (a lost card); the old one stops working for good."""
        with Session(self._engine) as session:
            patient = self._load(session, patient_id)
            old = patient.code
            patient.code = generate_code(self._codes_in_use(session), randbelow=randbelow)
            session.add(RetiredCode(code=old, patient_id=patient.id))
            session.add(audit_row(actor, Action.CODE_REGENERATED, f"patient {patient.id}", None))
            session.commit()
            return _info(patient)

    def set_active(self, patient_id: int, active: bool, *, actor: str | None = None) -> None:
        """Deactivate (or reactivate) a patient: their code stops (or starts) working."""
        with Session(self._engine) as session:
            result = session.execute(
                update(Patient).where(Patient.id == patient_id).values(active=active)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise PatientNotFoundError(f"no patient with id {patient_id}")
            if actor is not None:
                action = Action.PATIENT_REACTIVATED if active else Action.PATIENT_DEACTIVATED
                session.add(audit_row(actor, action, f"patient {patient_id}", None))
            session.commit()

    def set_language(self, patient_id: int, language: str | None) -> PatientInfo:
        """Remember the language the patient chose at the kiosk or staff set (None: the
        clinic's). Not audited: it is the patient's own choice, like large text, and holds
        nothing about their health. Raises :class:`~db.validation.InvalidLanguageError`."""
        with Session(self._engine) as session:
            patient = self._load(session, patient_id)
            patient.language = language
            session.commit()
            return _info(patient)

    def _codes_in_use(self, session: Session | None = None) -> set[str]:
        """Every code ever given: current ones and retired ones (cheap: 6 digits × patients)."""
        if session is None:
            with Session(self._engine) as own:
                return self._codes_in_use(own)
        current = set(session.scalars(select(Patient.code)))
        return current | set(session.scalars(select(RetiredCode.code)))

    @staticmethod
    def _load(session: Session, patient_id: int) -> Patient:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise PatientNotFoundError(f"no patient with id {patient_id}")
        return patient


def _who(patient: Patient) -> str:
    """How the audit log names a patient: the id alone. Never the name, nor the check-in code
    (which opens the kiosk as them); an erasure replaces it with a pseudonym
    (:mod:`db.repositories.erasure`)."""
    return f"patient {patient.id}"
