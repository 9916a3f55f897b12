"""One clock: the device's frame count (DeviceClock) and the session's clock (SoundClock),
on fake time: the device's pace is set by the buffers it takes, not by the wall clock."""

from __future__ import annotations

import pytest

from kiosk.core.clock import FakeClock
from voice.device_clock import STALL_S, DeviceClock
from voice.sound_clock import SoundClock

RATE = 44100
BUFFER = 512
BUFFER_BYTES = BUFFER * 4  # s16 stereo
BUFFER_S = BUFFER / RATE


def device(now: FakeClock) -> DeviceClock:
    return DeviceClock(frequency=RATE, channels=2, buffer_frames=BUFFER, now=now)


def test_the_device_clock_counts_frames_taken_not_time_passed() -> None:
    now = FakeClock(0.0)
    clock = device(now)
    assert clock() == 0.0
    assert not clock.running()
    clock.on_buffer(BUFFER_BYTES)
    clock.on_buffer(BUFFER_BYTES)
    assert clock.frames() == 2 * BUFFER
    # Within the current buffer it interpolates, but never past its end: a device that takes
    # no more sound does not advance however much time passes.
    now.advance(BUFFER_S / 2)
    assert clock() == pytest.approx((BUFFER + BUFFER / 2) / RATE)
    now.advance(10.0)
    assert clock() == pytest.approx(2 * BUFFER / RATE)
    assert not clock.running()


def test_a_fast_device_makes_the_session_run_at_its_pace() -> None:
    """A device taking 1 % more frames than the wall clock's second: the session's clock
    follows the frames (what will be heard), not the monotonic clock."""
    wall = FakeClock(100.0)
    dev = device(wall)
    clock = SoundClock(wall)
    clock.attach(dev)
    dev.on_buffer(BUFFER_BYTES)
    start = clock()
    for _ in range(1000):
        wall.advance(BUFFER_S / 1.01)
        dev.on_buffer(BUFFER_BYTES)
        clock()  # the engine reads it all the time
    frames_s = 1000 * BUFFER / RATE
    assert clock() - start == pytest.approx(frames_s, abs=BUFFER_S)
    assert wall() - 100.0 == pytest.approx(frames_s / 1.01)  # the wall clock is 1 % behind
    assert clock.following_device()


def test_the_clock_is_continuous_when_the_device_joins_and_when_it_stalls() -> None:
    wall = FakeClock(50.0)
    dev = device(wall)
    clock = SoundClock(wall)
    wall.advance(2.0)
    assert clock() == 52.0  # the monotonic clock until the voice has opened the device
    clock.attach(dev)
    assert clock() == 52.0  # no jump when the device is attached...
    dev.on_buffer(BUFFER_BYTES)
    assert clock() == pytest.approx(52.0)  # ...nor when it starts taking sound
    wall.advance(BUFFER_S)
    dev.on_buffer(BUFFER_BYTES)
    assert clock() == pytest.approx(52.0 + BUFFER_S)
    assert clock.following_device()
    # The server stalls: the session goes on at the monotonic clock's pace, never freezes.
    stalled_at = clock()
    wall.advance(STALL_S + 1.0)
    assert clock() == pytest.approx(stalled_at + STALL_S + 1.0, abs=BUFFER_S)
    assert not clock.following_device()
    # It comes back: the device's pace again, from where the clock was.
    resumed_at = clock()
    dev.on_buffer(BUFFER_BYTES)
    assert clock() == pytest.approx(resumed_at, abs=1e-9)
    wall.advance(BUFFER_S / 2)
    assert clock() == pytest.approx(resumed_at + BUFFER_S / 2)
    assert clock.following_device()


def test_the_clock_never_goes_backwards() -> None:
    wall = FakeClock(10.0)
    dev = device(wall)
    clock = SoundClock(wall)
    clock.attach(dev)
    dev.on_buffer(BUFFER_BYTES)
    wall.advance(BUFFER_S * 0.9)
    ahead = clock()
    dev.on_buffer(BUFFER_BYTES)  # the next buffer came "early": interpolation restarts
    assert clock() >= ahead
    clock.attach(None)
    assert clock() >= ahead
    assert not clock.following_device()
