"""Least privilege on PostgreSQL (issue 13; docs/security.md, "PostgreSQL"): on the throwaway
server, ``deploy/postgresql/roles.sql`` (run by the real ``psql``) makes an owner role that
migrates with the real ``kiosk db upgrade``, and a kiosk role that checks a patient in and
logs a set but may change no table, and is told, in one sentence, that the owner must
upgrade a schema it finds missing or old."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest

from db.connection import SCHEMA_REVISION, DatabaseSchemaError, downgrade, open_database
from db.problems import DatabaseUnavailableError, Problem
from db.repositories.sessions import SessionLog
from kiosk.core.records import SetRecord, SetStatus
from kiosk.core.timeline import Side
from kiosk.services import KioskServices
from tests.clinic import MARIA, TODAY
from tests.db.faults import TRACEBACK, kiosk
from tests.db.least_privilege import LeastPrivilege
from tests.db.postgres_server import PostgresServer
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.postgres

#: What a kiosk role is told about a schema it may not bring up to date.
OWNER_MUST_UPGRADE = "the schema's owner must run `kiosk db upgrade --db <the owner's URL>` first"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk(*args), capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=120, check=False)  # fmt: skip


@pytest.fixture
def clinic(postgres_server: PostgresServer) -> Iterator[LeastPrivilege]:
    """roles.sql run once, as before the first upgrade: the roles and an empty database."""
    made = LeastPrivilege.make(postgres_server)
    yield made
    made.drop()


@pytest.fixture
def migrated(clinic: LeastPrivilege) -> LeastPrivilege:
    """The owner has run ``kiosk db upgrade`` and IT has run roles.sql once more."""
    upgraded = _run("db", "upgrade", "--db", clinic.owner_url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.startswith("database is up to date: ")
    clinic.run_roles_sql()
    return clinic


def _tables(clinic: LeastPrivilege) -> list[tuple[str, str]]:
    return clinic.server.query(
        clinic.database,
        "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )


def test_the_kiosk_role_cannot_set_up_a_new_database_and_says_who_can(
    clinic: LeastPrivilege,
) -> None:
    with pytest.raises(DatabaseSchemaError) as raised:
        open_database(clinic.kiosk_url)
    sentence = str(raised.value)
    assert "it has no kiosk tables yet" in sentence
    assert f"the database user {clinic.kiosk} may not create or change tables" in sentence
    assert OWNER_MUST_UPGRADE in sentence
    assert _tables(clinic) == []

    child = _run("--db", clinic.kiosk_url, "today")  # the command line: one sentence, exit 3
    assert child.returncode == 3, child.stderr
    assert TRACEBACK not in child.stderr
    assert child.stderr.count("\n") == 1
    assert OWNER_MUST_UPGRADE in child.stderr


def test_no_other_role_may_connect_and_is_told_so(clinic: LeastPrivilege) -> None:
    stranger = f"{clinic.kiosk}_stranger"
    clinic.server.admin("CREATE ROLE {} LOGIN", stranger)
    try:
        with pytest.raises(DatabaseUnavailableError) as raised:
            open_database(clinic.server.url(clinic.database, user=stranger))
        assert raised.value.problem is Problem.LOGIN_REFUSED  # not "cannot be reached"
        assert f'permission denied for database "{clinic.database}"' in str(raised.value)
        assert "the user's rights (deploy/postgresql/roles.sql)" in str(raised.value)
    finally:
        clinic.server.admin("DROP ROLE {}", stranger)


def test_the_owner_migrates_and_the_kiosk_role_checks_in_and_logs_a_set(
    migrated: LeastPrivilege,
) -> None:
    owners = {owner for _table, owner in _tables(migrated)}
    assert owners == {migrated.owner}
    services = KioskServices.open(migrated.kiosk_url, demo_data=True, today=lambda: TODAY)
    try:
        checkin = services.patient.check_in(MARIA)
        assert checkin is not None
        log = SessionLog(services.database)
        now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        session = log.start(checkin.patient.id, checkin.program_id, now)
        record = SetRecord(
            exercise_index=0,
            exercise_id=checkin.program.items[0].exercise_id,
            set_number=1,
            side=Side.LEFT,
            reps_target=10,
            reps_done=10,
            hold_target_s=None,
            hold_done_s=None,
            started_at=now,
            ended_at=now.replace(minute=1),
            paused_s=0.0,
            status=SetStatus.COMPLETED,
        )
        log.log_set(session, record)
        assert log.sets_for(session) == (record,)
    finally:
        services.close()


#: DDL of every kind, and writes to the migration history: none of it is the kiosks' to do.
NOT_THE_KIOSKS = (
    "DROP TABLE patients",
    "ALTER TABLE patients ADD COLUMN notes text",
    "CREATE TABLE keep_me (x integer)",
    "CREATE TEMPORARY TABLE scratch (x integer)",
    "CREATE VIEW everyone AS SELECT * FROM patients",
    "CREATE INDEX ix_extra ON patients (id)",
    "CREATE SCHEMA elsewhere",
    "TRUNCATE patients",
    "UPDATE alembic_version SET version_num = '0001'",
    "DELETE FROM alembic_version",
)


def test_the_kiosk_role_may_change_no_table(migrated: LeastPrivilege) -> None:
    refused = []
    for statement in NOT_THE_KIOSKS:
        with psycopg.connect(
            host=str(migrated.server.socket_dir), user=migrated.kiosk, dbname=migrated.database
        ) as connection:
            try:
                connection.execute(statement.encode())
            except psycopg.errors.InsufficientPrivilege:
                refused.append(statement)
    assert refused == list(NOT_THE_KIOSKS)
    assert migrated.server.query(migrated.database, "SELECT version_num FROM alembic_version") == [
        (SCHEMA_REVISION,)
    ]
    assert "keep_me" not in {table for table, _owner in _tables(migrated)}


def test_an_older_schema_tells_the_kiosk_role_that_the_owner_must_upgrade(
    migrated: LeastPrivilege,
) -> None:
    downgrade(migrated.owner_url, "0004")  # a kiosk updated before the owner upgraded
    with pytest.raises(DatabaseSchemaError) as raised:
        open_database(migrated.kiosk_url)
    sentence = str(raised.value)
    assert f"its schema is at revision 0004, older than this kiosk's {SCHEMA_REVISION}" in sentence
    assert OWNER_MUST_UPGRADE in sentence
    assert migrated.server.query(migrated.database, "SELECT version_num FROM alembic_version") == [
        ("0004",)
    ]
    # The owner upgrades; the kiosk role then opens it (the new tables' rights came by default).
    upgraded = _run("db", "upgrade", "--db", migrated.owner_url)
    assert upgraded.returncode == 0, upgraded.stderr
    open_database(migrated.kiosk_url).dispose()


def test_a_clinic_with_one_user_for_everything_is_converted(
    postgres_server: PostgresServer,
) -> None:
    """The set-up docs/database.md described before: the kiosks' user owns the database and
    migrated it. roles.sql, run once, hands all of it to the owner role."""
    clinic = LeastPrivilege(postgres_server, "clinic_lp_single", "clinic_owner_single",
                            "clinic_kiosk_single")  # fmt: skip
    postgres_server.admin("CREATE ROLE {} LOGIN", clinic.kiosk)
    postgres_server.admin("CREATE DATABASE {} OWNER {}", clinic.database, clinic.kiosk)
    try:
        open_database(clinic.kiosk_url).dispose()  # the kiosk migrated it itself
        assert {owner for _table, owner in _tables(clinic)} == {clinic.kiosk}
        clinic.run_roles_sql()
        assert {owner for _table, owner in _tables(clinic)} == {clinic.owner}
        assert postgres_server.query(
            "postgres", f"SELECT pg_get_userbyid(datdba) FROM pg_database "
            f"WHERE datname = '{clinic.database}'"
        ) == [(clinic.owner,)]  # fmt: skip
        engine = open_database(clinic.kiosk_url)  # rows still its to read and write
        engine.dispose()
        with psycopg.connect(
            host=str(postgres_server.socket_dir), user=clinic.kiosk, dbname=clinic.database
        ) as connection:
            connection.execute(b"SELECT count(*) FROM patients")
            for statement in (b"DROP TABLE patients", b"DELETE FROM alembic_version"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
                connection.rollback()
    finally:
        clinic.drop()
