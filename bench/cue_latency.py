"""``cue_latency_p50_ms`` / ``cue_latency_p99_ms``: a cue's moment to its first audible sample.

A whole program (Ann's demo try-out: clamshell, one set of three each side, about a minute) runs
in real time through the session engine with the mixer on SDL's disk audio driver; the engine
runs on the driver's clock (``voice.recording``), so a cue due at ``t`` belongs at ``t`` in the
recording. For every cue that was played and that starts from silence, the latency is the time
from ``t`` to the first non-silent sample the driver wrote. That covers the whole path: the
engine announcing the cue 80 ms ahead, the scheduler placing it on its sample (or, for a cue
that could not be placed, ``Channel.play`` at its moment and the wait for the mixer's next
buffer, up to 10.7 ms); a real sound card adds its own output latency on top.

Baseline, measured the same way in the same run: the naive voice, which synthesizes each cue
with pyttsx3 at the moment it is due, loads the file and plays it (tones are played at once,
as ours are). Each side runs in a fresh process (SDL picks its audio driver once per process)
with a fresh voice cache, so ours pays its check-in rendering before the session, as on the
kiosk, and none during it.

``python -m bench.cue_latency --child ours|naive RESULT.json`` runs one side (internal).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.report import Figure, median, percentile

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 25.0


def _timeline() -> Any:
    from kiosk.core.compiler import compile_program
    from kiosk.core.prescription import ProgramItemSpec, build_program
    from media.loader import load_library

    program = build_program(
        "Try-out",
        [ProgramItemSpec("clamshell", sets=1, reps=3, rest_s=5.0)],  # the demo patient Ann's
        load_library().exercises,
    )
    return compile_program(program)


class _NaiveVoice:
    """Synthesize at the moment of the cue with pyttsx3 (in-process), then play."""

    def __init__(self, output: Any, folder: Path) -> None:
        import pyttsx3

        self._output = output
        self._folder = folder
        self._tts = pyttsx3.init("espeak")
        self._tts.setProperty("rate", 150)
        self._n = 0
        self.played: list[float] = []

    def __call__(self, event: object) -> None:
        import pygame.mixer

        from kiosk.core.events import CueDue

        if not isinstance(event, CueDue):
            return
        cue = event.cue
        if cue.tone is not None:
            self._output.play_tone(cue.tone)
        else:
            self._n += 1
            path = self._folder / f"cue{self._n}.wav"
            self._tts.save_to_file(cue.text, str(path))
            self._tts.runAndWait()
            self._output.play_speech(pygame.mixer.Sound(file=str(path)))
        self.played.append(cue.at_s)


def _child(side: str, result_path: Path) -> int:
    from kiosk.cli.rehearse import run_in_real_time
    from kiosk.core.engine import ANNOUNCE_AHEAD_S, SessionEngine
    from voice.recording import DiskRecording, onset_latencies
    from voice.scheduler import Action, CueOutcome
    from voice.service import VoiceService

    timeline = _timeline()
    with tempfile.TemporaryDirectory(prefix="bench-cue-latency-") as tmp:
        folder = Path(tmp)
        os.environ["KIOSK_VOICE_CACHE_DIR"] = str(folder / "cache")
        recording = DiskRecording(folder / "mixer.raw")
        output = recording.open()
        lead = ANNOUNCE_AHEAD_S if side == "ours" else 0.0  # as the kiosk's sessions do
        engine = SessionEngine(timeline, clock=recording.clock, lead_s=lead)
        voice: VoiceService | None = None
        dropped = 0
        if side == "ours":
            voice = VoiceService.open(output=output)
            assert voice.prepare(timeline).wait(120), "the voice did not get ready"
            outcomes: list[CueOutcome] = []
            engine.subscribe(
                voice.scheduler(
                    clock=recording.clock,
                    on_outcome=outcomes.append,
                    device_time=recording.device_time,
                )
            )
        else:
            naive = _NaiveVoice(output, folder)
            engine.subscribe(naive)
        base = recording.clock()
        run_in_real_time(engine, recording.clock)
        if voice is not None:
            voice.close()
            moments = [o.cue.at_s for o in outcomes if o.action is Action.PLAYED]
            dropped = sum(1 for o in outcomes if o.action is not Action.PLAYED)
        else:
            moments = naive.played
        pcm = recording.finish(start_s=base)
        latencies = onset_latencies(pcm, moments, window_s=5.0)
    result = {
        "cues": len(timeline.cues()),
        "played": len(moments),
        "dropped": dropped,
        "latencies_ms": [None if x is None else x * 1000 for x in latencies],
    }
    result_path.write_text(json.dumps(result))
    return 0


def _run_side(side: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        env = dict(os.environ, PYGAME_HIDE_SUPPORT_PROMPT="1")
        subprocess.run(
            [sys.executable, "-m", "bench.cue_latency", "--child", side, str(result)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # pyttsx3 prints "Audio saved to" for every naive cue
            check=True,
            timeout=600,
        )
        data: dict[str, Any] = json.loads(result.read_text())
        return data


def run() -> list[Figure]:
    ours = _run_side("ours")
    naive = _run_side("naive")
    ours_ms = [x for x in ours["latencies_ms"] if x is not None]
    naive_ms = [x for x in naive["latencies_ms"] if x is not None]
    label = (
        f"pyttsx3 at the cue's moment, then play; {len(naive_ms)} of {naive['played']} cues "
        f"measured (ours: {len(ours_ms)} of {ours['played']}, {ours['dropped']} dropped)"
    )
    return [
        Figure("cue_latency_p50_ms", median(ours_ms), "ms", median(naive_ms), label, "-"),
        Figure(
            "cue_latency_p99_ms",
            percentile(ours_ms, 99),
            "ms",
            percentile(naive_ms, 99),
            label,
            f"p99 <= {BUDGET_MS:g} ms",
        ),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--child", choices=["ours", "naive"], required=True)
    parser.add_argument("result", type=Path)
    args = parser.parse_args(argv)
    return _child(args.child, args.result)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
