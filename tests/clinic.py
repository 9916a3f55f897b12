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

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices

TODAY = date(2026, 3, 2)
WALL_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# The demo patients' check-in codes (db/demo.py).
ANN = "551937"  # clamshell, 1 set × 3 reps each side, 5 s rest
TOM = "716254"  # standing program, three exercises
MARIA = "482913"  # side-lying program


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
