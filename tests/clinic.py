"""The clinic most tests run against: the demo database, a fake clock and the demo patients.

A pytest plugin (``pytest_plugins`` in tests/conftest.py). ``services`` is a real SQLite file
in tmp_path with the demo patients, programmed for :data:`TODAY`; ``clock`` is a
:class:`FakeClock` the tests advance, and ``wall_clock`` the date and time it stands for,
starting at :data:`WALL_START`. Nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

import db.connection
from kiosk.core.clock import FakeClock
from kiosk.patient import writer as writer_module
from kiosk.services import KioskServices

TODAY = date(2026, 3, 2)
WALL_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# The demo patients' check-in codes (db/demo.py).
ANN = "551937"  # clamshell, 1 set × 3 reps each side, 5 s rest
TOM = "716254"  # standing program, three exercises
MARIA = "482913"  # side-lying program

#: How long a test waits for the session writer (it normally takes milliseconds).
WRITE_WAIT_S = 10.0


@pytest.fixture
def services(tmp_path: Path) -> Iterator[KioskServices]:
    db_url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    services = KioskServices.open(db_url, create=True, demo_data=True, today=lambda: TODAY)
    yield services
    services.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=1000.0)


@pytest.fixture
def wall_clock(clock: FakeClock) -> Callable[[], datetime]:
    def now() -> datetime:
        return WALL_START + timedelta(seconds=clock() - 1000.0)

    return now


def saved(services: KioskServices | None) -> Engine:
    """The database, once the writer has written everything it was given: it writes off the Qt
    thread, so a test that reads what a tap recorded waits for it first."""
    assert services is not None
    assert services.writer.wait_idle(WRITE_WAIT_S), services.writer.status()
    return services.database


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked database answers in 0.1 s and the writer tries again within 0.3 s."""
    monkeypatch.setattr(db.connection, "SQLITE_BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(writer_module, "RETRY_FIRST_S", 0.05)
    monkeypatch.setattr(writer_module, "RETRY_MAX_S", 0.3)
