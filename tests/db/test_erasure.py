"""Erasing a patient: nothing of them remains in any table, nor in the SQLite file and its WAL;
another patient's records are untouched; the audit log names them by a pseudonym only."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, inspect, select, text

from db.models import Base, ExerciseSession, RetiredCode
from db.repositories.audit import Action, audit, entries
from db.repositories.erasure import erase_patient
from db.repositories.patients import PatientNotFoundError, PatientRepository
from tests.db.patient_records import full_patient

START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
NAME, CODE = "Zebulon", "482913"


def _codes(engine: Engine, patient_id: int) -> set[str]:
    patient = PatientRepository(engine).get(patient_id)
    assert patient is not None
    with engine.connect() as connection:
        retired = connection.scalars(
            select(RetiredCode.code).where(RetiredCode.patient_id == patient_id)
        )
        return {patient.code, *retired}


def _everything(engine: Engine) -> dict[str, list[dict[str, object]]]:
    """Every row of every table in the database (not only the models': what is really there)."""
    with engine.connect() as connection:
        return {
            name: [dict(row._mapping) for row in connection.execute(text(f"SELECT * FROM {name}"))]
            for name in inspect(connection).get_table_names()
        }


def _mentions(rows: dict[str, list[dict[str, object]]], word: str) -> list[tuple[str, object]]:
    found = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])", re.IGNORECASE)
    return [(table, row) for table, table_rows in rows.items() for row in table_rows
            for value in row.values() if found.search(str(value))]  # fmt: skip


def _theirs(engine: Engine, patient_id: int) -> dict[str, int]:
    """Rows linked to the patient by id, in every table that links to a patient or a session."""
    with engine.connect() as connection:
        sessions = list(
            connection.scalars(
                select(ExerciseSession.id).where(ExerciseSession.patient_id == patient_id)
            )
        )
        found = {}
        for table in Base.metadata.sorted_tables:
            count = 0
            if "patient_id" in table.c:
                count += len(connection.execute(
                    select(table).where(table.c.patient_id == patient_id)).all())  # fmt: skip
            if "session_id" in table.c and sessions:
                count += len(connection.execute(
                    select(table).where(table.c.session_id.in_(sessions))).all())  # fmt: skip
            if table.name == "patients":
                count += len(connection.execute(
                    select(table).where(table.c.id == patient_id)).all())  # fmt: skip
            found[table.name] = count
    return found


def test_nothing_of_an_erased_patient_remains_in_any_table(engine: Engine) -> None:
    zebulon = full_patient(engine, NAME, CODE, START)
    maria = full_patient(engine, "Maria", "716254", START)
    codes = _codes(engine, zebulon)
    audit(engine, "Anna", Action.EXPORT, f"handout for patient {zebulon}, 1 pages, to h.pdf")
    # An entry of an earlier version: code and both names in clear.
    audit(engine, "Anna", Action.PATIENT_RENAMED, f"{CODE}: 'Zebulo' → {NAME!r}")
    maria_before = _theirs(engine, maria)
    before = _theirs(engine, zebulon)
    assert all(before[t] for t in ("patients", "sessions", "set_records", "pain_events",
                                   "feedback_events", "assessment_results", "assignments",
                                   "retired_codes"))  # fmt: skip
    assert _mentions(_everything(engine), NAME)

    erased = erase_patient(engine, zebulon, actor="Anna", pseudonym="patient #0badcafe")

    assert set(_theirs(engine, zebulon).values()) == {0}
    assert _theirs(engine, maria) == maria_before
    rows = _everything(engine)
    assert _mentions(rows, NAME) == []
    assert _mentions(rows, f"patient {zebulon}") == []
    for code in codes:  # retired for good, but linked to nobody
        assert _mentions(rows, code) == [("retired_codes", row) for row in rows["retired_codes"]
                                         if row["code"] == code]  # fmt: skip
        assert [r["patient_id"] for r in rows["retired_codes"] if r["code"] == code] == [None]
    assert (erased.sessions, erased.sets, erased.pain_events, erased.assessments) == (2, 4, 2, 2)
    assert erased.feedback_events == 6
    assert erased.programs == 3  # the builder's copy and the two visits' programs
    log = entries(engine)
    assert log[0].action == Action.PATIENT_ERASED
    assert log[0].detail is not None
    assert log[0].detail.startswith("patient #0badcafe: 2 sessions")
    about = [e for e in log if e.detail and "patient #0badcafe" in e.detail]
    # added, renamed twice, new code, assigned, the handout, the old entry, the erasure
    assert len(about) == 8
    assert f"patient {maria}" in " ".join(e.detail or "" for e in log)


def test_a_staff_member_sharing_the_name_keeps_their_entries(engine: Engine) -> None:
    anna = full_patient(engine, "Anna", CODE, START)
    audit(engine, "Demo", Action.STAFF_ADDED, "Anna")
    audit(engine, "Anna", Action.LOGIN)
    audit(engine, "kiosk", "check-in paused", f"fingerprint a{CODE}f: 10 wrong codes")
    audit(engine, "Anna", Action.EXPORT, "handout to anna-home.pdf")  # typed by staff
    erase_patient(engine, anna, actor="Anna", pseudonym="patient #0badcafe")
    log = {(e.action, e.detail) for e in entries(engine)}
    assert (Action.STAFF_ADDED, "Anna") in log
    assert ("check-in paused", f"fingerprint a{CODE}f: 10 wrong codes") in log
    assert (Action.EXPORT, "handout to patient #0badcafe-home.pdf") in log
    assert all(e.actor in ("Anna", "Demo", "kiosk") for e in entries(engine))  # never rewritten


def test_a_patient_not_there_is_refused_and_nothing_changes(engine: Engine) -> None:
    zebulon = full_patient(engine, NAME, CODE, START)
    before = _everything(engine)
    with pytest.raises(PatientNotFoundError):
        erase_patient(engine, zebulon + 1, actor="Anna")
    assert _everything(engine) == before


def test_an_erased_patients_code_is_never_given_out_again(engine: Engine) -> None:
    zebulon = full_patient(engine, NAME, CODE, START)
    codes = _codes(engine, zebulon)
    erase_patient(engine, zebulon, actor="Anna")
    repo = PatientRepository(engine)
    for code in codes:
        with pytest.raises(ValueError, match="already in use"):
            repo.add("Tom", code)
        assert repo.find_by_code(code) is None


def _raw(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def _without_secure_delete(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.execute("PRAGMA secure_delete=OFF")


@pytest.mark.sqlite_only
def test_the_name_is_not_left_in_the_file_nor_its_wal(engine: Engine, tmp_path: Path) -> None:
    path = Path(str(engine.url.database))
    # Every connection as on an SQLite built without SECURE_DELETE (see below).
    engine.dispose()
    event.listen(engine, "connect", _without_secure_delete)
    zebulon = full_patient(engine, NAME, CODE, START)
    full_patient(engine, "Maria", "716254", START)
    assert NAME.encode() in _raw(path)
    # What a DELETE would leave behind on a copy, on an SQLite built without SECURE_DELETE
    # (Debian's has it on by default; python.org's and most wheels' do not): the name.
    copy = tmp_path / "plain-delete.sqlite3"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    plain = sqlite3.connect(copy)
    plain.execute("PRAGMA foreign_keys=OFF")
    plain.execute("PRAGMA secure_delete=OFF")
    plain.execute("DELETE FROM patients WHERE id = ?", (zebulon,))
    plain.commit()
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.close()
    assert NAME.encode() in _raw(copy)

    erase_patient(engine, zebulon, actor="Anna")

    raw = _raw(path)
    assert NAME.encode() not in raw
    assert NAME.encode("utf-16-le") not in raw
    assert Path(f"{path}-wal").stat().st_size == 0  # checkpointed and truncated
    assert b"Maria" in raw
