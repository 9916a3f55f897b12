"""The voice-command corpus, generated here rather than shipped (docs/voice.md).

Positives: every command phrase of the catalog spoken by several synthetic voices (the
natural Piper voice at three speeds when it is installed; espeak-ng variants at different
rates and pitches), clean, with synthetic room noise, and over the kiosk's own narration.
Negatives: the kiosk's narration of a whole program (both voices, with a room's echo), other
speech we wrote, counting aloud, and coughs and claps we synthesise. All 16 kHz mono floats
in full-scale units (±32768), made in a temporary folder and forgotten.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voice.listening import read_wav_16k

RATE = 16000

#: (voice, words a minute, pitch 0-99): espeak-ng's variants, far apart on purpose.
ESPEAK_VOICES = (
    ("en-us", 150, 50),
    ("en-us+f2", 140, 60),
    ("en-us+klatt4", 160, 40),
    ("en-gb-x-rp", 130, 45),
    ("en-us+m3", 175, 35),
)
PIPER_RATES = (130, 150, 170)

#: Other speech, as might be said near the mat (ours; no command phrase in it).
OTHER_SPEECH = (
    "Can you hand me the blue band please",
    "I think my knee feels better than last week",
    "Is the car park free on Sundays",
    "My daughter is picking me up at four",
    "That one was harder than I expected",
    "Hang on, my shoelace is undone",
    "Text me when you get home",
    "Where did I put my glasses",
    "Hurry up, we will miss the bus",
    "Post it through the letterbox",
    "I would like a cup of tea after this",
    "The physio said twice a day",
    "Lower your voice, people are working",
    "Do you know what time it is",
    "I had a good night's sleep",
    "Turn the heating up a bit",
)
COUNTING = (
    "one two three four five six seven eight nine ten",
    "eleven twelve thirteen fourteen fifteen",
)


@dataclass(frozen=True)
class Clip:
    text: str
    voice: str
    audio: np.ndarray  # float64, RATE, trimmed of leading and trailing silence


def trim(audio: np.ndarray, floor: float = 300.0) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > floor)
    return audio[loud[0] : loud[-1] + 1] if len(loud) else audio[:0]


def _load(path: Path) -> np.ndarray:
    return trim(np.frombuffer(read_wav_16k(path), dtype="<i2").astype(np.float64))


class Voices:
    """Renders text in every voice available here."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._count = 0
        self._piper: Any = None
        try:
            from voice.piper_backend import PiperSynthesizer

            self._piper = PiperSynthesizer()
            self._render_piper("ready", 150)
        except Exception:
            self._piper = None
        self.espeak = shutil.which("espeak-ng")

    @property
    def names(self) -> list[str]:
        names = [f"piper@{r}" for r in PIPER_RATES] if self._piper is not None else []
        return names + [f"{v}@{r}/p{p}" for v, r, p in ESPEAK_VOICES] if self.espeak else names

    def _path(self) -> Path:
        self._count += 1
        return self._folder / f"{self._count}.wav"

    def _render_piper(self, text: str, rate: int) -> np.ndarray:
        path = self._path()
        self._piper.render(text, path, voice=None, rate=rate)
        return _load(path)

    def _render_espeak(self, text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
        path = self._path()
        assert self.espeak is not None
        subprocess.run(
            [self.espeak, "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(path), text],
            check=True,
            capture_output=True,
        )
        return _load(path)

    def say(self, text: str, name: str) -> Clip:
        spec, _, pitch = name.partition("/p")
        voice, _, rate = spec.partition("@")
        if voice == "piper":
            audio = self._render_piper(text, int(rate))
        else:
            audio = self._render_espeak(text, voice, int(rate), int(pitch))
        return Clip(text, name, audio)

    def close(self) -> None:
        if self._piper is not None:
            self._piper.close()


@contextmanager
def voices() -> Iterator[Voices]:
    with tempfile.TemporaryDirectory(prefix="voice-corpus-") as folder:
        v = Voices(Path(folder))
        try:
            yield v
        finally:
            v.close()


def room_noise(n: int, rng: np.random.Generator, level_db: float = -50.0) -> np.ndarray:
    """``n`` samples of a room: brown-ish rumble, a little hiss and mains hum, at ``level_db``
    RMS (dBFS)."""
    rumble = np.cumsum(rng.standard_normal(n))
    rumble -= np.convolve(rumble, np.ones(400) / 400, mode="same")  # no DC drift
    hiss = rng.standard_normal(n) * 0.3
    hum = 0.2 * np.sin(2 * np.pi * 50 * np.arange(n) / RATE)
    noise = rumble / (np.std(rumble) or 1) + hiss + hum
    return scale_to(noise, level_db)


def scale_to(audio: np.ndarray, level_db: float) -> np.ndarray:
    rms = float(np.sqrt(np.mean(audio**2))) if len(audio) else 0.0
    return audio * (32768 * 10 ** (level_db / 20) / rms) if rms else audio


def rms_db(audio: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(audio**2))) if len(audio) else 0.0
    return 20 * np.log10(rms / 32768) if rms else -120.0


def echo(audio: np.ndarray) -> np.ndarray:
    """A small room's reflections (up to 150 ms): what a microphone near a speaker hears."""
    out = audio.copy()
    for delay_ms, gain in ((23, 0.35), (41, 0.25), (67, 0.18), (97, 0.12), (150, 0.07)):
        d = int(delay_ms * RATE / 1000)
        out[d:] += audio[: len(audio) - d] * gain
    return out


def cough(rng: np.random.Generator) -> np.ndarray:
    """A synthetic cough: a burst of band-limited noise, fast attack, 0.25-0.4 s decay, twice."""
    parts = []
    for _ in range(int(rng.integers(1, 3))):
        n = int(rng.uniform(0.25, 0.4) * RATE)
        noise = np.convolve(rng.standard_normal(n), np.ones(6) / 6, mode="same")
        envelope = np.minimum(1, np.arange(n) / 160) * np.exp(-np.arange(n) / (0.08 * RATE))
        parts += [scale_to(noise * envelope, -18), np.zeros(int(0.15 * RATE))]
    return np.concatenate(parts)


def claps(rng: np.random.Generator) -> np.ndarray:
    parts = []
    for _ in range(int(rng.integers(2, 6))):
        n = int(0.06 * RATE)
        burst = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.008 * RATE))
        parts += [scale_to(burst, -14), np.zeros(int(rng.uniform(0.25, 0.5) * RATE))]
    return np.concatenate(parts)


def pcm(audio: np.ndarray) -> bytes:
    return bytes(np.clip(audio, -32768, 32767).astype("<i2").tobytes())
