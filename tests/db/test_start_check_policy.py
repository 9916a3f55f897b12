"""Which opens of a SQLite file read it whole first (``PRAGMA quick_check``): every one, but
``open_database(url, check=False)`` (``kiosk report``) on a file whose schema is up to date.
A file that needs migrating is checked all the same: a migration writes to every table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.connection import SCHEMA_REVISION, open_database
from db.problems import DatabaseUnavailableError, Problem
from db.repositories.patients import PatientRepository
from tests.db.faults import PATIENT, damaged_page, url_of


def test_an_up_to_date_file_opened_unchecked_is_not_read_whole(tmp_path: Path) -> None:
    path = damaged_page(tmp_path / "kiosk.sqlite3")  # deep in the audit log
    with pytest.raises(DatabaseUnavailableError) as caught:
        open_database(url_of(path))
    assert caught.value.problem is Problem.DAMAGED
    assert "quick_check: " in str(caught.value)

    engine = open_database(url_of(path), check=False)
    try:  # what it reads is whole
        name, code = PATIENT
        assert PatientRepository(engine).by_codes({code})[code].display_name == name
    finally:
        engine.dispose()


def test_a_file_that_needs_migrating_is_checked_even_unasked(tmp_path: Path) -> None:
    path = damaged_page(tmp_path / "kiosk.sqlite3")
    older = f"{int(SCHEMA_REVISION) - 1:04d}"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (older,))
    connection.close()
    with pytest.raises(DatabaseUnavailableError) as caught:
        open_database(url_of(path), check=False)
    assert caught.value.problem is Problem.DAMAGED
    assert "quick_check: " in str(caught.value)
    with sqlite3.connect(path) as connection:  # not migrated
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (older,)
        ]
    connection.close()
