"""On a real sound server (private, with a null sink; PulseAudio, and PipeWire where it is
installed): the session's clock is the device's — it advances by exactly the frames the server
took, whatever the wall clock says.

The server is started and stopped by the test (``bench.sound_server.pulse_server``); the mixer
runs in a subprocess, since SDL picks its audio driver once per process. Skipped, with the
reason, where ``pulseaudio`` is not installed (``make test`` installs it).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.sound_server import (
    heard_after,
    missing_tools,
    onset_errors,
    pulse_server,
)
from tests.paths import REPO_ROOT
from voice.monitor import fit_ruler
from voice.wav import Pcm, write_wav

PROBE = """
import json
import sys
import threading
from voice.output import open_output
from voice.sound_clock import SoundClock
import time

def hog():
    # a Python thread that holds the GIL in long C calls (sorting), all the time
    data = [(i * 7919) % 100003 for i in range(200000)]
    while True:
        sorted(data)

if "--hog" in sys.argv:
    threading.Thread(target=hog, daemon=True).start()

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

def read():
    # the clock between two readings of the frames: with threads taking turns at the GIL,
    # whole buffers can pass between any two calls
    before = device.frames()
    value = clock()
    return before, value, device.frames(), time.monotonic()

wait_for_frames(10 * 512)
clock()
f0, c0, g0, w0 = read()
wait_for_frames(f0 + 3 * rate)  # three seconds of the device's sound
f1, c1, g1, w1 = read()
print(json.dumps({"following": clock.following_device(), "clock_s": c1 - c0,
                  "frames_s": (f1 - f0) / rate, "least_s": (f1 - g0) / rate,
                  "most_s": (g1 - f0) / rate, "buffer_s": device.buffer_frames / rate,
                  "pace": (f1 - f0) / rate / (w1 - w0)}))
"""


def _probe(*args: str, kind: str = "pulseaudio") -> dict[str, float]:
    with pulse_server(["kiosk"], kind=kind) as server:
        child = subprocess.run(
            [sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
            cwd=REPO_ROOT, env=server.env("kiosk"), timeout=120, check=True,
        )  # fmt: skip
    result: dict[str, float] = json.loads(child.stdout.splitlines()[-1])
    return result


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            kind,
            marks=pytest.mark.skipif(
                bool(missing_tools(kind)), reason=f"not installed: {missing_tools(kind)}"
            ),
        )
        for kind in ("pulseaudio", "pipewire")
    ],
)
def test_on_a_sound_server_the_session_clock_counts_what_the_server_took(kind: str) -> None:
    """PulseAudio, and PipeWire (Debian 12's desktop sound, through its PulseAudio service)."""
    result = _probe(kind=kind)
    assert result["following"] is True
    # One buffer per post-mix call, of the size asked for: the device takes sound at the
    # wall clock's pace to within parts per thousand, not twice or half of it.
    assert result["pace"] == pytest.approx(1.0, abs=0.02)
    # The clock moved by the device's frames (to within the buffer it estimates across),
    # not by however long the wall clock took.
    assert_clock_moved_by_the_frames(result)


@pytest.mark.skipif(bool(missing_tools()), reason=f"not installed: {missing_tools()}")
def test_a_thread_holding_the_gil_does_not_starve_the_sound_device() -> None:
    """The clock's hook runs no Python on SDL's audio thread: with a Python hook there, a
    thread sorting lists (holding the GIL in long C calls) left the device fed at 77 % of real
    time, every missing buffer a gap of silence the count cannot see. With the C hook the
    device keeps its pace."""
    result = _probe("--hog")
    assert result["following"] is True
    assert result["pace"] == pytest.approx(1.0, abs=0.05)
    assert_clock_moved_by_the_frames(result)


def assert_clock_moved_by_the_frames(result: dict[str, float]) -> None:
    """Between the frames read just before and just after each of its two readings (to
    within the two buffers it estimates across)."""
    slack = 2 * result["buffer_s"]
    assert result["least_s"] - slack <= result["clock_s"] <= result["most_s"] + slack, result
    assert result["most_s"] - result["least_s"] < 0.2  # the readings were close together


@pytest.mark.skipif(bool(missing_tools()), reason=f"not installed: {missing_tools()}")
def test_record_heard_writes_what_the_server_played_with_every_cue_at_its_moment(
    tmp_path: Path,
) -> None:
    """``kiosk rehearse --record-heard``: the server's own monitor, time 0 at the session's
    start on the wall clock; every cue that starts from silence is heard on its moment (the
    kiosk measured the server's latency at start and placed each cue that much earlier)."""
    from bench.sound_server import keep_sink_busy
    from voice.recording import onset_latencies
    from voice.wav import read_wav

    wav = tmp_path / "heard.wav"
    times = tmp_path / "cues.json"
    argv = ["rehearse", "standing-wall-press", "--sets", "1", "--hold", "2", "--sides", "none",
            "--record-heard", str(wav)]  # fmt: skip
    with pulse_server(["kiosk"]) as server, keep_sink_busy(server, "kiosk"):
        env = server.env("kiosk")
        env["KIOSK_REHEARSE_CUE_TIMES"] = str(times)
        child = subprocess.run(
            [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())",
             *argv], capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120,
        )  # fmt: skip
    assert child.returncode == 0, child.stderr
    assert f"of what the sound server played to {wav}" in child.stdout
    assert "cues are placed that much earlier" in child.stdout  # its latency was measured
    pcm = read_wav(wav)
    rows = [row for row in json.loads(times.read_text()) if row["action"] == "played"]
    assert rows[0]["at_s"] == 0.0  # handed over as the session started: time 0 of the WAV
    # when each was handed to the mixer (the screen's moment), on the wall clock
    moments = [row["wall"] - rows[0]["wall"] for row in rows]
    early = 0.2
    found = onset_latencies(pcm, [m - early for m in moments if m >= early], window_s=1.0)
    heard = [latency - early for latency in found if latency is not None]
    assert len(heard) >= 5  # the 3-2-1 pips, go, the end of the hold...
    # Placed on its moment, the server's measured latency taken off: heard within the 20 ms
    # budget of it either way (a short recording's ruler and a busy server move it by a few).
    assert all(-0.02 <= h <= 0.02 for h in heard), [round(h * 1000, 1) for h in heard]


def test_record_heard_without_a_sound_server_says_so_and_exits_2(tmp_path: Path) -> None:
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/nothing-here", PULSE_SINK="")
    child = subprocess.run(
        [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())",
         "rehearse", "clamshell", "--record-heard", str(tmp_path / "x.wav")],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert child.returncode == 2
    assert "--record-heard:" in child.stderr
    assert not (tmp_path / "x.wav").exists()


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


def test_the_bench_times_what_was_heard_on_the_wall_clock_not_on_the_sinks_frame_count() -> None:
    """A sink whose clock runs 1000 ppm fast (it plays 1.001 s of frames per monotonic
    second), sounds handed over every 1.5 s of the wall clock and each heard 8 ms later: the
    frame count alone shows them drifting 1000 ppm late, the timestamped recording shows each
    heard 8 ms after it was handed over, no drift."""
    from array import array

    from voice.wav import Pcm

    rate = 8000
    sink = 1.001  # frames played per nominal frame of wall time
    start_wall = 500.0  # the recording's frame 0, on CLOCK_MONOTONIC
    walls = [start_wall + 1.0 + 1.5 * k for k in range(40)]
    samples = array("h", [0] * round(65.0 * rate * sink))
    for wall in walls:
        frame = round((wall + 0.008 - start_wall) * rate * sink)
        for i in range(frame, frame + 80):
            samples[i] = 12000 if i % 2 else -12000
    pcm = Pcm(rate, 1, samples)
    # chunks arrive 2-7 ms after they were played, as a reader's would
    arrivals = [
        (n, start_wall + n / (rate * sink) + 0.002 + 0.005 * ((n * 7919) % 100) / 100)
        for n in range(80, len(samples), 80)
    ]
    ruler = fit_ruler(arrivals, rate)
    assert ruler.sink_clock_ppm() == pytest.approx(1000, abs=20)
    heard = heard_after(pcm, ruler, walls)
    assert len(heard.errors) == 40
    assert all(abs(ms - 8.0) < 2.5 for ms in heard.abs_ms)  # the arrival jitter's residue
    assert abs(heard.drift_ppm()) < 20
    frame_count = onset_errors(pcm, [w - walls[0] for w in walls])
    assert frame_count.drift_ppm() == pytest.approx(1000, rel=0.05)


def test_over_a_whole_session_the_ruler_follows_a_sink_whose_pace_wanders() -> None:
    """A 20-minute recording from a sink whose pace wanders with load (12 ms ahead of a
    straight line at the middle, none at the ends), each sound heard 8 ms after it was
    handed over: the ruler, fitted piece by piece, finds 8 ms throughout; one straight line
    over the whole session would find the bow (as it did on a real null sink)."""
    from array import array

    from voice.wav import Pcm

    rate, seconds, start_wall = 4000, 1200.0, 500.0

    def played(t: float) -> float:  # frames the sink had played t seconds after frame 0
        return rate * (t + 0.012 * math.sin(math.pi * t / seconds))

    walls = [start_wall + 2.0 + 7.5 * k for k in range(158)]
    samples = array("h", bytes(2 * round(played(seconds + 5.0))))
    for wall in walls:
        frame = round(played(wall + 0.008 - start_wall))
        for i in range(frame, frame + 40):
            samples[i] = 12000 if i % 2 else -12000
    pcm = Pcm(rate, 1, samples)
    arrivals = []  # each 40-frame chunk 2-7 ms after it was played
    for n in range(40, len(samples), 40):
        t = n / rate
        t -= 0.012 * math.sin(math.pi * t / seconds)  # played(t) == n, to a microsecond
        arrivals.append((n, start_wall + t + 0.002 + 0.005 * ((n * 7919) % 100) / 100))
    heard = heard_after(pcm, fit_ruler(arrivals, rate), walls)
    assert len(heard.errors) == len(walls)
    assert all(abs(ms - 8.0) < 2.5 for ms in heard.abs_ms)
    straight = heard_after(pcm, fit_ruler(arrivals, rate, window_s=1e9), walls)
    assert max(abs(ms - 8.0) for ms in straight.abs_ms) > 6.0


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
