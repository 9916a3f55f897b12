"""Listening: audio in, commands out, on a thread of its own — never the Qt thread, never the
session clock's path.

An :class:`AudioSource` gives 16 kHz 16-bit mono PCM: the microphone
(:class:`voice.microphone.MicrophoneSource`) or a WAV file or buffer (:class:`PcmSource`,
what the tests and ``make bench`` feed through the very same path). The :class:`Listener`
cuts the stream into utterances with pocketsphinx's voice-activity endpointer, streams each
into the :class:`~voice.recogniser.CommandRecogniser` as it is spoken, and reports what it
heard when the utterance ends.

**Never obey itself.** While the kiosk's own voice plays (``gate``: the speech channel is
busy), and for :data:`HANGOVER_S` after (the room's echo, the device's buffer), the listener
hears silence and drops any utterance under way: the kiosk's narration can never be taken
for a command. The cost: a command said over the narration is not heard; the patient says it
again in the pause after (docs/voice.md has both figures).

Nothing heard is stored: frames live in memory for the length of one utterance — unless staff
switch on the diagnostic capture (:class:`Capture`): then each utterance is written as a WAV
file (0600) named for what it was heard as, and files older than a day are deleted.
"""

from __future__ import annotations

import array
import logging
import math
import os
import threading
import time
import wave
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from voice.recogniser import RATE, CommandRecogniser, Heard

log = logging.getLogger(__name__)

#: After our own speech stops, how long the listener stays deaf (room echo, output buffer).
HANGOVER_S = 0.3
#: The endpointer's decision window: how much silence ends an utterance. Shorter answers
#: sooner; too short cuts "stop … session" in two (chosen by the bench, docs/voice.md).
END_WINDOW_S = 0.15
END_RATIO = 0.75
#: An utterance also ends after this much sound near the room's own level (within
#: :data:`QUIET_DB` of the quietest frame of the last :data:`FLOOR_S`): sooner than the
#: endpointer, whose voice detector holds on about 0.2 s past the last sound. 0: off.
END_QUIET_S = 0.15
QUIET_DB = 12.0
FLOOR_S = 3.0
FLOOR_EVERY = 10  # frames between updates of the room's level
#: Sound kept from before the endpointer's start of speech (it finds the start late).
PREROLL_S = 0.2
HISTORY_S = 1.0
#: How often the level meter is told the input level.
LEVEL_EVERY_S = 0.1


class SourceLostError(RuntimeError):
    """The microphone stopped giving sound (unplugged, taken away)."""


class AudioSource(Protocol):
    """16 kHz 16-bit mono PCM, in chunks of any size."""

    def read(self) -> bytes | None:
        """The next chunk, blocking until there is one; None at the end of a file.
        Raises :class:`SourceLostError` when a microphone stops giving sound."""
        ...

    def close(self) -> None: ...


class PcmSource:
    """A recording fed through the microphone's path: a WAV file (any rate, mono or stereo,
    converted to 16 kHz mono) or raw PCM. As fast as the listener takes it unless ``pace``
    (a sleep function) makes it real time."""

    CHUNK = 480  # 30 ms

    def __init__(self, pcm: bytes, *, pace: Callable[[float], None] | None = None) -> None:
        self._pcm = pcm
        self._at = 0
        self._pace = pace
        self._closed = False

    @classmethod
    def from_wav(cls, path: Path, **kwargs: Callable[[float], None] | None) -> PcmSource:
        return cls(read_wav_16k(path), **kwargs)

    def read(self) -> bytes | None:
        if self._closed or self._at >= len(self._pcm):
            return None
        chunk = self._pcm[self._at : self._at + 2 * self.CHUNK]
        self._at += len(chunk)
        if self._pace is not None:
            self._pace(len(chunk) / (2 * RATE))
        return chunk

    def close(self) -> None:
        self._closed = True


def read_wav_16k(path: Path) -> bytes:
    """A 16-bit WAV file as 16 kHz mono (linear interpolation: enough for speech)."""
    with wave.open(str(path), "rb") as f:
        rate, channels, width = f.getframerate(), f.getnchannels(), f.getsampwidth()
        frames = f.readframes(f.getnframes())
    if width != 2:
        raise ValueError(f"{path.name}: {8 * width}-bit audio, expected 16-bit")
    samples = array.array("h", frames)
    if channels > 1:
        samples = array.array(
            "h",
            (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)),
        )
    return resample(samples, rate).tobytes()


def resample(samples: array.array[int], rate: int, to: int = RATE) -> array.array[int]:
    if rate == to or not samples:
        return samples
    count = len(samples) * to // rate
    out = array.array("h", bytes(2 * count))
    last = len(samples) - 1
    for i in range(count):
        x = i * rate / to
        j = int(x)
        frac = x - j
        a = samples[j]
        b = samples[j + 1] if j < last else a
        out[i] = int(a + (b - a) * frac)
    return out


def level_db(pcm: bytes) -> float:
    """The chunk's RMS level in dB below full scale (−90 for silence)."""
    samples = array.array("h", pcm)
    if not samples:
        return -90.0
    mean = sum(s * s for s in samples) / len(samples)
    return max(-90.0, 10 * math.log10(mean / 32768**2)) if mean > 0 else -90.0


class ListenerState(StrEnum):
    LISTENING = "listening"
    DEAF = "deaf"  # our own voice is playing
    OFF = "off"  # no microphone, lost it, or no recogniser


@dataclass(frozen=True)
class Utterance:
    """One utterance the listener decided on, with when (seconds of stream) it ended and
    when the decision came, and the wall time the decoding took after the end was found."""

    heard: Heard
    ended_s: float  # the endpointer's estimate of the end of speech
    decided_s: float  # stream position when the endpointer declared the end
    decode_s: float  # wall seconds from that declaration to the answer


class Listener:
    """Reads ``source`` on a daemon thread until :meth:`stop` or the source ends.

    Callbacks run on the listener's thread: ``on_heard(Utterance)``, ``on_level(dB)`` (about
    ten a second), ``on_state(ListenerState)``. A lost microphone or a recogniser error ends
    listening with one log line and ``on_state(OFF)``.
    """

    def __init__(
        self,
        source: AudioSource,
        recogniser: CommandRecogniser,
        *,
        on_heard: Callable[[Utterance], None],
        gate: Callable[[float], bool] | None = None,
        on_level: Callable[[float], None] | None = None,
        on_state: Callable[[ListenerState], None] | None = None,
        end_window_s: float = END_WINDOW_S,
        end_ratio: float = END_RATIO,
        end_quiet_s: float = END_QUIET_S,
        quiet_db: float = QUIET_DB,
        hangover_s: float = HANGOVER_S,
        capture: Capture | None = None,
    ) -> None:
        self._capture = capture
        self._source = source
        self._recogniser = recogniser
        self._on_heard = on_heard
        self._gate = gate
        self._on_level = on_level
        self._on_state = on_state
        self._window = end_window_s
        self._ratio = end_ratio
        self._end_quiet_s = end_quiet_s
        self._quiet_db = quiet_db
        self._hangover = hangover_s
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.position_s = 0.0
        self.dropped = 0  # utterances cut off by our own voice starting

    def start(self) -> None:
        thread = threading.Thread(target=self.run, name="voice-listen", daemon=True)
        self._thread = thread
        thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        self._source.close()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _state(self, state: ListenerState) -> None:
        if self._on_state is not None:
            self._on_state(state)

    def run(self) -> None:
        """Listen until the source ends or :meth:`stop` (the thread's body; tests call it)."""
        try:
            self._listen()
        except SourceLostError as error:
            log.warning("voice control: the microphone stopped (%s); touch only", error)
            self._state(ListenerState.OFF)
        except Exception:
            log.exception("voice control: listening failed; touch only")
            self._state(ListenerState.OFF)
        finally:
            self._recogniser.abort()

    def _listen(self) -> None:
        from pocketsphinx import Endpointer

        endpointer = Endpointer(window=self._window, ratio=self._ratio, sample_rate=RATE)
        frame_bytes = endpointer.frame_bytes
        frame_s = endpointer.frame_length
        pending = b""
        frames = 0
        deaf_until = -1.0
        in_utterance = False
        level_due = 0.0
        deaf = False
        wait_for_quiet = False
        quiet = 0  # frames in a row near the room's level, within an utterance
        end_quiet = round(self._end_quiet_s / frame_s)
        levels: deque[float] = deque(maxlen=int(FLOOR_S / frame_s))
        floor = -90.0
        history: deque[tuple[float, bytes]] = deque(maxlen=int(HISTORY_S / frame_s))
        self._state(ListenerState.LISTENING)
        while not self._stopping.is_set():
            chunk = self._source.read()
            if chunk is None:
                break
            pending += chunk
            while len(pending) >= frame_bytes:
                frame, pending = pending[:frame_bytes], pending[frame_bytes:]
                position = frames * frame_s
                frames += 1
                self.position_s = position
                level = level_db(frame)
                levels.append(level)
                if frames % FLOOR_EVERY == 0:
                    floor = min(levels)  # the room: the quietest frame of the last seconds
                if self._on_level is not None and position >= level_due:
                    level_due = position + LEVEL_EVERY_S
                    self._on_level(level)
                if self._gate is not None and self._gate(position):
                    deaf_until = position + self._hangover
                now_deaf = position < deaf_until
                if now_deaf != deaf:
                    deaf = now_deaf
                    self._state(ListenerState.DEAF if deaf else ListenerState.LISTENING)
                if deaf:
                    # Until the sound that was playing has ended, nothing starts: not the
                    # echo's tail, not the rest of a sentence our voice cut into.
                    wait_for_quiet = True
                    if in_utterance:  # our voice started over it: not the patient's to obey
                        self._recogniser.abort()
                        in_utterance = False
                        self.dropped += 1
                history.append((position, frame))
                endpointer.process(frame)
                if wait_for_quiet and not deaf and not endpointer.in_speech:
                    wait_for_quiet = False
                if wait_for_quiet:
                    continue
                if endpointer.in_speech and not in_utterance:
                    quiet = 0
                    # The endpointer decides a window late: feed from just before the start
                    # it found, so the first sound of the word is heard.
                    self._recogniser.start()
                    in_utterance = True
                    since = endpointer.speech_start - PREROLL_S
                    for at, earlier in history:
                        if at >= since:
                            self._recogniser.feed(earlier)
                elif in_utterance and endpointer.in_speech:
                    self._recogniser.feed(frame)
                    quiet = quiet + 1 if level < floor + self._quiet_db else 0
                    if end_quiet and quiet >= end_quiet:
                        # Quiet (near the room's level) long enough: the end, sooner than
                        # the endpointer's smoothed decision. Nothing new starts until the
                        # endpointer agrees.
                        self._decide(position + frame_s - quiet * frame_s, position + frame_s)
                        in_utterance = False
                        wait_for_quiet = True
                elif in_utterance:
                    self._recogniser.feed(frame)
                    self._decide(endpointer.speech_end, position + frame_s)
                    in_utterance = False
        if in_utterance:
            self._decide(self.position_s, self.position_s)

    def _decide(self, ended_s: float, decided_s: float) -> None:
        started = time.perf_counter()
        heard = self._recogniser.finish()
        decode_s = time.perf_counter() - started
        if heard.text or heard.command is not None:  # too short to be anything: no news
            if self._capture is not None:
                self._capture.keep(self._recogniser.last_pcm, heard)
            self._on_heard(Utterance(heard, ended_s, decided_s, decode_s))


class LevelMeter:
    """Only the level of ``source``, for the staff's meter: no recogniser, nothing kept."""

    def __init__(self, source: AudioSource, on_level: Callable[[float], None]) -> None:
        self._source = source
        self._on_level = on_level
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="voice-level", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pending = b""
        step = int(2 * RATE * LEVEL_EVERY_S)
        try:
            while not self._stopping.is_set():
                chunk = self._source.read()
                if chunk is None:
                    return
                pending += chunk
                while len(pending) >= step:
                    self._on_level(level_db(pending[:step]))
                    pending = pending[step:]
        except SourceLostError as error:
            log.warning("voice control: the microphone stopped (%s)", error)

    def stop(self) -> None:
        self._stopping.set()
        self._source.close()
        self._thread.join(2.0)


class Capture:
    """The diagnostic capture: each utterance as a WAV file in ``folder`` (0700; files 0600),
    named for when and what it was heard as; anything older than ``keep_s`` (a day) is deleted
    when the capture starts and with each new file. Off unless staff switch it on."""

    KEEP_S = 24 * 3600.0

    def __init__(self, folder: Path, *, keep_s: float = KEEP_S) -> None:
        self.folder = folder
        self._keep_s = keep_s
        self._count = 0
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # patients' voices: for the kiosk's user only
        self.purge()

    def purge(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        gone = 0
        for path in self.folder.glob("*.wav"):
            try:
                if now - path.stat().st_mtime > self._keep_s:
                    path.unlink()
                    gone += 1
            except FileNotFoundError:
                pass
        return gone

    def keep(self, pcm: bytes, heard: Heard) -> Path | None:
        if not pcm:
            return None
        self._count += 1
        what = (
            (heard.command.value if heard.command else "none") + "-" + "_".join(heard.text.split())
        )
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{stamp}-{self._count:04d}-{what[:60]}.wav"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as f:
                f.setnchannels(1)
                f.setsampwidth(2)
                f.setframerate(RATE)
                f.writeframes(pcm)
        except OSError as error:
            log.warning("voice control: diagnostic capture failed (%s)", error)
            return None
        self.purge()
        return path
