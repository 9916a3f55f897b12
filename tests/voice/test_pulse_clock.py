"""On a real PulseAudio server (private, with a null sink): the session's clock is the
device's — it advances by exactly the frames the server took, whatever the wall clock says.

The server is started and stopped by the test (``bench.sound_server.pulse_server``); the mixer
runs in a subprocess, since SDL picks its audio driver once per process. Skipped, with the
reason, where ``pulseaudio`` is not installed (``make test`` installs it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.sound_server import missing_tools, onset_errors, played_moments, pulse_server
from tests.paths import REPO_ROOT
from voice.wav import Pcm, write_wav

PROBE = """
import json
from voice.output import open_output
from voice.sound_clock import SoundClock
import time

output = open_output()
device = output.device_clock
clock = SoundClock(time.monotonic)
clock.attach(device)
rate = output.frequency

def wait_for_frames(n):
    # the device's own progress, not a duration: a polling wait with a generous deadline
    deadline = time.monotonic() + 30
    while device.frames() < n:
        if time.monotonic() > deadline:
            raise SystemExit("the server took no sound")
        clock()
        time.sleep(0.005)

wait_for_frames(10 * 512)
clock()
f0, c0 = device.frames(), clock()
wait_for_frames(f0 + rate)  # one second of the device's sound
f1, c1 = device.frames(), clock()
print(json.dumps({"following": clock.following_device(), "clock_s": c1 - c0,
                  "frames_s": (f1 - f0) / rate, "buffer_s": device.buffer_frames / rate}))
"""


@pytest.mark.skipif(bool(missing_tools()), reason=f"not installed: {missing_tools()}")
def test_on_pulseaudio_the_session_clock_counts_what_the_server_took() -> None:
    with pulse_server(["kiosk"]) as server:
        child = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO_ROOT,
            env=server.env("kiosk"), timeout=120, check=True,
        )  # fmt: skip
    result = json.loads(child.stdout.splitlines()[-1])
    assert result["following"] is True
    # The clock moved by the device's frames (to within the buffer it interpolates across),
    # not by however long the wall clock took.
    assert abs(result["clock_s"] - result["frames_s"]) <= 2 * result["buffer_s"]


def _click_track(tmp_path: Path, onsets: list[float], seconds: float) -> Path:
    from array import array

    rate = 8000
    samples = array("h", [0] * round(seconds * rate))
    for onset in onsets:
        start = round(onset * rate)
        for i in range(start, start + 80):
            samples[i] = 12000 if i % 2 else -12000
    path = tmp_path / "clicks.wav"
    write_wav(path, Pcm(rate, 1, samples))
    return path


def test_the_bench_measures_onset_errors_and_drift_from_the_first_cue(tmp_path: Path) -> None:
    """Cues heard 0.5 s after their moments (a constant: aligned away) and then later by
    1000 ppm: the bench reports the growth as the error and the slope as the drift."""
    moments = [1.0 + 1.5 * k for k in range(40)]
    heard = [0.5 + m + (m - 1.0) * 1e-3 for m in moments]
    wav = _click_track(tmp_path, heard, 65.0)
    result = onset_errors(wav, moments)
    assert len(result.errors) == 40
    assert result.drift_ppm() == pytest.approx(1000, rel=0.02)
    assert max(result.abs_ms) == pytest.approx(58.5, abs=0.3)  # 1000 ppm of 58.5 s
    assert result.errors[0] == pytest.approx(0.0, abs=1e-9)


def test_the_bench_counts_only_the_cues_the_rehearsal_played() -> None:
    printout = "\n".join(
        [
            "side-lying: 187.4 s; voice ready in 0.52 s",
            " scheduled     actual    late  cue",
            "    7.700s     7.700s   +0.2ms  [pip]",
            '    7.700s     7.701s   +0.4ms  "3"',
            '    9.100s     9.120s  +20.0ms  "Lift" (dropped: too late)',
            "   12.300s    12.300s   -0.0ms  [go]",
        ]
    )
    assert played_moments(printout) == [7.7, 7.7, 12.3]


def test_the_bench_says_why_it_skips_without_a_sound_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    import bench.sound_server as sound_server

    monkeypatch.setattr(shutil, "which", lambda tool: None)  # a bare machine
    assert sound_server.run() == []
    line = capsys.readouterr().out
    assert "skipped: pulseaudio, parecord, pacat, pactl not installed" in line
    assert "apt-get install pulseaudio pulseaudio-utils" in line
