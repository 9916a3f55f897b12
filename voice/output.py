"""Audio output: pygame.mixer, initialised once per process, a speech channel and a tone channel.

Playing is the only thing done at a cue's moment, and it is cheap: every sound is decoded into
the mixer's format beforehand (speech by the renderer's thread, tones at start-up), so
``Channel.play`` only hands SDL a buffer it already has. The sound starts with the mixer's next
buffer: 512 frames at 44.1 kHz, at most 11.6 ms later.

Without a sound device ``pygame.mixer.init`` raises ``pygame.error``; :func:`open_output` then
returns a :class:`NullOutput` (``available`` False) and the player shows captions and flashes
on tones instead. ``pygame`` is imported here only, and only when an output is opened, so the
kiosk's first frame never waits for it.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.timeline import Tone
from voice.device_clock import DeviceClock, DeviceClockError
from voice.tones import render_tone

log = logging.getLogger(__name__)

FREQUENCY = 44100
BUFFER_FRAMES = 512
SPEECH_CHANNEL = 0
TONE_CHANNEL = 1


class Clip(Protocol):
    """A sound ready to play (a ``pygame.mixer.Sound``, or a test's stand-in)."""

    def get_length(self) -> float: ...


class AudioOutput(Protocol):
    @property
    def available(self) -> bool: ...

    def load(self, path: Path) -> Clip | None:
        """Decode a WAV into the output's format; called on the renderer's thread."""
        ...

    def play_speech(self, clip: Clip) -> None:
        """Start ``clip`` on the speech channel, cutting whatever it was saying."""
        ...

    def play_tone(self, tone: Tone) -> None: ...

    def stop_speech(self) -> None: ...

    def stop(self) -> None:
        """Silence both channels."""
        ...

    def speech_busy(self) -> bool: ...

    def set_volume(self, volume: float) -> None: ...

    @property
    def device_clock(self) -> DeviceClock | None:
        """The device's own clock (frames it took), if it can be read: the session's time
        base (docs/voice.md, "One clock")."""
        ...


class NullOutput:
    """No sound device: nothing plays; the player shows captions and flashes instead."""

    available = False
    device_clock = None

    def __init__(self, reason: str = "no sound device") -> None:
        self.reason = reason

    def load(self, path: Path) -> Clip | None:
        return None

    def play_speech(self, clip: Clip) -> None:
        pass

    def play_tone(self, tone: Tone) -> None:
        pass

    def stop_speech(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def speech_busy(self) -> bool:
        return False

    def set_volume(self, volume: float) -> None:
        pass


class MixerOutput:
    """pygame.mixer with two reserved channels. Build it with :func:`open_output`."""

    def __init__(self, mixer: Any, *, buffer_frames: int = BUFFER_FRAMES) -> None:
        self._mixer = mixer
        self.closed = False  # set by close_output(): the mixer is gone, calls do nothing
        init = mixer.get_init()
        assert init is not None
        self.frequency, _size, self.channels = init
        self.device_clock: DeviceClock | None = DeviceClock(
            frequency=self.frequency, channels=self.channels, buffer_frames=buffer_frames
        )
        try:
            self.device_clock.install()
        except DeviceClockError as error:
            log.warning("voice: the sound device's clock cannot be read (%s); "
                        "the session keeps the monotonic clock", error)  # fmt: skip
            self.device_clock = None
        mixer.set_num_channels(max(2, mixer.get_num_channels()))
        mixer.set_reserved(2)  # never handed out by Sound.play(): they are ours
        self._speech = mixer.Channel(SPEECH_CHANNEL)
        self._tone = mixer.Channel(TONE_CHANNEL)
        self._tones = {
            tone: mixer.Sound(buffer=render_tone(tone, self.frequency, self.channels).samples)
            for tone in Tone
        }

    @property
    def available(self) -> bool:
        return not self.closed

    def load(self, path: Path) -> Clip | None:
        if self.closed:
            return None
        clip: Clip = self._mixer.Sound(file=str(path))
        return clip

    def play_speech(self, clip: Clip) -> None:
        if not self.closed:
            self._speech.play(clip)

    def play_tone(self, tone: Tone) -> None:
        if not self.closed:
            self._tone.play(self._tones[tone])

    def stop_speech(self) -> None:
        if not self.closed:
            self._speech.stop()

    def stop(self) -> None:
        if not self.closed:
            self._speech.stop()
            self._tone.stop()

    def speech_busy(self) -> bool:
        return not self.closed and bool(self._speech.get_busy())

    def set_volume(self, volume: float) -> None:
        if self.closed:
            return
        volume = min(1.0, max(0.0, volume))
        self._speech.set_volume(volume)
        self._tone.set_volume(volume)


_lock = threading.Lock()
_shared: MixerOutput | None = None


def sdl_environment() -> None:
    """Before pygame loads: no banner on stdout, and no SDL signal handlers. SDL would turn
    SIGTERM and SIGINT into an SDL quit event that nobody reads, so ``kill`` (and a service
    manager's stop) would do nothing; the kiosk handles those signals itself."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")


def preload() -> bool:
    """Import pygame (about 80 ms) on the calling thread; False if it is not installed.

    The kiosk calls this on its Qt thread after the first frame, before building the voice on
    a background thread: pygame's package import racing other imports on another thread was
    seen to fail with a ``_DeadlockError`` from the import system.
    """
    sdl_environment()
    try:
        import pygame
        import pygame.mixer  # noqa: F401
    except ImportError:
        return False
    return True


def open_output(*, frequency: int = FREQUENCY, buffer_frames: int = BUFFER_FRAMES) -> AudioOutput:
    """The process's mixer output, initialised on the first call and shared after it.

    Returns a :class:`NullOutput` when there is no sound device (the reason is logged once per
    call, which the kiosk makes once).
    """
    global _shared
    with _lock:
        if _shared is not None:
            return _shared
        sdl_environment()
        try:
            import pygame
            import pygame.mixer
        except ImportError as error:
            log.warning("voice: pygame is missing (%s); captions and flashes instead of sound",
                        error)  # fmt: skip
            return NullOutput(str(error))
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(
                    frequency=frequency,
                    size=-16,
                    channels=2,
                    buffer=buffer_frames,
                    allowedchanges=0,
                )
            _shared = MixerOutput(pygame.mixer, buffer_frames=buffer_frames)
        except pygame.error as error:
            log.warning("voice: no sound device (%s); captions and flashes instead of sound",
                        error)  # fmt: skip
            return NullOutput(str(error))
        return _shared


def close_output() -> None:
    """Quit the mixer (the end of a process that recorded with the disk driver: SDL flushes
    and closes the file). The next :func:`open_output` initialises it again."""
    global _shared
    with _lock:
        if _shared is None:
            return
        _shared.stop()
        _shared.closed = True
        device_clock = _shared.device_clock
        _shared = None
        import pygame.mixer

        pygame.mixer.quit()  # the hook stays until the audio thread has stopped: every buffer
        if device_clock is not None:  # counts
            device_clock.uninstall()
