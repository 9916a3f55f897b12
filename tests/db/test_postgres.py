"""What only a real PostgreSQL server shows: its own column types, session time zones,
the advisory locks kiosks take turns with, the privileges of an ordinary user, and dropped
connections.

Everything else in tests/db (migrations both ways, schema against models, every repository,
kiosks starting together) also runs on PostgreSQL: see conftest.py. The server's session time
zone is not UTC (postgres_server.SERVER_TIME_ZONE), so a time stored or read without its
offset would show up here as a wrong hour.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Date, Engine, Enum, Float, Integer, String, Text, inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError

from db.connection import (
    PG_FIRST_FILL_LOCK,
    PG_MIGRATION_LOCK,
    SCHEMA_REVISION,
    DatabaseSchemaError,
    current_revision,
    make_engine,
    open_database,
)
from db.demo import ensure_demo_data
from db.models import Base
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from db.repositories.progress import ProgressQueries
from db.repositories.sessions import SessionLog
from db.types import UTCDateTime
from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.records import SetRecord, SetStatus
from kiosk.core.timeline import Side
from tests.db.postgres_server import SERVER_TIME_ZONE, PostgresServer, SharedDatabase
from tests.db.times import at

pytestmark = pytest.mark.postgres

_role_numbers = itertools.count(1)

RECORD = SetRecord(
    exercise_index=0,
    exercise_id="clamshell",
    set_number=1,
    side=Side.LEFT,
    reps_target=10,
    reps_done=9,
    hold_target_s=None,
    hold_done_s=None,
    started_at=at(1),
    ended_at=at(1, 42.125),
    paused_s=3.5,
    status=SetStatus.COMPLETED,
)


def _with_options(url: str, options: str) -> str:
    """``url`` with libpq ``options`` (server settings for that connection only)."""
    return make_url(url).update_query_dict({"options": options}).render_as_string(False)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


@pytest.fixture
def holder(postgres_fresh_url: str) -> Iterator[Connection]:
    """A connection of "another kiosk" to the fresh database, to hold locks with."""
    engine = make_engine(postgres_fresh_url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


# -- the schema, as the server sees it ---------------------------------------------------------


def test_columns_have_the_server_types_the_models_intend(postgres_engine: Engine) -> None:
    expected = [
        (UTCDateTime, "timestamp with time zone"),
        (Boolean, "boolean"),
        (Float, "double precision"),
        (Date, "date"),
        # Subclasses of String before String itself.
        (Enum, "character varying"),  # a VARCHAR with a CHECK, no native enum type
        (Text, "text"),
        (String, "character varying"),
        (Integer, "integer"),
    ]
    with postgres_engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT table_name, column_name, data_type, column_default "
            "FROM information_schema.columns WHERE table_schema = current_schema()"
        ).all()
        enum_types = connection.exec_driver_sql(
            "SELECT typname FROM pg_type WHERE typtype = 'e'"
        ).all()
    found = {(table, column): (kind, default) for table, column, kind, default in rows}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            kind, default = found[(table.name, column.name)]
            want = next(name for cls, name in expected if isinstance(column.type, cls))
            assert kind == want, f"{table.name}.{column.name}"
            if column.primary_key and isinstance(column.type, Integer):
                assert default.startswith("nextval("), f"{table.name}.{column.name} has no sequence"
    assert enum_types == []


def test_the_server_session_is_not_in_utc(postgres_engine: Engine) -> None:
    """Guards the time-zone tests: they mean something only if the server is not in UTC."""
    with postgres_engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW TimeZone").scalar() == SERVER_TIME_ZONE


# -- times ---------------------------------------------------------------------------------------


def test_a_time_is_the_same_instant_in_every_session_time_zone(
    postgres_engine: Engine, postgres_shared: SharedDatabase
) -> None:
    patient = PatientRepository(postgres_engine).add("Maria", "482913")
    program = ProgramRepository(postgres_engine).create("Hips", [ProgramItemSpec("clamshell")])
    log = SessionLog(postgres_engine)
    session_id = log.start(patient.id, program, at(0))
    log.log_set(session_id, RECORD)
    # Another kiosk whose connection runs in another zone (a clinic's server set to local time).
    kathmandu = make_engine(_with_options(postgres_shared.url, "-c TimeZone=Asia/Kathmandu"))
    try:
        (stored,) = SessionLog(kathmandu).sets_for(session_id)
        with kathmandu.connect() as connection:
            utc_wall_clock = connection.exec_driver_sql(
                "SELECT started_at AT TIME ZONE 'UTC' FROM set_records"
            ).scalar()
    finally:
        kathmandu.dispose()
    assert stored == RECORD
    assert stored.started_at.tzinfo is UTC
    assert utc_wall_clock == at(1).replace(tzinfo=None)


def test_day_boundaries_use_the_clinic_zone_not_the_server_zone(postgres_engine: Engine) -> None:
    # 02:30 UTC on 4 March is still 3 March in St. John's (the server's zone), but the
    # patient's set belongs to the day UTC says when the clinic's zone is UTC.
    patient = PatientRepository(postgres_engine).add("Maria", "482913")
    program = ProgramRepository(postgres_engine).create("Hips", [ProgramItemSpec("clamshell")])
    log = SessionLog(postgres_engine)
    log.start(patient.id, program, datetime(2025, 3, 4, 2, 30, tzinfo=UTC))
    queries = ProgressQueries(postgres_engine, tz=UTC)
    assert [r.day for r in queries.day_rows(date(2025, 3, 3), date(2025, 3, 5))] == [
        date(2025, 3, 4)
    ]


# -- kiosks taking turns -----------------------------------------------------------------------


def test_a_migration_waits_for_the_migration_lock(
    postgres_fresh_url: str, holder: Connection
) -> None:
    # Another kiosk is migrating (it holds the lock); this one may only wait 0.1 s for it.
    holder.exec_driver_sql(f"SELECT pg_advisory_lock({PG_MIGRATION_LOCK})")
    impatient = _with_options(postgres_fresh_url, "-c lock_timeout=100")
    with pytest.raises(OperationalError, match="lock timeout"):
        open_database(impatient)
    assert _tables(holder) == set()  # it waited before creating anything
    holder.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})")
    engine = open_database(impatient)
    try:
        assert current_revision(engine) == SCHEMA_REVISION
    finally:
        engine.dispose()


def test_demo_data_waits_for_the_first_fill_lock(
    postgres_fresh_url: str, holder: Connection
) -> None:
    open_database(postgres_fresh_url).dispose()
    holder.exec_driver_sql(f"SELECT pg_advisory_lock({PG_FIRST_FILL_LOCK})")
    impatient = make_engine(_with_options(postgres_fresh_url, "-c lock_timeout=100"))
    try:
        with pytest.raises(OperationalError, match="lock timeout"):
            ensure_demo_data(impatient, date(2025, 3, 3))
        holder.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_FIRST_FILL_LOCK})")
        assert ensure_demo_data(impatient, date(2025, 3, 3)) is True
    finally:
        impatient.dispose()


# -- an ordinary database user -------------------------------------------------------------------


def _role(server: PostgresServer) -> str:
    role = f"kiosk_user_{next(_role_numbers)}"
    server.admin("CREATE ROLE {} LOGIN", role)
    return role


def test_a_user_owning_the_database_migrates_and_uses_it(postgres_server: PostgresServer) -> None:
    role = _role(postgres_server)
    database = f"{role}_clinic"
    postgres_server.admin("CREATE DATABASE {} OWNER {}", database, role)
    engine = open_database(postgres_server.url(database, user=role))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert list(compare_metadata(context, Base.metadata)) == []
            owners = connection.exec_driver_sql(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
            ).all()
        assert owners == [(role,)]
        maria = PatientRepository(engine).add("Maria", "482913")
        assert PatientRepository(engine).find_by_code("482913") == maria
    finally:
        engine.dispose()
        postgres_server.drop_database(database)


def test_a_user_who_may_not_create_tables_gets_a_clear_error(
    postgres_server: PostgresServer, postgres_fresh_url: str
) -> None:
    # PostgreSQL 15 and later: only the owner may create tables in a database's public schema.
    role = _role(postgres_server)
    database = make_url(postgres_fresh_url).database
    assert database is not None
    with pytest.raises(DatabaseSchemaError, match="owner"):
        open_database(postgres_server.url(database, user=role))
    assert postgres_server.query(
        database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    ) == [(0,)]


# -- connections ---------------------------------------------------------------------------------


def test_a_connection_the_server_dropped_is_replaced(
    postgres_engine: Engine, postgres_server: PostgresServer
) -> None:
    patients = PatientRepository(postgres_engine)
    maria = patients.add("Maria", "482913")
    # The server restarts, or drops idle connections overnight: the pooled one is dead.
    postgres_server.query(
        "postgres",
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
        "WHERE datname = 'kiosk_shared' AND pid <> pg_backend_pid()",
    )
    assert patients.find_by_code("482913") == maria


def test_a_bare_postgresql_url_uses_psycopg_3(postgres_shared: SharedDatabase) -> None:
    bare = make_url(postgres_shared.url).set(drivername="postgresql")
    engine = open_database(bare.render_as_string(hide_password=False))
    try:
        assert engine.dialect.driver == "psycopg"
        assert current_revision(engine) == SCHEMA_REVISION
    finally:
        engine.dispose()
