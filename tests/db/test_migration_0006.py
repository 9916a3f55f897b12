"""Migration 0006 (the check-in lockout's tables) on a database with data in it, both ways."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.checkin_lockout import CheckInLockoutStore
from db.repositories.patients import PatientRepository
from kiosk.core.lockout import LockoutSettings
from tests.db.times import at

TABLES = {"checkin_lockout", "checkin_wrong_codes"}


def _tables(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_0006_adds_the_lockout_tables_and_keeps_what_was_there_both_ways(engine: Engine) -> None:
    PatientRepository(engine).add("Maria", "482913")
    settings = LockoutSettings(max_failures=3)
    CheckInLockoutStore(engine).record_wrong("900001", at(1), settings)

    downgrade(engine, "0005")
    assert not TABLES & _tables(engine)
    with engine.connect() as connection:  # the schema of 0005: no ORM (it is today's schema)
        names = connection.execute(text("SELECT display_name FROM patients")).scalars().all()
    assert names == ["Maria"]
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert _tables(engine) >= TABLES
    store = CheckInLockoutStore(engine)
    assert store.load().wrong == ()  # a new count, with a new key
    for n in range(3):
        store.record_wrong(f"90000{n}", at(2, n), settings)
    assert store.load().is_paused(at(2, 30))
