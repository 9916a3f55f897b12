"""The microphone through a real sound server: the default microphone opens (a private
PulseAudio server, whose default source is its null sink's monitor, plays the part), delivers
sound, and closes cleanly however often, while SDL is calling back and another thread keeps
Python's GIL busy (pygame's own close could deadlock there).

SDL picks its audio driver once per process, so the microphone runs in a subprocess. Skipped,
with the reason, where ``pulseaudio`` is not installed (``make test`` installs it).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.sound_server import missing_tools, pulse_server
from tests.paths import REPO_ROOT

PROBE = """
import json, threading, time
from voice.microphone import MicrophoneSource, microphones

def hog():  # a thread holding the GIL in long C calls, all the time
    data = [(i * 7919) % 100003 for i in range(200000)]
    while True:
        sorted(data)

threading.Thread(target=hog, daemon=True).start()
names = microphones()
chunks = 0
for _ in range(25):  # open, hear, close: again and again, while SDL calls back
    source = MicrophoneSource(None)
    for _ in range(3):
        chunk = source.read()
        chunks += chunk is not None and len(chunk) > 0
    source.close()
print(json.dumps({"names": names, "chunks": chunks}))
"""


@pytest.mark.skipif(bool(missing_tools()), reason=f"not installed: {missing_tools()}")
def test_the_default_microphone_opens_hears_and_closes_without_a_deadlock() -> None:
    with pulse_server(["room"]) as server:
        # SDL leaves sinks' monitors out of its microphones unless asked.
        env = dict(server.env("room"), SDL_AUDIO_INCLUDE_MONITORS="1")
        result = subprocess.run(
            [sys.executable, "-c", PROBE],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,  # a deadlock shows as this timeout
            check=True,
        )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert any("room" in name.lower() or "monitor" in name.lower() for name in found["names"])
    assert found["chunks"] == 25 * 3
