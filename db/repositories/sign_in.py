"""Staff sign-in's lock, kept in the audit log (the rule is :mod:`kiosk.core.sign_in_lock`).

Every wrong PIN is an audit entry already (``failed PIN``), written by whichever kiosk it was
typed on; locking and unlocking are entries too. So the lock needs no table of its own: it
survives a restart with the database, and every kiosk on a shared server reads the same one.

Order is by row id, not by time: kiosks' clocks may differ by a few seconds, and an unlock
must count from the unlock's own row, whatever the clock of the kiosk that wrote it said. The
time is used only for the window (wrong PINs older than a day no longer count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import AuditEntryRow, StaffUser
from db.repositories.audit import SYSTEM, Action, audit_row
from kiosk.core.sign_in_lock import SignInLockPolicy, SignInLockState


@dataclass(frozen=True)
class _Event:
    id: int
    at: datetime


def _newest(session: Session, action: str) -> _Event | None:
    query = (
        select(AuditEntryRow.id, AuditEntryRow.at)
        .where(AuditEntryRow.action == action)
        .order_by(AuditEntryRow.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return None if row is None else _Event(row.id, row.at)


def _count(
    session: Session, actions: tuple[str, ...], *, after_id: int, since: datetime | None = None
) -> int:
    query = select(func.count()).select_from(AuditEntryRow)
    query = query.where(AuditEntryRow.action.in_(actions), AuditEntryRow.id > after_id)
    if since is not None:
        query = query.where(AuditEntryRow.at >= since)
    return int(session.scalar(query) or 0)


class SignInLog:
    """Reads and writes staff sign-in's lock for one database (all its kiosks)."""

    def __init__(self, engine: Engine, policy: SignInLockPolicy | None = None) -> None:
        self._engine = engine
        self.policy = policy or SignInLockPolicy()

    def state(self, now: datetime) -> SignInLockState:
        """Where sign-in stands at ``now`` (wall clock, aware UTC)."""
        with Session(self._engine) as session:
            return self._state(session, now)

    def _state(self, session: Session, now: datetime) -> SignInLockState:
        locked = _newest(session, Action.SIGN_IN_LOCKED)
        unlocked = _newest(session, Action.SIGN_IN_UNLOCKED)
        since_unlock = unlocked.id if unlocked is not None else 0
        window_start = now - timedelta(seconds=self.policy.window_s)
        failures = _count(session, (Action.PIN_FAILED,), after_id=since_unlock, since=window_start)
        if locked is None or locked.id < since_unlock:
            return SignInLockState(locked=False, failures=failures, policy=self.policy)
        unlock_failures = _count(session, (Action.UNLOCK_FAILED,), after_id=locked.id)
        return SignInLockState(
            locked=True,
            failures=failures,
            locked_at=locked.at,
            unlock_failures=unlock_failures,
            policy=self.policy,
        )

    def record_failure(self, now: datetime, detail: str | None = None) -> SignInLockState:
        """A wrong PIN on the sign-in pad: audited, and sign-in locked if it was one too many.

        Returns the state after it. Two kiosks failing at once may both write the lock: that
        is still one lock, and one unlock opens it.
        """
        with Session(self._engine) as session:
            session.add(audit_row("unknown", Action.PIN_FAILED, detail, now))
            session.flush()
            state = self._state(session, now)
            if not state.locked and self.policy.locks(state.failures):
                detail = f"{state.failures} wrong PINs within {self.policy.window_s / 3600:g} h"
                session.add(audit_row(SYSTEM, Action.SIGN_IN_LOCKED, detail, now))
                session.flush()
                state = self._state(session, now)
            session.commit()
            return state

    def record_unlock_failure(self, staff_name: str, now: datetime) -> SignInLockState:
        """A wrong PIN typed to unlock sign-in under ``staff_name``."""
        with Session(self._engine) as session:
            detail = f"typed under the name {staff_name}"
            session.add(audit_row("unknown", Action.UNLOCK_FAILED, detail, now))
            session.flush()
            state = self._state(session, now)
            session.commit()
            return state

    def unlock(self, actor: str, how: str, now: datetime) -> SignInLockState | None:
        """Unlock sign-in (audited as ``actor``); returns the state it was in, or None (and
        writes nothing) if it was not locked."""
        with Session(self._engine) as session:
            before = self._state(session, now)
            if not before.locked:
                return None
            session.add(audit_row(actor, Action.SIGN_IN_UNLOCKED, how, now))
            session.commit()
            return before

    def failed_since_last_visit(self, staff_id: int) -> int:
        """Wrong PINs (on the pad, or to unlock) on any kiosk since this staff member last
        signed in, or since they were added (or let back in) if they have not since. Ask
        before auditing the sign-in that is happening now."""
        with Session(self._engine) as session:
            name = session.scalar(select(StaffUser.name).where(StaffUser.id == staff_id))
            if name is None:
                return 0
            visit = (AuditEntryRow.action == Action.LOGIN) & (AuditEntryRow.actor == name)
            arrived = AuditEntryRow.action.in_((Action.STAFF_ADDED, Action.STAFF_REACTIVATED))
            arrival = arrived & (AuditEntryRow.detail == name)
            last = session.scalar(select(func.max(AuditEntryRow.id)).where(visit | arrival))
            actions = (Action.PIN_FAILED, Action.UNLOCK_FAILED)
            return _count(session, actions, after_id=last or 0)
