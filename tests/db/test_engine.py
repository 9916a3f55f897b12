"""Where the database lives, how connections are set up, and opening/migrating on start."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

import db.connection
from db.connection import (
    DatabaseSchemaError,
    current_revision,
    default_database_url,
    make_engine,
    open_database,
    resolve_database_url,
    upgrade,
)
from db.models import Base
from tests.paths import REPO_ROOT


def test_default_url_is_a_sqlite_file_in_the_user_data_dir(user_data_root: Path) -> None:
    url = default_database_url()
    directory = user_data_root / "clinic-gym-kiosk"
    assert url == f"sqlite:///{directory / 'kiosk.sqlite3'}"
    assert not directory.exists()  # naming it makes nothing (an error message may name it)
    open_database(url).dispose()  # a first start makes it, without being asked
    assert (directory / "kiosk.sqlite3").is_file()


def test_cli_url_wins_over_environment_and_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_DATABASE_URL", "sqlite:////env.sqlite3")
    assert resolve_database_url("sqlite:////cli.sqlite3") == "sqlite:////cli.sqlite3"


def test_environment_wins_over_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_DATABASE_URL", "postgresql://kiosk@server/clinic")
    assert resolve_database_url(None) == "postgresql://kiosk@server/clinic"


def test_default_when_nothing_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_DATABASE_URL", "  ")
    assert resolve_database_url(None) == default_database_url()
    assert resolve_database_url("") == default_database_url()


def test_a_new_file_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "kiosk.sqlite3"
    engine = open_database(f"sqlite:///{path}", create=True)
    try:
        assert path.exists()
        assert current_revision(engine) == db.connection.SCHEMA_REVISION
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_pragmas_are_in_force_on_every_connection(engine: Engine) -> None:
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == db.connection.SQLITE_BUSY_TIMEOUT_MS


@pytest.mark.sqlite_only
def test_deletes_are_secure_even_where_the_sqlite_build_leaves_them_not(db_url: str) -> None:
    engine = make_engine(db_url)

    def as_built_without_it(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA secure_delete=OFF")  # before the kiosk's own settings

    event.listen(engine, "connect", as_built_without_it, insert=True)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        engine.dispose()


def test_an_up_to_date_database_opens_without_migrating(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_url, create=True).dispose()

    def must_not_run(*_args: object) -> None:
        raise AssertionError("upgrade() ran on an up-to-date database")

    monkeypatch.setattr(db.connection, "upgrade", must_not_run)
    open_database(db_url).dispose()


def test_a_database_made_by_create_all_is_stamped(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        engine.dispose()
        engine = open_database(db_url)
        assert current_revision(engine) == db.connection.SCHEMA_REVISION
    finally:
        engine.dispose()


def test_a_database_newer_than_this_kiosk_is_refused(db_url: str) -> None:
    engine = open_database(db_url, create=True)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(DatabaseSchemaError, match="9999"):
            open_database(db_url)
    finally:
        engine.dispose()


def test_upgrade_needs_no_alembic_ini_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        assert current_revision(engine) == db.connection.SCHEMA_REVISION
    finally:
        engine.dispose()


def test_importing_the_database_layer_pulls_in_neither_qt_nor_alembic() -> None:
    code = (
        "import sys, db.connection, db.demo, db.repositories.sessions, db.repositories.patients\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'alembic'))\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    assert result.stdout.strip() == "[]"


def test_kiosks_starting_together_on_a_new_file_take_turns(db_url: str) -> None:
    kiosks = 4
    barrier = threading.Barrier(kiosks)
    errors: list[BaseException] = []
    engines: list[Engine] = []

    def start() -> None:
        barrier.wait()
        try:
            engines.append(open_database(db_url, create=True))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(kiosks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert [current_revision(e) for e in engines] == [db.connection.SCHEMA_REVISION] * kiosks
    finally:
        for engine in engines:
            engine.dispose()
