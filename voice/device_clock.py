"""The sound device's clock: seconds of sound the device has taken from the mixer.

A sound device keeps its own time, not ``CLOCK_MONOTONIC``'s: measured on a PulseAudio null
sink, the server took about 340 ppm more than 44 100 frames per monotonic second while the
kiosk's stream played (docs/voice.md, "One clock"), so cues started at monotonic moments were
played later and later in the server's time (+20 ms a minute). The sound that is heard keeps
the device's pace. So the session runs on the device's pace instead:
:class:`DeviceClock` counts the frames SDL_mixer hands to the driver (its post-mix hook runs
once per buffer on SDL's audio thread) and interpolates within the current buffer;
:class:`voice.sound_clock.SoundClock` makes that the engine's clock.

Linux only: the hook is found through ``/proc/self/maps``, so it is the very SDL_mixer that
pygame loaded.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from pathlib import Path

_POSTMIX = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_int)

#: Without a buffer from the device for this long, the device is taken to have stopped.
STALL_S = 0.25


class DeviceClockError(RuntimeError):
    """The device's clock cannot be read here (SDL_mixer not loaded, not Linux...)."""


def mixer_library() -> str:
    """The path of the SDL_mixer library loaded in this process (pygame's own copy)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError as error:
        raise DeviceClockError(f"cannot find the loaded SDL_mixer: {error}") from None
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) >= 6 and "libSDL2_mixer" in fields[5]:
            return fields[5]
    raise DeviceClockError("SDL_mixer is not loaded (import pygame.mixer first)")


class DeviceClock:
    """Frames taken by the device, counted once per mixer buffer (see the module's text).

    ``on_buffer(bytes)`` is the hook's body; :meth:`install` connects it to SDL_mixer.
    ``now`` is the interpolation's clock (``time.perf_counter``; a test's fake).
    """

    def __init__(
        self,
        *,
        frequency: int,
        channels: int,
        buffer_frames: int,
        now: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.frequency = frequency
        self.channels = channels
        self.buffer_frames = buffer_frames
        self._now = now
        self._lock = threading.Lock()
        self._frames = 0
        self._anchor: tuple[float, int] | None = None  # (now, frame) when the last buffer came
        self._last = 0.0
        self._callback = _POSTMIX(self._on_postmix)
        self._library: ctypes.CDLL | None = None

    def install(self) -> None:
        """Count from now on (the mixer must be open)."""
        self._library = ctypes.CDLL(mixer_library())
        self._library.Mix_SetPostMix(self._callback, None)

    def uninstall(self) -> None:
        if self._library is not None:
            self._library.Mix_SetPostMix(None, None)
            self._library = None

    def _on_postmix(self, _udata: int | None, _stream: object, length: int) -> None:
        self.on_buffer(length)

    def on_buffer(self, length_bytes: int) -> None:
        """A buffer of ``length_bytes`` (s16 samples) is leaving for the device."""
        now = self._now()
        with self._lock:
            self._anchor = (now, self._frames)
            self._frames += length_bytes // (2 * self.channels)

    def frames(self) -> int:
        with self._lock:
            return self._frames

    def running(self) -> bool:
        """The device took a buffer within :data:`STALL_S`."""
        with self._lock:
            anchor = self._anchor
        return anchor is not None and self._now() - anchor[0] <= STALL_S

    def __call__(self) -> float:
        """Seconds of sound the device has taken; never goes backwards."""
        now = self._now()
        with self._lock:
            anchor = self._anchor
        if anchor is None:
            value = 0.0
        else:
            since, frame = anchor
            within = min(self.buffer_frames, max(0.0, now - since) * self.frequency)
            value = (frame + within) / self.frequency
        value = max(value, self._last)
        self._last = value
        return value
