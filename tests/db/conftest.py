"""Every database test here runs twice: on a SQLite file in tmp_path, and on a throwaway
PostgreSQL server (tests/db/postgres_server.py). ``@pytest.mark.sqlite_only`` keeps a test about
SQLite itself (its pragmas) off PostgreSQL; ``-m "not postgres"`` runs SQLite only. Without the
server binaries the PostgreSQL runs skip, saying why. The fixtures are in tests/db/fixtures.py.
"""

from __future__ import annotations

import pytest


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses the database on both backends (see the module docstring)."""
    if "db_url" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    metafunc.parametrize(
        "db_url",
        [
            pytest.param("sqlite", id="sqlite"),
            pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
        ],
        indirect=True,
    )
