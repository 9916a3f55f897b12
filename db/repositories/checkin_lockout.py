"""The check-in lockout as the database keeps it: one count for every kiosk of the clinic.

:mod:`kiosk.core.lockout` holds the rule; this module loads its state, applies it and writes
the result back in one transaction that holds the lockout row's lock (``SELECT … FOR UPDATE``
on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so two kiosks taking a wrong code at the same
moment count both. The audit entries (the wrong code's fingerprint, the pause, staff reopening
check-in) are written in the same transaction: the log never shows a pause that was not kept.

The fingerprint key is made at random with the row and kept in it, so every kiosk and every
restart fingerprints a code alike (the same wrong code is not counted twice, and the audit
log shows "the same code again" across kiosks). It protects codes only from someone who has
the audit log without the database; whoever reads the database reads the codes themselves.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.connection import BEGIN_IMMEDIATE
from db.models import CheckInLockoutRow, CheckInWrongCodeRow
from db.repositories.audit import Action, audit_row
from kiosk.core.lockout import (
    WINDOW_BOUNDS_S,
    LockoutSettings,
    LockoutState,
    WrongCode,
    fingerprint,
)

KIOSK = "kiosk"
_ROW_ID = 1


@dataclass(frozen=True)
class WrongCodeCounted:
    """What counting a wrong code did: the state after it, the code's fingerprint, and
    whether this code started a pause."""

    state: LockoutState
    fingerprint: str
    paused: bool


class CheckInLockoutStore:
    """The clinic's check-in lockout on ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        sqlite = engine.dialect.name == "sqlite"
        # Writes take the write lock up front on SQLite (a reader cannot become a writer
        # once another connection has written); PostgreSQL locks the row instead.
        self._writer = engine.execution_options(**{BEGIN_IMMEDIATE: True}) if sqlite else engine

    def load(self) -> LockoutState:
        """The lockout as it stands (a database without the row: nothing counted yet)."""
        with Session(self._engine) as session:
            row = session.get(CheckInLockoutRow, _ROW_ID)
            return LockoutState() if row is None else _state(session, row)

    def record_wrong(self, code: str, now: datetime, settings: LockoutSettings) -> WrongCodeCounted:
        """Count ``code`` (a code that checked nobody in) at ``now``, and audit it."""
        with Session(self._writer) as session:
            row = _locked_row(session)
            before = _state(session, row)
            mark = fingerprint(bytes.fromhex(row.key_hex), code)
            after = before.record_wrong(now, mark, settings)
            paused = after.is_paused(now) and not before.is_paused(now)
            _store(session, row, after, now)
            session.add(audit_row(KIOSK, Action.CHECKIN_FAILED, mark, now))
            if paused:
                session.add(
                    audit_row(KIOSK, Action.CHECKIN_PAUSED, after.describe_pause(settings), now)
                )
            session.commit()
            return WrongCodeCounted(after, mark, paused)

    def reopen(self, actor: str, now: datetime) -> LockoutState:
        """Staff open check-in again now; the next pause is a first one. Audited."""
        with Session(self._writer) as session:
            row = _locked_row(session)
            before = _state(session, row)
            after = before.reopened(now)
            _store(session, row, after, now)
            left = before.seconds_left(now)
            detail = f"{before.paused_after} wrong codes; {left:.0f} s of the pause left"
            session.add(audit_row(actor, Action.CHECKIN_REOPENED, detail, now))
            session.commit()
            return after


def _locked_row(session: Session) -> CheckInLockoutRow:
    """The lockout row, locked until the transaction ends; made (with its key) if missing."""
    query = select(CheckInLockoutRow).where(CheckInLockoutRow.id == _ROW_ID).with_for_update()
    row = session.scalars(query).one_or_none()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(
                CheckInLockoutRow(
                    id=_ROW_ID, key_hex=secrets.token_hex(32), pauses=0, paused_after=0
                )
            )
    except IntegrityError:  # another kiosk made it a moment ago
        pass
    return session.scalars(query).one()


def _state(session: Session, row: CheckInLockoutRow) -> LockoutState:
    wrong = session.scalars(
        select(CheckInWrongCodeRow).order_by(CheckInWrongCodeRow.at, CheckInWrongCodeRow.id)
    )
    return LockoutState(
        wrong=tuple(WrongCode(w.at, w.fingerprint) for w in wrong),
        paused_at=row.paused_at,
        paused_until=row.paused_until,
        pauses=row.pauses,
        paused_after=row.paused_after,
    )


def _store(session: Session, row: CheckInLockoutRow, state: LockoutState, now: datetime) -> None:
    """Write ``state`` over what ``row`` and the wrong codes held (a few rows at most: the
    count never passes ``max_failures``; rows older than the longest window go too)."""
    row.paused_at, row.paused_until = state.paused_at, state.paused_until
    row.pauses, row.paused_after = state.pauses, state.paused_after
    session.execute(delete(CheckInWrongCodeRow))
    oldest = now - timedelta(seconds=WINDOW_BOUNDS_S[1])
    session.add_all(
        CheckInWrongCodeRow(at=w.at, fingerprint=w.fingerprint)
        for w in state.wrong
        if w.at > oldest
    )
