"""``kiosk rehearse ID``: run one exercise in real time through the engine and the voice.

Staff hear a program before they assign it; tests and the benchmark use it to check timing.
No screen: the session runs hands-free exactly as on the kiosk (the same compiled timeline, the
same engine, the same voice with its priorities and stale-cue rule), and each cue is printed as
it fires with its scheduled time, the actual time and what the voice did with it.

``--code``: the session is checked in and logged like a real one. The patient must have a
program today that contains the exercise; the dose is the one prescribed there (command-line
options override it), and each set is written against that program and its item, as the kiosk
would. Without ``--code`` nothing touches the database.

``--record FILE.wav``: the mixer plays into SDL's disk audio driver instead of a sound card,
and what it played is written to the WAV, with time 0 at the session's start. The session then
runs on the driver's clock (see :mod:`voice.recording`), so a cue due at ``t`` is at ``t`` in
the file. Without ``--record`` the default sound device plays (or, without one, only the
printout shows what would have been said), and the session runs on that device's pace too
(:mod:`voice.sound_clock`): a cue printed at ``t`` is heard at ``t`` of the device's time.

``--record-heard FILE.wav``: the sound plays through the sound server (PulseAudio or PipeWire)
and what the server played, its sink's monitor, is written to the WAV, time 0 at the session's
start on the wall clock (:mod:`voice.monitor`): what a listener heard, and when.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk.cli.arguments import cannot_write
from kiosk.cli.common import (
    UsageError,
    add_db_option,
    add_prescription_options,
    find_exercise,
    load_library,
    prescription_from_args,
)

if TYPE_CHECKING:
    from kiosk.core.engine import SessionEngine
    from kiosk.core.prescription import Prescription
    from kiosk.core.timeline import Timeline
    from kiosk.patient.checkin import CheckIn
    from kiosk.services import KioskServices
    from voice.scheduler import CueOutcome

PREPARE_TIMEOUT_S = 120.0
#: How long a rehearsal waits at its end for the writer to save the session's sets.
SAVE_WAIT_S = 10.0
EXIT_INTERRUPTED = 130
#: A file for the cues' wall-clock times (see ``_CuePrinter``); set by ``bench/sound_server.py``.
CUE_TIMES_ENV = "KIOSK_REHEARSE_CUE_TIMES"
#: ``--record-heard`` records on this long after the session, for the last sound to be played.
HEARD_TAIL_S = 1.0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rehearse = commands.add_parser(
        "rehearse",
        help="run an exercise in real time with the voice, no screen",
        description="Run one exercise's compiled timeline in real time through the session "
        "engine and the voice, hands-free, printing each cue as it fires.",
    )
    rehearse.add_argument("id", help="exercise id, e.g. clamshell")
    add_prescription_options(rehearse)
    rehearse.add_argument(
        "--code",
        help="check this patient in and log the sets against their program for today "
        "(the exercise must be in it)",
    )
    recording = rehearse.add_mutually_exclusive_group()
    recording.add_argument(
        "--record", type=Path, metavar="FILE.wav", help="write what the mixer played to a WAV"
    )
    recording.add_argument(
        "--record-heard",
        type=Path,
        metavar="FILE.wav",
        help="play through the sound server (PulseAudio or PipeWire) and write what it played "
        "(its monitor) to a WAV, time 0 at the session's start on the wall clock",
    )
    add_db_option(rehearse)
    rehearse.set_defaults(handler=rehearse_command)


def _check_record_path(path: Path | None, option: str = "--record") -> None:
    if path is None:
        return
    if path.suffix.lower() != ".wav":
        raise UsageError(f"{option} needs a .wav file name, got {str(path)!r}")
    if not path.parent.resolve().is_dir():
        raise UsageError(f"{option}: no such directory: {str(path.parent)!r}")
    problem = cannot_write(path)  # a read-only disk, a full one: now, not after the session
    if problem is not None:
        raise UsageError(f"{option}: cannot write {str(path)!r}: {problem}")


def _heard_sink(path: Path | None) -> str | None:
    """The sink ``--record-heard`` records, or a usage error saying what is missing."""
    if path is None:
        return None
    from voice.monitor import NoSoundServerError, server_sink

    _check_record_path(path, "--record-heard")
    try:
        return server_sink(os.environ)
    except NoSoundServerError as error:
        raise UsageError(f"--record-heard: {error}") from None


def _with_overrides(base: Prescription, args: argparse.Namespace) -> Prescription:
    """The program's dose, with what the command line changes."""
    from kiosk.core.prescription import PrescriptionError
    from media.schema import SidePattern

    if args.reps is not None and base.is_hold:
        raise UsageError(f"{base.exercise_id} is a hold exercise: use --hold, not --reps")
    changes: dict[str, object] = {}
    if args.sets is not None:
        changes["sets"] = args.sets
    if args.reps is not None:
        changes["reps"] = args.reps
    if args.hold is not None:
        changes["hold_s" if base.is_hold else "rep_hold_s"] = args.hold
    if args.sides is not None:
        changes["sides"] = SidePattern(args.sides)
    if args.rest is not None:
        changes["rest_s"] = args.rest
    try:
        return base.with_changes(**changes)
    except PrescriptionError as error:
        raise UsageError(str(error)) from None


def _patient_session(
    args: argparse.Namespace, services: KioskServices, exercise_id: str
) -> CheckIn:
    """The patient's check-in, narrowed to this exercise and keeping its program index."""
    from kiosk.core.compiler import compile_program
    from kiosk.core.prescription import Program

    checkin = services.patient.check_in(args.code)
    if checkin is None:
        raise UsageError(f"no patient with check-in code {args.code!r} has a program today")
    items = checkin.program.items
    index = next((i for i, p in enumerate(items) if p.exercise_id == exercise_id), None)
    if index is None:
        names = ", ".join(p.exercise_id for p in items)
        raise UsageError(f"{exercise_id} is not in this patient's program today ({names})")
    prescription = _with_overrides(items[index], args)
    program = Program(name=prescription.name, items=(prescription,))
    timeline = compile_program(program)
    # The sets belong to the patient's program: item `index`, not item 0 of a one-item program.
    steps = tuple(
        replace(step, exercise_index=index) if step.exercise_index == 0 else step
        for step in timeline.steps
    )
    timeline = replace(timeline, steps=steps)
    return replace(checkin, timeline=timeline)


def rehearse_command(args: argparse.Namespace) -> int:
    from kiosk.core.compiler import compile_prescription

    _check_record_path(args.record)
    heard_sink = _heard_sink(args.record_heard)
    exercise = find_exercise(load_library(), args.id)
    services: KioskServices | None = None
    checkin: CheckIn | None = None
    if args.code is not None:
        from kiosk.core.codes import InvalidCheckInCodeError, validate_code
        from kiosk.services import KioskServices

        try:
            validate_code(args.code)
        except InvalidCheckInCodeError as error:
            raise UsageError(str(error)) from None
        services = KioskServices.open(getattr(args, "db", None))
        try:
            checkin = _patient_session(args, services, exercise.id)
        except UsageError:
            services.close()
            raise
        timeline = checkin.timeline
    else:
        timeline = compile_prescription(prescription_from_args(exercise, args))
    try:
        heard = (args.record_heard, heard_sink) if heard_sink is not None else None
        return rehearse(
            timeline, record=args.record, heard=heard, services=services, checkin=checkin
        )
    except KeyboardInterrupt:  # while the voice was still being prepared
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if services is not None:
            services.close()


def rehearse(
    timeline: Timeline,
    *,
    record: Path | None = None,
    heard: tuple[Path, str] | None = None,
    services: KioskServices | None = None,
    checkin: CheckIn | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Run ``timeline`` in real time with the voice; 0 when it finished, 130 on Ctrl+C.

    ``record``: the mixer's output on the disk driver. ``heard``: (WAV path, sink): what the
    sound server played, recorded from the sink's monitor."""
    from kiosk.core.engine import ANNOUNCE_AHEAD_S, SessionEngine
    from kiosk.core.events import SessionState
    from voice.output import open_output
    from voice.recording import DiskRecording
    from voice.service import VoiceService
    from voice.sound_clock import SoundClock

    recording: DiskRecording | None = None
    raw_dir: tempfile.TemporaryDirectory[str] | None = None
    clock: Callable[[], float] = time.monotonic
    if record is not None:
        raw_dir = tempfile.TemporaryDirectory(prefix="kiosk-rehearse-")
        recording = DiskRecording(Path(raw_dir.name) / "mixer.raw")
        output = recording.open()
        clock = recording.clock
    else:
        if heard is not None:  # through the server whose sink is recorded
            os.environ.setdefault("SDL_AUDIODRIVER", "pulseaudio")
            os.environ.setdefault("PULSE_SINK", heard[1])
        output = open_output()
        if not output.available:
            print("no sound device: cues are printed only", file=out)
        else:
            from voice.output_latency import calibrate

            latency = calibrate(output)
            if latency is not None:
                ms = latency.seconds * 1000
                print(f"the sound server plays sound {ms:.1f} ms after the mixer hands it "
                      "over: cues are placed that much earlier", file=out)  # fmt: skip
        # The sound device's pace, not the wall clock's: a cue is heard when it is printed.
        sound_clock = SoundClock(time.monotonic)
        sound_clock.attach(output.device_clock)
        clock = sound_clock
    voice = VoiceService.open(output=output)
    try:
        started = time.perf_counter()
        job = voice.prepare(timeline)
        if not job.wait(PREPARE_TIMEOUT_S) or job.failed:
            missing = len(job.failed) if job.finished.is_set() else job.total - job.done_count
            print(f"voice: {missing} of {job.total} cues could not be rendered "
                  "(they will be captions only)", file=out)  # fmt: skip
        print(f"{timeline.name}: {timeline.total_s:.1f} s; voice ready in "
              f"{time.perf_counter() - started:.2f} s", file=out)  # fmt: skip
        if services is not None and checkin is not None:
            from kiosk.core.clock import utc_now

            engine = services.patient.begin_session(checkin, clock, utc_now).engine
        else:
            engine = SessionEngine(timeline, clock=clock, lead_s=ANNOUNCE_AHEAD_S)
        printer = _CuePrinter(out)
        device_time = recording.device_time if recording is not None else None
        engine.subscribe(voice.scheduler(clock=clock, on_outcome=printer, device_time=device_time))
        print(f"{'scheduled':>10} {'actual':>10} {'late':>7}  cue", file=out)
        with contextlib.ExitStack() as stack:
            capture = None
            if heard is not None:
                from voice.monitor import capture_monitor

                capture = stack.enter_context(capture_monitor(os.environ, heard[1]))
            base = clock()
            base_wall = time.monotonic()
            printer.base = base
            try:
                run_in_real_time(engine, clock)
            except KeyboardInterrupt:
                if engine.state not in (SessionState.FINISHED, SessionState.STOPPED):
                    engine.stop()
                print("stopped", file=out)
            if capture is not None:
                time.sleep(HEARD_TAIL_S)  # the last sound's way through the server
        if capture is not None and heard is not None:
            from voice.monitor import heard_from
            from voice.wav import write_wav

            pcm = heard_from(capture, base_wall)
            write_wav(heard[0], pcm)
            print(f"recorded {pcm.seconds:.1f} s of what the sound server played to {heard[0]}",
                  file=out)  # fmt: skip
        ended = engine.state
        printer.save_cue_times()
        if services is not None and checkin is not None:
            services.writer.wait_idle(SAVE_WAIT_S)
            print(saved_line(len(engine.records), checkin.display_name, services), file=out)
        voice.close()
        if recording is not None and record is not None:
            pcm = recording.finish(record, start_s=base)
            print(f"recorded {pcm.seconds:.1f} s to {record}", file=out)
        return 0 if ended is SessionState.FINISHED else EXIT_INTERRUPTED
    finally:
        voice.close()  # idempotent
        if raw_dir is not None:
            raw_dir.cleanup()


def saved_line(done: int, who: str, services: KioskServices) -> str:
    """What the database really has: never "saved" for a set that only waits to be."""
    status = services.writer.status()
    if not status.sets_waiting:
        return f"saved {done} set(s) for {who}"
    journal = services.writer.journal
    where = f"; kept in {journal.primary} until then" if journal is not None else ""
    return (
        f"saved {done - status.sets_waiting} of {done} set(s) for {who}; "
        f"{status.sets_waiting} waiting to be saved ({status.problem}){where}"
    )


def run_in_real_time(engine: SessionEngine, clock: Callable[[], float]) -> None:
    """Start the engine and call ``update()`` at each deadline until the session ends.

    Sleeps most of the way to a deadline, then in short steps: the clock may be the audio
    device's, which does not run at exactly the wall clock's rate.
    """
    from kiosk.core.events import SessionState

    engine.start()
    while engine.state is SessionState.RUNNING:
        deadline = engine.next_deadline()
        if deadline is None:
            return
        remaining = deadline - clock()
        if remaining > 0.004:
            time.sleep(remaining * 0.8)
        elif remaining > 0:
            time.sleep(0.0002)
        else:
            engine.update()


class _CuePrinter:
    """Prints each cue's outcome as it happens: scheduled, actual, lateness, what and how."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.base = 0.0
        self.outcomes: list[CueOutcome] = []
        #: ``time.monotonic()`` as each cue came due (the engine's clock at its moment): when
        #: the screen shows it. A cue placed ahead was handed to the mixer earlier.
        #: ``$KIOSK_REHEARSE_CUE_TIMES`` (a file path) gets them as JSON at the end, for
        #: ``bench/sound_server.py``, which finds when each was heard on the same clock.
        self.walls: list[float] = []

    def save_cue_times(self) -> None:
        path = os.environ.get(CUE_TIMES_ENV)
        if path:
            rows = [
                {"at_s": o.cue.at_s, "wall": wall, "action": o.action.value}
                for o, wall in zip(self.outcomes, self.walls, strict=True)
            ]
            Path(path).write_text(json.dumps(rows))

    def __call__(self, outcome: CueOutcome) -> None:
        self.walls.append(time.monotonic())
        self.outcomes.append(outcome)
        cue = outcome.cue
        what = f'"{cue.text}"' if cue.text is not None else f"[{cue.tone}]"
        actual = outcome.at - self.base
        note = "" if outcome.action.value == "played" else f"  ({outcome.action.value})"
        print(
            f"{cue.at_s:9.3f}s {actual:9.3f}s {outcome.late_s * 1000:+6.1f}ms  {what}{note}",
            file=self.out,
            flush=True,
        )
