"""The session log: a session's start and end, every set, pain and feedback.

Every write is its own short transaction, committed before the method returns. A record given
a ``uid`` is written at most once: a second write of the same uid (a commit whose answer was
lost, a journal replayed after a crash: ``kiosk/patient/writer.py``) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from db.models import ExerciseSession, FeedbackEventRow, PainEventRow, SessionStatus, SetRow
from db.types import new_uid
from kiosk.core.records import FeedbackKind, PainEvent, SetRecord
from kiosk.core.timeline import Side


class SessionNotFoundError(LookupError):
    """No session with this id."""


class SessionAlreadyEndedError(RuntimeError):
    """The session was already finished, stopped or abandoned."""


@dataclass(frozen=True)
class SessionInfo:
    id: int
    patient_id: int
    program_id: int
    started_at: datetime
    ended_at: datetime | None
    state: SessionStatus


@dataclass(frozen=True)
class ResumableSession:
    """A session that did not finish and was active a moment ago: the patient can carry on.

    ``sets`` are every set it logged (completed, skipped or stopped), oldest first;
    ``last_activity`` is the end of the last of them, or the start when there is none.
    """

    id: int
    uid: str
    state: SessionStatus
    started_at: datetime
    last_activity: datetime
    sets: tuple[SetRecord, ...]


def _record(row: SetRow) -> SetRecord:
    return SetRecord(
        exercise_index=row.exercise_index,
        exercise_id=row.exercise_id,
        set_number=row.set_number,
        side=row.side,
        reps_target=row.reps_target,
        reps_done=row.reps_done,
        hold_target_s=row.hold_target_s,
        hold_done_s=row.hold_done_s,
        started_at=row.started_at,
        ended_at=row.ended_at,
        paused_s=row.paused_s,
        status=row.status,
    )


def _pain(row: PainEventRow) -> PainEvent:
    return PainEvent(
        exercise_index=row.exercise_index,
        exercise_id=row.exercise_id,
        set_number=row.set_number,
        side=row.side,
        rep=row.rep,
        at=row.at,
    )


def _insert_once(engine: Engine, table: type[Any], values: dict[str, Any]) -> Insert:
    """An INSERT that does nothing when a row with the same ``uid`` is already there (a row
    given none gets a new one)."""
    if values.get("uid") is None:
        values = {**values, "uid": new_uid()}
    dialect = sqlite if engine.dialect.name == "sqlite" else postgresql
    statement: Insert = (
        dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=["uid"])
    )
    return statement


class SessionLog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def start(
        self, patient_id: int, program_id: int, started_at: datetime, *, uid: str | None = None
    ) -> int:
        """A new running session; returns its id (the existing one's, for a ``uid`` already
        written)."""
        uid = uid or new_uid()
        values = {
            "uid": uid,
            "patient_id": patient_id,
            "program_id": program_id,
            "started_at": started_at,
            "state": SessionStatus.RUNNING,
        }
        with Session(self._engine) as session:
            session.execute(_insert_once(self._engine, ExerciseSession, values))
            session.commit()
        found = self.session_id_for(uid)
        assert found is not None
        return found

    def session_id_for(self, uid: str) -> int | None:
        """The id of the session written with ``uid``, if it has been."""
        query = select(ExerciseSession.id).where(ExerciseSession.uid == uid)
        with Session(self._engine) as session:
            return session.scalars(query).first()

    def log_set(self, session_id: int, record: SetRecord, *, uid: str | None = None) -> None:
        """Write one set and commit at once (one INSERT, no read, no ORM object)."""
        statement = _insert_once(self._engine, SetRow, dict(
            uid=uid,
            session_id=session_id,
            exercise_index=record.exercise_index,
            exercise_id=record.exercise_id,
            set_number=record.set_number,
            side=record.side,
            reps_target=record.reps_target,
            reps_done=record.reps_done,
            hold_target_s=record.hold_target_s,
            hold_done_s=record.hold_done_s,
            started_at=record.started_at,
            ended_at=record.ended_at,
            paused_s=record.paused_s,
            status=record.status,
        ))  # fmt: skip
        with Session(self._engine) as session:
            session.execute(statement)
            session.commit()

    def log_pain(self, session_id: int, event: PainEvent, *, uid: str | None = None) -> None:
        """Write a pain event and commit at once."""
        statement = _insert_once(self._engine, PainEventRow, dict(
            uid=uid,
            session_id=session_id,
            exercise_index=event.exercise_index,
            exercise_id=event.exercise_id,
            set_number=event.set_number,
            side=event.side,
            rep=event.rep,
            at=event.at,
        ))  # fmt: skip
        with Session(self._engine) as session:
            session.execute(statement)
            session.commit()

    def log_feedback(
        self,
        session_id: int,
        kind: FeedbackKind,
        value: str,
        at: datetime,
        *,
        exercise_index: int | None = None,
        exercise_id: str | None = None,
        set_number: int | None = None,
        side: Side | None = None,
        rep: int | None = None,
        uid: str | None = None,
    ) -> None:
        """Write a piece of patient feedback (e.g. kind "difficulty", value "easy")."""
        statement = _insert_once(self._engine, FeedbackEventRow, dict(
            uid=uid,
            session_id=session_id,
            kind=kind,
            value=value,
            at=at,
            exercise_index=exercise_index,
            exercise_id=exercise_id,
            set_number=set_number,
            side=side,
            rep=rep,
        ))  # fmt: skip
        with Session(self._engine) as session:
            session.execute(statement)
            session.commit()

    def finish(self, session_id: int, state: SessionStatus, ended_at: datetime) -> None:
        """End a running session as finished, stopped or abandoned.

        Raises :class:`SessionNotFoundError`, or :class:`SessionAlreadyEndedError` so a double
        finish is noticed instead of overwriting how the session really ended.
        """
        if state is SessionStatus.RUNNING:
            raise ValueError("finish() needs an end state, not 'running'")
        statement = (
            update(ExerciseSession)
            .where(ExerciseSession.id == session_id, ExerciseSession.state == SessionStatus.RUNNING)
            .values(state=state, ended_at=ended_at)
        )
        with Session(self._engine) as session:
            result = session.execute(statement)
            if result.rowcount == 1:  # type: ignore[attr-defined]
                session.commit()
                return
            exists = session.get(ExerciseSession, session_id) is not None
        if exists:
            raise SessionAlreadyEndedError(f"session {session_id} has already ended")
        raise SessionNotFoundError(f"no session with id {session_id}")

    def abandon_running(self, started_before: datetime) -> int:
        """Mark sessions still running that started before ``started_before`` as abandoned.

        For start-up after a crash or power cut. Pass a time well in the past: on a shared
        server another kiosk's session may be running right now. Returns how many changed.
        """
        statement = (
            update(ExerciseSession)
            .where(
                ExerciseSession.state == SessionStatus.RUNNING,
                ExerciseSession.started_at < started_before,
            )
            .values(state=SessionStatus.ABANDONED)
        )
        with Session(self._engine) as session:
            count = int(session.execute(statement).rowcount)  # type: ignore[attr-defined]
            session.commit()
            return count

    def abandon_running_for(self, patient_id: int, ended_at: datetime) -> int:
        """Mark this patient's sessions still running that started before ``ended_at`` as
        abandoned; returns how many.

        Called when the patient starts a new session (``ended_at``: its start): one person
        cannot be in two sessions, so one still "running" was left by a crash, a power cut or
        a walk-away, and the new one supersedes it (the staff board then shows the new one,
        not a ghost). Only older ones: written late (a queue, a journal replayed after a
        restart), it must not end a session that began after it.
        """
        statement = (
            update(ExerciseSession)
            .where(
                ExerciseSession.patient_id == patient_id,
                ExerciseSession.state == SessionStatus.RUNNING,
                ExerciseSession.started_at < ended_at,
            )
            .values(state=SessionStatus.ABANDONED, ended_at=ended_at)
        )
        with Session(self._engine) as session:
            count = int(session.execute(statement).rowcount)  # type: ignore[attr-defined]
            session.commit()
            return count

    def resumable(
        self,
        patient_id: int,
        program_id: int,
        now: datetime,
        within: timedelta,
        *,
        since: datetime | None = None,
    ) -> ResumableSession | None:
        """The patient's latest session of this program, if it is worth carrying on.

        That is: it started at or after ``since`` (the start of the clinic's day), it did not
        finish (running — a crash or power cut leaves it so —, stopped, or abandoned), and its
        last activity is no more than ``within`` before ``now``. Which of its sets still need
        doing is :func:`kiosk.core.resume.resume_point`'s answer, not this one's.

        A session written before uids (migration 0005) is given one here: the records of a
        session carried on name it by uid, never by row id, which a restored database may
        have given to another session.
        """
        query = select(ExerciseSession).where(
            ExerciseSession.patient_id == patient_id,
            ExerciseSession.program_id == program_id,
            ExerciseSession.started_at <= now,
        )
        if since is not None:
            query = query.where(ExerciseSession.started_at >= since)
        query = query.order_by(ExerciseSession.started_at.desc(), ExerciseSession.id.desc())
        with Session(self._engine) as session:
            row = session.scalars(query.limit(1)).first()
            if row is None or row.state is SessionStatus.FINISHED:
                return None
            if row.uid is None:
                row.uid = new_uid()
                session.commit()
            found = (row.id, row.uid, row.state, row.started_at)
        session_id, uid, state, started_at = found
        sets = self.sets_for(session_id)
        last = max([started_at, *(record.ended_at for record in sets)])
        if now - last > within:
            return None
        return ResumableSession(session_id, uid, state, started_at, last, sets)

    def reopen(self, session_id: int) -> None:
        """Mark an unfinished session running again, to log the rest of it into the same row.

        Raises :class:`SessionNotFoundError`, or :class:`SessionAlreadyEndedError` for a
        finished session (a finished session is never carried on).
        """
        statement = (
            update(ExerciseSession)
            .where(
                ExerciseSession.id == session_id,
                ExerciseSession.state != SessionStatus.FINISHED,
            )
            .values(state=SessionStatus.RUNNING, ended_at=None)
        )
        with Session(self._engine) as session:
            result = session.execute(statement)
            if result.rowcount == 1:  # type: ignore[attr-defined]
                session.commit()
                return
            exists = session.get(ExerciseSession, session_id) is not None
        if exists:
            raise SessionAlreadyEndedError(f"session {session_id} has finished")
        raise SessionNotFoundError(f"no session with id {session_id}")

    def info(self, session_id: int) -> SessionInfo | None:
        with Session(self._engine) as session:
            row = session.get(ExerciseSession, session_id)
            if row is None:
                return None
            return SessionInfo(
                id=row.id,
                patient_id=row.patient_id,
                program_id=row.program_id,
                started_at=row.started_at,
                ended_at=row.ended_at,
                state=row.state,
            )

    def sets_for(self, session_id: int) -> tuple[SetRecord, ...]:
        """The session's sets in the order they were logged."""
        query = select(SetRow).where(SetRow.session_id == session_id).order_by(SetRow.id)
        with Session(self._engine) as session:
            return tuple(_record(row) for row in session.scalars(query))

    def pains_for(self, session_id: int) -> tuple[PainEvent, ...]:
        """The session's pain events in the order they were logged."""
        query = (
            select(PainEventRow)
            .where(PainEventRow.session_id == session_id)
            .order_by(PainEventRow.id)
        )
        with Session(self._engine) as session:
            return tuple(_pain(row) for row in session.scalars(query))
