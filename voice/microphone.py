"""The microphone, through SDL (pygame's ``_sdl2.audio``): no new dependency, no new library.

SDL calls back on its own audio thread with each captured chunk; :class:`MicrophoneSource`
queues the chunks for the listener's thread. A microphone that stops calling back (unplugged,
taken by another program) raises :class:`voice.listening.SourceLostError` after :data:`SILENT_S`:
the kiosk then goes on by touch. Nothing is written anywhere.

Two things pygame's ``AudioDevice`` does not do, done here through SDL itself (``ctypes``):

* **The default microphone.** pygame wants a device name (``None`` is refused), so "the
  system's default" is asked of SDL (``SDL_GetDefaultAudioInfo``), else the first microphone
  SDL lists.
* **Closing without a deadlock.** pygame's ``pause``/``close`` call SDL holding Python's GIL,
  and SDL runs the capture callback holding the device's lock, where pygame's callback waits
  for the GIL: a close at that instant waits for the callback, which waits for the close. The
  device is therefore paused first through ``ctypes``, which lets go of the GIL while SDL
  waits for the callback to finish; paused, SDL calls back no more, and pygame's close is safe.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import queue
from typing import Any

from voice.device_clock import sdl_library
from voice.listening import SourceLostError
from voice.recogniser import RATE

log = logging.getLogger(__name__)

#: No sound at all from the device for this long: it has gone.
SILENT_S = 2.0
CHUNK_FRAMES = 512


class NoMicrophoneError(RuntimeError):
    """There is no microphone, or the one named cannot be opened."""


def _sdl_audio() -> Any:
    from voice.output import sdl_environment

    sdl_environment()
    import pygame
    from pygame._sdl2 import audio

    if not pygame.mixer.get_init():
        pygame.init()  # the audio subsystem (the voice normally opened it already)
    return audio


def microphones() -> list[str]:
    """The capture devices SDL can see (names, as staff choose them); [] when none or no SDL."""
    try:
        audio = _sdl_audio()
        return [str(name) for name in audio.get_audio_device_names(True)]
    except Exception as error:  # no audio subsystem at all
        log.debug("voice control: no capture devices (%s)", error)
        return []


def default_microphone(names: list[str]) -> str:
    """The name of the system's default microphone (SDL 2.24+ knows it on PulseAudio and
    PipeWire), else the first of ``names``."""
    try:
        sdl = sdl_library()
        name = ctypes.c_void_p()
        spec = (ctypes.c_uint8 * 64)()  # an SDL_AudioSpec (32 bytes), with room to spare
        if sdl.SDL_GetDefaultAudioInfo(ctypes.byref(name), spec, 1) == 0 and name.value:
            try:
                found = ctypes.string_at(name.value).decode("utf-8", "replace")
            finally:
                sdl.SDL_free(name)
            if found in names:
                return found
    except (OSError, AttributeError, RuntimeError) as error:  # an older SDL, no library
        log.debug("voice control: SDL does not say which microphone is the default (%s)", error)
    return names[0]


class MicrophoneSource:
    """16 kHz 16-bit mono from ``name`` (None: the system's default microphone)."""

    def __init__(self, name: str | None = None, *, silent_s: float = SILENT_S) -> None:
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=200)
        self._silent_s = silent_s
        try:
            audio = _sdl_audio()
            names = [str(found) for found in audio.get_audio_device_names(True)]
            if not names:
                raise NoMicrophoneError("no microphone found")
            self._device = audio.AudioDevice(
                devicename=name if name is not None else default_microphone(names),
                iscapture=True,
                frequency=RATE,
                audioformat=audio.AUDIO_S16,
                numchannels=1,
                chunksize=CHUNK_FRAMES,
                allowed_changes=0,
                callback=self._on_chunk,
            )
        except NoMicrophoneError:
            raise
        except Exception as error:
            raise NoMicrophoneError(f"the microphone did not open ({error})") from error
        self._device.pause(0)

    def _on_chunk(self, _device: object, data: memoryview) -> None:
        with contextlib.suppress(queue.Full):  # the listener is behind: drop, never block SDL
            self._chunks.put_nowait(bytes(data))

    def read(self) -> bytes | None:
        try:
            chunk = self._chunks.get(timeout=self._silent_s)
        except queue.Empty:
            silent = f"no sound from the microphone for {self._silent_s:.0f} s"
            raise SourceLostError(silent) from None
        return chunk

    def close(self) -> None:
        try:
            sdl_library().SDL_PauseAudioDevice(int(self._device.deviceid), 1)  # without the GIL
        except Exception as error:  # no library to call: pygame's own pause, as before
            log.debug("voice control: pausing the microphone through pygame (%s)", error)
            with contextlib.suppress(Exception):
                self._device.pause(1)
        with contextlib.suppress(Exception):  # already gone with the device
            self._device.close()
        self._chunks.put(None)
