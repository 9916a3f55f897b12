"""The check-in lockout in the database: one count for every kiosk, kept across restarts.

Each test runs on SQLite and on the throwaway PostgreSQL server (tests/db/conftest.py). Two
"kiosks" are two engines on one database, as two kiosk processes are.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.connection import open_database
from db.models import CheckInWrongCodeRow
from db.repositories.audit import Action, entries
from db.repositories.checkin_lockout import CheckInLockoutStore
from kiosk.core.lockout import LockoutSettings
from tests.db.times import at
from tests.db.together import run_together

FIVE = LockoutSettings(max_failures=5, window_s=86400, pause_s=60)
CODES = [f"{900_000 + n:06d}" for n in range(60)]


@pytest.fixture
def two_kiosks(db_url: str) -> Iterator[tuple[Engine, Engine]]:
    first = open_database(db_url, create=True)
    second = open_database(db_url)
    yield first, second
    first.dispose()
    second.dispose()


def test_two_kiosks_count_together_and_both_pause(two_kiosks: tuple[Engine, Engine]) -> None:
    a, b = (CheckInLockoutStore(e) for e in two_kiosks)
    for n in range(4):
        (a if n % 2 else b).record_wrong(CODES[n], at(1, n), FIVE)
    assert not a.load().is_paused(at(2))
    counted = a.record_wrong(CODES[4], at(2), FIVE)
    assert counted.paused
    assert b.load().seconds_left(at(2, 30)) == pytest.approx(30)  # the other kiosk sees it
    assert b.load().paused_after == 5


def test_the_same_wrong_code_on_two_kiosks_is_one_code(two_kiosks: tuple[Engine, Engine]) -> None:
    a, b = (CheckInLockoutStore(e) for e in two_kiosks)
    first = a.record_wrong(CODES[0], at(1), FIVE)
    again = b.record_wrong(CODES[0], at(2), FIVE)
    assert first.fingerprint == again.fingerprint  # one key for the clinic
    assert len(b.load().wrong) == 1


def test_the_count_and_the_pause_survive_a_restart(db_url: str) -> None:
    engine = open_database(db_url, create=True)
    store = CheckInLockoutStore(engine)
    for n in range(5):
        store.record_wrong(CODES[n], at(1, n), FIVE)
    for n in range(5, 9):
        store.record_wrong(CODES[n], at(3, n), FIVE)  # after the 60 s pause: four counted
    engine.dispose()  # the kiosk stops

    engine = open_database(db_url)  # and starts again
    store = CheckInLockoutStore(engine)
    state = store.load()
    assert (state.pauses, len(state.wrong)) == (1, 4)
    counted = store.record_wrong(CODES[9], at(4), FIVE)
    assert counted.paused
    assert counted.state.seconds_left(at(4)) == pytest.approx(120)  # the second pause: twice
    engine.dispose()


def test_kiosks_counting_at_the_same_moment_lose_no_code(db_url: str) -> None:
    engines = [open_database(db_url, create=True)] + [open_database(db_url) for _ in range(3)]
    stores = iter([CheckInLockoutStore(e) for e in engines])
    codes = iter(CODES[:4])
    ten = LockoutSettings(max_failures=10, window_s=86400, pause_s=60)

    def kiosk() -> bool:
        return next(stores).record_wrong(next(codes), at(1), ten).paused

    # Each thread takes its store and code under the GIL before the database work starts.
    results, errors = run_together(4, kiosk)
    assert errors == []
    assert results == [False] * 4
    assert len(CheckInLockoutStore(engines[0]).load().wrong) == 4
    for engine in engines:
        engine.dispose()


def test_wrong_codes_and_pauses_are_audited_as_fingerprints(engine: Engine) -> None:
    store = CheckInLockoutStore(engine)
    for n in range(5):
        store.record_wrong(CODES[n], at(1, n), FIVE)
    failed = entries(engine, actions=(Action.CHECKIN_FAILED,))
    (paused,) = entries(engine, actions=(Action.CHECKIN_PAUSED,))
    assert len({e.detail for e in failed}) == 5
    assert {e.actor for e in (*failed, paused)} == {"kiosk"}
    assert paused.detail == "5 wrong codes within 86400 s; paused for 60 s (pause 1 in a row)"
    everything = " ".join(f"{e.detail}" for e in entries(engine))
    assert not [code for code in CODES if code in everything]


def test_staff_reopen_check_in_and_the_next_pause_is_a_first_one(engine: Engine) -> None:
    store = CheckInLockoutStore(engine)
    for round_ in range(3):
        for n in range(5):
            store.record_wrong(CODES[round_ * 5 + n], at(round_ * 10, n), FIVE)
    assert store.load().seconds_left(at(20, 4)) == pytest.approx(240)
    store.reopen("Anna", at(20, 4))
    assert not store.load().is_paused(at(20, 4))
    (reopened,) = entries(engine, actions=(Action.CHECKIN_REOPENED,))
    assert (reopened.actor, reopened.detail) == ("Anna", "5 wrong codes; 240 s of the pause left")
    for n in range(5):
        store.record_wrong(CODES[40 + n], at(21, n), FIVE)
    assert store.load().seconds_left(at(21, 4)) == pytest.approx(60)


def test_codes_that_left_the_window_leave_the_table(engine: Engine) -> None:
    store = CheckInLockoutStore(engine)
    for n in range(4):
        store.record_wrong(CODES[n], at(1, n), FIVE)
    store.record_wrong(CODES[4], at(1) + timedelta(days=1, minutes=1), FIVE)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CheckInWrongCodeRow)) == 1
