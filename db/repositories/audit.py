"""The audit log: who did what, and when.

Staff actions are written in the same transaction as the change they describe (see
:func:`audit_row`), so the log never claims an edit that was rolled back, nor misses one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import AuditEntryRow
from kiosk.core.clock import utc_now

SYSTEM = "system"


class Action(StrEnum):
    """The ``action`` of audit entries written by staff mode (one word group each, so the
    screens and reports can filter on them; ``detail`` holds the specifics)."""

    STAFF_ADDED = "staff added"
    STAFF_PIN_CHANGED = "staff PIN changed"
    STAFF_DEACTIVATED = "staff deactivated"
    STAFF_REACTIVATED = "staff reactivated"
    STAFF_REMOVED = "staff removed"
    LOGIN = "staff login"
    PIN_FAILED = "failed PIN"
    LOCKED = "staff mode locked"
    # Staff sign-in as a whole (kiosk.core.sign_in_lock): locked after too many wrong PINs,
    # a wrong PIN typed to unlock it under a staff member's name, and unlocked.
    SIGN_IN_LOCKED = "staff sign-in locked"
    UNLOCK_FAILED = "failed unlock PIN"
    SIGN_IN_UNLOCKED = "staff sign-in unlocked"
    PATIENT_ADDED = "patient added"
    PATIENT_RENAMED = "patient renamed"
    CODE_REGENERATED = "code regenerated"
    CODE_SHOWN = "code shown"  # on the staff patient list, by "Show code"
    PATIENT_DEACTIVATED = "patient deactivated"
    PATIENT_REACTIVATED = "patient reactivated"
    PATIENT_ERASED = "patient erased"
    PATIENT_EXPORTED = "patient's data exported"
    RETENTION = "old records deleted"
    PROGRAM_SAVED = "program saved"
    TEMPLATE_SAVED = "template saved"
    PROGRAM_ASSIGNED = "program assigned"
    IMPORT = "import"
    EXPORT = "export"
    SETTINGS_CHANGED = "settings changed"
    QUIT = "quit"
    # The check-in lockout (db/repositories/checkin_lockout.py); "kiosk" is the actor of the
    # first two, the staff member of the third.
    CHECKIN_FAILED = "check-in failed"
    CHECKIN_PAUSED = "check-in paused"
    CHECKIN_REOPENED = "check-in reopened"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    detail: str | None


def audit(
    engine: Engine,
    actor: str,
    action: str,
    detail: str | None = None,
    *,
    at: datetime | None = None,
) -> None:
    """Record that ``actor`` (a staff name, or "system") did ``action``."""
    with Session(engine) as session:
        session.add(audit_row(actor, action, detail, at))
        session.commit()


def audit_row(actor: str, action: str, detail: str | None, at: datetime | None) -> AuditEntryRow:
    """An entry to add inside another operation's transaction (e.g. the demo data)."""
    return AuditEntryRow(at=at or utc_now(), actor=actor, action=action, detail=detail)


def recent_entries(engine: Engine, limit: int = 100) -> tuple[AuditEntry, ...]:
    """The newest entries first."""
    query = select(AuditEntryRow).order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc())
    with Session(engine) as session:
        return tuple(
            AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, detail=r.detail)
            for r in session.scalars(query.limit(limit))
        )


def entries(
    engine: Engine,
    *,
    actions: tuple[str, ...] = (),
    since: datetime | None = None,
    limit: int = 500,
) -> tuple[AuditEntry, ...]:
    """Newest first, optionally only some actions and only from ``since`` on."""
    query = select(AuditEntryRow)
    if actions:
        query = query.where(AuditEntryRow.action.in_(actions))
    if since is not None:
        query = query.where(AuditEntryRow.at >= since)
    query = query.order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc()).limit(limit)
    with Session(engine) as session:
        return tuple(
            AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, detail=r.detail)
            for r in session.scalars(query)
        )


def failed_pins_since_last_login(engine: Engine, limit: int = 64) -> tuple[int, datetime | None]:
    """How many PINs failed in a row since the last successful login (or since sign-in was
    unlocked), and when the last did.

    Lets a restarted kiosk resume its back-off (:meth:`kiosk.core.pin.LoginThrottle.restore`).
    An unlock starts the count again: the staff member who unlocked should not then wait out
    the back-off the guesser earned.
    """
    resets = (Action.LOGIN, Action.SIGN_IN_UNLOCKED)
    recent = entries(engine, actions=(*resets, Action.PIN_FAILED), limit=limit)
    count = 0
    for entry in recent:
        if entry.action in resets:
            break
        count += 1
    return count, (recent[0].at if count else None)
