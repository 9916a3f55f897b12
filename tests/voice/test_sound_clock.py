"""One clock: the device's buffer count (DeviceClock) and the session's clock (SoundClock),
on fake time: the device's pace is set by the buffers it takes, not by the wall clock."""

from __future__ import annotations

import pytest

from kiosk.core.clock import FakeClock
from voice.device_clock import STALL_S, DeviceClock
from voice.sound_clock import SoundClock

RATE = 44100
BUFFER = 512
BUFFER_S = BUFFER / RATE


class Buffers:
    """The device's count of buffers taken (what the C hook's semaphore holds)."""

    def __init__(self) -> None:
        self.taken = 0

    def __call__(self) -> int:
        return self.taken


class Device(DeviceClock):
    def __init__(self, now: FakeClock) -> None:
        self.buffers = Buffers()
        super().__init__(
            frequency=RATE, channels=2, buffer_frames=BUFFER, now=now, count=self.buffers
        )

    def on_buffer(self) -> None:
        """The device takes a buffer; the kiosk reads its clock straight after (as the
        engine does on every frame)."""
        self.buffers.taken += 1
        self()


def device(now: FakeClock) -> Device:
    return Device(now)


def test_the_device_clock_counts_frames_taken_not_time_passed() -> None:
    now = FakeClock(0.0)
    clock = device(now)
    assert clock() == 0.0
    assert not clock.running()
    clock.on_buffer()
    clock.on_buffer()
    assert clock.frames() == 2 * BUFFER
    # Within the current buffer it moves on with time, but never past its end: a device that takes
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
    dev.on_buffer()
    start = clock()
    for _ in range(1000):
        wall.advance(BUFFER_S / 1.01)
        dev.on_buffer()
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
    dev.on_buffer()
    assert clock() == pytest.approx(52.0)  # ...nor when it starts taking sound
    wall.advance(BUFFER_S)
    dev.on_buffer()
    assert clock() == pytest.approx(52.0 + BUFFER_S)
    assert clock.following_device()
    # The server stalls: the session goes on at the monotonic clock's pace, never freezes.
    stalled_at = clock()
    wall.advance(STALL_S + 1.0)
    assert clock() == pytest.approx(stalled_at + STALL_S + 1.0, abs=BUFFER_S)
    assert not clock.following_device()
    # It comes back: the device's pace again, from where the clock was.
    resumed_at = clock()
    dev.on_buffer()
    assert clock() == pytest.approx(resumed_at, abs=1e-9)
    wall.advance(BUFFER_S / 2)
    assert clock() == pytest.approx(resumed_at + BUFFER_S / 2)
    assert clock.following_device()


def test_the_clock_never_goes_backwards() -> None:
    wall = FakeClock(10.0)
    dev = device(wall)
    clock = SoundClock(wall)
    clock.attach(dev)
    dev.on_buffer()
    wall.advance(BUFFER_S * 0.9)
    ahead = clock()
    dev.on_buffer()  # the next buffer came "early": interpolation restarts
    assert clock() >= ahead
    clock.attach(None)
    assert clock() >= ahead
    assert not clock.following_device()


def test_between_buffers_the_clock_is_estimated_from_its_readings_to_within_a_millisecond() -> None:
    """The hook records no times: the clock bounds where the device is from when its readings
    saw the count. A device 500 ppm fast whose buffers leave with up to 3 ms of jitter, read
    at 60 Hz out of phase with them: after the first second, every reading is within 1 ms of
    the sound the device had really taken (and never ahead of it by more than that)."""
    import random

    wall = FakeClock(0.0)
    dev = device(wall)
    random.seed(7)
    pace = 1.0005
    leaves = [k * BUFFER_S / pace + random.uniform(0.0, 0.003) for k in range(1, 6000)]
    errors = []
    read_at = 0.0005
    k = 0
    while read_at < leaves[-1]:
        while k < len(leaves) and leaves[k] <= read_at:
            k += 1
        dev.buffers.taken = k
        wall.advance(read_at - wall())
        value = dev()
        if read_at > 1.0:
            # the truth: the buffers taken, plus the time since the last one left, at the
            # device's pace (at most one buffer)
            since = read_at - leaves[k - 1]
            truth = (k - 1) * BUFFER_S + min(BUFFER_S, since * pace)
            errors.append(value - truth)
        read_at += 1 / 60
    assert len(errors) > 3000
    assert max(abs(e) for e in errors) < 0.001 + 0.003  # the jitter of when buffers leave
    assert sorted(abs(e) for e in errors)[len(errors) // 2] < 0.001


def test_a_stalled_device_holds_the_clock_at_the_sound_it_took() -> None:
    wall = FakeClock(0.0)
    dev = device(wall)
    for _ in range(100):
        wall.advance(BUFFER_S)
        dev.on_buffer()
    wall.advance(30.0)  # far past the window: the old readings still bound it
    assert dev() == pytest.approx(100 * BUFFER_S, abs=1e-9)
    assert not dev.running()
    wall.advance(BUFFER_S)
    dev.on_buffer()  # it comes back: counting again from what it took
    assert dev() == pytest.approx(100 * BUFFER_S, abs=1e-9)
    assert dev.running()


def test_the_c_counter_counts_posts_and_moves_to_a_fresh_semaphore_before_it_fills(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hook's semaphore (glibc's, for real) counts one per buffer; before it reaches
    INT_MAX the counter moves the hook to a fresh one and keeps counting from the old total.
    SDL_mixer's Mix_SetPostMix is the edge of the world here: a stand-in records the moves."""
    import ctypes

    import pygame.mixer  # noqa: F401  (loads SDL_mixer, whose hook the counter would set)

    import voice.device_clock as device_clock

    monkeypatch.setattr(device_clock, "REBASE_AT", 4)
    counter = device_clock.PostMixCounter()
    hooks: list[int | None] = []

    class Mixer:
        def Mix_SetPostMix(self, function: object, semaphore: int | None) -> None:
            hooks.append(semaphore)

    counter._mixer = Mixer()  # type: ignore[assignment]
    counter.install()
    libc = ctypes.CDLL(None)

    def buffers(n: int) -> None:  # what SDL's audio thread does: sem_post on the hooked one
        for _ in range(n):
            assert libc.sem_post(ctypes.c_void_p(hooks[-1])) == 0

    buffers(3)
    assert counter() == 3
    buffers(2)
    assert counter() == 5  # at the threshold: moved to a fresh semaphore...
    assert len(hooks) == 2
    assert hooks[1] != hooks[0]
    buffers(3)
    assert counter() == 8  # ...and the total goes on
    counter.uninstall()
    assert hooks[-1] is None


def test_the_device_time_of_a_reading_is_known_only_while_the_clock_follows_the_device() -> None:
    now = FakeClock(50.0)
    clock = SoundClock(now)
    assert clock.device_time(clock()) is None  # on the monotonic clock: nothing to place on
    dev = device(now)
    clock.attach(dev)
    for _ in range(5):
        now.advance(BUFFER_S)
        dev.on_buffer()
    reading = clock()
    assert clock.following_device()
    # A moment 0.1 s after this reading is 0.1 s after the device's own time now.
    device_time = clock.device_time(reading + 0.1)
    assert device_time == pytest.approx(dev() + 0.1, abs=1e-9)
    now.advance(1.0)  # the device stops taking sound: the clock leaves it
    clock()
    assert clock.device_time(clock()) is None


def test_an_installed_clock_reads_its_count_by_itself_until_uninstalled() -> None:
    """Read only now and then (a rehearsal asleep until its next cue), the estimate between
    buffers lags the device; so the clock reads its count every few milliseconds on a thread
    of its own, and stops when uninstalled."""
    import threading

    calls = 0
    read_often = threading.Event()

    def count() -> int:
        nonlocal calls
        calls += 1
        if calls >= 5:
            read_often.set()
        return calls

    clock = DeviceClock(frequency=RATE, channels=2, buffer_frames=BUFFER, count=count)
    clock.follow(every_s=0.001)
    assert read_often.wait(10)  # nobody else read it
    follower = clock._follower
    assert follower is not None
    clock.uninstall()
    assert not follower.is_alive()  # joined
