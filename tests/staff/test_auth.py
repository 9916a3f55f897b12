"""Entering staff mode: PIN, back-off, idle lock, quit, audit — a fake clock, a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from db.repositories.audit import Action, entries
from db.repositories.settings import SettingsError, SettingsRepository
from db.repositories.sign_in import SignInLog
from db.repositories.staff import StaffRepository
from kiosk.core.clock import FakeClock
from kiosk.core.pin import STAFF_IDLE_MAX_S, ScryptParams
from kiosk.core.sign_in_lock import LOCK_AFTER_FAILURES, UNLOCK_TRIES
from kiosk.staff.auth import ACTIVE_CHECK_S, LoginOutcome, StaffGate

CHEAP = ScryptParams(log2_n=4, r=8, p=1)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def gate(engine: Engine, clock: FakeClock, now: datetime = NOW) -> StaffGate:
    return StaffGate(engine, clock, wall_clock=lambda: now, pin_params=CHEAP)


def test_no_staff_yet(engine: Engine, clock: FakeClock) -> None:
    g = gate(engine, clock)
    assert not g.has_staff()
    assert g.try_pin("583920").outcome is LoginOutcome.WRONG


def test_right_pin_opens_staff_mode_and_is_audited(engine: Engine, clock: FakeClock) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    assert g.has_staff()
    result = g.try_pin("583920")
    assert result.outcome is LoginOutcome.OK
    assert result.staff is not None
    assert g.current == result.staff
    assert entries(engine, actions=(Action.LOGIN,))[0].actor == "Anna"


def test_wrong_pins_back_off_exponentially(engine: Engine, clock: FakeClock) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    waits = []
    for _ in range(6):
        result = g.try_pin("000001")
        assert result.outcome is LoginOutcome.WRONG
        waits.append(result.wait_s)
        clock.advance(result.wait_s)
    assert waits == [0, 0, 0, 1, 2, 4]
    assert g.try_pin("583920").outcome is LoginOutcome.OK  # waited out: the right PIN works
    assert len(entries(engine, actions=(Action.PIN_FAILED,))) == 6


def test_pins_typed_during_the_wait_are_not_even_checked(engine: Engine, clock: FakeClock) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    for _ in range(4):
        g.try_pin("000001")
    result = g.try_pin("583920")
    assert result.outcome is LoginOutcome.WAIT
    assert result.wait_s == pytest.approx(1)
    assert g.current is None
    assert len(entries(engine, actions=(Action.PIN_FAILED,))) == 4


def test_back_off_survives_a_restart(engine: Engine, clock: FakeClock) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    for _ in range(6):
        g.try_pin("000001")
        clock.advance(60)
    restarted = gate(engine, FakeClock(), NOW + timedelta(seconds=1))
    assert restarted.throttle.failures == 6
    assert restarted.try_pin("583920").outcome is LoginOutcome.WAIT
    later = gate(engine, FakeClock(), NOW + timedelta(seconds=10))
    assert later.try_pin("583920").outcome is LoginOutcome.OK
    assert gate(engine, FakeClock()).throttle.failures == 0  # a login clears the count


def test_idle_lock_after_the_configured_time(engine: Engine, clock: FakeClock) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    SettingsRepository(engine).update("Anna", staff_idle_timeout_s=60)
    g = gate(engine, clock)
    g.try_pin("583920")
    clock.advance(59)
    g.touch()
    clock.advance(59)
    assert g.current is not None
    assert g.remaining_s() == pytest.approx(1)
    clock.advance(1)
    assert g.current is None
    assert g.remaining_s() == 0
    (locked,) = entries(engine, actions=(Action.LOCKED,))
    assert locked.detail == "idle for 60 s"


def test_quit_and_exports_only_from_staff_mode(engine: Engine, clock: FakeClock) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    assert g.request_quit() is False
    with pytest.raises(PermissionError):
        g.record(Action.EXPORT, "report")
    g.try_pin("583920")
    g.record(Action.EXPORT, "report 2025-03-01 to 2025-03-03")
    assert g.request_quit() is True
    g.lock()
    assert g.current is None
    actions = [e.action for e in entries(engine) if e.action != Action.STAFF_ADDED]
    assert actions == [Action.LOCKED, Action.QUIT, Action.EXPORT, Action.LOGIN]


def _guess_until_locked(g: StaffGate, clock: FakeClock) -> list[LoginOutcome]:
    outcomes = []
    for _ in range(LOCK_AFTER_FAILURES):
        result = g.try_pin("000001")
        outcomes.append(result.outcome)
        clock.advance(result.wait_s)
    return outcomes


def test_twenty_wrong_pins_lock_sign_in_even_for_the_right_pin(
    engine: Engine, clock: FakeClock
) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    outcomes = _guess_until_locked(g, clock)
    assert outcomes == [LoginOutcome.WRONG] * 19 + [LoginOutcome.LOCKED]
    clock.advance(3600)
    assert g.try_pin("583920").outcome is LoginOutcome.LOCKED
    assert g.current is None
    restarted = gate(engine, FakeClock(), NOW + timedelta(days=2))  # or another kiosk
    assert restarted.sign_in_state().locked
    assert restarted.try_pin("583920").outcome is LoginOutcome.LOCKED
    assert len(entries(engine, actions=(Action.PIN_FAILED,))) == 20  # locked: not checked


def test_a_named_unlock_with_ones_own_pin_opens_it_and_reports_the_guessing(
    engine: Engine, clock: FakeClock
) -> None:
    staff = StaffRepository(engine, CHEAP)
    anna = staff.add("Anna", "583920")
    g = gate(engine, clock)
    _guess_until_locked(g, clock)
    wrong = g.try_unlock(anna.id, "740261")
    assert (wrong.outcome, wrong.unlock_tries_left) == (LoginOutcome.WRONG, UNLOCK_TRIES - 1)
    result = g.try_unlock(anna.id, "583920")
    assert result.outcome is LoginOutcome.OK
    assert result.failed_since_last_visit == LOCK_AFTER_FAILURES + 1
    assert g.current == anna
    assert not g.sign_in_state().locked
    (unlocked,) = entries(engine, actions=(Action.SIGN_IN_UNLOCKED,))
    assert unlocked.actor == "Anna"
    g.lock()
    assert g.try_pin("583920").failed_since_last_visit == 0  # seen once, at the last visit


def test_named_unlocks_run_out_then_only_a_shell_or_a_signed_in_kiosk_can_unlock(
    engine: Engine, clock: FakeClock
) -> None:
    staff = StaffRepository(engine, CHEAP)
    anna = staff.add("Anna", "583920")
    ben = staff.add("Ben", "740261")
    elsewhere = gate(engine, FakeClock())  # Ben, signed in on another kiosk before the lock
    assert elsewhere.try_pin("740261").outcome is LoginOutcome.OK
    g = gate(engine, clock)
    _guess_until_locked(g, clock)
    for _ in range(UNLOCK_TRIES):
        g.try_unlock(anna.id, "000001")
    assert g.try_unlock(anna.id, "583920").outcome is LoginOutcome.LOCKED  # right, too late
    assert g.current is None
    before = elsewhere.unlock_sign_in()
    assert before is not None
    assert before.unlock_failures == UNLOCK_TRIES
    assert elsewhere.unlock_sign_in() is None  # already open
    assert g.try_pin("583920").outcome is LoginOutcome.OK
    (unlocked,) = entries(engine, actions=(Action.SIGN_IN_UNLOCKED,))
    assert (unlocked.actor, unlocked.detail) == (ben.name, "from staff mode")
    elsewhere.lock()
    with pytest.raises(PermissionError):
        elsewhere.unlock_sign_in()


def test_a_deactivated_staff_members_open_staff_mode_closes_at_the_next_touch(
    engine: Engine, clock: FakeClock
) -> None:
    staff = StaffRepository(engine, CHEAP)
    anna = staff.add("Anna", "583920")
    staff.add("Ben", "740261")
    g = gate(engine, clock)
    g.try_pin("583920")
    staff.deactivate(anna.id, actor="Ben")  # on another kiosk
    clock.advance(ACTIVE_CHECK_S)
    g.touch()
    assert g.current is None
    (locked,) = entries(engine, actions=(Action.LOCKED,))
    assert locked.detail == "the staff member was deactivated"
    assert g.try_pin("583920").outcome is LoginOutcome.WRONG


def test_the_staff_idle_time_is_capped_at_five_minutes(engine: Engine, clock: FakeClock) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    with pytest.raises(SettingsError, match=r"at most 300 s \(5 minutes\), got 301"):
        SettingsRepository(engine).update("Anna", staff_idle_timeout_s=301)
    with engine.begin() as connection:  # set to an hour before the cap existed
        connection.execute(
            text("INSERT INTO clinic_settings (key, value, updated_at) VALUES (:k, '3600', :t)"),
            {"k": "staff_idle_timeout_s", "t": NOW.replace(tzinfo=None)},
        )
    g = gate(engine, clock)
    assert g.idle.timeout_s == STAFF_IDLE_MAX_S
    g.try_pin("583920")
    clock.advance(STAFF_IDLE_MAX_S)
    assert g.current is None
    g.idle.timeout_s = 3600  # any other way in is capped too
    assert g.idle.timeout_s == STAFF_IDLE_MAX_S


def test_confirming_ones_own_pin_in_staff_mode_counts_wrong_ones(
    engine: Engine, clock: FakeClock
) -> None:
    staff = StaffRepository(engine, CHEAP)
    anna = staff.add("Anna", "583920")
    g = gate(engine, clock)
    g.try_pin("583920")
    assert g.confirm_pin(anna, "583920")
    assert not g.confirm_pin(anna, "740261")
    (failed,) = entries(engine, actions=(Action.PIN_FAILED,))
    assert failed.detail == "typed to confirm a change as Anna"
    for _ in range(LOCK_AFTER_FAILURES - 1):
        g.confirm_pin(anna, "740261")
    assert g.sign_in_state().locked
    assert not g.confirm_pin(anna, "583920")  # locked: not even her own is taken


def test_after_an_unlock_a_restarted_kiosk_does_not_make_staff_wait_out_the_back_off(
    engine: Engine, clock: FakeClock
) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    _guess_until_locked(gate(engine, clock), clock)
    SignInLog(engine).unlock("cli:it", "from a shell", NOW)
    restarted = gate(engine, FakeClock(), NOW + timedelta(seconds=1))
    assert restarted.throttle.failures == 0  # counted from the unlock, not the 20 before it
    assert restarted.try_pin("583920").outcome is LoginOutcome.OK


def test_the_named_unlock_is_no_way_around_the_back_off_once_unlocked(
    engine: Engine, clock: FakeClock
) -> None:
    anna = StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    for _ in range(4):  # the 4th earns a wait
        g.try_pin("000001")
    assert g.try_unlock(anna.id, "000002").outcome is LoginOutcome.WAIT  # not locked: try_pin
    assert len(entries(engine, actions=(Action.PIN_FAILED,))) == 4


def test_a_database_away_for_a_moment_does_not_throw_staff_out(
    engine: Engine, clock: FakeClock
) -> None:
    StaffRepository(engine, CHEAP).add("Anna", "583920")
    g = gate(engine, clock)
    g.try_pin("583920")
    clock.advance(ACTIVE_CHECK_S)
    with engine.begin() as connection:  # a real failing query: the table is not there
        connection.execute(text("ALTER TABLE staff_users RENAME TO staff_away"))
    try:
        g.touch()
        assert g.current is not None  # still signed in; asked again at a later touch
    finally:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE staff_away RENAME TO staff_users"))
    clock.advance(ACTIVE_CHECK_S)
    assert g.current is not None
