from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.idle import IdlePolicy, IdleSettings, IdleState
from kiosk.core.lockout import (
    ANSWER_FLOOR_S,
    CALM_S,
    MAX_PAUSE_S,
    CheckInGuard,
    LockoutSettings,
    LockoutState,
    answer_wait_s,
    fingerprint,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
FIVE = LockoutSettings(max_failures=5, window_s=86400, pause_s=60)


def after(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def wrong(state: LockoutState, at: datetime, *codes: str) -> LockoutState:
    for code in codes:
        state = state.record_wrong(at, fingerprint(KEY, code), FIVE)
    return state


KEY = b"k" * 32
CODES = [f"{900_000 + n:06d}" for n in range(40)]


def test_five_different_wrong_codes_pause_check_in() -> None:
    state = wrong(LockoutState(), T0, *CODES[:4])
    assert not state.is_paused(T0)
    assert len(state.counted(T0, FIVE)) == 4
    state = wrong(state, T0, CODES[4])
    assert state.seconds_left(T0) == pytest.approx(60)
    assert (state.pauses, state.paused_after, state.wrong) == (1, 5, ())
    assert state.describe_pause(FIVE) == (
        "5 wrong codes within 86400 s; paused for 60 s (pause 1 in a row)"
    )
    assert wrong(state, after(30), CODES[5]) == state  # nothing counted during a pause
    assert not state.is_paused(after(60))


def test_the_same_wrong_code_again_is_not_counted_again() -> None:
    state = wrong(LockoutState(), T0, *([CODES[0]] * 20), " 900000 ")
    assert not state.is_paused(T0)
    assert len(state.counted(T0, FIVE)) == 1  # a patient who misremembers is never paused


def test_wrong_codes_older_than_the_window_are_not_counted() -> None:
    state = wrong(LockoutState(), T0, *CODES[:4])
    state = wrong(state, after(86400), CODES[4])
    assert not state.is_paused(after(86400))
    assert len(state.counted(after(86400), FIVE)) == 1


def test_pauses_double_up_to_a_day_and_each_calm_day_takes_a_step_off() -> None:
    state, at, lengths = LockoutState(), T0, []
    for n in range(14):
        state = wrong(state, at, *CODES[n * 2 : n * 2 + 5])
        lengths.append(state.seconds_left(at))
        at += timedelta(seconds=state.seconds_left(at))
    assert lengths[:4] == [60, 120, 240, 480]
    assert lengths[-2:] == [MAX_PAUSE_S, MAX_PAUSE_S] == [86400, 86400]
    assert state.pauses_in_a_row(at) == 14
    assert state.pauses_in_a_row(at + timedelta(seconds=CALM_S * 3)) == 11
    assert state.pauses_in_a_row(at + timedelta(seconds=CALM_S * 30)) == 0


def test_staff_reopening_ends_the_pause_and_the_next_is_a_first_one() -> None:
    state = LockoutState()
    for n in range(3):
        state = wrong(state, after(n * 10_000), *CODES[n * 5 : n * 5 + 5])
    assert state.pauses == 3
    at = after(20_100)
    state = state.reopened(at)
    assert not state.is_paused(at)
    state = wrong(state, at, *CODES[20:25])
    assert state.seconds_left(at) == pytest.approx(60)


@pytest.mark.parametrize(
    "bad",
    [
        {"max_failures": 2},
        {"max_failures": 11},
        {"window_s": 3600},
        {"window_s": 8 * 86400},
        {"pause_s": 5},
        {"pause_s": 7200},
    ],
)
def test_settings_out_of_bounds_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="invalid lockout"):
        LockoutSettings(**bad)  # type: ignore[arg-type]


def test_fingerprints_match_for_the_same_code_and_never_contain_it() -> None:
    first = fingerprint(KEY, "482913")
    assert first == fingerprint(KEY, " 482913 ")
    assert first != fingerprint(KEY, "482914")
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert "482913" not in first
    assert fingerprint(b"another key" * 3, "482913") != first  # no lookup table without it


def test_the_answer_waits_for_the_floor_and_no_longer() -> None:
    assert answer_wait_s(100.0, 100.0) == pytest.approx(ANSWER_FLOOR_S)
    assert answer_wait_s(100.0, 100.25) == pytest.approx(ANSWER_FLOOR_S - 0.25)
    assert answer_wait_s(100.0, 105.0) == 0.0  # a slow lookup is not made slower


def test_the_memory_backstop_runs_the_same_rule() -> None:
    now = [T0]
    guard = CheckInGuard(lambda: now[0], FIVE)
    marks = {guard.record_wrong(code) for code in CODES[:5]}
    assert len(marks) == 5
    assert guard.seconds_left() == pytest.approx(60)
    guard.reopen()
    assert guard.seconds_left() == 0


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
