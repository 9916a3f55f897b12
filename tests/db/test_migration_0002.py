"""Migration 0002 on a database with data in it, both ways."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, inspect, text

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.program_store import ProgramStore
from db.repositories.programs import ProgramRepository
from db.types import UTCDateTime
from kiosk.core.prescription import ProgramItemSpec
from tests.db.times import at


def test_upgrade_from_0001_keeps_programs_as_non_templates(engine: Engine) -> None:
    downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as connection:
        assert "clinic_settings" not in inspect(connection).get_table_names()
        # Portable SQL (it also runs on PostgreSQL): a boolean literal, a typed time, and the
        # id the database gives rather than a fixed one (which would skip its sequence).
        program_id = connection.execute(
            text(
                "INSERT INTO programs (name, side_series, created_at) "
                "VALUES ('Old', false, :created) RETURNING id"
            ).bindparams(bindparam("created", at(0), type_=UTCDateTime()))
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO program_items (program_id, position, exercise_id, sides) "
                "VALUES (:program_id, 0, 'clamshell', 'each')"
            ),
            {"program_id": program_id},
        )
    upgrade(engine)  # to the head: 0002 and everything after it
    assert current_revision(engine) == SCHEMA_REVISION
    assert ProgramStore(engine).templates() == ()
    program = ProgramRepository(engine).get(program_id)
    assert program is not None
    assert program.items[0].exercise_id == "clamshell"
    with engine.connect() as connection:
        inspector = inspect(connection)
        checks = {c["name"] for c in inspector.get_check_constraints("program_items")}
        foreign = {f["name"]: f for f in inspector.get_foreign_keys("program_items")}
        program_fks = {f["name"] for f in inspector.get_foreign_keys("programs")}
    assert checks == {"ck_program_items_side_pattern"}
    assert foreign["fk_program_items_program_id_programs"]["options"] == {"ondelete": "CASCADE"}
    assert program_fks == {"fk_programs_import_batch_id_import_batches"}


def test_downgrade_to_0001_and_back(engine: Engine) -> None:
    ProgramRepository(engine).create("P", [ProgramItemSpec("clamshell")])
    downgrade(engine, "0001")
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("programs")}
    assert "is_template" not in columns
    upgrade(engine)
    assert ProgramRepository(engine).get(1) is not None
