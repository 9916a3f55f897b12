"""The session writer against real faults: a database locked by another process, a write
the database refuses for good, a journal nothing will take, a journal replayed after a crash.

Each test runs a real session engine on a fake clock with the real writer on a real SQLite
file; the lock is held by a second process, as a backup or another kiosk would hold it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from db.models import SessionStatus
from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.engine import SessionEngine
from kiosk.core.events import CueDue, Event, SessionState
from kiosk.core.records import FeedbackKind
from kiosk.patient.journal import Journal
from kiosk.patient.writes import LogFeedback, SessionRef
from kiosk.services import KioskServices
from tests.clinic import ANN, TODAY, WALL_START
from tests.patient.faults import Lock, first_problem


@pytest.fixture
def on_file(tmp_path: Path, fast_retries: None) -> Iterator[KioskServices]:
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    services = KioskServices.open(url, demo_data=True, today=lambda: TODAY, create=True)
    yield services
    services.close()


def _database_path(services: KioskServices) -> Path:
    database = services.database.url.database
    assert database is not None
    return Path(database)


def _threads_using(database: Engine) -> list[str]:
    """The name of the thread behind each statement the database runs from now on."""
    names: list[str] = []

    def before(*_args: object) -> None:
        names.append(threading.current_thread().name)

    event.listen(database, "before_cursor_execute", before)
    return names


def _wall(clock: FakeClock) -> Callable[[], datetime]:
    from datetime import timedelta

    return lambda: WALL_START + timedelta(seconds=clock() - 1000.0)


def _run(engine: SessionEngine, clock: FakeClock) -> None:
    """Every moment on time, as the kiosk's deadline timer runs them."""
    engine.start()
    while engine.state is SessionState.RUNNING:
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(max(0.0, deadline - clock()))
        engine.update()


def test_a_locked_database_never_holds_up_the_session(on_file: KioskServices) -> None:
    checkin = on_file.patient.check_in(ANN)
    assert checkin is not None
    clock = FakeClock()
    lock = Lock(_database_path(on_file))
    statements = _threads_using(on_file.database)
    session = on_file.patient.begin_session(checkin, clock, _wall(clock))
    heard: list[Event] = []
    session.engine.subscribe(heard.append)
    _run(session.engine, clock)

    # The patient was coached through all of it, on time, while the database was locked.
    assert session.engine.state is SessionState.FINISHED
    cues = [e for e in heard if isinstance(e, CueDue)]
    assert len(cues) == len(checkin.timeline.cues())
    assert max(e.late_s for e in cues) < 1e-9  # none late
    assert len(session.engine.records) == 2
    # The engine's thread never touched the database: only the writer's did.
    assert set(statements) <= {"session-writer"}
    status = first_problem(on_file.writer)
    assert (status.sets_waiting, status.unkept) == (2, 0)
    assert status.problem is not None
    assert "locked" in status.problem
    journal = on_file.writer.journal
    assert journal is not None
    kept = [entry["write"] for entry in journal.read()]
    assert kept.count("set") == 2  # on disk while the database is away

    lock.release()
    assert on_file.writer.wait_idle(10.0)
    log = SessionLog(on_file.database)
    sets = log.sets_for(1)
    assert [(r.side, r.status.value) for r in sets] == [
        ("left", "completed"),
        ("right", "completed"),
    ]
    assert [r.paused_s for r in sets] == [0.0, 0.0]
    assert [r for r in sets] == list(session.engine.records)  # what really happened
    info = log.info(1)
    assert info is not None
    assert info.state is SessionStatus.FINISHED
    assert on_file.writer.status().all_saved
    assert journal.read() == []


def test_a_journal_replayed_after_a_crash_writes_nothing_twice(
    tmp_path: Path, fast_retries: None
) -> None:
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    services = KioskServices.open(url, demo_data=True, today=lambda: TODAY, create=True)
    checkin = services.patient.check_in(ANN)
    assert checkin is not None
    lock = Lock(tmp_path / "kiosk.sqlite3")
    clock = FakeClock()
    _run(services.patient.begin_session(checkin, clock, _wall(clock)).engine, clock)
    journal = services.writer.journal
    assert journal is not None
    left_behind = journal.primary.read_text()  # what a crash would leave after the writes
    lock.release()
    assert services.writer.wait_idle(10.0)
    services.close()
    journal.primary.write_text(left_behind)

    again = KioskServices.open(url, today=lambda: TODAY)  # replays the journal
    try:
        assert again.writer.wait_idle(10.0)
        with again.database.connect() as connection:
            counts = connection.execute(text(
                "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM set_records)"
            )).one()  # fmt: skip
        assert tuple(counts) == (1, 2)
        assert journal.read() == []
    finally:
        again.close()


def test_a_write_the_database_refuses_for_good_is_set_aside_and_the_rest_go_on(
    on_file: KioskServices, caplog: pytest.LogCaptureFixture
) -> None:
    orphan = LogFeedback(SessionRef("no-such-session"), FeedbackKind.CALL_STAFF, "x", WALL_START)
    on_file.writer.submit(orphan)
    checkin = on_file.patient.check_in(ANN)
    assert checkin is not None
    clock = FakeClock()
    _run(on_file.patient.begin_session(checkin, clock, _wall(clock)).engine, clock)
    assert on_file.writer.wait_idle(10.0)
    assert len(SessionLog(on_file.database).sets_for(1)) == 2  # the session was not held up
    status = on_file.writer.status()
    assert (status.waiting, status.sets_waiting) == (1, 0)  # still counted as waiting...
    journal = on_file.writer.journal
    assert journal is not None
    assert [entry["uid"] for entry in journal.read()] == [orphan.uid]  # ...and still kept
    assert "set aside" in caplog.text


def test_a_record_no_journal_will_take_waits_in_memory_and_is_said_to(
    tmp_path: Path, fast_retries: None, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    services = KioskServices.open(url, demo_data=True, today=lambda: TODAY, create=True)
    try:
        blocked = tmp_path / "blocked"
        blocked.write_text("")
        services.writer._journal = Journal(blocked / "a.jsonl", blocked / "b.jsonl")
        lock = Lock(tmp_path / "kiosk.sqlite3")
        checkin = services.patient.check_in(ANN)
        assert checkin is not None
        clock = FakeClock()
        _run(services.patient.begin_session(checkin, clock, _wall(clock)).engine, clock)
        status = first_problem(services.writer)
        assert status.sets_waiting == 2
        assert status.unkept == status.waiting  # nothing of it is on any disk
        assert "could not be kept in any journal file" in caplog.text
        lock.release()
        assert services.writer.wait_idle(10.0)
        assert len(SessionLog(services.database).sets_for(1)) == 2
        assert services.writer.status().all_saved
    finally:
        services.close()


def test_sets_an_earlier_version_could_not_save_are_written_once(
    tmp_path: Path, fast_retries: None
) -> None:
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    services = KioskServices.open(url, demo_data=True, today=lambda: TODAY, create=True)
    session = SessionLog(services.database).start(1, 1, WALL_START)
    services.close()
    # As the previous version's SessionLogger wrote it when the database refused a set.
    unsaved = tmp_path / "kiosk.unsaved.jsonl"
    row = {"session_id": session, "kind": "SetRecord", "exercise_index": 0,
           "exercise_id": "clamshell", "set_number": 1, "side": "left", "reps_target": 3,
           "reps_done": 3, "hold_target_s": None, "hold_done_s": None,
           "started_at": "2026-03-02T09:00:00+00:00", "ended_at": "2026-03-02T09:00:30+00:00",
           "paused_s": 0.0, "status": "completed"}  # fmt: skip
    unsaved.write_text(json.dumps(row) + "\nnot a record\n")
    for _ in range(2):  # a second start finds the file already imported
        services = KioskServices.open(url, today=lambda: TODAY)
        assert services.writer.wait_idle(10.0)
        services.close()
    (record,) = SessionLog(services.database).sets_for(session)
    assert (record.exercise_id, record.side, record.reps_done) == ("clamshell", "left", 3)
    assert not unsaved.exists()
    assert (tmp_path / "kiosk.unsaved.jsonl.imported").exists()
