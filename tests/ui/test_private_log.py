"""The log of a whole visit holds no patient's name, no check-in code and no PIN.

The kiosk's own log configuration (kiosk/cli/logs.py) at DEBUG, the real window with a voice,
and a visit that goes through everything that writes: a check-in by code, pain before, "It
hurts" and a call for staff, the session to its end, pain after and a rating, the balance
check; staff sign in (a wrong PIN first). The database has bad moments meanwhile, so the error
paths log too: its write lock is held by another process for the whole session (the writer
logs each refused record, with its traceback), and later its patients table is gone when the
patient checks in again (the check-in's query fails, traceback and all). Then the whole log is
searched for the patient's name, her code and both PINs.
"""

from __future__ import annotations

import io
import logging
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db.demo import DEMO_STAFF_PIN
from db.repositories.assessments import Answer
from db.repositories.patients import PatientRepository
from kiosk.cli import logs
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.ui.shell.window import QtKioskWindow
from tests.clinic import ANN, saved
from tests.patient.faults import Lock
from tests.ui.conftest import OpenWindow, VoiceParts, check_in, run_to_summary, run_until, tap
from tests.ui.staff_mode.conftest import hold_corner, staff_mode, submit_pin

NAME = "Zephyrine"  # Ann, renamed: a name no log line could hold by chance
WRONG_PIN = "740261"


@pytest.fixture
def debug_log() -> io.StringIO:
    """Everything the kiosk logs, at DEBUG, as the kiosk itself configures it."""
    text = io.StringIO()
    logs.configure(level=logging.DEBUG, stream=text)
    return text


def _database_file(services: KioskServices) -> Path:
    database = services.database.url.database
    assert database is not None
    return Path(database)


def _alter(services: KioskServices, statement: str) -> None:
    """A change made by another program, behind the kiosk's back."""
    connection = sqlite3.connect(_database_file(services), isolation_level=None)
    try:
        connection.execute(statement)
    finally:
        connection.close()


def _visit(qtbot: QtBot, window: QtKioskWindow, clock: FakeClock) -> None:
    check_in(window, ANN)
    program = window.visit.program
    assert program is not None
    tap(program.pain_scale.buttons[3])
    tap(program.start_button)
    player = window.visit.player
    assert player is not None
    run_until(clock, player, lambda: player.engine.current_step().rep == 2)
    tap(player.hurts_button)
    tap(player.pain_overlay.call_button)
    tap(player.pain_overlay.resume_button)
    run_to_summary(qtbot, window, clock)
    summary = window.visit.summary
    assert summary is not None
    tap(summary.pain_scale.buttons[2])
    assert summary.rating is not None
    tap(summary.rating.buttons["just right"])
    tap(summary.balance_button)
    check = window.visit.balance
    assert check is not None
    tap(check.start_button)
    for _ in range(1000):
        if check.page == "questions":
            break
        deadline = check.engine.next_deadline()
        assert deadline is not None
        clock.advance(max(0.0, deadline - clock()))
        check.driver.update()
    for side, next_button in zip(check.sides, check.next_buttons, strict=True):
        tap(side.buttons[0][Answer.YES])
        tap(next_button)
    tap(check.done_button)
    tap(summary.done_button)
    window.go_to_attract()


def test_a_whole_visit_with_database_faults_logs_no_name_code_or_pin(
    qtbot: QtBot,
    fast_retries: None,
    debug_log: io.StringIO,
    open_window: OpenWindow,
    voice_parts: VoiceParts,
    services: KioskServices,
    clock: FakeClock,
) -> None:
    patients = PatientRepository(services.database)
    ann = patients.find_by_code(ANN)
    assert ann is not None
    patients.rename(ann.id, NAME, actor="test")
    window = open_window(voice=voice_parts.build)

    lock = Lock(_database_file(services))  # the whole visit with the database locked
    try:
        _visit(qtbot, window, clock)
    finally:
        lock.release()
    saved(services)  # everything kept meanwhile reaches the database

    hold_corner(window, clock)  # staff come by
    submit_pin(qtbot, window, WRONG_PIN)
    submit_pin(qtbot, window, DEMO_STAFF_PIN)
    home = staff_mode(window).home
    assert home is not None
    tap(home.lock_button)

    _alter(services, "ALTER TABLE patients RENAME TO patients_away")
    try:
        check_in(window, ANN)  # the check-in's query fails
    finally:
        _alter(services, "ALTER TABLE patients_away RENAME TO patients")
    tap(window.checkin.cancel_button)

    text = debug_log.getvalue()
    # The faults were logged (so this looked where a name or code could have been)...
    assert "could not write a" in text
    assert "database is locked" in text
    assert "check-in failed" in text
    assert "no such table: patients" in text
    assert "Traceback" in text
    # ...and nothing says who the patient is, how she checks in, or how staff get in.
    for secret in (NAME, ANN, DEMO_STAFF_PIN, WRONG_PIN):
        assert secret not in text, f"{secret!r} is in the log:\n{_around(text, secret)}"


def _around(text: str, secret: str) -> str:
    at = text.index(secret)
    return text[max(0, at - 600) : at + 200]
