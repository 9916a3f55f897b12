"""The patient side without Qt: check-in rules and the session log wiring."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.engine import SessionEngine
from kiosk.core.events import SessionEnded, SessionState, SetFinished
from kiosk.core.records import SetRecord, SetStatus
from kiosk.core.timeline import Side
from kiosk.patient.session_log import SessionLogger, unsaved_journal_path
from kiosk.services import KioskServices
from tests.clinic import ANN, MARIA


def _state(engine: SessionEngine) -> SessionState:
    return engine.state  # through a call: mypy keeps no narrowing across engine commands


@pytest.mark.parametrize("code", ["", "12", "abcdef", "55193 7", "1234567890123", "000000"])
def test_codes_that_are_not_a_patients_get_none(services: KioskServices, code: str) -> None:
    assert services.patient.check_in(code) is None


def test_a_scanned_code_with_a_trailing_newline_still_checks_in(services: KioskServices) -> None:
    checkin = services.patient.check_in(f"{MARIA}\n")
    assert checkin is not None
    assert checkin.display_name == "Maria"
    assert checkin.timeline.steps[0].title == checkin.program.items[0].name


def test_a_session_is_logged_set_by_set_and_finished(
    services: KioskServices, clock: FakeClock, wall_clock: Callable[[], datetime]
) -> None:
    checkin = services.patient.check_in(ANN)
    assert checkin is not None
    engine = services.patient.begin_session(checkin, clock, wall_clock).engine
    assert engine.state is SessionState.READY  # the caller subscribes, then starts
    log = SessionLog(services.database)
    info = log.info(1)
    assert info is not None
    assert info.state.value == "running"
    engine.start()
    engine.hurt()
    engine.resume()
    while _state(engine) is SessionState.RUNNING:
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(max(0.0, deadline - clock()))
        engine.update()
    assert len(log.sets_for(1)) == 2
    assert len(log.pains_for(1)) == 1
    info = log.info(1)
    assert info is not None
    assert info.state.value == "finished"
    assert info.ended_at is not None


class FlakySessionLog(SessionLog):
    """A real session log whose writes fail while ``down`` is set: the database's edge."""

    down = True

    def log_set(self, session_id: int, record: SetRecord) -> None:
        if self.down:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        super().log_set(session_id, record)


def _finished_record(services: KioskServices, wall_clock: Callable[[], datetime]) -> SetRecord:
    now = wall_clock()
    return SetRecord(0, "clamshell", 1, Side.LEFT, 3, 3, None, None, now, now, 0.0,
                     SetStatus.COMPLETED)  # fmt: skip


def test_a_set_that_cannot_be_written_waits_and_is_written_later(
    services: KioskServices, wall_clock: Callable[[], datetime], caplog: pytest.LogCaptureFixture
) -> None:
    log = FlakySessionLog(services.database)
    session_id = log.start(1, 1, wall_clock())
    logger = SessionLogger(log, session_id, wall_clock)
    record = _finished_record(services, wall_clock)
    with caplog.at_level(logging.WARNING):
        logger(SetFinished(record))
    assert logger.pending == (record,)
    assert log.sets_for(session_id) == ()
    assert "could not write to the database yet" in caplog.text
    log.down = False
    logger(SetFinished(record))  # the next event retries the waiting one first
    assert not logger.pending
    assert len(log.sets_for(session_id)) == 2


def test_sets_the_database_never_took_are_kept_in_a_journal(
    services: KioskServices, wall_clock: Callable[[], datetime], tmp_path: Path
) -> None:
    log = FlakySessionLog(services.database)
    session_id = log.start(1, 1, wall_clock())
    journal = tmp_path / "kiosk.unsaved.jsonl"
    logger = SessionLogger(log, session_id, wall_clock, journal)
    record = _finished_record(services, wall_clock)
    logger(SetFinished(record))
    logger(SessionEnded(SessionState.FINISHED, (record,)))
    rows = [json.loads(line) for line in journal.read_text().splitlines()]
    assert len(rows) == 1
    assert rows[0]["session_id"] == session_id
    assert rows[0]["exercise_id"] == "clamshell"
    assert rows[0]["side"] == "left"
    assert rows[0]["status"] == "completed"
    assert logger.pending == ()
    info = log.info(session_id)
    assert info is not None
    assert info.state.value == "finished"


def test_the_journal_sits_beside_a_sqlite_file() -> None:
    assert unsaved_journal_path("sqlite:////var/kiosk/kiosk.sqlite3") == Path(
        "/var/kiosk/kiosk.unsaved.jsonl"
    )


def test_the_voice_starts_from_the_clinic_settings_staff_edit_on_screen(
    services: KioskServices,
) -> None:
    from db.repositories.settings import SettingsRepository
    from voice.settings import VoiceMode

    SettingsRepository(services.database).update(
        "Demo", voice_enabled=False, voice_volume=40, voice_rate_wpm=130
    )
    defaults = services.voice_defaults()
    assert defaults is not None
    assert (defaults.mode, defaults.volume, defaults.rate) == (VoiceMode.TONES, 0.4, 130)
