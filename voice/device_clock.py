"""The sound device's clock: seconds of sound the device has taken from the mixer.

A sound device keeps its own time, not ``CLOCK_MONOTONIC``'s: measured on a PulseAudio null
sink, the server took about 340 ppm more than 44 100 frames per monotonic second while the
kiosk's stream played (docs/voice.md, "One clock"), so cues started at monotonic moments were
played later and later in the server's time (+20 ms a minute). The sound that is heard keeps
the device's pace. So the session runs on the device's pace instead: :class:`DeviceClock`
counts the buffers SDL_mixer hands to the driver and estimates, between two of them, where
the device is; :class:`voice.sound_clock.SoundClock` makes that the engine's clock.

**No Python on the audio thread.** SDL_mixer's post-mix hook runs once per buffer on SDL's
audio thread. A Python hook there (a ctypes callback) must take the GIL for every buffer, and
while another thread holds it (a long C call: a paint, a sort, a decode) the device is not fed:
measured with one Python thread sorting a list on a PulseAudio null sink, the device took
sound at 77 % of real time, every missing buffer an underrun that the server fills with
silence and the kiosk's count of frames cannot see, so the voice fell behind the screen in
steps. The hook is therefore C all the way: glibc's ``sem_post`` on a semaphore of ours
(:class:`PostMixCounter`; a post-mix hook is called ``hook(udata, stream, len)``, and
``sem_post(udata)`` ignores the other two), so a buffer costs the audio thread one atomic
increment. With it the same sorting thread leaves the device's pace at 1.000. The kiosk reads
the count (``sem_getvalue``) whenever it reads the clock.

Between two buffers the clock is estimated, not interpolated from a callback's timestamp
(the hook records none): every reading of the count at time ``t`` proves the device had taken
at least ``(count - 1)`` buffers' worth of sound by ``t``, so ``sound - t`` is at least
``(count - 1) * buffer - t``; the clock keeps the largest such bound over the last
:data:`WINDOW_S` (the device's pace differs from the monotonic clock's by parts per million,
so the bound stays true over a window) and never runs past the sound taken (``count *
buffer``). Read at the engine's pace (every frame), the estimate is within a millisecond of
when the buffers left.

Linux only: the hook is found through ``/proc/self/maps``, so it is the very SDL_mixer that
pygame loaded, and ``sem_post`` is glibc's.
"""

from __future__ import annotations

import ctypes
import functools
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

#: Without a buffer from the device for this long, the device is taken to have stopped.
STALL_S = 0.25
#: How far back the clock's readings bound where the device is (see the module's text).
WINDOW_S = 2.0
#: How often the installed clock reads the count by itself (:meth:`DeviceClock.follow`).
FOLLOW_S = 0.004
#: A semaphore counts to INT_MAX; well before, the counter moves to a fresh one (every
#: 2^30 buffers: about 133 days of sound at 512 frames and 48 kHz).
REBASE_AT = 1 << 30
#: glibc's sem_t is 32 bytes on 64-bit Linux; room for more, aligned to 8.
_SEM_WORDS = 8


class DeviceClockError(RuntimeError):
    """The device's clock cannot be read here (SDL_mixer not loaded, not Linux...)."""


class BufferCount(Protocol):
    """How many buffers the device has taken (a :class:`PostMixCounter`, or a test's)."""

    def __call__(self) -> int: ...


def loaded_library(prefix: str) -> str:
    """The path of the shared library loaded in this process whose file name starts with
    ``prefix`` (pygame's own copies: ``libSDL2_mixer``, ``libSDL2-2``)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError as error:
        raise DeviceClockError(f"cannot find the loaded {prefix}: {error}") from None
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) >= 6 and Path(fields[5]).name.startswith(prefix):
            return fields[5]
    raise DeviceClockError(f"{prefix} is not loaded (import pygame first)")


@functools.cache
def sdl_library() -> ctypes.CDLL:
    """pygame's own SDL (found through /proc/self/maps), the functions the voice calls typed
    once: the microphone's default and pause, the audio driver in use."""
    library = ctypes.CDLL(loaded_library("libSDL2-2"))
    library.SDL_PauseAudioDevice.argtypes = [ctypes.c_uint32, ctypes.c_int]
    library.SDL_PauseAudioDevice.restype = None
    library.SDL_GetDefaultAudioInfo.argtypes = [
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_void_p,
        ctypes.c_int,
    ]
    library.SDL_GetDefaultAudioInfo.restype = ctypes.c_int
    library.SDL_free.argtypes = [ctypes.c_void_p]
    library.SDL_free.restype = None
    library.SDL_GetCurrentAudioDriver.argtypes = []
    library.SDL_GetCurrentAudioDriver.restype = ctypes.c_char_p
    return library


def mixer_library() -> str:
    """The path of the SDL_mixer library loaded in this process (pygame's own copy)."""
    return loaded_library("libSDL2_mixer")


class PostMixCounter:
    """A count of the mixer's buffers kept by C alone: SDL_mixer's post-mix hook is glibc's
    ``sem_post`` on a semaphore of ours (see the module's text)."""

    def __init__(self) -> None:
        try:
            self._mixer = ctypes.CDLL(mixer_library())
            self._libc = ctypes.CDLL(None)  # the process's own symbols: glibc's sem_*
            self._post = ctypes.cast(self._libc.sem_post, ctypes.c_void_p)
        except (OSError, AttributeError) as error:
            raise DeviceClockError(f"cannot set a C post-mix hook: {error}") from None
        self._mixer.Mix_SetPostMix.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self._mixer.Mix_SetPostMix.restype = None
        self._libc.sem_getvalue.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        self._value = ctypes.c_int(0)
        self._lock = threading.Lock()
        self._base = 0
        self._semaphore = self._new_semaphore()
        self._installed = False

    def _new_semaphore(self) -> ctypes.Array[ctypes.c_uint64]:
        semaphore = (ctypes.c_uint64 * _SEM_WORDS)()
        if self._libc.sem_init(ctypes.byref(semaphore), 0, 0) != 0:
            raise DeviceClockError("sem_init failed")
        return semaphore

    def _read(self, semaphore: ctypes.Array[ctypes.c_uint64]) -> int:
        self._libc.sem_getvalue(ctypes.byref(semaphore), ctypes.byref(self._value))
        return self._value.value

    def install(self) -> None:
        """Count every buffer from now on (the mixer must be open)."""
        self._mixer.Mix_SetPostMix(self._post, ctypes.addressof(self._semaphore))
        self._installed = True

    def uninstall(self) -> None:
        """No hook any more (after the mixer's audio thread has stopped, every buffer counted);
        the count stays readable."""
        if self._installed:
            self._mixer.Mix_SetPostMix(None, None)
            self._installed = False

    def __call__(self) -> int:
        with self._lock:
            value = self._read(self._semaphore)
            if value >= REBASE_AT and self._installed:
                # Move the hook to a fresh semaphore (Mix_SetPostMix holds the audio lock, so
                # after it the old one is never posted again), then add up the old one.
                old = self._semaphore
                self._semaphore = self._new_semaphore()
                self.install()
                self._base += self._read(old)
                value = 0
            return self._base + value


class DeviceClock:
    """Seconds of sound the device has taken, from a count of its buffers (see the module's
    text). :meth:`install` counts the real mixer's buffers; a test passes its own ``count``.
    ``now`` is the estimate's clock (``time.perf_counter``; a test's fake)."""

    def __init__(
        self,
        *,
        frequency: int,
        channels: int,
        buffer_frames: int,
        now: Callable[[], float] = time.perf_counter,
        count: BufferCount | None = None,
    ) -> None:
        self.frequency = frequency
        self.channels = channels
        self.buffer_frames = buffer_frames
        self._buffer_s = buffer_frames / frequency
        self._now = now
        self._count: BufferCount | None = count
        self._counter: PostMixCounter | None = None
        self._lock = threading.Lock()
        self._seen = 0  # the count at the last reading
        self._changed_at: float | None = None  # when a reading first saw it change
        #: (time, bound) of recent readings, bounds decreasing: a sliding-window maximum of
        #: ``(count - 1) * buffer_s - time``, the least the device's offset can be.
        self._bounds: deque[tuple[float, float]] = deque()
        self._last = 0.0
        self._follower: threading.Thread | None = None
        self._stop = threading.Event()

    def install(self) -> None:
        """Count the mixer's buffers from now on (the mixer must be open), and keep reading
        the count (see :meth:`follow`)."""
        counter = PostMixCounter()
        counter.install()
        self._counter = counter
        self._count = counter
        self.follow()

    def follow(self, every_s: float = FOLLOW_S) -> None:
        """Read the count every ``every_s`` on a thread of its own, for as long as the clock
        is installed. Each reading bounds where the device is, so the estimate between
        buffers is as good as the readings are frequent: read only now and then (a rehearsal
        sleeping until its next cue, a kiosk between repaints), it lagged the device by up to
        a server's burst of buffers (7 ms on PulseAudio), and sounds placed on it were heard
        that much early. One reading costs microseconds."""
        if self._follower is not None:
            return

        def run() -> None:
            while not self._stop.wait(every_s):
                self()

        self._follower = threading.Thread(target=run, name="device-clock", daemon=True)
        self._follower.start()

    def uninstall(self) -> None:
        self._stop.set()
        if self._follower is not None:
            self._follower.join(1.0)
            self._follower = None
        if self._counter is not None:
            self._counter.uninstall()

    def _observe(self) -> tuple[float, int]:
        """Read the count now; returns (now, count). Called with the lock held."""
        now = self._now()
        count = self._count() if self._count is not None else 0
        if count != self._seen:
            if self._changed_at is None or now - self._changed_at > STALL_S:
                self._bounds.clear()  # after a stall the old bounds no longer hold
            self._seen = count
            self._changed_at = now
        if count > 0:
            bound = (count - 1) * self._buffer_s - now
            while self._bounds and self._bounds[-1][1] <= bound:
                self._bounds.pop()
            self._bounds.append((now, bound))
            # Older than the window before the last buffer (not before now: while the device
            # stalls, its last bounds still say how far it had got).
            assert self._changed_at is not None
            while self._changed_at - self._bounds[0][0] > WINDOW_S:
                self._bounds.popleft()
        return now, count

    def frames(self) -> int:
        """Frames the device has taken (whole buffers)."""
        with self._lock:
            return self._observe()[1] * self.buffer_frames

    def running(self) -> bool:
        """The device took a buffer within :data:`STALL_S`."""
        with self._lock:
            now, _count = self._observe()
            return self._changed_at is not None and now - self._changed_at <= STALL_S

    def __call__(self) -> float:
        """Seconds of sound the device has taken; never goes backwards."""
        with self._lock:
            now, count = self._observe()
            taken = count * self._buffer_s
            estimate = min(now + self._bounds[0][1], taken) if count else 0.0
            value = max(estimate, self._last)
            self._last = value
            return value
