"""The session log: every set is committed the moment it is logged."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, StatementError

from db.connection import make_engine
from db.models import SessionStatus
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from db.repositories.sessions import (
    SessionAlreadyEndedError,
    SessionInfo,
    SessionLog,
    SessionNotFoundError,
)
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.records import FeedbackKind, PainEvent, SetRecord, SetStatus
from kiosk.core.timeline import Side
from tests.db.times import at

RECORD = SetRecord(
    exercise_index=0,
    exercise_id="clamshell",
    set_number=1,
    side=Side.LEFT,
    reps_target=10,
    reps_done=10,
    hold_target_s=None,
    hold_done_s=None,
    started_at=at(1),
    ended_at=at(1, 42.125),
    paused_s=3.5,
    status=SetStatus.COMPLETED,
)
HOLD = replace(
    RECORD,
    exercise_index=1,
    exercise_id="standing-wall-press",
    side=None,
    reps_target=None,
    reps_done=None,
    hold_target_s=30.0,
    hold_done_s=12.25,
    status=SetStatus.STOPPED,
)


@pytest.fixture
def log(engine: Engine) -> SessionLog:
    return SessionLog(engine)


@pytest.fixture
def session_id(engine: Engine, log: SessionLog) -> int:
    patient = PatientRepository(engine).add("Maria", "482913")
    program = ProgramRepository(engine).create("Hips", [ProgramItemSpec("clamshell")])
    return log.start(patient.id, program, at(0))


def test_start_records_a_running_session(log: SessionLog, session_id: int) -> None:
    info = log.info(session_id)
    assert info is not None
    assert info.state is SessionStatus.RUNNING
    assert info.started_at == at(0)
    assert info.ended_at is None


def test_logged_set_is_committed_at_once(db_url: str, log: SessionLog, session_id: int) -> None:
    log.log_set(session_id, RECORD)
    # A second engine (a second connection) sees it while the first engine is still open.
    other = make_engine(db_url)
    try:
        assert SessionLog(other).sets_for(session_id) == (RECORD,)
    finally:
        other.dispose()


def test_sets_round_trip_in_order(log: SessionLog, session_id: int) -> None:
    second = replace(RECORD, set_number=2, side=Side.RIGHT, status=SetStatus.SKIPPED)
    log.log_set(session_id, RECORD)
    log.log_set(session_id, second)
    log.log_set(session_id, HOLD)
    stored = log.sets_for(session_id)
    assert stored == (RECORD, second, HOLD)
    assert all(s.started_at.tzinfo is not None for s in stored)


def test_times_in_other_zones_are_stored_as_utc(log: SessionLog, session_id: int) -> None:
    paris = timezone(timedelta(hours=1))
    log.log_set(session_id, replace(RECORD, started_at=at(1).astimezone(paris)))
    (stored,) = log.sets_for(session_id)
    assert stored.started_at == at(1)
    assert stored.started_at.utcoffset() == timedelta(0)


def test_naive_times_are_refused(log: SessionLog, session_id: int) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        log.log_set(session_id, replace(RECORD, started_at=at(1).replace(tzinfo=None)))
    assert log.sets_for(session_id) == ()


def test_set_for_unknown_session_is_refused(log: SessionLog) -> None:
    with pytest.raises(IntegrityError):  # foreign keys are on
        log.log_set(999, RECORD)


def test_pain_events(log: SessionLog, session_id: int) -> None:
    pain = PainEvent(0, "clamshell", 2, Side.RIGHT, 7, at(3))
    unplaced = PainEvent(None, None, None, None, None, at(4))
    log.log_pain(session_id, pain)
    log.log_pain(session_id, unplaced)
    assert log.pains_for(session_id) == (pain, unplaced)


def test_feedback_is_stored(engine: Engine, log: SessionLog, session_id: int) -> None:
    log.log_feedback(
        session_id, FeedbackKind.DIFFICULTY, "easy", at(9), exercise_index=0, side=Side.LEFT
    )
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT kind, value, side FROM feedback_events").all()
    assert [tuple(r) for r in rows] == [("difficulty", "easy", "left")]


def test_finish(log: SessionLog, session_id: int) -> None:
    log.finish(session_id, SessionStatus.FINISHED, at(10))
    assert log.info(session_id) == SessionInfo(
        session_id, 1, 1, at(0), at(10), SessionStatus.FINISHED
    )


def test_finish_twice_is_an_error(log: SessionLog, session_id: int) -> None:
    log.finish(session_id, SessionStatus.STOPPED, at(10))
    with pytest.raises(SessionAlreadyEndedError):
        log.finish(session_id, SessionStatus.FINISHED, at(11))
    info = log.info(session_id)
    assert info is not None
    assert info.state is SessionStatus.STOPPED


def test_finish_unknown_session(log: SessionLog) -> None:
    with pytest.raises(SessionNotFoundError):
        log.finish(999, SessionStatus.FINISHED, at(10))
    assert log.info(999) is None


def test_finish_as_running_is_refused(log: SessionLog, session_id: int) -> None:
    with pytest.raises(ValueError, match="running"):
        log.finish(session_id, SessionStatus.RUNNING, at(10))


def test_abandon_running_sessions_left_by_a_crash(log: SessionLog, session_id: int) -> None:
    info = log.info(session_id)
    assert info is not None
    later = log.start(info.patient_id, info.program_id, at(30))
    assert log.abandon_running(started_before=at(20)) == 1
    abandoned = log.info(session_id)
    assert abandoned is not None
    assert abandoned.state is SessionStatus.ABANDONED
    still = log.info(later)
    assert still is not None
    assert still.state is SessionStatus.RUNNING
