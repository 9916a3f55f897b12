"""The pyttsx3 backend: drives :mod:`voice.pyttsx3_worker` in a process it can kill.

Every request has a timeout. A worker that does not answer in time is killed and the call
raises :class:`~voice.synth.SynthesisTimeoutError`; the next call starts a fresh worker. The
worker is started for one (voice, rate) pair and replaced when either changes, because pyttsx3
applies such changes racily between utterances.
"""

from __future__ import annotations

import sys
from pathlib import Path

from voice.worker_pipe import WorkerSynthesizer

WORKER_MODULE = "voice.pyttsx3_worker"


class Pyttsx3Synthesizer(WorkerSynthesizer):
    """pyttsx3 (espeak driver) in a killable worker process, one utterance per request.

    ``command`` starts the worker (tests pass one that hangs or writes nothing);
    ``timeout_s`` bounds one utterance, ``start_timeout_s`` the worker's start.
    """

    name = "pyttsx3"
    label = "pyttsx3"

    def __init__(
        self,
        command: list[str] | None = None,
        *,
        timeout_s: float = 5.0,
        start_timeout_s: float = 15.0,
    ) -> None:
        super().__init__(timeout_s=timeout_s, start_timeout_s=start_timeout_s)
        self._command = command or [sys.executable, "-m", WORKER_MODULE]
        self._settings: tuple[str | None, int] | None = None  # the worker's (voice, rate)

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        worker = self._worker
        if worker is None or not worker.alive() or self._settings != (voice, rate):
            args = [*self._command, "--rate", str(rate)]
            if voice:
                args += ["--voice", voice]
            worker = self._start_worker(args)
            self._settings = (voice, rate)
        self._ask(worker, {"text": text, "path": str(path)})
