"""The session's one clock: the sound device's pace, continuous with the monotonic clock.

The engine (and so the screen) and the voice keep one time base: what the sound device has
taken (:class:`voice.device_clock.DeviceClock`), not ``CLOCK_MONOTONIC``, which a device's own
clock does not follow exactly (docs/voice.md, "One clock"). Before the voice has opened the
device, and whenever the device stops taking sound (no device, a stalled server), the clock
goes on at the monotonic clock's pace, so a session never freezes and never jumps. No ctypes
here: the kiosk builds this clock before its first frame.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol


class DevicePace(Protocol):
    """What the clock reads of a device (a :class:`voice.device_clock.DeviceClock`)."""

    def running(self) -> bool: ...

    def __call__(self) -> float: ...


class SoundClock:
    """The session's clock: ``fallback`` (the monotonic clock) until a device is attached,
    then the device's pace, continuous with what it read before, and the fallback's pace again
    whenever the device stops taking sound. Never goes backwards."""

    def __init__(self, fallback: Callable[[], float]) -> None:
        self._fallback = fallback
        self._lock = threading.Lock()
        self._device: DevicePace | None = None
        self._following = False  # reading the device (else the fallback)
        self._offset = 0.0  # value - source reading, for whichever source is followed
        self._last: float | None = None  # the last value returned
        self._last_fallback = 0.0  # the fallback's reading then

    def attach(self, device: DevicePace | None) -> None:
        """Follow ``device`` from now on (None: the fallback again)."""
        with self._lock:
            self._device = device
            if self._following:
                self._following = False
                self._offset = self._last_value() - self._last_fallback

    def following_device(self) -> bool:
        with self._lock:
            return self._following

    def device_time(self, reading: float) -> float | None:
        """The device clock's time at ``reading`` of this clock, or None while this clock
        does not follow the device: where on the device's frames a moment falls, so a sound
        can be placed on it (:meth:`voice.output.AudioOutput.place_speech`)."""
        with self._lock:
            return reading - self._offset if self._following else None

    def _last_value(self) -> float:
        return self._last if self._last is not None else self._last_fallback

    def __call__(self) -> float:
        with self._lock:
            device = self._device
            fallback_now = self._fallback()
            if self._last is None:
                self._last_fallback = fallback_now
            if device is not None and device.running():
                reading = device()
                if not self._following:  # switch: go on from where the fallback is
                    self._offset = self._last_value() + fallback_now - self._last_fallback
                    self._offset -= reading
                    self._following = True
            else:
                if self._following:  # the device stopped: on at the fallback's pace from
                    self._following = False  # the last reading
                    self._offset = self._last_value() - self._last_fallback
                reading = fallback_now
            value = reading + self._offset
            if self._last is not None and value < self._last:
                value = self._last
            self._last = value
            self._last_fallback = fallback_now
            return value
