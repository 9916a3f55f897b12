"""Database fixtures: a real SQLite file in tmp_path, migrated by the real migrations.

The user's data directory is never touched: platformdirs is pointed into tmp_path and
KIOSK_DATABASE_URL is removed for every test here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest
from sqlalchemy import Engine

from db.engine import open_database


@pytest.fixture(autouse=True)
def user_data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real home directory and the real database URL."""
    data_root = tmp_path / "user-data"

    def fake_user_data_dir(appname: str | None = None, *_args: object, **_kwargs: object) -> str:
        return str(data_root / (appname or ""))

    monkeypatch.setattr(platformdirs, "user_data_dir", fake_user_data_dir)
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    return data_root


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_database(db_url)
    yield engine
    engine.dispose()
