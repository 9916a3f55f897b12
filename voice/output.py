"""Audio output: pygame.mixer, initialised once per process, speech channels and tone channels.

Playing is the only thing done at a cue's moment, and it is cheap: every sound is decoded into
the mixer's format beforehand (speech by the renderer's thread, tones at start-up), so
``Channel.play`` only hands SDL a buffer it already has. A sound played now starts with the
mixer's next buffer: 512 frames at 48 kHz, at most 10.7 ms later, and on a server that takes
sound in larger bursts (PipeWire's 1024-frame quantum) up to a burst later.

**Placed on the sample.** A cue known a little ahead (the engine's CueAhead) is *placed*
instead: handed to the mixer before its moment with exactly as much silence in front as puts
its first sound on the device frame of its moment (:meth:`MixerOutput.place_speech`). The
device clock counts the mixer's buffers, so the frame the next buffer starts at is known; if a
buffer is mixed between reading that and handing the sound over, the sound is handed over
again with the padding recomputed (only silence has played). Placed speech goes on the spare
speech channel, so the speech playing now is not cut before the moment; at the moment
(:meth:`MixerOutput.commit_speech`) the placed one becomes current and the other stops.

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

FREQUENCY = 48000
BUFFER_FRAMES = 512
SPEECH_CHANNEL = 0
TONE_CHANNEL = 1
SPARE_SPEECH_CHANNEL = 2
SPARE_TONE_CHANNEL = 3
RESERVED_CHANNELS = 4
#: Padding longer than this means the clocks disagree (a stalled device): play now instead.
MAX_PLACE_AHEAD_S = 0.5
#: Tries at placing a sound while buffers are mixed under us (each try is microseconds).
PLACE_TRIES = 3


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

    def place_speech(self, clip: Clip, device_s: float) -> bool:
        """Hand ``clip`` over now to start at ``device_s`` of the device clock, on the spare
        speech channel; False if it cannot be placed (no device clock, too late): play it at
        the moment instead."""
        ...

    def commit_speech(self) -> None:
        """The placed speech's moment: it is the speech now, and what played before stops."""
        ...

    def place_tone(self, tone: Tone, device_s: float) -> bool: ...

    def stop_speech(self) -> None: ...

    def stop_tones(self) -> None: ...

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

    def place_speech(self, clip: Clip, device_s: float) -> bool:
        return False

    def commit_speech(self) -> None:
        pass

    def place_tone(self, tone: Tone, device_s: float) -> bool:
        return False

    def stop_speech(self) -> None:
        pass

    def stop_tones(self) -> None:
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
        mixer.set_num_channels(max(RESERVED_CHANNELS, mixer.get_num_channels()))
        mixer.set_reserved(RESERVED_CHANNELS)  # never handed out by Sound.play(): ours
        self._speech = mixer.Channel(SPEECH_CHANNEL)
        self._spare_speech = mixer.Channel(SPARE_SPEECH_CHANNEL)
        self._tone = mixer.Channel(TONE_CHANNEL)
        self._spare_tone = mixer.Channel(SPARE_TONE_CHANNEL)
        self._frame_bytes = 2 * self.channels  # 16-bit samples
        self._tone_samples = {
            tone: bytes(render_tone(tone, self.frequency, self.channels).samples) for tone in Tone
        }
        self._tones = {tone: mixer.Sound(buffer=raw) for tone, raw in self._tone_samples.items()}
        #: How long the sound server holds a frame before its sink plays it (measured by
        #: :func:`voice.output_latency.calibrate`; 0 until then): placed sounds leave the
        #: mixer that much before their moment, so they are heard on it.
        self.output_latency_s = 0.0

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
            self._spare_speech.stop()
            self._speech.play(clip)

    def play_tone(self, tone: Tone) -> None:
        if not self.closed:
            self._tone.play(self._tones[tone])

    def place_speech(self, clip: Clip, device_s: float) -> bool:
        if self.closed:
            return False
        raw = getattr(clip, "get_raw", None)
        if raw is None:
            return False
        return self._place(self._spare_speech, raw(), device_s)

    def commit_speech(self) -> None:
        if not self.closed:
            self._speech.stop()
            self._speech, self._spare_speech = self._spare_speech, self._speech

    def place_tone(self, tone: Tone, device_s: float) -> bool:
        if self.closed:
            return False
        # Alternate the two tone channels: a tone placed ahead does not cut the one sounding.
        self._tone, self._spare_tone = self._spare_tone, self._tone
        return self._place(self._tone, self._tone_samples[tone], device_s)

    def place_probe(self, samples: bytes, device_s: float, *, heard: bool = False) -> bool:
        """Play ``samples`` (the mixer's format) leaving the mixer exactly on ``device_s`` (or,
        with ``heard``, heard then, as a cue is) on a channel of their own at full volume: the
        latency probe's (:mod:`voice.output_latency`)."""
        if self.closed:
            return False
        channel = self._mixer.find_channel(True)
        channel.set_volume(1.0)
        return self._place(channel, samples, device_s, heard=heard)

    def _place(self, channel: Any, samples: bytes, device_s: float, *, heard: bool = True) -> bool:
        """Play ``samples`` on ``channel`` behind silence that puts them on ``device_s``: heard
        then (the server's latency earlier), or, with ``heard`` False, leaving the mixer then."""
        clock = self.device_clock
        if clock is None or not clock.running():
            return False
        if heard:
            device_s -= self.output_latency_s
        target = round(device_s * self.frequency)
        for _ in range(PLACE_TRIES):
            start = clock.frames()  # where the mixer's next buffer begins
            pad = target - start
            if pad < 0 or pad > MAX_PLACE_AHEAD_S * self.frequency:
                return False
            channel.play(self._mixer.Sound(buffer=bytes(pad * self._frame_bytes) + samples))
            if clock.frames() == start:
                return True
        return True  # buffers kept coming (a stalling device): as near as it gets

    def stop_speech(self) -> None:
        if not self.closed:
            self._speech.stop()
            self._spare_speech.stop()

    def stop_tones(self) -> None:
        if not self.closed:
            self._tone.stop()
            self._spare_tone.stop()

    def stop(self) -> None:
        if not self.closed:
            for channel in (self._speech, self._spare_speech, self._tone, self._spare_tone):
                channel.stop()

    def speech_busy(self) -> bool:
        return not self.closed and bool(self._speech.get_busy() or self._spare_speech.get_busy())

    def set_volume(self, volume: float) -> None:
        if self.closed:
            return
        volume = min(1.0, max(0.0, volume))
        for channel in (self._speech, self._spare_speech, self._tone, self._spare_tone):
            channel.set_volume(volume)


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
