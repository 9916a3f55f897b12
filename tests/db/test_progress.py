"""Progress numbers against a hand-made week: adherence, pain, difficulty, the day board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from db.models import SessionStatus
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository, weekday_mask
from db.repositories.progress import DayStatus, ProgressQueries
from db.repositories.sessions import SessionLog
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.records import FeedbackKind, PainEvent, SetRecord, SetStatus
from kiosk.core.timeline import Side

MON = date(2025, 3, 3)
WED, THU, FRI, SUN = (MON + timedelta(days=n) for n in (2, 3, 4, 6))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def set_record(when: datetime, status: SetStatus, number: int = 1) -> SetRecord:
    return SetRecord(
        exercise_index=0, exercise_id="clamshell", set_number=number, side=Side.LEFT,
        reps_target=10, reps_done=10 if status is SetStatus.COMPLETED else 4,
        hold_target_s=None, hold_done_s=None, started_at=when,
        ended_at=when + timedelta(minutes=1), paused_s=0.0, status=status,
    )  # fmt: skip


@dataclass
class Week:
    maria: int
    tom: int
    jo: int
    ann: int
    queries: ProgressQueries


@pytest.fixture
def week(engine: Engine) -> Week:
    patients, programs, log = (
        PatientRepository(engine),
        ProgramRepository(engine),
        SessionLog(engine),
    )
    maria = patients.add("Maria", "482913").id
    tom = patients.add("Tom", "716254").id
    jo = patients.add("Jo", "305718").id
    ann = patients.add("Ann", "551937").id
    program = programs.create("Hips", [ProgramItemSpec("clamshell")])
    programs.assign(program, maria, MON, SUN, weekday_mask([0, 2, 4]))  # Mon, Wed, Fri
    for patient in (tom, jo, ann):
        programs.assign(program, patient, WED, None)

    # Maria, Monday: finished; 3 sets done, 1 skipped; pain 4 → 2; "easy".
    s = log.start(maria, program, at(MON, 9))
    for n, status in enumerate([SetStatus.COMPLETED] * 3 + [SetStatus.SKIPPED], 1):
        log.log_set(s, set_record(at(MON, 9, n), status, n))
    log.log_feedback(s, FeedbackKind.PAIN_BEFORE, "4", at(MON, 9))
    log.log_feedback(s, FeedbackKind.PAIN_AFTER, "2", at(MON, 9, 30))
    log.log_feedback(s, FeedbackKind.DIFFICULTY, "easy", at(MON, 9, 30), exercise_id="clamshell")
    log.finish(s, SessionStatus.FINISHED, at(MON, 9, 30))
    # Maria, Wednesday: pressed "It hurts" and stopped.
    s = log.start(maria, program, at(WED, 10))
    log.log_set(s, set_record(at(WED, 10, 1), SetStatus.COMPLETED))
    log.log_pain(s, PainEvent(0, "clamshell", 2, Side.RIGHT, 3, at(WED, 10, 3)))
    log.log_set(s, set_record(at(WED, 10, 2), SetStatus.STOPPED, 2))
    log.log_feedback(s, FeedbackKind.PAIN_BEFORE, "3", at(WED, 10))
    log.log_feedback(s, FeedbackKind.PAIN_AFTER, "not a number", at(WED, 10, 5))
    log.finish(s, SessionStatus.STOPPED, at(WED, 10, 5))
    # Maria, Thursday (not prescribed): extra practice, finished.
    s = log.start(maria, program, at(THU, 11))
    log.finish(s, SessionStatus.FINISHED, at(THU, 11, 20))
    # Wednesday: Tom checked in and asked for staff; Jo is mid-session; Ann has not come.
    s = log.start(tom, program, at(WED, 10, 30))
    log.log_feedback(s, FeedbackKind.CALL_STAFF, "pressed", at(WED, 10, 31))
    s = log.start(jo, program, at(WED, 10, 40))
    log.log_set(s, set_record(at(WED, 10, 41), SetStatus.COMPLETED))
    return Week(maria, tom, jo, ann, ProgressQueries(engine, tz=UTC))


def test_adherence(week: Week) -> None:
    adherence = week.queries.adherence(week.maria, MON, SUN)
    assert adherence.prescribed_days == 3  # Mon, Wed, Fri
    assert adherence.days_done == 1  # Wednesday was stopped, Friday missed
    assert adherence.sessions_finished == 2
    assert adherence.unscheduled_sessions == 1
    assert adherence.ratio == pytest.approx(1 / 3)
    assert week.queries.adherence(week.maria, date(2025, 1, 1), date(2025, 1, 2)).ratio is None


def test_pain_difficulty_and_pain_events(week: Week) -> None:
    trend = week.queries.pain_trend(week.maria, MON, SUN)
    assert [(p.day, p.before, p.after) for p in trend] == [(MON, 4, 2), (WED, 3, None)]
    (rating,) = week.queries.difficulty(week.maria, MON, SUN)
    assert (rating.value, rating.exercise_id) == ("easy", "clamshell")
    (pain,) = week.queries.pain_events(week.maria, MON, SUN)
    assert (pain.set_number, pain.side, pain.rep) == (2, Side.RIGHT, 3)
    assert week.queries.pain_events(week.maria, THU, SUN) == ()


def test_day_rows(week: Week) -> None:
    rows = {(r.day, r.code): r for r in week.queries.day_rows(MON, THU)}
    monday = rows[(MON, "482913")]
    assert (monday.scheduled, monday.done, monday.sessions_started) == (True, True, 1)
    assert (monday.sets_completed, monday.sets_skipped, monday.sets_stopped) == (3, 1, 0)
    assert (monday.pain_before, monday.pain_after, monday.difficulty) == (4, 2, ("easy",))
    wednesday = rows[(WED, "482913")]
    assert (wednesday.done, wednesday.pain_events, wednesday.sets_stopped) == (False, 1, 1)
    thursday = rows[(THU, "482913")]
    assert (thursday.scheduled, thursday.program_name, thursday.done) == (False, None, True)
    assert (date(2025, 3, 4), "482913") not in rows  # Tuesday: nothing prescribed, no session
    assert rows[(WED, "716254")].called_staff
    assert rows[(THU, "551937")].scheduled
    only = week.queries.day_rows(MON, SUN, code="482913")
    assert {r.code for r in only} == {"482913"}
    assert [r.day for r in only] == [MON, WED, THU, FRI]


def test_day_board(week: Week) -> None:
    board = {e.display_name: e for e in week.queries.day_board(WED)}
    assert board["Maria"].status is DayStatus.STOPPED
    assert board["Maria"].hurt
    assert board["Tom"].status is DayStatus.CHECKED_IN
    assert board["Tom"].called_staff
    assert board["Jo"].status is DayStatus.IN_PROGRESS
    assert board["Ann"].status is DayStatus.SCHEDULED
    assert board["Ann"].last_activity is None
    assert board["Jo"].last_activity == at(WED, 10, 42)
    assert {e.status for e in week.queries.day_board(MON)} == {DayStatus.DONE}


def test_days_follow_the_clinic_time_zone(engine: Engine, week: Week) -> None:
    late = SessionLog(engine).start(week.ann, 1, at(THU, 23, 30))
    SessionLog(engine).finish(late, SessionStatus.FINISHED, at(THU, 23, 50))
    utc = ProgressQueries(engine, tz=UTC).adherence(week.ann, THU, FRI)
    plus_two = ProgressQueries(engine, tz=timezone(timedelta(hours=2))).adherence(
        week.ann, THU, FRI
    )
    assert utc.days_done == 1
    assert plus_two.days_done == 1
    assert [r.day for r in ProgressQueries(engine, tz=timezone(timedelta(hours=2))).day_rows(
        THU, FRI, code="551937") if r.sessions_started] == [FRI]  # fmt: skip


def test_a_clinic_day_that_changes_the_clocks_keeps_its_own_sessions(
    engine: Engine, week: Week
) -> None:
    # Madrid moved from UTC+1 to UTC+2 at 02:00 on Sunday 30 March 2025: that day is 23 hours,
    # from 23:00 UTC on the 29th to 22:00 UTC on the 30th. Each day is bounded by its own
    # midnights, in a window of days or one day at a time.
    madrid = ZoneInfo("Europe/Madrid")
    sunday = date(2025, 3, 30)
    log = SessionLog(engine)
    for moment in (
        datetime(2025, 3, 29, 22, 59, tzinfo=UTC),  # Saturday 23:59 in Madrid
        datetime(2025, 3, 29, 23, 1, tzinfo=UTC),  # Sunday 00:01
        datetime(2025, 3, 30, 21, 59, tzinfo=UTC),  # Sunday 23:59 (summer time)
        datetime(2025, 3, 30, 22, 1, tzinfo=UTC),  # Monday 00:01
    ):
        log.finish(log.start(week.ann, 1, moment), SessionStatus.FINISHED, moment)
    rows = ProgressQueries(engine, tz=madrid).day_rows(
        sunday - timedelta(days=1), sunday + timedelta(days=1), code="551937"
    )
    assert [(r.day, r.sessions_started) for r in rows] == [
        (sunday - timedelta(days=1), 1), (sunday, 2), (sunday + timedelta(days=1), 1)
    ]  # fmt: skip
    one_by_one = ProgressQueries(engine, tz=madrid).iter_day_rows(
        sunday - timedelta(days=1), sunday + timedelta(days=1), code="551937", window_days=1
    )
    assert tuple(one_by_one) == rows
    board = ProgressQueries(engine, tz=madrid).day_board(sunday)
    assert [(e.display_name, e.status) for e in board] == [  # by code
        ("Jo", DayStatus.SCHEDULED), ("Ann", DayStatus.DONE), ("Tom", DayStatus.SCHEDULED)
    ]  # fmt: skip


def test_many_sessions_are_read_in_chunks(engine: Engine, week: Week) -> None:
    from sqlalchemy import insert

    from db.models import ExerciseSession, SetRow

    with engine.begin() as connection:
        first = connection.execute(
            insert(ExerciseSession).returning(ExerciseSession.id),
            [
                {"patient_id": week.ann, "program_id": 1, "started_at": at(FRI, 8),
                 "ended_at": at(FRI, 9), "state": SessionStatus.FINISHED}
                for _ in range(1200)
            ],
        ).scalars().all()  # fmt: skip
        connection.execute(
            insert(SetRow),
            [
                {"session_id": sid, "exercise_index": 0, "exercise_id": "clamshell",
                 "set_number": 1, "started_at": at(FRI, 8), "ended_at": at(FRI, 8, 1),
                 "paused_s": 0.0, "status": SetStatus.COMPLETED}
                for sid in first
            ],
        )  # fmt: skip
    (row,) = week.queries.day_rows(FRI, FRI, code="551937")
    assert (row.sessions_finished, row.sets_completed) == (1200, 1200)


def test_a_days_difficulty_words_keep_their_order_across_its_sessions(engine: Engine) -> None:
    # Rated in one session as given (two at the same moment: in the order written), then the
    # next session's; PostgreSQL reads a session's one word with it, several after it (in order),
    # SQLite every word after it.
    patients, programs, log = (
        PatientRepository(engine),
        ProgramRepository(engine),
        SessionLog(engine),
    )
    patient = patients.add("Eve", "620481").id
    program = programs.create("Knees", [ProgramItemSpec("clamshell")])
    first = log.start(patient, program, at(FRI, 8))
    log.log_feedback(first, FeedbackKind.DIFFICULTY, "hard", at(FRI, 8, 20))
    log.log_feedback(first, FeedbackKind.DIFFICULTY, "easy", at(FRI, 8, 10))
    log.log_feedback(first, FeedbackKind.DIFFICULTY, "just right", at(FRI, 8, 10))
    # Rated twice before: the later rating counts, though written first.
    log.log_feedback(first, FeedbackKind.PAIN_BEFORE, "2", at(FRI, 8, 1))
    log.log_feedback(first, FeedbackKind.PAIN_BEFORE, "6", at(FRI, 8))
    log.finish(first, SessionStatus.FINISHED, at(FRI, 8, 30))
    second = log.start(patient, program, at(FRI, 15))
    log.log_feedback(second, FeedbackKind.DIFFICULTY, "too hard", at(FRI, 15, 5))
    log.log_feedback(second, FeedbackKind.PAIN_AFTER, "3", at(FRI, 15, 6))
    log.log_feedback(second, FeedbackKind.PAIN_AFTER, "11", at(FRI, 15, 7))  # not a rating
    log.finish(second, SessionStatus.STOPPED, at(FRI, 15, 10))
    (row,) = ProgressQueries(engine, tz=UTC).day_rows(FRI, FRI)
    assert row.difficulty == ("easy", "just right", "hard", "too hard")
    assert (row.pain_before, row.pain_after) == (2, 3)
    assert (row.sessions_started, row.sessions_finished) == (2, 1)
