"""Speech synthesis backends: text in, a WAV file out, or a :class:`SynthesisError`.

Backends are slow, fragile and external (a library in a worker process, a command), so they
are only ever called from the renderer's background thread, never on the Qt thread or the
session's critical path. Each call renders one utterance to a path the caller chose; the caller
checks the file (:func:`voice.wav.check_speech`) before trusting it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Protocol


class SynthesisError(RuntimeError):
    """The backend could not render this utterance (missing, crashed, bad output)."""


class SynthesisTimeoutError(SynthesisError):
    """The backend did not finish in time; it has been stopped."""


class Synthesizer(Protocol):
    """One speech backend. ``name`` goes into the cache key: two backends never share a WAV."""

    @property
    def name(self) -> str: ...

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        """Write ``text`` spoken at ``rate`` words a minute to the WAV file ``path``."""
        ...

    def close(self) -> None:
        """Release processes and files; the backend may be used again afterwards."""
        ...


class EspeakNgSynthesizer:
    """The ``espeak-ng -w`` command: the fallback, and the backend that always works headless.

    A fresh process per utterance (about 20 ms for a cue), so a crash costs one cue, never the
    backend; a timeout kills it.
    """

    name = "espeak-ng"

    def __init__(self, command: str = "espeak-ng", *, timeout_s: float = 10.0) -> None:
        self._command = command
        self._timeout_s = timeout_s

    def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
        executable = shutil.which(self._command)
        if executable is None:
            raise SynthesisError(f"{self._command} is not installed")
        args = [executable, "-w", str(path), "-s", str(rate)]
        if voice:
            args += ["-v", voice]
        # "--" so a cue that starts with "-" is spoken, not taken for an option.
        args += ["--", text]
        try:
            result = subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=self._timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SynthesisTimeoutError(
                f"{self._command} took more than {self._timeout_s:g} s"
            ) from None
        except OSError as error:
            raise SynthesisError(f"{self._command}: {error}") from None
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            reason = message[-1] if message else f"exit code {result.returncode}"
            raise SynthesisError(f"{self._command}: {reason}")

    def close(self) -> None:
        """Nothing stays open between utterances."""
