"""Staff members and their PINs (hashing in :mod:`kiosk.core.pin`).

The kiosk asks for a PIN only, not a name, so a PIN identifies its owner: two staff members
may not share one (:class:`PinInUseError`). Checking a PIN costs one scrypt hash per active
staff member (about 0.4 s each with the OWASP parameters): the screen should check it off the
UI thread. There is no default PIN: the first staff member is made with ``kiosk staff add``;
the demo PIN printed in the README is refused for anyone else (:class:`PinInUseError`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import StaffUser
from db.repositories.audit import SYSTEM, Action, audit_row
from kiosk.core.pin import OWASP_SCRYPT, ScryptParams, hash_pin, needs_rehash, verify_pin

STAFF_NAME_MAX = 64
#: The demo staff member's name and PIN, printed in the README (only a demo database has them:
#: db/demo.py); nobody else may choose the PIN.
DEMO_STAFF_NAME = "Demo"
DEMO_STAFF_PIN = "472915"


class StaffNameError(ValueError):
    """An empty, too long or already used staff name."""


class PinInUseError(ValueError):
    """Another active staff member has this PIN (the keypad could not tell them apart)."""


class StaffNotFoundError(LookupError):
    """No staff member with this id or name."""


class WrongPinError(ValueError):
    """The PIN given to prove who is changing a PIN is not theirs."""


class LastStaffError(ValueError):
    """Removing this staff member would leave nobody who can enter staff mode."""


@dataclass(frozen=True)
class StaffInfo:
    id: int
    name: str
    active: bool = True


def _info(row: StaffUser) -> StaffInfo:
    return StaffInfo(id=row.id, name=row.name, active=row.active)


def validate_staff_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= STAFF_NAME_MAX or not cleaned.isprintable():
        raise StaffNameError(f"a staff name has 1 to {STAFF_NAME_MAX} printable characters")
    return cleaned


class StaffRepository:
    """``params``: the scrypt cost; tests pass a cheap one, everything else uses OWASP's."""

    def __init__(self, engine: Engine, params: ScryptParams = OWASP_SCRYPT) -> None:
        self._engine = engine
        self._params = params

    def add(self, name: str, pin: str, *, actor: str = SYSTEM) -> StaffInfo:
        """A new active staff member. Raises ``InvalidPinError``, :class:`StaffNameError`,
        :class:`PinInUseError`."""
        name = validate_staff_name(name)
        encoded = hash_pin(pin, self._params)
        if self.identify(pin) is not None or _published(pin):
            raise PinInUseError("that PIN cannot be used; choose another")
        row = StaffUser(name=name, pin_hash=encoded, active=True)
        with Session(self._engine) as session:
            session.add(row)
            session.add(audit_row(actor, Action.STAFF_ADDED, name, None))
            try:
                session.commit()
            except IntegrityError as error:
                raise StaffNameError(f"there is already a staff member called {name!r}") from error
            return _info(row)

    def list(self, *, include_inactive: bool = False) -> tuple[StaffInfo, ...]:
        query = select(StaffUser).order_by(StaffUser.name, StaffUser.id)
        if not include_inactive:
            query = query.where(StaffUser.active)
        with Session(self._engine) as session:
            return tuple(_info(row) for row in session.scalars(query))

    def count_active(self) -> int:
        """0 means nobody can enter staff mode yet: the screen should say how to add someone."""
        query = select(func.count()).select_from(StaffUser).where(StaffUser.active)
        with Session(self._engine) as session:
            return int(session.scalar(query) or 0)

    def verify(self, staff_id: int, pin: str) -> bool:
        """Whether ``pin`` is this active staff member's PIN."""
        with Session(self._engine) as session:
            row = session.get(StaffUser, staff_id)
            if row is None or not row.active:
                return False
            encoded = row.pin_hash
        ok = verify_pin(pin, encoded)
        if ok and needs_rehash(encoded, self._params):
            self._store_hash(staff_id, hash_pin(pin, self._params))
        return ok

    def identify(self, pin: str) -> StaffInfo | None:
        """The active staff member whose PIN this is, or None (one hash per staff member).

        A hash made with older parameters is upgraded on the way (:func:`needs_rehash`).
        """
        query = select(StaffUser.id, StaffUser.name, StaffUser.pin_hash).where(StaffUser.active)
        with Session(self._engine) as session:
            candidates = session.execute(query.order_by(StaffUser.id)).all()
        for staff_id, name, encoded in candidates:
            if verify_pin(pin, encoded):
                if needs_rehash(encoded, self._params):
                    self._store_hash(staff_id, hash_pin(pin, self._params))
                return StaffInfo(id=staff_id, name=name)
        return None

    def find(self, staff_id: int) -> StaffInfo | None:
        with Session(self._engine) as session:
            row = session.get(StaffUser, staff_id)
            return None if row is None else _info(row)

    def find_by_name(self, name: str) -> StaffInfo:
        """The staff member called ``name`` (spaces tidied), or :class:`StaffNotFoundError`."""
        name = " ".join(name.split())
        with Session(self._engine) as session:
            row = session.scalars(select(StaffUser).where(StaffUser.name == name)).one_or_none()
            if row is None:
                raise StaffNotFoundError(f"no staff member called {name!r}")
            return _info(row)

    def is_active(self, staff_id: int) -> bool:
        """False for a deactivated (or removed) staff member: their PIN opens nothing."""
        query = select(StaffUser.active).where(StaffUser.id == staff_id)
        with Session(self._engine) as session:
            return bool(session.scalar(query))

    def set_pin(self, staff_id: int, pin: str, *, actor: str) -> StaffInfo:
        """Give the staff member ``staff_id`` a new PIN, as ``actor`` (another staff member
        signed in, or IT from a shell): audited, never with the PIN. Raises
        ``InvalidPinError``, :class:`PinInUseError`, :class:`StaffNotFoundError`."""
        encoded = hash_pin(pin, self._params)
        owner = self.identify(pin)
        if (owner is not None and owner.id != staff_id) or _published(pin):
            raise PinInUseError("that PIN cannot be used; choose another")
        with Session(self._engine) as session:
            row = session.get(StaffUser, staff_id)
            if row is None:
                raise StaffNotFoundError(f"no staff member with id {staff_id}")
            row.pin_hash = encoded
            session.add(audit_row(actor, Action.STAFF_PIN_CHANGED, row.name, None))
            session.commit()
            return _info(row)

    def change_own_pin(self, staff_id: int, old_pin: str, pin: str) -> StaffInfo:
        """A staff member changes their own PIN, proving it with the old one. Raises
        :class:`WrongPinError` (nothing changes), and what :meth:`set_pin` raises."""
        staff = self.find(staff_id)
        if staff is None or not self.verify(staff_id, old_pin):
            raise WrongPinError("the old PIN is not right; nothing changed")
        return self.set_pin(staff_id, pin, actor=staff.name)

    def deactivate(self, staff_id: int, *, actor: str) -> StaffInfo:
        """From now on their PIN opens nothing, on every kiosk (a staff mode they have open
        closes at the next touch: :class:`kiosk.staff.auth.StaffGate`); their name stays on
        what they did. Raises :class:`StaffNotFoundError`, or :class:`LastStaffError` for the
        last active member."""
        with Session(self._engine) as session:
            row = session.get(StaffUser, staff_id)
            if row is None:
                raise StaffNotFoundError(f"no staff member with id {staff_id}")
            if not row.active:
                return _info(row)
            others = select(func.count()).select_from(StaffUser)
            others = others.where(StaffUser.active, StaffUser.id != row.id)
            if not session.scalar(others):
                raise LastStaffError(
                    f"{row.name!r} is the only active staff member: add another first"
                )
            row.active = False
            session.add(audit_row(actor, Action.STAFF_DEACTIVATED, row.name, None))
            session.commit()
            return _info(row)

    def reactivate(self, staff_id: int, pin: str, *, actor: str) -> StaffInfo:
        """Let a deactivated staff member back in, with a new PIN: their old one may have
        been chosen by someone else since (two active staff may not share one). Raises what
        :meth:`set_pin` raises."""
        self.set_pin(staff_id, pin, actor=actor)
        with Session(self._engine) as session:
            row = session.get(StaffUser, staff_id)
            if row is None:
                raise StaffNotFoundError(f"no staff member with id {staff_id}")
            row.active = True
            session.add(audit_row(actor, Action.STAFF_REACTIVATED, row.name, None))
            session.commit()
            return _info(row)

    def remove(self, name: str, *, actor: str) -> StaffInfo:
        """Delete the staff member called ``name`` (their PIN with them), audited in the same
        transaction; the audit log keeps what they did, by name. Raises
        :class:`StaffNotFoundError`, or :class:`LastStaffError` for the last active member
        (nobody could enter staff mode, and the kiosk would stop taking check-ins)."""
        name = " ".join(name.split())
        with Session(self._engine) as session:
            row = session.scalars(select(StaffUser).where(StaffUser.name == name)).one_or_none()
            if row is None:
                raise StaffNotFoundError(f"no staff member called {name!r}")
            others = select(func.count()).select_from(StaffUser)
            others = others.where(StaffUser.active, StaffUser.id != row.id)
            if row.active and not session.scalar(others):
                raise LastStaffError(
                    f"{name!r} is the only staff member: add another first (kiosk staff add NAME)"
                )
            removed = _info(row)
            session.delete(row)
            session.add(audit_row(actor, Action.STAFF_REMOVED, name, None))
            session.commit()
            return removed

    def _store_hash(self, staff_id: int, encoded: str) -> None:
        """A PIN re-hashed with today's parameters (not a change: not audited)."""
        with Session(self._engine) as session:
            row = session.get(StaffUser, staff_id)
            if row is not None:
                row.pin_hash = encoded
                session.commit()


def _published(pin: str) -> bool:
    """The demo staff member's PIN, printed in the README: nobody else may choose it."""
    return pin == DEMO_STAFF_PIN
