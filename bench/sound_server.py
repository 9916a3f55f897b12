"""``sound_onset_*``: when cues are heard on a real sound server, over a long rehearsal.

A private PulseAudio server (started and stopped here, in a temporary runtime directory, with
two null sinks) plays, at the same time and each into its own sink:

* **ours**: ``kiosk rehearse`` of a real program (``SDL_AUDIODRIVER=pulseaudio``), the kiosk's
  own engine, voice and clock;
* **plain pygame** (the baseline): a click started every 1.5 s by ``time.monotonic``, no kiosk
  code.

``parecord`` records each sink's monitor: what the server played. Sound onsets are found in
the recording (the first sample louder than the silence threshold after quiet), the first one
is aligned with the first cue, and every later cue that starts from silence is measured
against its moment: the onset error (p50, p95, max of its size) and the drift (the slope of
the error over the session, in ppm). The rehearsal is the issue's (about 3 minutes);
``--long`` runs one of 10+ minutes (``make bench-sound-long``). Skipped with one line when
``pulseaudio`` or ``parecord`` is missing (``make bench`` installs them).

``python -m bench.sound_server [--long]`` prints the figures; ``--clicks SECONDS OUT.json`` is
the baseline's child (internal).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.report import Figure, median, percentile

ROOT = Path(__file__).resolve().parent.parent
P95_BUDGET_MS = 20.0
DRIFT_BUDGET_PPM = 50.0
CLICK_PERIOD_S = 1.5
#: The issue's program (about 3 minutes), and a long one (about 13 minutes).
SHORT = [
    "side-lying-lift-and-sweep",
    "--sets",
    "2",
    "--reps",
    "3",
    "--sides",
    "alternate",
    "--rest",
    "5",
]
LONG = [
    "side-lying-lift-and-sweep",
    "--sets",
    "8",
    "--reps",
    "4",
    "--sides",
    "alternate",
    "--rest",
    "10",
]
#: A cue is measured only if the recording was quiet this long before the search starts.
QUIET_S = 0.03
#: The search for a cue's onset starts this long before its expected moment.
EARLY_S = 0.2
WINDOW_S = 1.0
_CUE_LINE = re.compile(r"^\s*(\d+\.\d+)s\s+(\d+\.\d+)s\s+[+-]\d+\.\dms\s+(.*)$")


def missing_tools() -> list[str]:
    tools = ("pulseaudio", "parecord", "pacat", "pactl")
    return [tool for tool in tools if shutil.which(tool) is None]


@dataclass(frozen=True)
class PulseServer:
    """A private PulseAudio server: its runtime directory and the environment to reach it."""

    runtime: Path
    process: subprocess.Popen[bytes]

    def env(self, sink: str) -> dict[str, str]:
        return dict(
            os.environ,
            XDG_RUNTIME_DIR=str(self.runtime),
            PULSE_SERVER=f"unix:{self.runtime}/pulse/native",
            PULSE_SINK=sink,
            SDL_AUDIODRIVER="pulseaudio",
            PYGAME_HIDE_SUPPORT_PROMPT="1",
        )


@contextmanager
def pulse_server(sinks: Sequence[str], *, timeout_s: float = 20.0) -> Iterator[PulseServer]:
    """Start PulseAudio with a null sink per name, in a temporary runtime directory; stop it
    (this process only, by its id) at the end."""
    with tempfile.TemporaryDirectory(prefix="kiosk-pulse-") as tmp:
        runtime = Path(tmp)
        loads = [f"--load=module-null-sink sink_name={name}" for name in sinks]
        env = dict(os.environ, XDG_RUNTIME_DIR=tmp, HOME=tmp)
        process = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
                "--disable-shm=no",
                *loads,
                "--load=module-native-protocol-unix",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = PulseServer(runtime, process)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                probe = subprocess.run(
                    ["pactl", "list", "short", "sinks"],
                    env=server.env(sinks[0]),
                    capture_output=True,
                    text=True,
                )
                if probe.returncode == 0 and all(name in probe.stdout for name in sinks):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the private PulseAudio server did not start")
                time.sleep(0.1)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def keep_sink_busy(server: PulseServer, sink: str) -> Iterator[None]:
    """Play silence into ``sink`` at a modest latency (40 ms, above SDL's) for the whole run.
    An idle null sink works 2 s ahead; the first low-latency stream makes it change course,
    and what it had already rendered warps the first second or two of the monitor's recording.
    A kiosk's stream runs all day, so the measurement starts on a settled sink."""
    with open("/dev/zero", "rb") as zeros:
        player = subprocess.Popen(
            ["pacat", "--playback", "--latency-msec=40", "-d", sink],
            env=server.env(sink),
            stdin=zeros,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        time.sleep(3.0)  # past the sink's 2 s of rendering ahead
        yield
    finally:
        player.terminate()
        player.wait(10)


@contextmanager
def monitor_recording(server: PulseServer, sink: str, path: Path) -> Iterator[None]:
    """Record what ``sink`` played (its monitor), mono 44.1 kHz, into ``path``."""
    recorder = subprocess.Popen(
        [
            "parecord",
            "-d",
            f"{sink}.monitor",
            "--file-format=wav",
            "--rate=44100",
            "--channels=1",
            str(path),
        ],
        env=server.env(sink),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        recorder.terminate()  # parecord closes the WAV properly on SIGTERM
        recorder.wait(10)


@dataclass(frozen=True)
class Onsets:
    """Onset errors (s) of the measured cues and the cues' moments (s after the first)."""

    errors: list[float]
    moments: list[float]
    cues: int

    @property
    def abs_ms(self) -> list[float]:
        return [abs(e) * 1000 for e in self.errors]

    def drift_ppm(self) -> float:
        """The least-squares slope of the error over the session."""
        n = len(self.errors)
        if n < 2:
            return 0.0
        mx = sum(self.moments) / n
        my = sum(self.errors) / n
        sxx = sum((x - mx) ** 2 for x in self.moments)
        sxy = sum((x - mx) * (y - my) for x, y in zip(self.moments, self.errors, strict=True))
        return sxy / sxx * 1e6 if sxx else 0.0


def onset_errors(wav: Path, moments: Sequence[float]) -> Onsets:
    """Align the recording's first onset with ``moments[0]`` and measure every cue that
    starts from silence against its moment (see the module's text)."""
    from voice.recording import onset_latencies
    from voice.wav import first_loud_frame, read_wav

    pcm = read_wav(wav)
    first = first_loud_frame(pcm)
    if first is None or not moments:
        return Onsets([], [], len(moments))
    origin = first / pcm.rate - moments[0]  # the recording's time of moment 0
    starts = [origin + m - EARLY_S for m in moments]
    found = onset_latencies(pcm, starts, quiet_s=QUIET_S, window_s=WINDOW_S)
    errors, kept = [], []
    for moment, latency in zip(moments, found, strict=True):
        if latency is not None:
            errors.append(latency - EARLY_S)
            kept.append(moment - moments[0])
    return Onsets(errors, kept, len(moments))


def played_moments(printout: str) -> list[float]:
    """The scheduled times of the cues ``kiosk rehearse`` printed as played."""
    moments = []
    for line in printout.splitlines():
        match = _CUE_LINE.match(line)
        if match and not match.group(3).rstrip().endswith(")"):  # "(dropped: …)" etc.
            moments.append(float(match.group(1)))
    return moments


def _clicks(seconds: float, out: Path) -> int:
    """The baseline: plain pygame, a click every 1.5 s by the monotonic clock."""
    import array
    import math

    import pygame.mixer

    pygame.mixer.init(frequency=44100, size=-16, channels=2, buffer=512, allowedchanges=0)
    samples = array.array("h")
    for i in range(441):  # 10 ms of 1 kHz
        value = int(math.sin(2 * math.pi * 1000 * i / 44100) * 20000)
        samples.extend((value, value))
    click = pygame.mixer.Sound(buffer=samples.tobytes())
    channel = pygame.mixer.Channel(0)
    time.sleep(1.0)  # the stream settles (a fresh stream starts with the sink's old latency)
    start = time.monotonic()
    moments = []
    k = 0
    while k * CLICK_PERIOD_S <= seconds:
        due = start + k * CLICK_PERIOD_S
        while (left := due - time.monotonic()) > 0.003:
            time.sleep(left - 0.002)
        while time.monotonic() < due:
            pass
        channel.play(click)
        moments.append(k * CLICK_PERIOD_S)
        k += 1
    time.sleep(0.5)
    pygame.mixer.quit()
    out.write_text(json.dumps(moments))
    return 0


def measure(rehearsal: Sequence[str], clicks_s: float) -> tuple[Onsets, Onsets, str]:
    """Both sides at once on one private server; returns (ours, baseline, load)."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-sound-") as tmp,
        pulse_server(["kiosk", "plain"]) as server,
    ):
        folder = Path(tmp)
        load_before = os.getloadavg()[0]
        with (
            keep_sink_busy(server, "kiosk"),
            keep_sink_busy(server, "plain"),
            monitor_recording(server, "kiosk", folder / "kiosk.wav"),
            monitor_recording(server, "plain", folder / "plain.wav"),
        ):
            time.sleep(0.5)
            env = server.env("kiosk")
            env["KIOSK_VOICE_CACHE_DIR"] = str(folder / "cache")
            ours = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sys; from kiosk.cli import main; sys.exit(main())",
                    "rehearse",
                    *rehearsal,
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.sound_server",
                    "--clicks",
                    str(clicks_s),
                    str(folder / "clicks.json"),
                ],
                cwd=ROOT,
                env=server.env("plain"),
                check=True,
            )
            printout, _ = ours.communicate()
            time.sleep(0.5)
        load = f"load {load_before:.2f} → {os.getloadavg()[0]:.2f}"
        keep = os.environ.get("KIOSK_BENCH_KEEP")  # a folder: keep the recordings to look at
        if keep:
            for name in ("kiosk.wav", "plain.wav", "clicks.json"):
                shutil.copy(folder / name, Path(keep) / name)
            (Path(keep) / "rehearsal.txt").write_text(printout)
        mine = onset_errors(folder / "kiosk.wav", played_moments(printout))
        plain = onset_errors(folder / "plain.wav", json.loads((folder / "clicks.json").read_text()))
        return mine, plain, load


def _timeline_s(rehearsal: Sequence[str]) -> float:
    from kiosk.cli.common import find_exercise, load_library, prescription_from_args
    from kiosk.cli.rehearse import register
    from kiosk.core.compiler import compile_prescription

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["rehearse", *rehearsal])
    exercise = find_exercise(load_library(), args.id)
    return compile_prescription(prescription_from_args(exercise, args)).total_s


def run(long: bool = False) -> list[Figure]:
    missing = missing_tools()
    if missing:
        print(
            f"sound_server: skipped: {', '.join(missing)} not installed "
            "(apt-get install pulseaudio pulseaudio-utils)"
        )
        return []
    rehearsal = LONG if long else SHORT
    seconds = _timeline_s(rehearsal)
    ours, plain, load = measure(rehearsal, seconds)
    if not ours.errors or not plain.errors:
        print("sound_server: nothing measurable was recorded")
        return []
    label = (
        f"plain pygame, clicks by time.monotonic, {len(plain.errors)} clicks; ours: "
        f"{len(ours.errors)} of {ours.cues} cues measured, {seconds / 60:.1f} min; {load}"
    )
    name = "sound_long" if long else "sound"
    return [
        Figure(f"{name}_onset_p50_ms", median(ours.abs_ms), "ms", median(plain.abs_ms), label, "-"),
        Figure(
            f"{name}_onset_p95_ms",
            percentile(ours.abs_ms, 95),
            "ms",
            percentile(plain.abs_ms, 95),
            label,
            f"p95 <= {P95_BUDGET_MS:g} ms",
        ),
        Figure(f"{name}_onset_max_ms", max(ours.abs_ms), "ms", max(plain.abs_ms), label, "-"),
        Figure(
            f"{name}_drift_ppm",
            abs(ours.drift_ppm()),
            "pp",
            abs(plain.drift_ppm()),
            label,
            f"<= {DRIFT_BUDGET_PPM:g} ppm",
        ),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--long", action="store_true", help="a rehearsal of 10+ minutes")
    parser.add_argument("--clicks", type=float, metavar="SECONDS")
    parser.add_argument("out", type=Path, nargs="?")
    args = parser.parse_args(argv)
    if args.clicks is not None:
        return _clicks(args.clicks, args.out)
    from bench import report

    report.print_and_save(
        run(long=args.long), measured_by="make bench-sound-long" if args.long else None
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
