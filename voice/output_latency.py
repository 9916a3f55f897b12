"""How long the sound server holds the kiosk's sound before it plays it: measured at start-up.

The kiosk's clock is the mixer's (:mod:`voice.device_clock`): a cue is due when the mixer hands
its first frame to the sound server. A server then holds it for its own latency before the
sink plays it. On PulseAudio that is a few milliseconds; on PipeWire (Debian 12's desktop
sound) it is one quantum, 1,024 frames at 48 kHz, about 21 ms, constant over a whole session
and the same for any client. Nothing tells a client that figure (PipeWire's PulseAudio service
reports 0 µs for the stream), so the kiosk measures it, the way ``make bench`` measures what is
heard: it plays a few faint probes, placed on known frames, into the server, records the
sink's monitor (what the server played, :mod:`voice.monitor`), and finds each probe there. The
median is kept on the output (:attr:`voice.output.MixerOutput.output_latency_s`), and every
sound placed on its moment is placed that much earlier, so it is *heard* on its moment.

The probe is a 20 ms burst at 15 kHz, 36 dB below full scale: faint in a quiet room, and
higher than most older listeners hear at all; the monitor is digital, so it is found exactly
however quiet it is. Its onset is where it first reaches half its peak, in the recording and in the
probe itself, so the sink's and the stream's volume do not matter.

Only on a sound server (SDL's ``pulseaudio`` driver, which PipeWire also serves), with
``parecord`` (pulseaudio-utils) to record the monitor. Anything else (the disk driver, ALSA
directly, no server, probes not found or not agreeing) leaves the latency at 0 with one log
line: sounds are placed as before, on the mixer's frame.
"""

from __future__ import annotations

import logging
import math
import os
import statistics
import threading
import time
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from voice.device_clock import DeviceClock
from voice.monitor import (
    MonitorCapture,
    NoSoundServerError,
    Ruler,
    capture_monitor,
    server_sink,
    sink_rate,
)

log = logging.getLogger(__name__)

PROBE_HZ = 15000.0
PROBE_S = 0.02
PROBE_RAMP_S = 0.002
#: 36 dB below full scale.
PROBE_LEVEL = 10 ** (-36 / 20)
PROBES = 7
#: Each probe is placed this far ahead of the clock's reading (the engine's cues are announced
#: 80 ms ahead; a probe needs less).
PROBE_AHEAD_S = 0.06
#: Between probes: longer than any server's latency, so each is found alone.
PROBE_GAP_S = 0.3
#: How long a mixer just opened may take to start taking sound.
START_WAIT_S = 2.0
#: How often the probe looks whether the mixer or the recorder has started.
READ_EVERY_S = 0.004
#: How long the recorder may take to connect and deliver its first sound.
RECORDER_WAIT_S = 5.0
#: Recorded before the first probe (arrivals for the ruler) and after the last (its way
#: through the server).
LEAD_IN_S = 0.5
TAIL_S = 0.4
#: A probe is looked for from this long before its moment to this long after.
SEARCH_BEFORE_S = 0.02
SEARCH_AFTER_S = 0.25
#: Below this peak (of 32767) nothing was found: the sink is muted, or another sound played.
MIN_PEAK = 8
#: A probe agrees with the others within this of their median; most must (a busy machine can
#: delay one), else none is trusted (something else played).
AGREE_S = 0.002
AGREEING = 0.7
#: A measurement not trusted is tried again this many times in all.
TRIES = 3
#: A latency outside this is not a server's: something went wrong.
PLAUSIBLE_S = (-0.005, 0.25)


class LatencyProbeError(RuntimeError):
    """The output's latency could not be measured; the message says why."""


@dataclass(frozen=True)
class OutputLatency:
    """What the probes found: seconds from the mixer's frame to the sink's."""

    seconds: float
    spread_s: float
    probes: int


class ProbeOutput(Protocol):
    """What the probe needs of the output (a :class:`voice.output.MixerOutput`)."""

    frequency: int
    channels: int
    device_clock: DeviceClock | None

    def place_probe(self, samples: bytes, device_s: float, *, heard: bool = False) -> bool: ...


def probe_pcm(rate: int, channels: int) -> array[int]:
    """The probe as interleaved s16 at ``rate``: a raised-cosine-edged burst."""
    n = round(PROBE_S * rate)
    ramp = round(PROBE_RAMP_S * rate)
    step = 2 * math.pi * PROBE_HZ / rate
    peak = PROBE_LEVEL * 32767
    samples = array("h")
    for i in range(n):
        edge = min(1.0, (i + 0.5) / ramp, (n - i - 0.5) / ramp)
        envelope = 0.5 - 0.5 * math.cos(math.pi * edge)
        value = round(peak * envelope * math.sin(step * i))
        samples.extend([value] * channels)
    return samples


def half_peak_index(samples: Sequence[int], start: int = 0, end: int | None = None) -> int | None:
    """The first index in ``samples[start:end]`` whose magnitude reaches half the slice's peak,
    or None when the peak is below :data:`MIN_PEAK` (nothing there)."""
    end = len(samples) if end is None else min(end, len(samples))
    start = max(0, start)
    if end <= start:
        return None
    peak = max(abs(value) for value in samples[start:end])
    if peak < MIN_PEAK:
        return None
    for index in range(start, end):
        if 2 * abs(samples[index]) >= peak:
            return index
    return None  # pragma: no cover - the peak itself qualifies


def _loud(samples: Sequence[int]) -> bool:
    return any(abs(value) >= MIN_PEAK for value in samples)


def latencies(
    capture: MonitorCapture, ruler: Ruler, moments: Sequence[float], rate: int
) -> list[float | None]:
    """For each probe's moment (monotonic), how long after it the probe was played: the
    recording's onset placed on the monotonic clock by ``ruler``, or None if not found."""
    own_onset = half_peak_index(probe_pcm(rate, 1))
    assert own_onset is not None
    found: list[float | None] = []
    for moment in moments:
        start = round(ruler.frame(moment - SEARCH_BEFORE_S))
        end = round(ruler.frame(moment + SEARCH_AFTER_S))
        onset = half_peak_index(capture.samples, start, end)
        began = None if onset is None else onset - own_onset
        if began is None or began <= start or _loud(capture.samples[start:began]):
            found.append(None)  # nothing, or not from silence (already sounding)
            continue
        found.append(ruler.wall(began) - moment)
    return found


def summarise(found: Sequence[float | None]) -> OutputLatency:
    """The probes' latency: the median of those that agree with the median, if most do; else
    :class:`LatencyProbeError` saying why none can be trusted."""
    heard = [value for value in found if value is not None]
    if len(heard) < len(found):
        raise LatencyProbeError(
            f"{len(found) - len(heard)} of {len(found)} probes were not found in what the "
            "sink played (muted, or another sound playing)"
        )
    middle = statistics.median(heard)
    agreeing = [value for value in heard if abs(value - middle) <= AGREE_S]
    if len(agreeing) < AGREEING * len(heard):
        spread = max(heard) - min(heard)
        raise LatencyProbeError(
            f"the probes disagree by {spread * 1000:.1f} ms (another sound playing?)"
        )
    seconds = statistics.median(agreeing)
    if not PLAUSIBLE_S[0] <= seconds <= PLAUSIBLE_S[1]:
        raise LatencyProbeError(f"{seconds * 1000:.1f} ms is not a sound server's latency")
    return OutputLatency(seconds, max(agreeing) - min(agreeing), len(agreeing))


def measure(
    output: ProbeOutput,
    env: Mapping[str, str],
    sink: str,
    *,
    probes: int = PROBES,
    heard: bool = False,
    rate: int | None = None,
    wait: Callable[[float], object] = time.sleep,
) -> OutputLatency:
    """Play ``probes`` probes on known frames and find them in ``sink``'s monitor. With
    ``heard``, each is placed as a cue is (the output's latency taken off): what is left is how
    far from its moment a cue is heard. ``rate``: the sink's (looked up if not given)."""
    clock = output.device_clock
    if clock is None:
        raise LatencyProbeError("the mixer's clock cannot be read")
    started = time.monotonic()
    while not clock.running():  # a mixer just opened takes a few buffers to start
        if time.monotonic() - started > START_WAIT_S:
            raise LatencyProbeError("the mixer's clock is not running")
        wait(READ_EVERY_S)
    stereo = bytes(probe_pcm(output.frequency, output.channels))
    # Recorded at the sink's own rate: a resampler on the way to the recording would add its
    # delay to what is measured.
    rate = rate or sink_rate(env, sink) or output.frequency
    moments: list[float] = []

    try:
        with capture_monitor(env, sink, rate=rate) as capture:
            waited = 0.0
            while not capture.arrivals:  # the recorder connecting to the server
                if waited > RECORDER_WAIT_S:
                    raise LatencyProbeError(f"nothing recorded from {sink}.monitor")
                wait(READ_EVERY_S * 10)
                waited += READ_EVERY_S * 10
            wait(LEAD_IN_S)
            for _ in range(probes):
                reading, now = clock(), time.monotonic()  # DeviceClock reads CLOCK_MONOTONIC
                if not output.place_probe(stereo, reading + PROBE_AHEAD_S, heard=heard):
                    raise LatencyProbeError("the probe could not be placed (the mixer stalled)")
                moments.append(now + PROBE_AHEAD_S)
                wait(PROBE_GAP_S)
            wait(TAIL_S)
    except OSError as error:
        raise LatencyProbeError(f"cannot record the sink's monitor: {error}") from None
    try:
        ruler = capture.ruler()
    except ValueError as error:
        raise LatencyProbeError(str(error)) from None
    return summarise(latencies(capture, ruler, moments, rate))


def current_audio_driver() -> str | None:
    """The audio driver SDL opened the mixer with (``pulseaudio``, ``disk``, ...)."""
    from voice.device_clock import DeviceClockError, sdl_library

    try:
        name: bytes | None = sdl_library().SDL_GetCurrentAudioDriver()
    except (DeviceClockError, OSError, AttributeError):
        return None
    return name.decode() if name else None


_measuring = threading.Lock()


def calibrate(output: object, env: Mapping[str, str] | None = None) -> OutputLatency | None:
    """Measure ``output``'s latency on its sound server and place its sounds that much earlier
    from now on; on anything else (or a failed measurement) leave it at 0. One log line."""
    from voice.output import MixerOutput

    if not isinstance(output, MixerOutput) or output.closed:
        return None
    driver = current_audio_driver()
    if driver != "pulseaudio":
        log.info("voice: sound through SDL's %s driver; sounds are placed on the mixer's frame",
                 driver or "unknown")  # fmt: skip
        return None
    env = os.environ if env is None else env
    try:
        sink = server_sink(env)
        rate = sink_rate(env, sink)
        with _measuring:
            for attempt in range(1, TRIES + 1):
                try:
                    found = measure(output, env, sink, rate=rate)
                    break
                except LatencyProbeError:
                    if attempt == TRIES:
                        raise
    except (NoSoundServerError, LatencyProbeError) as error:
        log.warning("voice: the sound server's latency was not measured (%s); sounds are "
                    "placed on the mixer's frame", error)  # fmt: skip
        return None
    output.output_latency_s = found.seconds
    log.info("voice: the sound server plays the kiosk's sound %.1f ms after the mixer hands "
             "it over (%d probes, spread %.1f ms); sounds are placed that much earlier",
             found.seconds * 1000, found.probes, found.spread_s * 1000)  # fmt: skip
    return found
