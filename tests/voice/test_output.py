"""pygame.mixer output, in subprocesses: the mixer is process-global and picks its driver once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.paths import REPO_ROOT

PROBE = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="LOG %(message)s")
from kiosk.core.timeline import Tone
from voice.output import open_output
first = open_output()
second = open_output()
result = {"available": first.available, "same": first is second, "type": type(first).__name__}
if first.available:
    first.set_volume(0.5)
    for tone in Tone:
        first.play_tone(tone)
    result["busy_before_speech"] = first.speech_busy()
print(json.dumps(result))
"""


def probe(driver: str) -> tuple[dict[str, object], list[str]]:
    env = dict(os.environ, SDL_AUDIODRIVER=driver, PYGAME_HIDE_SUPPORT_PROMPT="1")
    child = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO_ROOT, env=env,
        timeout=60, check=True,
    )  # fmt: skip
    lines = child.stdout.splitlines()
    return json.loads(lines[-1]), [line for line in lines if line.startswith("LOG")]


def test_the_mixer_opens_once_with_two_channels() -> None:
    result, logs = probe("dummy")
    assert result == {
        "available": True,
        "same": True,
        "type": "MixerOutput",
        "busy_before_speech": False,
    }
    assert logs == []


def test_no_sound_device_gives_a_silent_output_and_one_log_line() -> None:
    result, logs = probe("no-such-driver")
    assert result == {"available": False, "same": False, "type": "NullOutput"}
    assert len(logs) == 2  # one line per call: the kiosk calls once
    assert "no sound device" in logs[0]
    assert "captions" in logs[0]
