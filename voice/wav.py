"""16-bit PCM in plain Python: read, check, trim and write WAV files; find where sound starts.

No numpy: the kiosk needs none elsewhere, and these jobs are small (a spoken cue is a few
seconds) or run off the critical path (checking a recording in a test or the benchmark). Scans
look at blocks through C-level ``max``/``min`` on array slices and only walk sample by sample
inside the block that crosses the threshold, so a minute of stereo audio takes milliseconds.
"""

from __future__ import annotations

import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

#: A sample louder than this (of 32767, about -54 dBFS) is sound; below it is silence. Well
#: above the dither espeak-ng leaves between words, far below any cue.
SILENCE = 64
_BLOCK = 512
_BIG_ENDIAN = sys.byteorder == "big"


class WavError(ValueError):
    """A WAV file that cannot be used: unreadable, not 16-bit PCM, empty or silent."""


@dataclass(frozen=True)
class Pcm:
    """Signed 16-bit samples, interleaved when there is more than one channel."""

    rate: int
    channels: int
    samples: array[int]

    @property
    def frames(self) -> int:
        return len(self.samples) // self.channels

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


def read_wav(path: Path) -> Pcm:
    try:
        with wave.open(str(path), "rb") as f:
            if f.getsampwidth() != 2:
                raise WavError(f"{path.name}: {8 * f.getsampwidth()}-bit, not 16-bit PCM")
            rate, channels = f.getframerate(), f.getnchannels()
            data = f.readframes(f.getnframes())
    except (wave.Error, EOFError, OSError) as error:
        raise WavError(f"{path.name}: {error}") from None
    if rate <= 0 or channels not in (1, 2):
        raise WavError(f"{path.name}: {channels} channel(s) at {rate} Hz")
    samples = array("h")
    samples.frombytes(data[: len(data) - len(data) % (2 * channels)])
    if _BIG_ENDIAN:  # WAV is little-endian
        samples.byteswap()
    return Pcm(rate, channels, samples)


def write_wav(path: Path, pcm: Pcm) -> None:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(pcm.channels)
        f.setsampwidth(2)
        f.setframerate(pcm.rate)
        if _BIG_ENDIAN:
            swapped = array("h", pcm.samples)
            swapped.byteswap()
            f.writeframes(swapped.tobytes())
        else:
            f.writeframes(pcm.samples.tobytes())


def check_speech(path: Path, *, min_s: float = 0.05) -> Pcm:
    """The file's audio if it is usable speech: a readable WAV, long enough, not all silence.

    pyttsx3 can leave an empty or truncated file behind (a hung or killed engine): every
    rendered file passes through here before it goes into the cache.
    """
    if not path.exists() or path.stat().st_size == 0:
        raise WavError(f"{path.name}: empty file")
    pcm = read_wav(path)
    if pcm.seconds < min_s:
        raise WavError(f"{path.name}: only {pcm.seconds * 1000:.0f} ms of audio")
    if first_loud_frame(pcm) is None:
        raise WavError(f"{path.name}: silence only")
    return pcm


def trim(pcm: Pcm, *, fade_ms: float = 2.0, tail_ms: float = 30.0) -> Pcm:
    """Cut the silence before and after the sound: a cue's first sample is then its first
    word, which is what the 25 ms budget is about. A short fade-in avoids a click where the
    cut falls mid-wave; ``tail_ms`` of the trailing silence is kept so words do not clip."""
    start = first_loud_frame(pcm)
    if start is None:
        return Pcm(pcm.rate, pcm.channels, array("h"))
    end = last_loud_frame(pcm)
    assert end is not None
    end = min(pcm.frames, end + 1 + int(pcm.rate * tail_ms / 1000))
    c = pcm.channels
    samples = pcm.samples[start * c : end * c]
    fade = min(len(samples) // c, max(1, int(pcm.rate * fade_ms / 1000)))
    for frame in range(fade):
        gain = (frame + 1) / fade
        for ch in range(c):
            i = frame * c + ch
            samples[i] = int(samples[i] * gain)
    return Pcm(pcm.rate, c, samples)


def _loud(block: array[int], threshold: int) -> bool:
    return bool(block) and (max(block) > threshold or min(block) < -threshold)


def first_loud_frame(
    pcm: Pcm, start_frame: int = 0, *, threshold: int = SILENCE, end_frame: int | None = None
) -> int | None:
    """The first frame at or after ``start_frame`` (before ``end_frame``) with a sample louder
    than ``threshold``, or None."""
    s, c = pcm.samples, pcm.channels
    i = max(0, start_frame) * c
    stop = len(s) if end_frame is None else min(len(s), max(0, end_frame) * c)
    while i < stop:
        j = min(stop, i + _BLOCK)
        if _loud(s[i:j], threshold):
            for k in range(i, j):
                if s[k] > threshold or s[k] < -threshold:
                    return k // c
        i = j
    return None


def last_loud_frame(pcm: Pcm, *, threshold: int = SILENCE) -> int | None:
    s, c = pcm.samples, pcm.channels
    j = len(s)
    while j > 0:
        i = max(0, j - _BLOCK)
        if _loud(s[i:j], threshold):
            for k in range(j - 1, i - 1, -1):
                if s[k] > threshold or s[k] < -threshold:
                    return k // c
        j = i
    return None


def raw_to_wav(
    raw_path: Path, wav_path: Path, *, rate: int, channels: int = 2, start_frame: int = 0
) -> Pcm:
    """SDL's disk audio driver writes bare native-endian s16 samples: give them a WAV header.

    ``start_frame`` drops what came before (the mixer starts before the session does), so
    time 0 in the WAV can be the session's time 0.
    """
    data = raw_path.read_bytes()
    frame_bytes = 2 * channels
    data = data[max(0, start_frame) * frame_bytes :]
    samples = array("h")
    samples.frombytes(data[: len(data) - len(data) % frame_bytes])
    pcm = Pcm(rate, channels, samples)
    write_wav(wav_path, pcm)
    return pcm
