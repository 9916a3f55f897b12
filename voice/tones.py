"""The session's tones, generated in code: no sound files to ship, lose or license.

Each tone is a short sequence of sine notes with a fast attack (so its first audible sample is
its first millisecond: the timing budget is measured to it) and a gentle release (no click).
They are meant to be told apart by ear alone, for a patient facing away from the screen:

* PIP — one short mid note: the countdown's 3, 2, 1.
* GO — two notes rising: start moving.
* HOLD_END — two notes falling, longer: the hold is over, relax.
* TICK — a very short, soft click-like note: an optional beat at each repetition.
* CHIME — three notes rising, slower: a member of staff has been called.
"""

from __future__ import annotations

import math
from array import array
from typing import NamedTuple

from kiosk.core.timeline import Tone
from voice.wav import Pcm


class Note(NamedTuple):
    hz: float
    seconds: float
    level: float  # 0..1 of full scale


TONE_NOTES: dict[Tone, tuple[Note, ...]] = {
    Tone.PIP: (Note(880.0, 0.09, 0.45),),
    Tone.GO: (Note(880.0, 0.07, 0.45), Note(1320.0, 0.16, 0.5)),
    Tone.HOLD_END: (Note(1320.0, 0.12, 0.45), Note(880.0, 0.26, 0.45)),
    Tone.TICK: (Note(1000.0, 0.02, 0.15),),
    # Three notes rising, twice as long as any cue: unlike every session sound, and heard
    # across a gym without being an alarm.
    Tone.CHIME: (Note(660.0, 0.18, 0.5), Note(880.0, 0.18, 0.5), Note(1320.0, 0.4, 0.45)),
}

ATTACK_S = 0.002
RELEASE_S = 0.02


def render_tone(tone: Tone, rate: int, channels: int) -> Pcm:
    """``tone`` as 16-bit PCM in the mixer's own format (no conversion at play time)."""
    samples = array("h")
    for note in TONE_NOTES[tone]:
        _append_note(samples, note, rate, channels)
    return Pcm(rate, channels, samples)


def _append_note(out: array[int], note: Note, rate: int, channels: int) -> None:
    n = max(1, int(note.seconds * rate))
    attack = max(1, int(ATTACK_S * rate))
    release = max(1, int(RELEASE_S * rate))
    step = 2 * math.pi * note.hz / rate
    peak = note.level * 32767
    for i in range(n):
        envelope = min(1.0, (i + 1) / attack, (n - i) / release)
        value = int(peak * envelope * math.sin(step * (i + 0.5)))
        out.extend([value] * channels)
