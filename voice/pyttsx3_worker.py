"""The pyttsx3 worker process: ``python -m voice.pyttsx3_worker --rate 150 [--voice en-gb]``.

pyttsx3 2.99 over espeak-ng renders headless, but (measured here; ``docs/voice.md``) two
saves queued before one ``runAndWait`` write only the last, changing rate or voice between
utterances is racy, and it prints "Audio saved to" on stdout. So it lives here, in a process of
its own that the kiosk can kill: rate and voice are set once at start (another rate means
another worker), every request is one ``save_to_file`` + one ``runAndWait``, and stdout is
pointed at /dev/null at the file descriptor level, so nothing pyttsx3 or espeak-ng prints can
reach the protocol.

pyttsx3's espeak driver also writes the file when espeak-ng's "message terminated" event
arrives, *before* it adds the samples that came in the same callback: whatever audio arrives
with that last event is lost, and when all of it does (seen once under load in ``make test``),
the file is a valid WAV with no audio. :func:`keep_the_last_samples` adds the samples first.

Protocol: one JSON object per line. Requests on stdin: ``{"text": ..., "path": ...}``.
Replies on the original stdout: ``{"ok": true, "ready": true}`` once started, then
``{"ok": true}`` or ``{"ok": false, "error": ...}`` per request. End of stdin ends the worker.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
from typing import Any, TextIO


def keep_the_last_samples() -> None:
    """Make pyttsx3's espeak driver keep the samples that come with the last event (above)."""
    from pyttsx3.drivers import espeak

    driver = espeak.EspeakDriver
    if getattr(driver, "_kiosk_keeps_last_samples", False):
        return
    on_synth = driver._onSynth

    def samples_first(self: Any, wav: Any, numsamples: int, events: Any) -> int:
        if self._speaking and numsamples > 0:
            self._data_buffer += ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short))
        return int(on_synth(self, wav, 0, events))

    driver._onSynth = samples_first  # the driver registers it with espeak-ng when made
    driver._kiosk_keeps_last_samples = True


def _private_stdout() -> TextIO:
    """A private copy of stdout for replies; fd 1 (and ``sys.stdout``) go to /dev/null."""
    reply_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as we do
    return os.fdopen(reply_fd, "w", encoding="utf-8", buffering=1)


def _reply(out: TextIO, **message: Any) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pyttsx3 speech worker (internal)")
    parser.add_argument("--rate", type=int, required=True)
    parser.add_argument("--voice", default=None)
    args = parser.parse_args(argv)
    out = _private_stdout()
    try:
        import pyttsx3

        keep_the_last_samples()
        engine = pyttsx3.init("espeak")
        engine.setProperty("rate", args.rate)
        if args.voice:
            engine.setProperty("voice", args.voice)
    except Exception as error:  # any failure to start is reported, not raised
        _reply(out, ok=False, error=f"pyttsx3 could not start: {error}")
        return 1
    _reply(out, ok=True, ready=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            engine.save_to_file(str(request["text"]), str(request["path"]))
            engine.runAndWait()
        except Exception as error:
            _reply(out, ok=False, error=f"{type(error).__name__}: {error}")
            continue
        _reply(out, ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
