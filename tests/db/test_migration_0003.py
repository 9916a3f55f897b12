"""Migration 0003 (assessment results) on a database with data in it, both ways."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from db.repositories.sessions import SessionLog
from kiosk.core.prescription import ProgramItemSpec
from tests.db.times import at


def test_0003_adds_assessment_results_with_named_constraints_and_keeps_sessions(
    engine: Engine,
) -> None:
    patient = PatientRepository(engine).add("Maria", "482913")
    downgrade(engine, "0002")
    with engine.connect() as connection:
        assert "assessment_results" not in inspect(connection).get_table_names()
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION  # 0003 and whatever follows it
    with engine.connect() as connection:
        inspector = inspect(connection)
        checks = {c["name"] for c in inspector.get_check_constraints("assessment_results")}
        foreign = {f["name"] for f in inspector.get_foreign_keys("assessment_results")}
        indexes = {i["name"] for i in inspector.get_indexes("assessment_results")}
    assert checks == {"ck_assessment_results_side"}
    assert foreign == {
        "fk_assessment_results_patient_id_patients",
        "fk_assessment_results_session_id_sessions",
    }
    assert indexes == {"ix_assessment_results_patient_id_at", "ix_assessment_results_uid"}  # 0005
    assert PatientRepository(engine).find_by_code("482913") == patient
    program = ProgramRepository(engine).create("P", [ProgramItemSpec("clamshell")])
    assert SessionLog(engine).start(patient.id, program, at(9)) == 1
