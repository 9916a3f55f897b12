"""Migration 0005 (record uids) on a database with a session in it, both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from db.repositories.sessions import SessionLog
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.records import SetRecord, SetStatus
from tests.db.times import at

TABLES = ("sessions", "set_records", "pain_events", "feedback_events", "assessment_results")


def _uid_columns(engine: Engine) -> dict[str, bool]:
    with engine.connect() as connection:
        inspector = inspect(connection)
        return {
            table: any(c["name"] == "uid" for c in inspector.get_columns(table)) for table in TABLES
        }


def _record(set_number: int) -> SetRecord:
    return SetRecord(0, "clamshell", set_number, None, 3, 3, None, None, at(9), at(9, 1), 0.0,
                     SetStatus.COMPLETED)  # fmt: skip


def test_0005_adds_unique_uids_and_keeps_what_was_logged_both_ways(engine: Engine) -> None:
    patient = PatientRepository(engine).add("Maria", "482913")
    program = ProgramRepository(engine).create("P", [ProgramItemSpec("clamshell")])
    log = SessionLog(engine)
    session = log.start(patient.id, program, at(9))
    log.log_set(session, _record(1))

    downgrade(engine, "0004")
    assert set(_uid_columns(engine).values()) == {False}
    assert log_rows(engine) == [(session, 1)]
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert set(_uid_columns(engine).values()) == {True}
    assert log_rows(engine) == [(session, 1)]  # rows from before have no uid, and need none
    with engine.begin() as connection:
        connection.execute(text("UPDATE set_records SET uid = 'a' WHERE set_number = 1"))
    log.log_set(session, _record(2))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE set_records SET uid = 'a' WHERE set_number = 2"))


def log_rows(engine: Engine) -> list[tuple[int, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT session_id, set_number FROM set_records ORDER BY id")
        ).all()
    return [(r.session_id, r.set_number) for r in rows]
