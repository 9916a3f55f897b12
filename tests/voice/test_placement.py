"""Sounds placed on their sample, through the real mixer (SDL's disk driver, which writes every
buffer the mixer makes): a sound handed over ahead starts on the exact frame of its moment,
not with the mixer's next buffer.

The mixer runs in a subprocess: SDL picks its audio driver once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO_ROOT

PROBE = """
import json, sys, time
from pathlib import Path
from kiosk.core.timeline import Tone
from voice.recording import DiskRecording
from voice.wav import first_loud_frame

recording = DiskRecording(Path(sys.argv[1]))
output = recording.open()
device = output.device_clock

def wait_for(seconds):
    # the device's own progress, polled, with a generous deadline
    deadline = time.monotonic() + 30
    while device() < seconds:
        if time.monotonic() > deadline:
            raise SystemExit("the mixer took no sound")
        time.sleep(0.002)

wait_for(0.2)
now = device()
moments = [now + 0.1, now + 0.1 + 0.3345678]  # 14 754.4 frames apart: not whole buffers
placed = [output.place_tone(Tone.GO, moment) for moment in moments]
wait_for(moments[1] + 0.4)
output.play_tone(Tone.GO)  # for contrast: played now, it starts with the next buffer
now = device()
wait_for(now + 0.4)
# A server that holds sound 21.3 ms: the tone leaves the mixer that much before its moment.
output.output_latency_s = 0.0213
early = device() + 0.1
placed.append(output.place_tone(Tone.GO, early))
wait_for(early + 0.4)
pcm = recording.finish()
rate = recording.frequency
targets = [round(moment * rate) for moment in moments]
onsets = [first_loud_frame(pcm, target - rate // 20, end_frame=target + rate // 20)
          for target in targets]
plain = first_loud_frame(pcm, round(now * rate) - rate // 20)
early_target = round((early - 0.0213) * rate)
early_onset = first_loud_frame(pcm, early_target - rate // 20, end_frame=early_target + rate // 20)
print(json.dumps({"placed": placed, "targets": targets, "onsets": onsets, "plain": plain,
                  "rate": rate, "buffer": recording.buffer_frames,
                  "early": [early_target, early_onset]}))
"""


def test_a_placed_sound_starts_on_its_moments_frame_not_the_next_buffer(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "mixer.raw")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["placed"] == [True, True, True]
    targets, onsets, rate = found["targets"], found["onsets"], found["rate"]
    assert None not in onsets
    # The tone's first audible sample comes a few samples into its 2 ms attack, the same for
    # both: each starts on its own frame, and they are exactly as far apart as their moments.
    attack = [onset - target for onset, target in zip(onsets, targets, strict=True)]
    assert 0 <= attack[0] < 0.002 * rate
    assert attack[0] == attack[1]
    assert onsets[1] - onsets[0] == targets[1] - targets[0]
    assert (targets[1] - targets[0]) % found["buffer"] != 0  # not a buffer boundary
    # The same tone played "now" starts on a buffer boundary (plus the same attack).
    assert (found["plain"] - attack[0]) % found["buffer"] == 0
    # With a server's latency known, a placed sound leaves the mixer exactly that much early.
    early_target, early_onset = found["early"]
    assert early_onset - early_target == attack[0]
