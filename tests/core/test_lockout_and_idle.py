from __future__ import annotations

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.idle import IdlePolicy, IdleSettings, IdleState
from kiosk.core.lockout import CheckInGuard, LockoutSettings


def test_ten_wrong_codes_in_five_minutes_lock_check_in_for_a_minute() -> None:
    clock = FakeClock()
    guard = CheckInGuard(clock)
    for n in range(9):
        guard.record_failure(f"00000{n}")
        clock.advance(20)
    assert not guard.is_locked
    guard.record_failure("999999")
    assert guard.locked_for_s() == pytest.approx(60)
    clock.advance(59.5)
    assert guard.is_locked
    clock.advance(0.5)
    assert not guard.is_locked
    assert guard.recent_failures() == 0  # a fresh start after the pause


def test_wrong_codes_spread_over_more_than_the_window_do_not_lock() -> None:
    clock = FakeClock()
    guard = CheckInGuard(clock)
    for _ in range(30):
        guard.record_failure("123")
        clock.advance(34)  # the 10th comes 306 s after the 1st, outside the window
    assert not guard.is_locked


def test_fingerprints_match_for_the_same_code_and_never_contain_it() -> None:
    guard = CheckInGuard(FakeClock())
    first = guard.record_failure("482913")
    assert first == guard.record_failure(" 482913 ")
    assert first != guard.record_failure("482914")
    assert "482913" not in first
    # Another kiosk process (another key) cannot reproduce it: no lookup table works.
    assert CheckInGuard(FakeClock()).fingerprint("482913") != first


def test_settings_come_from_configuration() -> None:
    clock = FakeClock()
    guard = CheckInGuard(clock, LockoutSettings(max_failures=3, window_s=60, pause_s=10))
    for _ in range(3):
        guard.record_failure("1")
    assert guard.locked_for_s() == pytest.approx(10)
    with pytest.raises(ValueError, match="invalid lockout"):
        LockoutSettings(max_failures=0)


def test_idle_warns_then_expires_and_a_touch_resets() -> None:
    clock = FakeClock()
    idle = IdlePolicy(clock)
    assert idle.state() is IdleState.ACTIVE
    assert idle.next_deadline() == pytest.approx(clock() + 90)
    clock.advance(90)
    assert idle.state() is IdleState.WARNING
    assert idle.seconds_to_respond() == pytest.approx(20)
    clock.advance(10)
    idle.touched()
    assert idle.state() is IdleState.ACTIVE
    clock.advance(110)
    assert idle.state() is IdleState.EXPIRED
    assert idle.next_deadline() is None


def test_idle_is_suspended_while_a_session_timer_runs() -> None:
    clock = FakeClock()
    idle = IdlePolicy(clock, IdleSettings(warn_after_s=30, respond_within_s=20))
    idle.suspend()
    clock.advance(3600)
    assert idle.state() is IdleState.SUSPENDED
    assert idle.next_deadline() is None
    idle.resume()
    assert idle.state() is IdleState.ACTIVE
    clock.advance(30)
    assert idle.state() is IdleState.WARNING


def test_the_response_time_is_never_under_twenty_seconds() -> None:
    with pytest.raises(ValueError, match="respond_within_s >= 20"):
        IdleSettings(respond_within_s=10)
