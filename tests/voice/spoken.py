"""Speech for the voice-control tests, made at test time: the natural voice (Piper) saying a
phrase, as 16 kHz mono PCM, the way a microphone would give it — with a little room noise,
since no microphone gives digital silence. Rendered once per test run."""

from __future__ import annotations

import atexit
import functools
import math
import random
import shutil
import tempfile
from array import array
from pathlib import Path

import pytest

from voice.listening import read_wav_16k

_FOLDER: Path | None = None
LEVEL = 0.1  # of full scale: a voice a metre or two from the microphone


def _folder() -> Path:
    global _FOLDER
    if _FOLDER is None:
        _FOLDER = Path(tempfile.mkdtemp(prefix="spoken-"))
        atexit.register(shutil.rmtree, _FOLDER, True)
    return _FOLDER


@functools.cache
def _synth() -> object:
    pytest.importorskip("piper")
    from voice.piper_backend import PiperSynthesizer

    synth = PiperSynthesizer()
    atexit.register(synth.close)
    return synth


@functools.cache
def wav(text: str) -> Path:
    """``text`` spoken, as a WAV file (22.05 kHz, as Piper writes it)."""
    from voice.piper_backend import PiperSynthesizer

    synth = _synth()
    assert isinstance(synth, PiperSynthesizer)
    path = _folder() / f"{len(list(_folder().iterdir()))}.wav"
    synth.render(text, path, voice=None, rate=150)
    return path


def silence(seconds: float, seed: int = 0) -> bytes:
    """Room noise at about -60 dBFS."""
    rng = random.Random(seed)
    return array("h", (int(rng.gauss(0, 33)) for _ in range(int(16000 * seconds)))).tobytes()


def said(text: str, *, before: float = 0.5, after: float = 0.8) -> bytes:
    """``text`` spoken at a speaking level, with room noise before and after."""
    samples = array("h", read_wav_16k(wav(text)))
    peak = max(1, max(abs(s) for s in samples))
    scale = LEVEL * 32767 * 3 / peak  # peak about 3× RMS for speech
    loud = array("h", (max(-32768, min(32767, int(s * scale))) for s in samples))
    noise = array("h", silence(len(loud) / 16000, seed=len(text)))
    mixed = array("h", (a + b for a, b in zip(loud, noise, strict=True)))
    return silence(before, 1) + mixed.tobytes() + silence(after, 2)


def clap() -> bytes:
    """A handclap: a 60 ms burst of decaying noise."""
    rng = random.Random(7)
    burst = array("h", (int(rng.gauss(0, 8000) * math.exp(-i / 128)) for i in range(960))).tobytes()
    return silence(0.5, 3) + burst + silence(0.8, 4)
