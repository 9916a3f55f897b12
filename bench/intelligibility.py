"""``voice_wer_pct``: how well an offline recogniser understands the kiosk's own cues, per voice.

Intelligibility, not taste: the kiosk's real cue phrases (every text of every library
exercise's timeline, compiled at its default dose; a fixed, evenly spread sample of
:data:`SAMPLE` of them, so the run stays under about a minute) are synthesised by the real
backends, in their worker processes, through the real cache (checked and trimmed as the kiosk
stores them), scaled to the default playback volume (0.8) and resampled to 16 kHz, then
decoded by pocketsphinx with the English model its wheel ships (general language model, no
grammar: it is not told what the kiosk might say). Word error rate: word-level edit distance
over all sampled phrases divided by their reference words, digits spelt out as spoken.

Beside it, per voice: synthesis time per cue (every text of a whole program: Tom's demo
program, three standing exercises, plus the phrases shared by every session) and the cache
those renderings take. The value is the natural voice (Piper), the baseline the classic
(pyttsx3 over espeak-ng), both measured in this run. No budget: the figures inform staff's
choice (docs/voice.md).
"""

from __future__ import annotations

import re
import tempfile
import time
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.report import Figure, median, percentile

SAMPLE = 24
VOLUME = 0.8  # VoiceSettings().volume: what the kiosk plays at by default
RECOGNISER_RATE = 16000

_ONES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spoken_number(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f" {_ONES[ones]}" if ones else "")
    return " ".join(_ONES[int(d)] for d in str(n))


def words(text: str) -> list[str]:
    """Lower-case words as a listener would write them down: digits spelt out."""
    text = re.sub(r"\d+", lambda m: f" {spoken_number(int(m.group()))} ", text.lower())
    text = text.replace("’", "'")
    return re.findall(r"[a-z']+", text)


def edit_distance(reference: Sequence[str], heard: Sequence[str]) -> int:
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(reference, 1):
        current = [i]
        for j, other in enumerate(heard, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1]


def _library_phrases() -> list[str]:
    from kiosk.core.compiler import compile_program
    from kiosk.core.prescription import ProgramItemSpec, build_program
    from media.loader import load_library

    exercises = load_library().exercises
    texts: dict[str, None] = {}
    for exercise_id in sorted(exercises):
        program = build_program("bench", [ProgramItemSpec(exercise_id)], exercises)
        for cue in compile_program(program).cues():
            if cue.text:
                texts[cue.text.strip()] = None
    return list(texts)


def _program_texts() -> list[str]:
    """Every text Tom's demo program speaks, and the phrases every session shares."""
    from kiosk.core.compiler import compile_program
    from kiosk.core.prescription import ProgramItemSpec, build_program
    from media.loader import load_library
    from voice.service import common_phrases, spoken_texts

    ids = ("standing-lateral-leg-raise", "standing-wall-press", "functional-clamshell")
    program = build_program(
        "Standing hip strength",
        [ProgramItemSpec(i) for i in ids],
        load_library().exercises,
    )
    return list(dict.fromkeys([*common_phrases(), *spoken_texts(compile_program(program))]))


def _sample(phrases: list[str]) -> list[str]:
    step = max(1, len(phrases) // SAMPLE)
    return phrases[::step][:SAMPLE]


def _render_all(
    synth: Any, texts: Sequence[str], folder: Path
) -> tuple[dict[str, Path], list[float]]:
    """Each text through the real cache, as the kiosk stores it; seconds per text."""
    from voice.cache import WavCache, cache_key

    cache = WavCache(folder, max_bytes=10**10)
    paths: dict[str, Path] = {}
    seconds: list[float] = []
    for text in texts:

        def render(path: Path, text: str = text) -> None:
            synth.render(text, path, voice=None, rate=150)

        started = time.perf_counter()
        paths[text] = cache.put(cache_key(synth.name, None, 150, text), render)
        seconds.append(time.perf_counter() - started)
    return paths, seconds


def _at_playback(path: Path) -> bytes:
    """Mono 16 kHz 16-bit at the default playback volume, for the recogniser."""
    import numpy as np

    with wave.open(str(path), "rb") as f:
        rate, channels = f.getframerate(), f.getnchannels()
        samples = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float64)
    if channels == 2:
        samples = samples.reshape(-1, 2).mean(axis=1)
    count = int(len(samples) * RECOGNISER_RATE / rate)
    resampled = np.interp(
        np.arange(count) * rate / RECOGNISER_RATE, np.arange(len(samples)), samples
    )
    # A quarter second of silence each side, as a cue is heard between others.
    pad = np.zeros(RECOGNISER_RATE // 4)
    heard = np.concatenate([pad, resampled * VOLUME, pad])
    return bytes(np.clip(heard, -32768, 32767).astype("<i2").tobytes())


def _wer(decoder: Any, paths: dict[str, Path], sample: Sequence[str]) -> tuple[float, list[str]]:
    errors = total = 0
    worst: list[tuple[int, str]] = []
    for text in sample:
        decoder.start_utt()
        decoder.process_raw(_at_playback(paths[text]), False, True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        heard = words(hypothesis.hypstr) if hypothesis is not None else []
        reference = words(text)
        wrong = edit_distance(reference, heard)
        errors += wrong
        total += len(reference)
        worst.append((wrong, f"{text!r} → {' '.join(heard)!r}"))
    worst.sort(reverse=True)
    return 100.0 * errors / max(1, total), [line for _, line in worst[:2]]


def measure() -> dict[str, dict[str, Any]]:
    from pocketsphinx import Decoder

    from voice.piper_backend import PiperSynthesizer
    from voice.pyttsx3_backend import Pyttsx3Synthesizer

    phrases = _library_phrases()
    sample = _sample(phrases)
    program = _program_texts()
    decoder = Decoder(samprate=RECOGNISER_RATE, logfn="/dev/null")
    results: dict[str, dict[str, Any]] = {}
    for label, synth in (("natural", PiperSynthesizer()), ("classic", Pyttsx3Synthesizer())):
        with tempfile.TemporaryDirectory() as folder:
            try:
                # The first render starts the worker: timed apart, as the kiosk starts it once.
                started = time.perf_counter()
                _render_all(synth, ["Hold"], Path(folder) / "start")
                start_s = time.perf_counter() - started
                paths, seconds = _render_all(synth, program, Path(folder) / "program")
                size = sum(p.stat().st_size for p in paths.values())
                sample_paths, _ = _render_all(synth, sample, Path(folder) / "sample")
            finally:
                synth.close()
            wer, worst = _wer(decoder, sample_paths, sample)
        results[label] = {
            "wer": wer,
            "worst": worst,
            "synth_ms": [s * 1000 for s in seconds],
            "start_s": start_s,
            "cache_mb": size / 1e6,
            "texts": len(program),
            "sample": len(sample),
            "phrases": len(phrases),
        }
    return results


def run() -> list[Figure]:
    results = measure()
    natural, classic = results["natural"], results["classic"]
    print(
        f"  intelligibility: {natural['sample']} of {natural['phrases']} library cue phrases, "
        f"pocketsphinx en-US at volume {VOLUME}; a whole program = {natural['texts']} texts"
    )
    print(f"  {'':<9}{'WER %':>7}{'synth ms p50':>14}{'p95':>8}{'start s':>9}{'cache MB':>10}")
    for label, r in results.items():
        print(
            f"  {label:<9}{r['wer']:>7.1f}{median(r['synth_ms']):>14.0f}"
            f"{percentile(r['synth_ms'], 95):>8.0f}{r['start_s']:>9.2f}{r['cache_mb']:>10.2f}"
        )
        for line in r["worst"]:
            print(f"    worst heard: {line}")
    base = "classic voice (pyttsx3 over espeak-ng), same phrases, same run"
    return [
        Figure("voice_wer_pct", natural["wer"], "%", classic["wer"], base, "lower is better"),
        Figure(
            "voice_synth_ms_p50",
            median(natural["synth_ms"]),
            "ms",
            median(classic["synth_ms"]),
            base,
            "off the critical path (check-in)",
        ),
        Figure(
            "voice_program_cache_mb",
            natural["cache_mb"],
            "MB",
            classic["cache_mb"],
            base,
            "within cache_mb (100 MB)",
        ),
    ]
