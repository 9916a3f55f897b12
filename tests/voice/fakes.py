"""Stand-ins for the voice's edges: a synthesizer that writes a short sine WAV (milliseconds,
deterministic), backends that fail, and an output that records what it would have played.

Real espeak-ng and the real pyttsx3 worker are used where a test is about them; these are for
everything else.
"""

from __future__ import annotations

import math
import threading
from array import array
from pathlib import Path

from kiosk.core.timeline import Tone
from voice.output import Clip
from voice.synth import SynthesisError
from voice.wav import Pcm, write_wav


def sine_pcm(
    seconds: float = 0.2, *, rate: int = 22050, hz: float = 440.0, lead_s: float = 0.0
) -> Pcm:
    samples = array("h", [0] * int(lead_s * rate))
    samples.extend(
        int(8000 * math.sin(2 * math.pi * hz * i / rate)) for i in range(int(seconds * rate))
    )
    samples.extend([0] * int(0.05 * rate))
    return Pcm(rate, 1, samples)


class FakeSynth:
    """Writes a short sine WAV for any text; counts what it rendered."""

    def __init__(self, name: str = "fake") -> None:
        self.name = name
        self.rendered: list[tuple[str, int]] = []
        self.voices: list[tuple[str, str | None]] = []  # each text with the voice asked for
        self._lock = threading.Lock()

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        with self._lock:
            self.rendered.append((text, rate))
            self.voices.append((text, voice))
        write_wav(path, sine_pcm(lead_s=0.05))

    def close(self) -> None:
        pass


class FailingSynth:
    """A backend that is missing or crashes: every render raises."""

    def __init__(self, name: str = "broken", message: str = "not installed") -> None:
        self.name = name
        self.message = message
        self.calls = 0

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        self.calls += 1
        raise SynthesisError(f"{self.name}: {self.message}")

    def close(self) -> None:
        pass


class EmptyFileSynth:
    """A backend that "succeeds" but leaves an empty file behind."""

    name = "empty"

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        path.write_bytes(b"")

    def close(self) -> None:
        pass


class FakeClip:
    def __init__(self, path: Path | None = None, seconds: float = 0.5) -> None:
        self.path = path
        self.seconds = seconds

    def get_length(self) -> float:
        return self.seconds


class FakeOutput:
    """Records what would have been played; speech is "busy" until told otherwise."""

    device_clock = None  # no device: the session keeps the monotonic clock

    def __init__(self, *, available: bool = True, places: bool = False) -> None:
        self.available = available
        self.places = places  # place_* succeed (a device clock to place sounds on)
        self.events: list[tuple[str, object]] = []
        self.busy = False
        self.volume: float | None = None

    def load(self, path: Path) -> Clip | None:
        return FakeClip(path)

    def play_speech(self, clip: Clip) -> None:
        self.events.append(("speech", clip))

    def play_tone(self, tone: Tone) -> None:
        self.events.append(("tone", tone))

    def place_speech(self, clip: Clip, device_s: float) -> bool:
        if not self.places:
            return False
        self.events.append(("place_speech", (clip, device_s)))
        return True

    def commit_speech(self) -> None:
        self.events.append(("commit_speech", None))

    def place_tone(self, tone: Tone, device_s: float) -> bool:
        if not self.places:
            return False
        self.events.append(("place_tone", (tone, device_s)))
        return True

    def stop_speech(self) -> None:
        self.events.append(("stop_speech", None))
        self.busy = False

    def stop_tones(self) -> None:
        self.events.append(("stop_tones", None))

    def stop(self) -> None:
        self.events.append(("stop", None))

    def speech_busy(self) -> bool:
        return self.busy

    def set_volume(self, volume: float) -> None:
        self.volume = volume

    def spoken(self) -> list[Path | None]:
        return [c.path for kind, c in self.events if kind == "speech" and isinstance(c, FakeClip)]

    def tones(self) -> list[object]:
        return [t for kind, t in self.events if kind == "tone"]
