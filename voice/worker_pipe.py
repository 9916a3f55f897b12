"""A speech worker process and the JSON-lines protocol to it, with timeouts.

The pyttsx3 and Piper backends each keep their engine in a process of its own that the kiosk
can kill (a hang, a crash, or a licence that must stay at arm's length): one JSON object per
line each way, replies read without blocking past a deadline.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import time
from typing import Any

from voice.synth import SynthesisError, SynthesisTimeoutError


class PipeWorker:
    """One worker process and the line protocol to it; ``label`` names it in errors."""

    def __init__(self, args: list[str], label: str) -> None:
        self.label = label
        try:
            self.process = subprocess.Popen(
                args,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl+C at the terminal is the kiosk's, not the worker's
            )
        except OSError as error:
            raise SynthesisError(f"{self.label} worker could not start: {error}") from None
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
            raise SynthesisError(f"{self.label} worker is gone: {error}") from None

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
                    raise SynthesisError(f"{self.label} worker exited (code {code})")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            reply: dict[str, Any] = json.loads(line)
        except ValueError:
            raise SynthesisError(f"{self.label} worker said {line[:80]!r}") from None
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


class WorkerSynthesizer:
    """What a synthesizer over a :class:`PipeWorker` shares: starting a worker (its "ready"
    reply within ``start_timeout_s``), one request per utterance within ``timeout_s``, and
    killing the worker that failed, so that the next request starts a fresh one.

    ``label`` names the engine in errors; ``restarts`` counts workers started after the first.
    """

    label = "speech"

    def __init__(self, *, timeout_s: float, start_timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._start_timeout_s = start_timeout_s
        self._worker: PipeWorker | None = None
        self.restarts = 0
        self._started = 0

    def _start_worker(self, args: list[str]) -> PipeWorker:
        """A new worker from ``args`` that said it is ready (the old one killed first)."""
        self._drop_worker()
        worker = PipeWorker(args, self.label)
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
                f"{self.label} worker did not start within {self._start_timeout_s:g} s"
            )
        if not ready.get("ok"):
            worker.kill()
            raise SynthesisError(str(ready.get("error", f"{self.label} worker failed to start")))
        self._worker = worker
        return worker

    def _ask(self, worker: PipeWorker, message: dict[str, Any]) -> None:
        """One utterance: ``message`` sent, its reply within the timeout (else the worker is
        killed); a reply that is not ok raises."""
        worker.send(message)
        try:
            reply = worker.receive(self._timeout_s)
        except SynthesisError:
            self._drop_worker()
            raise
        if reply is None:
            self._drop_worker()
            raise SynthesisTimeoutError(
                f"{self.label} did not finish within {self._timeout_s:g} s; its worker was stopped"
            )
        if not reply.get("ok"):
            raise SynthesisError(f"{self.label}: {reply.get('error', 'failed')}")

    def _drop_worker(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    def close(self) -> None:
        self._drop_worker()
