"""Recording what the mixer played, with SDL's disk audio driver, on the mixer's own clock.

SDL's ``disk`` driver writes every buffer the mixer produces to a file (bare s16 stereo) instead
of a sound card, so a rehearsal, a test or the benchmark can check what was heard and when. It
paces itself with a whole-millisecond sleep per buffer (10 ms for 10.7 ms of sound), so its
output runs a few per cent faster than the wall clock: positions in the file are not wall-clock
times. A real sound card is the session's timekeeper in the same way, so while recording the
session engine runs on the *device's* clock instead: :meth:`DiskRecording.clock` is the
output's :class:`voice.device_clock.DeviceClock`, which counts the buffers the mixer has handed
to the driver (SDL_mixer's post-mix hook, in C) and estimates where it is between them. A
cue due at timeline time ``t`` then belongs at ``t`` in the recording, and its distance from
there is the true latency of the path (engine → scheduler → ``Channel.play`` → the mixer's
next buffer).

Linux only (the hook is found through ``/proc/self/maps``, so it is the very SDL_mixer that
pygame loaded); used by ``kiosk rehearse --record``, the tests and ``bench/cue_latency.py``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from voice.device_clock import DeviceClock
from voice.output import (
    BUFFER_FRAMES,
    FREQUENCY,
    AudioOutput,
    close_output,
    open_output,
    sdl_environment,
)
from voice.wav import Pcm, first_loud_frame, raw_to_wav


class RecordingError(RuntimeError):
    """Recording is not possible here (the mixer is already open, no SDL_mixer found...)."""


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """SDL announces the disk driver with two CRITICAL lines on stderr; staff need not see
    them. Only around the mixer's start; errors still arrive as exceptions."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class DiskRecording:
    """Opens the mixer on the disk driver, keeps its clock, and turns the output into a WAV.

    Must be opened before anything else initialises the mixer in this process (SDL picks its
    driver once).
    """

    def __init__(self, raw_path: Path) -> None:
        self.raw_path = raw_path
        self.frequency = FREQUENCY
        self.channels = 2
        self.buffer_frames = BUFFER_FRAMES
        self.device_clock: DeviceClock | None = None
        self.output: AudioOutput | None = None

    def open(self, *, buffer_frames: int = BUFFER_FRAMES) -> AudioOutput:
        sdl_environment()
        import pygame.mixer

        if pygame.mixer.get_init() is not None:
            raise RecordingError("the mixer is already open: record in a fresh process")
        os.environ["SDL_AUDIODRIVER"] = "disk"
        os.environ["SDL_DISKAUDIOFILE"] = str(self.raw_path)
        self.raw_path.parent.mkdir(parents=True, exist_ok=True)
        with _quiet_stderr():
            output = open_output(buffer_frames=buffer_frames)
        if not output.available:
            raise RecordingError(f"the disk audio driver did not open {self.raw_path}")
        init = pygame.mixer.get_init()
        assert init is not None
        self.frequency, _size, self.channels = init
        self.buffer_frames = buffer_frames
        self.device_clock = output.device_clock
        if self.device_clock is None:
            close_output()
            raise RecordingError("cannot count what the disk driver wrote (no SDL_mixer hook)")
        self.output = output
        return output

    def clock(self) -> float:
        """Seconds of sound the device has played: the session's clock while recording."""
        return self.device_clock() if self.device_clock is not None else 0.0

    @staticmethod
    def device_time(reading: float) -> float:
        """The device's time at a reading of :meth:`clock`: the same (it is the device's own
        clock), so a voice on this clock places its cues on their samples."""
        return reading

    def frames(self) -> int:
        return self.device_clock.frames() if self.device_clock is not None else 0

    def finish(self, wav_path: Path | None = None, *, start_s: float = 0.0) -> Pcm:
        """Stop the mixer (SDL closes the file) and convert the output to a WAV.

        ``start_s`` (a reading of :meth:`clock`, e.g. when the session started) becomes time 0
        of the WAV. Returns the samples; writes them to ``wav_path`` if given.
        """
        close_output()  # the hook stays until the audio thread has stopped: every buffer counts
        counted = self.frames()
        frame_bytes = 2 * self.channels
        written = self.raw_path.stat().st_size // frame_bytes if self.raw_path.exists() else 0
        before_hook = max(0, written - counted)  # buffers written before the hook was set
        start = before_hook + round(start_s * self.frequency)
        target = wav_path or self.raw_path.with_suffix(".wav")
        pcm = raw_to_wav(
            self.raw_path, target, rate=self.frequency, channels=self.channels, start_frame=start
        )
        if wav_path is None:
            target.unlink()
        return pcm


def onset_latencies(
    pcm: Pcm, moments: Sequence[float], *, quiet_s: float = 0.03, window_s: float = 2.0
) -> list[float | None]:
    """For each moment (seconds into ``pcm``), how long until the first non-silent sample.

    None where it cannot be told: the recording was not quiet for ``quiet_s`` before the
    moment (a sound still running into it would be mistaken for the cue), or nothing sounded
    within ``window_s``.
    """
    latencies: list[float | None] = []
    for moment in moments:
        start = round(moment * pcm.rate)
        before = first_loud_frame(pcm, start - round(quiet_s * pcm.rate), end_frame=start)
        if before is not None:
            latencies.append(None)
            continue
        onset = first_loud_frame(pcm, start, end_frame=start + round(window_s * pcm.rate))
        latencies.append(None if onset is None else onset / pcm.rate - moment)
    return latencies
