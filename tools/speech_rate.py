"""Measure how long the real espeak-ng takes per word of the catalog's spoken cues.

The timeline compiler spaces spoken cues by each language's ``SECONDS_PER_WORD``
(``kiosk.core.cue_text.speech_s``); this prints what espeak-ng actually needs, so the figure
in ``kiosk/text/<code>.py`` is measured, not guessed::

    PYTHONPATH=. python tools/speech_rate.py es en

For each language: the cue phrases (``cue.*``, fields filled with that language's own words),
each rendered by ``espeak-ng -v VOICE -s RATE -w`` at the kiosk's default rate, and the
seconds per word over all of them (total and the slowest phrase), beside the catalog's
figure. Needs the ``espeak-ng`` command.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

from kiosk import text
from kiosk.core.cue_text import word_count
from kiosk.text import t

#: The kiosk's default speech rate (``voice_rate_wpm`` in the clinic settings).
DEFAULT_RATE = 150
#: A sample quieter than this (1 % of full scale) is silence.
SILENCE = 328

_FIELDS = {
    "set": 2,
    "total": 3,
    "name": "cue.only_left",  # replaced by a phrase of the language below
    "limb": "cue.left_leg",
    "side": "cue.left_side",
}


def phrases() -> list[str]:
    """Every spoken cue of the current language, fields filled in its own words."""
    fields = {k: (t(v) if isinstance(v, str) else v) for k, v in _FIELDS.items()}
    out = []
    for key in text.current().messages:
        if not key.startswith("cue.") or key.endswith("_title"):
            continue
        out.append(t(key, **fields))
    return out


def seconds(phrase: str, voice: str, rate: int, folder: Path) -> float:
    path = folder / "phrase.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), phrase],
        check=True,
        capture_output=True,
    )
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        samples = array("h", wav.readframes(wav.getnframes()))
    # The speech itself: from the first to the last sample above 1 % of full scale
    # (espeak-ng pads each utterance with silence, which the player does not wait for).
    loud = [i for i, v in enumerate(samples) if abs(v) > SILENCE]
    return (loud[-1] - loud[0]) / rate if loud else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="+")
    parser.add_argument("--rate", type=int, default=DEFAULT_RATE)
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for code in args.languages:
            lang = text.use(code)
            total_s = 0.0
            total_words = 0
            worst = 0.0
            for phrase in phrases():
                s = seconds(phrase, lang.espeak_voice, args.rate, Path(tmp))
                words = word_count(phrase)
                total_s += s
                total_words += words
                worst = max(worst, s / words)
            print(
                f"{code}: {total_words} words in {total_s:.1f} s at {args.rate} wpm: "
                f"{total_s / total_words:.3f} s a word (slowest phrase {worst:.3f}); "
                f"catalog SECONDS_PER_WORD {lang.seconds_per_word}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
