"""Databases for tests: real ones, migrated by the real migrations, on SQLite and PostgreSQL.

A pytest plugin (``pytest_plugins`` in tests/conftest.py), so every test folder can ask for
``engine`` or ``db_url``: a SQLite file in tmp_path. tests/db/conftest.py also runs each of
its own tests on a throwaway PostgreSQL server (tests/db/postgres_server.py), the server several
kiosks share: there ``engine`` is one database migrated once per run and emptied after each test
(``TRUNCATE ... RESTART IDENTITY``, so ids start at 1 as in a new file), while a test that asks
for ``db_url`` alone gets a new empty database of its own, as on SQLite.

No test touches the user's data directory: platformdirs is pointed into tmp_path and
KIOSK_DATABASE_URL is removed for every test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db.connection import open_database
from tests.db.postgres_server import PostgresServer, SharedDatabase, unavailable_reason

_fresh_names = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: a database test about SQLite itself, not run on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "postgres: runs on the throwaway PostgreSQL server (tests/db/conftest.py)"
    )


@pytest.fixture(autouse=True)
def user_data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real home directory and the real database URL."""
    data_root = tmp_path / "user-data"

    def fake_user_data_dir(appname: str | None = None, *_args: object, **_kwargs: object) -> str:
        return str(data_root / (appname or ""))

    monkeypatch.setattr(platformdirs, "user_data_dir", fake_user_data_dir)
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    return data_root


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster for the whole run (about 0.5 s to make and start)."""
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with PostgresServer.start() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_shared(postgres_server: PostgresServer) -> Iterator[SharedDatabase]:
    shared = SharedDatabase(postgres_server)
    yield shared
    shared.close()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    elif "engine" in request.fixturenames:
        # The shared database; ``postgres_engine`` empties it after the test.
        yield request.getfixturevalue("postgres_shared").url
    else:
        yield request.getfixturevalue("postgres_fresh_url")


@pytest.fixture
def postgres_fresh_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A new, empty PostgreSQL database of this test's own, dropped after it."""
    name = f"fresh_{next(_fresh_names)}"
    yield postgres_server.create_database(name)
    postgres_server.drop_database(name)


@pytest.fixture
def engine(request: pytest.FixtureRequest, db_url: str) -> Iterator[Engine]:
    if make_url(db_url).get_backend_name() == "postgresql":
        yield request.getfixturevalue("postgres_engine")
        return
    engine = open_database(db_url, create=True)  # a new file in tmp_path
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_shared: SharedDatabase) -> Iterator[Engine]:
    """The shared PostgreSQL database's engine, emptied after the test (also for tests about
    the server itself, in test_postgres.py)."""
    assert postgres_shared.engine is not None
    yield postgres_shared.engine
    postgres_shared.empty()
