"""What a patient's export reads, on SQLite and PostgreSQL: every row about them, table by
table, none of another patient's (the command's own test: tests/cli/test_patients_export.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from db.repositories.audit import Action, audit
from db.repositories.patient_data import TABLES, patient_data, plain
from db.repositories.patients import PatientNotFoundError
from tests.cli.test_patients_export import held_about
from tests.db.patient_records import full_patient

START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def test_every_row_about_the_patient_and_none_of_anothers(engine: Engine) -> None:
    maria = full_patient(engine, "Maria", "482913", START)
    tom = full_patient(engine, "Tom", "716254", START)
    audit(engine, "Anna", Action.EXPORT, f"handout for patient {maria}, 1 pages, to m.pdf")
    found = patient_data(engine, maria)
    assert tuple(found) == TABLES
    expected = held_about(engine, maria)
    assert set(expected) == set(TABLES)
    for table in TABLES:
        rows = [{k: plain(v) for k, v in row.items()} for row in expected[table]]
        assert sorted(found[table], key=str) == sorted(rows, key=str), table
    theirs = patient_data(engine, tom)
    for table in TABLES:
        assert not [r for r in found[table] if r in theirs[table]], table
    assert len(found["sessions"]) == 2
    assert len(found["audit_log"]) == 6  # added, renamed twice, new code, assigned, handout


def test_no_such_patient(engine: Engine) -> None:
    with pytest.raises(PatientNotFoundError):
        patient_data(engine, 1)
