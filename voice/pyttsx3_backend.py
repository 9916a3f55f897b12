"""The pyttsx3 backend: drives :mod:`voice.pyttsx3_worker` in a process it can kill.

Every request has a timeout. A worker that does not answer in time is killed and the call
raises :class:`~voice.synth.SynthesisTimeoutError`; the next call starts a fresh worker. The
worker is started for one (voice, rate) pair and replaced when either changes, because pyttsx3
applies such changes racily between utterances.
"""

from __future__ import annotations

import sys
from pathlib import Path

from voice.synth import SynthesisError, SynthesisTimeoutError
from voice.worker_pipe import PipeWorker

WORKER_MODULE = "voice.pyttsx3_worker"


class Pyttsx3Synthesizer:
    """pyttsx3 (espeak driver) in a killable worker process, one utterance per request.

    ``command`` starts the worker (tests pass one that hangs or writes nothing);
    ``timeout_s`` bounds one utterance, ``start_timeout_s`` the worker's start.
    """

    name = "pyttsx3"

    def __init__(
        self,
        command: list[str] | None = None,
        *,
        timeout_s: float = 5.0,
        start_timeout_s: float = 15.0,
    ) -> None:
        self._command = command or [sys.executable, "-m", WORKER_MODULE]
        self._timeout_s = timeout_s
        self._start_timeout_s = start_timeout_s
        self._worker: PipeWorker | None = None
        self._settings: tuple[str | None, int] | None = None  # the worker's (voice, rate)
        self.restarts = 0  # workers started after the first (hangs, crashes, new settings)
        self._started = 0

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        worker = self._worker_for(voice, rate)
        worker.send({"text": text, "path": str(path)})
        try:
            reply = worker.receive(self._timeout_s)
        except SynthesisError:
            self._drop_worker()
            raise
        if reply is None:
            self._drop_worker()
            raise SynthesisTimeoutError(
                f"pyttsx3 did not finish within {self._timeout_s:g} s; its worker was stopped"
            )
        if not reply.get("ok"):
            raise SynthesisError(f"pyttsx3: {reply.get('error', 'failed')}")

    def _worker_for(self, voice: str | None, rate: int) -> PipeWorker:
        worker = self._worker
        if worker is not None and worker.alive() and self._settings == (voice, rate):
            return worker
        self._drop_worker()
        args = [*self._command, "--rate", str(rate)]
        if voice:
            args += ["--voice", voice]
        worker = PipeWorker(args, "pyttsx3")
        self._settings = (voice, rate)
        if self._started:
            self.restarts += 1
        self._started += 1
        try:
            ready = worker.receive(self._start_timeout_s)
        except SynthesisError:
            worker.kill()
            raise
        if ready is None:
            worker.kill()
            raise SynthesisTimeoutError(
                f"pyttsx3 worker did not start within {self._start_timeout_s:g} s"
            )
        if not ready.get("ok"):
            worker.kill()
            raise SynthesisError(str(ready.get("error", "pyttsx3 worker failed to start")))
        self._worker = worker
        return worker

    def _drop_worker(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    def close(self) -> None:
        self._drop_worker()
