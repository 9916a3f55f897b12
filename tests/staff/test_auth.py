"""Entering staff mode: PIN, back-off, idle lock, quit, audit — a fake clock, a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from db.repositories.audit import Action, entries
from db.repositories.settings import SettingsRepository
from db.repositories.staff import StaffRepository
from kiosk.core.clock import FakeClock
from kiosk.core.pin import ScryptParams
from kiosk.staff.auth import LoginOutcome, StaffGate

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
