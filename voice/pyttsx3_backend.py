"""The pyttsx3 backend: drives :mod:`voice.pyttsx3_worker` in a process it can kill.

Every request has a timeout. A worker that does not answer in time is killed and the call
raises :class:`~voice.synth.SynthesisTimeoutError`; the next call starts a fresh worker. The
worker is started for one (voice, rate) pair and replaced when either changes, because pyttsx3
applies such changes racily between utterances.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from voice.synth import SynthesisError, SynthesisTimeoutError

WORKER_MODULE = "voice.pyttsx3_worker"


class _Worker:
    """One worker process and the line protocol to it."""

    def __init__(self, command: list[str], voice: str | None, rate: int) -> None:
        self.voice = voice
        self.rate = rate
        args = [*command, "--rate", str(rate)]
        if voice:
            args += ["--voice", voice]
        try:
            self.process = subprocess.Popen(
                args,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl+C at the terminal is the kiosk's, not the worker's
            )
        except OSError as error:
            raise SynthesisError(f"pyttsx3 worker could not start: {error}") from None
        assert self.process.stdout is not None
        self._fd = self.process.stdout.fileno()
        os.set_blocking(self._fd, False)
        self._buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except OSError as error:  # BrokenPipeError: it died
            raise SynthesisError(f"pyttsx3 worker is gone: {error}") from None

    def receive(self, timeout_s: float) -> dict[str, Any] | None:
        """The next reply, or None if none came within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        with selectors.DefaultSelector() as selector:
            selector.register(self._fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    return None
                try:
                    chunk = os.read(self._fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    code = self.process.poll()
                    raise SynthesisError(f"pyttsx3 worker exited (code {code})")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            reply: dict[str, Any] = json.loads(line)
        except ValueError:
            raise SynthesisError(f"pyttsx3 worker said {line[:80]!r}") from None
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # a kernel that will not reap
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


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
        self._worker: _Worker | None = None
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

    def _worker_for(self, voice: str | None, rate: int) -> _Worker:
        worker = self._worker
        if worker is not None and worker.alive() and (worker.voice, worker.rate) == (voice, rate):
            return worker
        self._drop_worker()
        worker = _Worker(self._command, voice, rate)
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
