"""A database's bad days, on real files, mounts, processes and ports: each is refused by
``open_database`` with one sentence that names the database and says what to do, raised from
the original error, and the database is left as it was. A new SQLite database is made only
when asked for.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

import db.connection
from db.connection import (
    SCHEMA_REVISION,
    DatabaseSchemaError,
    current_revision,
    open_database,
)
from db.problems import (
    DatabaseUnavailableError,
    Problem,
    database_problem,
    has_password,
    redact,
)
from db.repositories.patients import PatientRepository
from tests.db.faults import (
    GARBAGE,
    PATIENT,
    closed_port,
    fill,
    garbage_file,
    lock_held_by_another_process,
    make_database,
    patients_in,
    python,
    read_only,
    run_in_mount_namespace,
    silent_port,
    tiny_disk,
    truncated_database,
    url_of,
    zero_byte_file,
)
from tests.db.postgres_server import PostgresServer


def refused(url: str, problem: Problem, **options: bool) -> DatabaseUnavailableError:
    with pytest.raises(DatabaseUnavailableError) as caught:
        open_database(url, **options)
    assert caught.value.problem is problem, str(caught.value)
    return caught.value


# -- a new database only when asked for ------------------------------------------------------


def test_a_zero_byte_file_is_refused_and_left_empty(tmp_path: Path) -> None:
    path = zero_byte_file(tmp_path / "kiosk.sqlite3")
    error = refused(url_of(path), Problem.EMPTY_FILE)
    assert str(error) == (
        f"The database file {path} is empty (0 bytes): it holds no clinic. "
        "Restore it from a backup, or start a new database there with --create-db."
    )
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.sqlite3"]  # no -wal, no -shm


def test_a_missing_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    error = refused(url_of(path), Problem.NO_FILE)
    assert str(error) == (
        f"There is no database file {path}. Check the path, or start a new database there "
        "with --create-db."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_mistyped_folder_is_refused_and_never_made(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "k.db"
    error = refused(url_of(path), Problem.NO_FOLDER)
    assert str(error).startswith(f"The folder {path.parent} for the database file {path} ")
    assert "--create-db" in str(error)
    assert list(tmp_path.iterdir()) == []


def test_create_makes_the_folders_the_file_and_every_table(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "kiosk.sqlite3"
    engine = open_database(url_of(path), create=True)
    try:
        assert current_revision(engine) == SCHEMA_REVISION
    finally:
        engine.dispose()
    assert path.stat().st_size > 0
    open_database(url_of(path)).dispose()  # there now: no need to ask again


def test_create_fills_an_empty_file(tmp_path: Path) -> None:
    path = zero_byte_file(tmp_path / "kiosk.sqlite3")
    engine = open_database(url_of(path), create=True)
    try:
        assert current_revision(engine) == SCHEMA_REVISION
    finally:
        engine.dispose()


def test_create_never_replaces_a_database(tmp_path: Path) -> None:
    path = make_database(tmp_path / "kiosk.sqlite3")
    open_database(url_of(path), create=True).dispose()
    assert patients_in(path) == [PATIENT]
    garbage_file(path)
    refused(url_of(path), Problem.DAMAGED, create=True)
    assert path.read_bytes() == GARBAGE


def test_the_default_database_is_made_on_a_first_start(user_data_root: Path) -> None:
    engine = open_database(db.connection.resolve_database_url(None))
    try:
        assert current_revision(engine) == SCHEMA_REVISION
    finally:
        engine.dispose()
    assert (user_data_root / "clinic-gym-kiosk" / "kiosk.sqlite3").stat().st_size > 0


# -- damaged files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (truncated_database, "malformed"),
        (garbage_file, "not a SQLite database"),
    ],
    ids=["truncated", "garbage"],
)
def test_a_damaged_file_is_refused_and_left_as_it_was(
    tmp_path: Path, make: Callable[[Path], Path], what: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = make(tmp_path / "kiosk.sqlite3")
    before = path.read_bytes()
    with caplog.at_level(logging.DEBUG, logger="db.problems"):
        error = refused(url_of(path), Problem.DAMAGED)
    # The traceback of what SQLite said is logged where it was met (DEBUG: not IT's screen).
    (record,) = caplog.records
    assert record.exc_info is not None
    assert record.exc_info[1] is error.__cause__
    assert str(error) == (
        f"The database file {path} is damaged ({what}). There is no backup of it in "
        f"{tmp_path / 'backups'}: restore one with `kiosk restore FILE`, or move it aside and "
        "start a new database with --create-db."
    )
    assert isinstance(error.__cause__, DBAPIError)  # the original is kept
    assert path.read_bytes() == before


def test_a_folder_is_not_a_database_file(tmp_path: Path) -> None:
    error = refused(url_of(tmp_path), Problem.NOT_A_FILE)
    assert str(error) == f"{tmp_path} is a folder, not a database file. Check the path."


# -- URLs ------------------------------------------------------------------------------------


def test_text_that_is_not_a_url_is_told_so_with_an_example() -> None:
    error = refused("notaurl", Problem.NOT_A_URL)
    assert str(error) == (
        "'notaurl' is not a database URL: give one such as "
        "sqlite:////var/lib/kiosk/kiosk.sqlite3 or postgresql+psycopg://kiosk@gym-server/clinic."
    )


def test_an_unknown_kind_of_database_is_named() -> None:
    error = refused("oracle+nosuchdriver://kiosk:secret@server/clinic", Problem.UNKNOWN_KIND)
    assert "secret" not in str(error)
    assert "oracle+nosuchdriver://kiosk:***@server/clinic" in str(error)


def test_redact_hides_the_password_only() -> None:
    assert (
        redact("postgresql://kiosk:s3cret@server/clinic") == "postgresql://kiosk:***@server/clinic"
    )
    assert redact("sqlite:////var/lib/k.db") == "sqlite:////var/lib/k.db"
    assert redact("notaurl") == "notaurl"


def test_redact_hides_a_password_given_as_a_parameter_too() -> None:
    """libpq takes ``password=`` (and a client key's ``sslpassword=``) from the query."""
    assert redact("postgresql+psycopg://kiosk@db/clinic?sslmode=verify-full&password=s3cret") == (
        "postgresql+psycopg://kiosk@db/clinic?sslmode=verify-full&password=***"
    )
    assert redact("postgresql://kiosk:a@db/c?sslpassword=k3y") == (
        "postgresql://kiosk:***@db/c?sslpassword=***"
    )
    assert redact("host=db password=s3cret") == "host=db password=***"  # not a URL, still hidden
    assert not has_password("postgresql+psycopg://kiosk@db/clinic?service=kiosk")
    assert has_password("postgresql+psycopg://kiosk@db/clinic?password=s3cret")


# -- read-only and full disks (a mount namespace of the test's own) --------------------------

# Runs inside the namespace: tries to open the database the way the kiosk does and reports
# what happened as JSON (the parent checks it, and what the file holds afterwards).
OPEN_AND_REPORT = """
import json, sys
from db.connection import open_database
from db.problems import DatabaseUnavailableError
try:
    engine = open_database(sys.argv[1], create=sys.argv[2] == "create")
except DatabaseUnavailableError as error:
    cause = error.__cause__
    print(json.dumps({"problem": error.problem.name, "sentence": str(error),
                      "cause": type(cause).__name__ if cause else None}))
else:
    engine.dispose()
    print(json.dumps({"problem": None}))
"""


def _open_in_namespace(setup: str, path: Path, *, create: bool = False) -> dict[str, str]:
    child = run_in_mount_namespace(
        setup, python(OPEN_AND_REPORT, url_of(path), "create" if create else "")
    )
    assert child.returncode == 0, child.stderr[-2000:]
    report: dict[str, str] = json.loads(child.stdout)
    return report


def test_a_read_only_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = make_database(tmp_path / "kiosk.sqlite3")
    before = path.read_bytes()
    report = _open_in_namespace(read_only(path), path)
    assert report == {
        "problem": "READ_ONLY_FILE",
        "sentence": f"The database file {path} is read-only. Let the kiosk's user write to it "
        "(or mount its disk read-write).",
        "cause": None,
    }
    assert path.read_bytes() == before


def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    path = make_database(folder / "kiosk.sqlite3")
    report = _open_in_namespace(read_only(folder), path)
    assert report["problem"] == "READ_ONLY_FOLDER"
    assert report["sentence"].startswith(
        f"The folder {folder} holding the database file {path} is read-only"
    )
    assert patients_in(path) == [PATIENT]


# On a tiny disk: an older database (0003, holding a patient) is made, the disk is filled,
# the kiosk opens it (the migration to the newest schema cannot be written), the filler is
# removed, and what the database holds then is reported.
FULL_DISK = """
import json, os, sqlite3, sys
from pathlib import Path
from db.connection import downgrade, open_database
from db.problems import DatabaseUnavailableError
from db.repositories.patients import PatientRepository
folder = Path(sys.argv[1]); url = f"sqlite:///{folder / 'kiosk.sqlite3'}"
engine = open_database(url, create=True)
PatientRepository(engine).add("Maria", "482913")
engine.dispose()
downgrade(url, "0003")
os.system(f"dd if=/dev/zero of={folder / 'filler'} bs=4k 2>/dev/null")
try:
    open_database(url).dispose()
    report = {"problem": None}
except DatabaseUnavailableError as error:
    report = {"problem": error.problem.name, "sentence": str(error)}
(folder / "filler").unlink()
connection = sqlite3.connect(folder / "kiosk.sqlite3")
report["revision"] = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
report["patients"] = connection.execute("SELECT display_name, code FROM patients").fetchall()
connection.close()
print(json.dumps(report))
"""


def test_a_full_disk_stops_a_migration_and_leaves_the_database_as_it_was(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "disk"
    folder.mkdir()
    child = run_in_mount_namespace(tiny_disk(folder), python(FULL_DISK, str(folder)))
    assert child.returncode == 0, child.stderr[-2000:]
    report = json.loads(child.stdout)
    path = folder / "kiosk.sqlite3"
    assert report == {
        "problem": "DISK_FULL",
        "sentence": f"The disk holding the database file {path} is full. Free some space on "
        "it, then try again.",
        "revision": "0003",
        "patients": [list(PATIENT)],
    }


def test_a_new_database_on_a_full_disk_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "disk"
    folder.mkdir()
    path = folder / "kiosk.sqlite3"
    setup = f"{tiny_disk(folder)} && {fill(folder)}"
    report = _open_in_namespace(setup, path, create=True)
    assert report["problem"] == "DISK_FULL"
    assert report["sentence"].startswith(f"The disk holding the database file {path} is full.")


# -- a second program holding the lock -------------------------------------------------------


def test_a_database_another_program_keeps_locked_is_named_as_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_database(tmp_path / "kiosk.sqlite3")
    monkeypatch.setattr(db.connection, "SQLITE_BUSY_TIMEOUT_MS", 200)
    engine = open_database(url_of(path))
    with lock_held_by_another_process(path), pytest.raises(DBAPIError) as caught:
        PatientRepository(engine).add("Tom", "716254")
    engine.dispose()
    problem = database_problem(caught.value, url_of(path))
    assert problem is not None
    assert problem.problem is Problem.BUSY
    assert str(problem) == (
        f"The database file {path} is locked by another program. Close that program or wait "
        "for it, then try again."
    )
    assert patients_in(path) == [PATIENT]


# -- PostgreSQL ------------------------------------------------------------------------------


def test_a_postgresql_server_nobody_listens_for_is_unreachable_at_once() -> None:
    url = f"postgresql+psycopg://kiosk:secret@127.0.0.1:{closed_port()}/clinic"
    started = time.monotonic()
    error = refused(url, Problem.UNREACHABLE)
    assert time.monotonic() - started < db.connection.POSTGRES_CONNECT_TIMEOUT_S
    assert str(error).startswith(
        "The PostgreSQL server of postgresql+psycopg://kiosk:***@127.0.0.1:"
    )
    assert "cannot be reached (Connection refused)" in str(error)
    assert "secret" not in str(error)


@pytest.mark.slow
def test_a_postgresql_server_that_never_answers_times_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db.connection, "POSTGRES_CONNECT_TIMEOUT_S", 2)  # psycopg's least
    with silent_port() as port:
        started = time.monotonic()
        error = refused(f"postgresql://kiosk@127.0.0.1:{port}/clinic", Problem.UNREACHABLE)
        waited = time.monotonic() - started
    assert 1.5 < waited < 4.5
    assert "(no answer before the connect timeout)" in str(error)


@pytest.fixture
def pg(postgres_server: PostgresServer) -> PostgresServer:
    return postgres_server


def test_a_postgresql_database_that_does_not_exist_is_named(pg: PostgresServer) -> None:
    error = refused(pg.url("no_such_clinic"), Problem.NO_SUCH_DATABASE)
    assert 'database "no_such_clinic" does not exist' in str(error)


def test_a_postgresql_login_the_server_refuses_is_named(pg: PostgresServer) -> None:
    error = refused(pg.url("postgres", user="nobody_here"), Problem.LOGIN_REFUSED)
    assert 'role "nobody_here" does not exist' in str(error)


def test_a_schema_error_names_the_database(tmp_path: Path) -> None:
    path = make_database(tmp_path / "kiosk.sqlite3")
    engine = open_database(url_of(path))
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(DatabaseSchemaError) as caught:
        open_database(url_of(path))
    assert str(caught.value).startswith(f"The database file {path} cannot be used: ")
    assert "9999" in str(caught.value)
    assert caught.value.problem is Problem.SCHEMA


def test_nothing_here_is_imported_by_the_kiosk_before_its_first_frame() -> None:
    # The kiosk checks --db with db.problems before painting: it must not pull SQLAlchemy in.
    code = "import sys, db.problems; print(sorted(m for m in sys.modules if 'sqlalchemy' in m))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
