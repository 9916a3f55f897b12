"""What a sound server played, on ``CLOCK_MONOTONIC``: its sink's monitor, timestamped.

A sink keeps its own time: a PulseAudio null sink with a low-latency client plays about 440 ppm
more frames per monotonic second than its nominal rate (a PipeWire one about 760 ppm fewer), so
a recorded frame's index divided by the rate is not a time a listener, or the screen, lives in.
:func:`capture_monitor` records a sink's monitor through ``parecord`` and timestamps every
10 ms chunk as it arrives; :class:`Ruler` then places each recorded frame on the monotonic
clock. Used by ``kiosk rehearse --record-heard`` and ``bench/sound_server.py``.
"""

from __future__ import annotations

import array
import bisect
import math
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from voice.wav import Pcm

#: The recording's format: mono s16 at the mixer's rate.
RATE = 44100


#: A sink's pace wanders with the machine's load (a null sink is paced by a timer that loses a
#: little per block, more when busy): over a whole session one straight line from frames to
#: time bowed by up to 13 ms in the middle. So the ruler is fitted piece by piece: a line per
#: knot over the arrivals within this many seconds either side, the knots this far apart.
WINDOW_S = 30.0


@dataclass(frozen=True)
class Ruler:
    """Where a frame of the monitor's recording lies on ``CLOCK_MONOTONIC``.

    A sink keeps its own time: a null sink with a low-latency client renders about 440 ppm
    more frames per monotonic second than its nominal rate, so a frame's index divided by the
    rate is not a time a listener (or the screen) lives in. The reader timestamps every chunk
    of the recording as it arrives; a chunk cannot arrive before it was played, so the least
    delayed arrivals bound when each frame was played. At each knot (every :data:`WINDOW_S` of
    the recording) a line is fitted to the arrivals within :data:`WINDOW_S` either side: its
    slope by least squares, its offset from the earliest arrival relative to it; between
    knots the ruler goes straight from one to the next.
    """

    rate: int
    #: (seconds of the recording at its nominal rate, the monotonic time of that frame),
    #: increasing in both.
    knots: tuple[tuple[float, float], ...]

    def wall(self, frame: float) -> float:
        return _interpolate(self.knots, frame / self.rate, 0, 1)

    def frame(self, wall: float) -> float:
        return _interpolate(self.knots, wall, 1, 0) * self.rate

    def sink_clock_ppm(self) -> float:
        """Frames the sink played per monotonic second, beyond its nominal rate (on average
        over the recording)."""
        (x0, y0), (x1, y1) = self.knots[0], self.knots[-1]
        return ((x1 - x0) / (y1 - y0) - 1.0) * 1e6


def _interpolate(knots: Sequence[tuple[float, float]], value: float, a: int, b: int) -> float:
    """Coordinate ``b`` at ``value`` of coordinate ``a``, straight between knots and beyond the
    ends along the nearest piece."""
    index = bisect.bisect_left([knot[a] for knot in knots], value)
    index = min(max(index, 1), len(knots) - 1)
    lo, hi = knots[index - 1], knots[index]
    return lo[b] + (value - lo[a]) * (hi[b] - lo[b]) / (hi[a] - lo[a])


def _line(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """(slope, offset): the least-squares slope, the offset of the lowest point under it."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return slope, min(y - slope * x for x, y in points)


def fit_ruler(
    arrivals: Sequence[tuple[int, float]], rate: int, *, window_s: float = WINDOW_S
) -> Ruler:
    """``arrivals``: (frames received so far, ``time.monotonic()`` on receipt)."""
    points = [(frames / rate, at) for frames, at in arrivals]
    if len(points) < 2 or points[-1][0] <= points[0][0]:
        raise ValueError("the recording is too short to time")
    first, last = points[0][0], points[-1][0]
    steps = max(1, math.ceil((last - first) / window_s))
    knots = []
    xs = [x for x, _ in points]
    for k in range(steps + 1):
        x = first + (last - first) * k / steps
        lo = bisect.bisect_left(xs, x - window_s)
        hi = bisect.bisect_right(xs, x + window_s)
        near = points[lo:hi] if hi - lo >= 2 else points
        slope, offset = _line(near)
        knots.append((x, offset + slope * x))
    return Ruler(rate, tuple(knots))


class MonitorCapture:
    """What a sink played (its monitor, mono s16 at ``rate``), each chunk timestamped."""

    CHUNK_S = 0.01

    def __init__(self, rate: int = RATE) -> None:
        self.rate = rate
        self.samples = array.array("h")
        self.arrivals: list[tuple[int, float]] = []

    def read_from(self, stream: IO[bytes]) -> None:
        size = 2 * round(self.CHUNK_S * self.rate)
        while chunk := stream.read(size):
            at = time.monotonic()
            self.samples.frombytes(chunk[: len(chunk) // 2 * 2])
            self.arrivals.append((len(self.samples), at))

    def pcm(self) -> Pcm:
        return Pcm(self.rate, 1, self.samples)

    def ruler(self) -> Ruler:
        return fit_ruler(self.arrivals, self.rate)


@contextmanager
def capture_monitor(
    env: Mapping[str, str], sink: str, *, rate: int = RATE
) -> Iterator[MonitorCapture]:
    """Record what ``sink`` played (on the server ``env`` reaches), timestamping it as it
    comes (see :class:`Ruler`). Raises ``OSError`` if ``parecord`` is missing."""
    recorder = subprocess.Popen(
        [
            "parecord",
            "-d",
            f"{sink}.monitor",
            "--raw",
            "--format=s16le",
            f"--rate={rate}",
            "--channels=1",
            "--latency-msec=5",
        ],
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    capture = MonitorCapture(rate)
    assert recorder.stdout is not None
    reader = threading.Thread(target=capture.read_from, args=(recorder.stdout,), daemon=True)
    reader.start()
    try:
        yield capture
    finally:
        recorder.terminate()
        recorder.wait(10)
        reader.join(10)


class NoSoundServerError(RuntimeError):
    """No PulseAudio or PipeWire server to record from (or no ``parecord``/``pactl``)."""


def server_sink(env: Mapping[str, str]) -> str:
    """The sink the kiosk's sound goes to on the server ``env`` reaches: ``$PULSE_SINK``, else
    the server's default. Raises :class:`NoSoundServerError` with what is missing."""
    import shutil

    missing = [tool for tool in ("parecord", "pactl") if shutil.which(tool) is None]
    if missing:
        raise NoSoundServerError(
            f"{' and '.join(missing)} not installed (apt-get install pulseaudio-utils)"
        )
    if env.get("PULSE_SINK"):
        return env["PULSE_SINK"]
    try:
        found = subprocess.run(
            ["pactl", "get-default-sink"], env=dict(env), capture_output=True, text=True,
            timeout=10,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise NoSoundServerError("the sound server does not answer") from None
    if found.returncode != 0 or not found.stdout.strip():
        raise NoSoundServerError("no PulseAudio or PipeWire server to record from")
    return found.stdout.strip()


def sink_rate(env: Mapping[str, str], sink: str) -> int | None:
    """The rate ``sink`` plays at (``pactl list short sinks``), or None if it is not listed. A
    monitor recorded at another rate goes through a resampler, whose delay would be counted."""
    try:
        listed = subprocess.run(
            ["pactl", "list", "short", "sinks"], env=dict(env), capture_output=True, text=True,
            timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in listed.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) >= 4 and fields[1] == sink:
            for word in fields[3].split():
                if word.endswith("Hz") and word[:-2].isdigit():
                    return int(word[:-2])
    return None


def heard_from(capture: MonitorCapture, start_wall: float) -> Pcm:
    """What the sink played from ``start_wall`` (``time.monotonic()``) on: frame 0 of the
    result is that moment, on the monotonic clock (see :class:`Ruler`)."""
    first = max(0, round(capture.ruler().frame(start_wall)))
    return Pcm(capture.rate, 1, capture.samples[first:])
