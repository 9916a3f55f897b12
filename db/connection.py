"""Where the database is, how to connect to it, and bringing its schema up to date.

SQLite connections run in WAL mode with ``synchronous=FULL``: a set logged the moment it ends
survives a power cut (NORMAL is about twice as fast but may lose the last commits), and WAL
lets the staff screens read while the kiosk writes. Alembic is imported only when a migration
is really needed, so a normal start-up pays one small query for the schema check.

A new SQLite database is made only when asked for (``open_database(url, create=True)``, the
``--create-db`` option) or at the default location, which a first start fills: a mistyped path
or an emptied file is refused rather than taken for a new, empty clinic. What goes wrong on
the way is told in one sentence (:mod:`db.problems`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from db.integrity import check_at_start
from db.problems import (
    DatabaseUnavailableError,
    Problem,
    check_sqlite_file,
    database_name,
    database_problem,
    not_a_url,
    sqlite_path,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session

APP_NAME = "clinic-gym-kiosk"
DATABASE_FILENAME = "kiosk.sqlite3"
DATABASE_URL_ENV = "KIOSK_DATABASE_URL"
# The newest revision in db/migrations/versions; a test keeps the two in step. Knowing it
# without loading Alembic lets an up-to-date database open with a single query.
SCHEMA_REVISION = "0010"
SQLITE_BUSY_TIMEOUT_MS = 5000
# Seconds to wait for a PostgreSQL server to answer a new connection (psycopg's
# connect_timeout; a ``connect_timeout`` in the URL wins): an unreachable server is reported in
# seconds, not after the operating system's TCP timeout of minutes.
POSTGRES_CONNECT_TIMEOUT_S = 5
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_log = logging.getLogger(__name__)


class DatabaseSchemaError(DatabaseUnavailableError):
    """The database cannot be brought to this version's schema (newer, or made by hand)."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence, Problem.SCHEMA)


def default_database_path() -> Path:
    """``kiosk.sqlite3`` in the user's data directory (nothing is created)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DATABASE_FILENAME


def default_database_url() -> str:
    """The default database's URL (nothing is created: :func:`open_database` makes its folder
    on a first start)."""
    return f"sqlite:///{default_database_path()}"


def resolve_database_url(cli_url: str | None) -> str:
    """The ``--db`` URL if given, else ``$KIOSK_DATABASE_URL``, else the default file."""
    if cli_url:
        return cli_url
    from_env = os.environ.get(DATABASE_URL_ENV, "").strip()
    if from_env:
        return from_env
    return default_database_url()


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN (below) instead of the sqlite3 module, which
    # only begins before DML: this makes DDL transactional, so a migration is all or nothing.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first: switching a new file to WAL needs a lock another kiosk's
        # connection may hold for a moment.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten rows are zeroed, not left in free space: an erased patient's
        # name must not stay readable in the file. Debian's SQLite has it on by default; other
        # builds (python.org's, most wheels') do not (docs/security.md, "Erasure").
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


# How long to wait between tries at switching a new file to WAL (below).
_WAL_RETRY_S = 0.01


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL, waiting up to the busy timeout if another kiosk holds it.

    WAL is a property of the file, so usually it is on already and this is one read. Switching
    a new file needs an exclusive lock, and SQLite answers "locked" at once, without its busy
    handler, when it sees that waiting could deadlock (another connection opening the same new
    file this instant): several kiosks starting together on a new file all get there. Trying
    again a moment later finds the switch made by whichever kiosk won.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode")
            if str(cursor.fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(_WAL_RETRY_S)


# Execution option for a transaction that will write after reading (migrations): take the
# write lock up front, so a second kiosk waits its turn instead of failing with "locked".
BEGIN_IMMEDIATE = "kiosk_begin_immediate"
# Any constants (visible in pg_locks as advisory locks with these ids): held while one kiosk
# migrates a shared server, and while one fills in what every new database starts with (see
# one_at_a_time).
PG_MIGRATION_LOCK = 0x6B696F736B
PG_FIRST_FILL_LOCK = PG_MIGRATION_LOCK + 1
# The driver the ``postgres`` extra installs (psycopg 3). SQLAlchemy 2.0 would pick psycopg2
# for a bare ``postgresql://`` URL, which nothing installs.
POSTGRES_DRIVER = "psycopg"
# SQLSTATE insufficient_privilege: since PostgreSQL 15 only the database's owner may create
# tables in its ``public`` schema by default.
_PG_INSUFFICIENT_PRIVILEGE = "42501"


def _on_sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(BEGIN_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def make_engine(url: str | URL) -> Engine:
    """An engine with the kiosk's connection settings (SQLite pragmas, or pre-ping).

    A bare ``postgresql://`` URL uses psycopg 3, the driver the ``postgres`` extra installs.
    ``hide_parameters``: a statement that fails is logged and raised without its values, so
    a patient's name or check-in code never reaches the log with it.
    """
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername=f"postgresql+{POSTGRES_DRIVER}")
    if not _is_sqlite(parsed):
        # A shared server may drop idle connections; test each one before use.
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
        return create_engine(
            parsed, pool_pre_ping=True, connect_args=connect_args, hide_parameters=True
        )
    engine = create_engine(parsed, hide_parameters=True)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def alembic_config() -> Config:
    """Alembic's configuration, built in code from the packaged migrations (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def _run_alembic(engine: Engine, run: Callable[[Config], None]) -> None:
    """Run an Alembic command on one connection of ``engine``, in one transaction.

    Kiosks starting together take turns: SQLite's write lock is taken at BEGIN, PostgreSQL's
    advisory lock before Alembic reads the current revision. On SQLite, foreign keys are
    switched off around it: batch migrations copy and drop whole tables, which would otherwise
    cascade or fail. They are checked again before switching on.
    """
    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            connection.execution_options(**{BEGIN_IMMEDIATE: True})
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
                config.attributes["connection"] = connection
                run(config)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseSchemaError(f"migration broke foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


@contextmanager
def one_at_a_time(engine: Engine) -> Iterator[Session]:
    """A session whose transaction waits for its turn before it reads anything.

    For "create it unless it exists" on a database several kiosks may open at the same moment
    (the demo data, the seed templates): each kiosk's check then sees what the one before it
    created, instead of all of them finding nothing, creating it, and all but one failing
    (a unique key on PostgreSQL; "database is locked" on SQLite, which cannot turn a reader
    into a writer once another connection has written). SQLite: ``BEGIN IMMEDIATE`` (waits up
    to the busy timeout); PostgreSQL: a transaction-level advisory lock, released by the
    commit or rollback. Commit inside the block; leaving it without a commit rolls back.
    """
    from sqlalchemy.orm import Session

    sqlite = engine.dialect.name == "sqlite"
    bind = engine.execution_options(**{BEGIN_IMMEDIATE: True}) if sqlite else engine
    with Session(bind) as session:
        if engine.dialect.name == "postgresql":
            session.execute(text(f"SELECT pg_advisory_xact_lock({PG_FIRST_FILL_LOCK})"))
        yield session


def _with_engine(engine_or_url: Engine | str, action: Callable[[Engine], None]) -> None:
    if isinstance(engine_or_url, Engine):
        action(engine_or_url)
        return
    engine = make_engine(engine_or_url)
    try:
        action(engine)
    finally:
        engine.dispose()


def upgrade(engine_or_url: Engine | str) -> None:
    """Migrate the database to the newest schema (a new database gets every table)."""
    from alembic import command
    from alembic.util import CommandError

    found: str | None = None  # the revision before, for the sentence of a user who may not

    def run(config: Config) -> None:
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            # Typically another kiosk on a shared server already runs a newer version.
            raise DatabaseSchemaError(
                f"its schema is not one this kiosk knows ({error}); it may belong to a newer "
                f"version of the kiosk: update this one"
            ) from error
        except ProgrammingError as error:
            if getattr(error.orig, "sqlstate", None) != _PG_INSUFFICIENT_PRIVILEGE:
                raise
            user = config.attributes["connection"].engine.url.username or "<kiosk user>"
            raise DatabaseSchemaError(_not_allowed_to_migrate(user, found)) from error

    def run_from(config: Config) -> None:
        nonlocal found
        found = _revision_on(config.attributes["connection"])
        run(config)

    _with_engine(engine_or_url, lambda engine: _run_alembic(engine, run_from))


def _revision_on(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    revisions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(revisions[0][0]) if len(revisions) == 1 else None


def _not_allowed_to_migrate(user: str, found: str | None) -> str:
    """Why a kiosk whose database user may only read and write rows (the least-privilege
    set-up of docs/security.md) cannot bring the schema up to date, and who can."""
    schema = (
        "it has no kiosk tables yet"
        if found is None
        else f"its schema is at revision {found}, older than this kiosk's {SCHEMA_REVISION}"
    )
    return (
        f"{schema}, and the database user {user} may not create or change tables: "
        f"the schema's owner must run `kiosk db upgrade --db <the owner's URL>` first "
        f"(docs/deployment.md, PostgreSQL); on a server with one user for everything, make "
        f"that user the database's owner"
    )


def downgrade(engine_or_url: Engine | str, revision: str = "base") -> None:
    """Migrate back to ``revision`` ("base": no tables). For tests and emergencies."""
    from alembic import command

    _with_engine(
        engine_or_url,
        lambda engine: _run_alembic(engine, lambda config: command.downgrade(config, revision)),
    )


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, or None if it was never migrated."""
    with engine.connect() as connection:
        return _revision_on(connection)


def _stamp_if_made_without_migrations(engine: Engine) -> bool:
    """Adopt a database whose tables were made by ``create_all`` if they match the models."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.models import Base

    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" in tables or not tables & set(Base.metadata.tables):
            return False
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    if diffs:
        raise DatabaseSchemaError(
            f"the database has kiosk tables but no migration history, and they differ from "
            f"this version's schema: {diffs[:5]}"
        )
    _run_alembic(engine, lambda config: command.stamp(config, "head"))
    return True


def open_database(url: str, *, create: bool = False, check: bool = True) -> Engine:
    """An engine on an up-to-date database: an old one is migrated, a new one filled in.

    A SQLite file that is missing (or its folder), or empty, is refused unless ``create`` is
    true or it is the default database (:func:`default_database_path`, made on a first start);
    with ``create`` its folders are made too. A PostgreSQL database is made by its server's
    administrator (docs/database.md), so ``create`` changes nothing there: an empty one gets
    the kiosk's tables. A database that cannot be opened or used raises
    :class:`~db.problems.DatabaseUnavailableError`, one sentence naming it and saying what to
    do, raised from the original error (:mod:`db.problems`). An already up-to-date database
    costs one query and no Alembic import.

    A SQLite file is checked whole first (``PRAGMA quick_check``, :mod:`db.integrity`), so a
    damaged one is refused before a session writes to it or a backup copies it. ``check=False``
    leaves that out for a caller that only reads (``kiosk report``): a damaged page it reaches
    fails with SQLite's own "malformed", which :mod:`db.problems` tells as damage all the same.
    Only an up-to-date file goes unchecked: one that needs migrating (or adopting, or filling
    in) is checked first, as ever. docs/database.md says which commands check.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise not_a_url(url) from error
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path, create=create or path == default_database_path())
    engine: Engine | None = None
    try:
        engine = make_engine(parsed)
        if path is not None and (check or current_revision(engine) != SCHEMA_REVISION):
            check_at_start(engine, path)  # a damaged file is refused, not migrated or used
        _start(engine)
    except Exception as error:
        if engine is not None:
            engine.dispose()
        if isinstance(error, DatabaseSchemaError):
            raise DatabaseSchemaError(
                f"The database {database_name(url)} cannot be used: {error}."
            ) from error
        problem = database_problem(error, url)
        if problem is None or problem is error:
            raise
        raise problem from error
    return engine


def _start(engine: Engine) -> None:
    """Bring the database up to date, trying again if another kiosk holds it that instant."""
    for attempt in range(_START_ATTEMPTS):
        try:
            _bring_up_to_date(engine)
            return
        except OperationalError as error:
            # SQLite answers "locked" without waiting in a few lock-upgrade cases (another
            # kiosk migrating the same new file this instant); the next look finds it done.
            if "locked" not in str(error) or attempt == _START_ATTEMPTS - 1:
                raise
            _log.warning("database busy at start-up, trying again: %s", error)


_START_ATTEMPTS = 3


def _bring_up_to_date(engine: Engine) -> None:
    if current_revision(engine) != SCHEMA_REVISION and not _stamp_if_made_without_migrations(
        engine
    ):
        upgrade(engine)
