"""The migrations build exactly the schema the models describe, and run both ways."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from db.connection import SCHEMA_REVISION, alembic_config, current_revision, downgrade, upgrade
from db.models import Base
from db.repositories.patients import PatientRepository


def _diffs(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _tables(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_schema_revision_constant_is_the_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [SCHEMA_REVISION]


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    assert _diffs(engine) == []
    assert _tables(engine) == set(Base.metadata.tables) | {"alembic_version"}


def test_constraints_carry_the_conventional_names(engine: Engine) -> None:
    with engine.connect() as connection:
        inspector = inspect(connection)
        checks = {c["name"] for c in inspector.get_check_constraints("set_records")}
        foreign = {f["name"] for f in inspector.get_foreign_keys("set_records")}
        unique = {u["name"] for u in inspector.get_unique_constraints("patients")}
    assert checks == {"ck_set_records_side", "ck_set_records_status"}
    assert foreign == {"fk_set_records_session_id_sessions"}
    assert unique == {"uq_patients_code"}


def test_downgrade_to_base_then_upgrade_again(engine: Engine) -> None:
    PatientRepository(engine).add("Maria", "482913")
    downgrade(engine, "base")
    assert _tables(engine) == {"alembic_version"}
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert _diffs(engine) == []
    assert PatientRepository(engine).list_active() == ()
