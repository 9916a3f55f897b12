"""Carrying on an interrupted session in the same row, and self-check results for staff."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from db.models import ExerciseSession, SessionStatus
from db.repositories.assessments import (
    Answer,
    AssessmentLog,
    SideResult,
    answers_from_json,
    answers_json,
)
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from db.repositories.progress import DayStatus, ProgressQueries
from db.repositories.sessions import SessionAlreadyEndedError, SessionLog, SessionNotFoundError
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.records import SetRecord, SetStatus
from kiosk.core.timeline import Side

DAY = date(2025, 3, 3)
WITHIN = timedelta(minutes=30)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 3, hour, minute, tzinfo=UTC)


RECORD = SetRecord(
    exercise_index=0, exercise_id="clamshell", set_number=1, side=Side.LEFT, reps_target=10,
    reps_done=10, hold_target_s=None, hold_done_s=None, started_at=at(9, 1),
    ended_at=at(9, 2), paused_s=0.0, status=SetStatus.COMPLETED,
)  # fmt: skip


class World:
    def __init__(self, engine: Engine) -> None:
        self.log = SessionLog(engine)
        self.patient = PatientRepository(engine).add("Maria", "482913").id
        programs = ProgramRepository(engine)
        self.program = programs.create("Hips", [ProgramItemSpec("clamshell")])
        self.other_program = programs.create("Other", [ProgramItemSpec("clamshell")])
        programs.assign(self.program, self.patient, DAY, None)

    def resumable(self, now: datetime) -> object:
        return self.log.resumable(self.patient, self.program, now, WITHIN, since=at(0))


@pytest.fixture
def world(engine: Engine) -> World:
    return World(engine)


def test_a_running_session_with_a_recent_set_is_resumable(world: World) -> None:
    session = world.log.start(world.patient, world.program, at(9))
    world.log.log_set(session, RECORD)
    found = world.log.resumable(world.patient, world.program, at(9, 30), WITHIN, since=at(0))
    assert found is not None
    assert (found.id, found.state, found.last_activity) == (
        session,
        SessionStatus.RUNNING,
        at(9, 2),
    )
    assert found.sets == (RECORD,)
    assert world.log.session_id_for(found.uid) == session


def test_a_session_from_before_uids_is_given_one_when_carried_on(
    engine: Engine, world: World
) -> None:
    """The records of a session carried on name it by uid (kiosk/patient/writes.py); a row
    written before migration 0005 has none until it is carried on, and then keeps it."""
    session = world.log.start(world.patient, world.program, at(9))
    with engine.begin() as connection:
        connection.execute(update(ExerciseSession).values(uid=None))
    with engine.connect() as connection:
        assert connection.scalar(select(ExerciseSession.uid)) is None
    found = world.log.resumable(world.patient, world.program, at(9, 10), WITHIN)
    assert found is not None
    assert found.uid is not None
    assert world.log.session_id_for(found.uid) == session
    again = world.log.resumable(world.patient, world.program, at(9, 11), WITHIN)
    assert again is not None
    assert again.uid == found.uid


@pytest.mark.parametrize("state", [SessionStatus.STOPPED, SessionStatus.ABANDONED])
def test_stopped_and_abandoned_sessions_are_resumable_too(
    world: World, state: SessionStatus
) -> None:
    session = world.log.start(world.patient, world.program, at(9))
    world.log.log_set(session, RECORD)
    world.log.finish(session, state, at(9, 3))
    found = world.log.resumable(world.patient, world.program, at(9, 20), WITHIN, since=at(0))
    assert found is not None
    assert found.state is state


def test_not_resumable_when_finished_too_old_another_program_or_yesterday(world: World) -> None:
    log = world.log
    session = log.start(world.patient, world.program, at(9))
    log.log_set(session, RECORD)
    # 30 minutes after the last set is still fine; a second more is not.
    assert log.resumable(world.patient, world.program, at(9, 32), WITHIN, since=at(0))
    assert log.resumable(world.patient, world.program, at(9, 33), WITHIN, since=at(0)) is None
    # Another program's session is not this one.
    assert log.resumable(world.patient, world.other_program, at(9, 10), WITHIN) is None
    # Started before the day began.
    assert log.resumable(world.patient, world.program, at(9, 10), WITHIN, since=at(9, 5)) is None
    log.finish(session, SessionStatus.FINISHED, at(9, 5))
    assert log.resumable(world.patient, world.program, at(9, 10), WITHIN, since=at(0)) is None


def test_only_the_latest_session_counts(world: World) -> None:
    log = world.log
    first = log.start(world.patient, world.program, at(9))
    log.log_set(first, RECORD)
    second = log.start(world.patient, world.program, at(9, 5))
    log.finish(second, SessionStatus.FINISHED, at(9, 20))
    assert log.resumable(world.patient, world.program, at(9, 25), WITHIN, since=at(0)) is None


def test_without_sets_the_start_is_the_last_activity(world: World) -> None:
    session = world.log.start(world.patient, world.program, at(9))
    found = world.log.resumable(world.patient, world.program, at(9, 29), WITHIN)
    assert found is not None
    assert (found.id, found.last_activity, found.sets) == (session, at(9), ())


def test_reopen_marks_the_same_row_running_again(world: World) -> None:
    log = world.log
    session = log.start(world.patient, world.program, at(9))
    log.finish(session, SessionStatus.STOPPED, at(9, 5))
    log.reopen(session)
    info = log.info(session)
    assert info is not None
    assert (info.state, info.ended_at) == (SessionStatus.RUNNING, None)
    log.finish(session, SessionStatus.FINISHED, at(9, 30))
    with pytest.raises(SessionAlreadyEndedError):
        log.reopen(session)  # a finished session is never carried on
    with pytest.raises(SessionNotFoundError):
        log.reopen(999)


def test_a_new_session_supersedes_one_left_running(world: World) -> None:
    log = world.log
    ghost = log.start(world.patient, world.program, at(9))
    done = log.start(world.patient, world.program, at(9, 1))
    log.finish(done, SessionStatus.FINISHED, at(9, 2))
    assert log.abandon_running_for(world.patient, at(9, 40)) == 1
    info = log.info(ghost)
    assert info is not None
    assert (info.state, info.ended_at) == (SessionStatus.ABANDONED, at(9, 40))
    finished = log.info(done)
    assert finished is not None
    assert finished.state is SessionStatus.FINISHED


def test_staff_see_one_session_for_a_resumed_visit(engine: Engine, world: World) -> None:
    log = world.log
    session = log.start(world.patient, world.program, at(9))
    log.log_set(session, RECORD)
    log.finish(session, SessionStatus.STOPPED, at(9, 3))
    log.reopen(session)
    log.log_set(session, replace(RECORD, side=Side.RIGHT, ended_at=at(9, 20)))
    log.finish(session, SessionStatus.FINISHED, at(9, 21))
    queries = ProgressQueries(engine, tz=UTC)
    (row,) = queries.day_rows(DAY, DAY)
    assert (row.sessions_started, row.sessions_finished, row.sets_completed) == (1, 1, 2)
    (entry,) = queries.day_board(DAY)
    assert entry.status is DayStatus.DONE
    assert queries.adherence(world.patient, DAY, DAY).days_done == 1


def test_assessment_results_are_stored_per_side_and_read_for_staff(
    engine: Engine, world: World
) -> None:
    questions = ("Your hips do not stay level.", "You feel wobbly.")
    results = [
        SideResult(Side.LEFT, 30.0, 30.0, ((questions[0], Answer.NO), (questions[1], Answer.YES))),
        SideResult(Side.RIGHT, 12.5, 30.0, ((questions[0], Answer.YES), (questions[1], None))),
    ]
    ids = AssessmentLog(engine).record(world.patient, "single-leg-stance", results, at(10))
    assert len(ids) == 2
    reports = ProgressQueries(engine, tz=UTC).assessments(world.patient, DAY, DAY)
    assert [(r.side, r.held_s, r.target_s, r.session_id) for r in reports] == [
        (Side.LEFT, 30.0, 30.0, None),
        (Side.RIGHT, 12.5, 30.0, None),
    ]
    assert reports[0].noticed == (questions[1],)
    assert reports[1].answers == ((questions[0], Answer.YES), (questions[1], None))
    assert (
        ProgressQueries(engine, tz=UTC).assessments(
            world.patient, date(2025, 3, 4), date(2025, 3, 4)
        )
        == ()
    )


def test_answers_survive_a_round_trip_and_bad_text_reads_as_none() -> None:
    answers = (("Hüfte?", Answer.YES), ("Wobbly?", None))
    assert answers_from_json(answers_json(answers)) == answers
    assert answers_from_json("not json") == ()
    assert answers_from_json('{"a": 1}') == ()
    assert answers_from_json('[{"question": "Q", "answer": "maybe"}, 3]') == (("Q", None),)
