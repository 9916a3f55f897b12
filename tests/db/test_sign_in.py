"""Staff sign-in's lock in the audit log: 20 wrong PINs within a day lock PIN sign-in for
every kiosk on the database, across restarts, until someone unlocks it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from db.connection import open_database
from db.repositories.audit import Action, audit, entries
from db.repositories.sign_in import SignInLog
from db.repositories.staff import StaffRepository
from kiosk.core.pin import ScryptParams
from kiosk.core.sign_in_lock import LOCK_AFTER_FAILURES, UNLOCK_TRIES

CHEAP = ScryptParams(log2_n=4, r=8, p=1)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _fail(log: SignInLog, times: int, now: datetime = NOW) -> None:
    for _ in range(times):
        log.record_failure(now)


def test_twenty_wrong_pins_lock_sign_in_for_every_kiosk_and_restart(
    engine: Engine, db_url: str
) -> None:
    first = SignInLog(engine)
    _fail(first, LOCK_AFTER_FAILURES - 1)
    assert not first.state(NOW).locked
    assert first.state(NOW).failures == LOCK_AFTER_FAILURES - 1
    state = first.record_failure(NOW + timedelta(minutes=1))
    assert state.locked
    assert state.locked_at == NOW + timedelta(minutes=1)
    (locked,) = entries(engine, actions=(Action.SIGN_IN_LOCKED,))
    assert locked.detail == "20 wrong PINs within 24 h"
    # Another kiosk on the same database (its own engine), or this one restarted.
    other = open_database(db_url)
    try:
        assert SignInLog(other).state(NOW + timedelta(days=3)).locked  # it does not expire
    finally:
        other.dispose()


def test_a_sign_in_does_not_reset_the_count_but_a_day_does(engine: Engine) -> None:
    log = SignInLog(engine)
    _fail(log, 10, NOW)
    audit(engine, "Anna", Action.LOGIN, at=NOW + timedelta(minutes=5))
    _fail(log, 9, NOW + timedelta(hours=1))
    assert log.state(NOW + timedelta(hours=1)).failures == 19  # the login did not forgive
    assert not log.record_failure(NOW + timedelta(days=1, seconds=1)).locked  # first 10 aged
    assert log.record_failure(NOW + timedelta(days=1, hours=1)).failures == 11


def test_an_unlock_starts_the_count_again_and_named_unlocks_are_few(engine: Engine) -> None:
    log = SignInLog(engine)
    assert log.unlock("cli:it", "from a shell", NOW) is None  # not locked: nothing written
    _fail(log, LOCK_AFTER_FAILURES)
    for tries_left in range(UNLOCK_TRIES - 1, -1, -1):
        state = log.record_unlock_failure("Anna", NOW)
        assert (state.locked, state.unlock_tries_left) == (True, tries_left)
    before = log.unlock("cli:it", "from a shell", NOW + timedelta(minutes=1))
    assert before is not None
    assert (before.failures, before.unlock_failures) == (LOCK_AFTER_FAILURES, UNLOCK_TRIES)
    after = log.state(NOW + timedelta(minutes=1))
    assert (after.locked, after.failures, after.unlock_tries_left) == (False, 0, UNLOCK_TRIES)
    (unlocked,) = entries(engine, actions=(Action.SIGN_IN_UNLOCKED,))
    assert (unlocked.actor, unlocked.detail) == ("cli:it", "from a shell")
    _fail(log, LOCK_AFTER_FAILURES - 1, NOW + timedelta(minutes=2))
    assert not log.state(NOW + timedelta(minutes=2)).locked
    assert log.record_failure(NOW + timedelta(minutes=2)).locked  # a fresh 20 lock again


def test_failed_attempts_since_a_staff_members_last_visit(engine: Engine) -> None:
    staff = StaffRepository(engine, CHEAP)
    anna = staff.add("Anna", "583920")
    ben = staff.add("Ben", "740261")
    log = SignInLog(engine)
    _fail(log, 3)
    assert log.failed_since_last_visit(anna.id) == 3  # never signed in: since added
    audit(engine, "Anna", Action.LOGIN, at=NOW)
    cleo = staff.add("Cleo", "318276")
    _fail(log, 2)
    log.record_unlock_failure("Ben", NOW)
    assert log.failed_since_last_visit(anna.id) == 3
    assert log.failed_since_last_visit(ben.id) == 6
    assert log.failed_since_last_visit(cleo.id) == 3
    assert log.failed_since_last_visit(999) == 0
