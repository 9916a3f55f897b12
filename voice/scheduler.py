"""The cue scheduler: a session-engine listener that turns due cues into sound, or drops them.

It is called synchronously by the engine (``engine.subscribe(scheduler)``) at the moment a cue
is due, and does only cheap things there: look up a clip that was rendered and decoded at
check-in, and start it on a channel. Nothing is synthesized, decoded or waited for, so neither
the Qt thread nor the engine's clock can be held up by the voice.

Rules, in order:

* The patient's mode: OFF plays nothing; TONES plays tones only; VOICE plays both.
* A cue noticed too late is dropped, not played late: a tone or a count more than
  ``TIMED_TOLERANCE_S`` late (with up to one mixer buffer more it could not land within 25 ms
  of its moment), an instruction more than 0.5 s, encouragement more than 0.25 s. Safety
  messages are never dropped.
* Speech priorities: safety cuts anything; otherwise a cue cuts speech of the same or lower
  importance (the newer is the more relevant) and is dropped while more important speech
  plays: instructions beat counts, counts beat encouragement. Tones have their own channel.
* Pause or pain stops the speech at once; "It hurts" then says the one safety message.

**Placed ahead.** With an engine that announces cues ahead (CueAhead) and a clock that maps
to the sound device's frames (``device_time``), a tone or a speech cue that would play is
handed to the mixer before its moment, placed to start on the exact frame of its moment
(:meth:`voice.output.AudioOutput.place_speech`): a mixer starts a sound played "now" only
with its next buffer, which on PipeWire is up to a 21 ms quantum later. The rules are applied
when it is placed; the CueDue at the moment then makes placed speech the current speech and
reports it. Speech that would have to wait for its moment's rules (more important speech
still playing) is not placed, and is decided at the moment as before. AheadCancelled (pause,
jump, pain, the end) silences what was placed and is not yet due.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.events import (
    AheadCancelled,
    CueAhead,
    CueDue,
    Event,
    PainReported,
    SessionEnded,
    SessionState,
    StateChanged,
    StepStarted,
)
from kiosk.core.timeline import Cue, CuePriority, StepKind, Tone
from kiosk.text import t
from voice.output import AudioOutput, Clip
from voice.settings import VoiceSettings

log = logging.getLogger(__name__)

#: A tone or count noticed later than this is dropped: 25 ms budget minus one mixer buffer.
TIMED_TOLERANCE_S = 0.013
SPEECH_TOLERANCE_S: dict[CuePriority, float] = {
    CuePriority.SAFETY: math.inf,
    CuePriority.INSTRUCTION: 0.5,
    CuePriority.COUNT: TIMED_TOLERANCE_S,
    CuePriority.ENCOURAGEMENT: 0.25,
}


class Action(StrEnum):
    PLAYED = "played"
    STALE = "dropped: too late"
    BUSY = "dropped: more important speech playing"
    MUTED = "muted"
    NOT_READY = "not rendered yet"
    NO_AUDIO = "no sound device"


@dataclass(frozen=True)
class CueOutcome:
    """What became of one cue; ``at`` is the clock reading when it was handled."""

    cue: Cue
    late_s: float
    action: Action
    at: float


Clips = Callable[[str], Clip | None]
Outcomes = Callable[[CueOutcome], None]
#: The sound device's time (seconds of its frames) at a reading of the session's clock, or
#: None while the clock does not follow the device (``SoundClock.device_time``).
DeviceTime = Callable[[float], float | None]


class CueScheduler:
    """One session's voice. ``clips(text)`` returns a decoded clip or None (not rendered yet);
    ``settings()`` the current settings (the patient may change them mid-session);
    ``on_missing(text)`` asks for a rendering that was not ready in time."""

    def __init__(
        self,
        output: AudioOutput,
        clips: Clips,
        settings: Callable[[], VoiceSettings],
        *,
        clock: Callable[[], float],
        on_outcome: Outcomes | None = None,
        on_missing: Callable[[str], None] | None = None,
        device_time: DeviceTime | None = None,
    ) -> None:
        self._output = output
        self._device_time = device_time
        # Cues placed ahead and not yet due, by identity (the engine sends the same Cue in
        # its CueAhead and its CueDue): the priority of placed speech, None for a tone.
        self._placed: dict[int, tuple[Cue, CuePriority | None]] = {}
        self._clips = clips
        self._settings = settings
        self._clock = clock
        self._on_outcome = on_outcome
        self._on_missing = on_missing
        self._speaking: CuePriority | None = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, CueDue):
            if not self._due_placed(event.cue, event.late_s):
                self._cue(event.cue, event.late_s)
        elif isinstance(event, CueAhead):
            self._place(event.cue, event.at)
        elif isinstance(event, AheadCancelled):
            self._cancel_placed()
        elif isinstance(event, StateChanged):
            if event.new in (SessionState.PAUSED, SessionState.PAIN, SessionState.STOPPED):
                self.silence()
        elif isinstance(event, PainReported):
            self._cue(Cue(at_s=0.0, text=t("cue.pain_stop"), priority=CuePriority.SAFETY), 0.0)
        elif isinstance(event, StepStarted):
            step = event.step
            if step.kind is StepKind.REP and (step.rep or 1) > 1 and self._settings().rep_tick:
                self._tone(Cue(at_s=step.start_s, tone=Tone.TICK, priority=CuePriority.COUNT), 0)
        elif isinstance(event, SessionEnded) and event.state is SessionState.STOPPED:
            self.silence()

    def silence(self) -> None:
        self._cancel_placed()
        self._output.stop_speech()
        self._speaking = None

    # -- placed ahead -----------------------------------------------------------------------

    def _place(self, cue: Cue, at: float) -> None:
        """Place a cue due at clock reading ``at`` if it would play; else leave it to its
        CueDue."""
        if self._device_time is None or not self._output.available:
            return
        device_s = self._device_time(at)
        if device_s is None:
            return
        settings = self._settings()
        pending = [priority for _cue, priority in self._placed.values()]
        if cue.tone is not None:
            # Two tone channels: a third tone pending would cut the first before it sounds.
            if pending.count(None) >= 2:
                return
            if settings.plays_tones and self._output.place_tone(cue.tone, device_s):
                self._placed[id(cue)] = (cue, None)
            return
        if not settings.speaks or cue.text is None:
            return
        if any(priority is not None for priority in pending):
            return  # one spare speech channel: the second waits for its moment's rules
        clip = self._clips(cue.text)
        if clip is None:
            return  # its CueDue asks for it and reports it
        if (
            self._speaking is not None
            and cue.priority > self._speaking
            and self._output.speech_busy()
        ):
            return  # more important speech may still play at the moment: decide then
        if self._output.place_speech(clip, device_s):
            self._placed[id(cue)] = (cue, cue.priority)

    def _due_placed(self, cue: Cue, late_s: float) -> bool:
        """The moment of a placed cue: it sounds now; report it. False if it was not placed."""
        entry = self._placed.pop(id(cue), None)
        if entry is None or entry[0] is not cue:
            return False
        priority = entry[1]
        if priority is not None:
            self._output.commit_speech()
            self._speaking = priority
        self._report(cue, late_s, Action.PLAYED)
        return True

    def _cancel_placed(self) -> None:
        if not self._placed:
            return
        priorities = [priority for _cue, priority in self._placed.values()]
        self._placed.clear()
        if any(priority is not None for priority in priorities):
            self._output.stop_speech()
        if any(priority is None for priority in priorities):
            self._output.stop_tones()

    # -- one cue --------------------------------------------------------------------------

    def _cue(self, cue: Cue, late_s: float) -> None:
        if cue.tone is not None:
            self._tone(cue, late_s)
        else:
            self._speak(cue, late_s)

    def _tone(self, cue: Cue, late_s: float) -> None:
        assert cue.tone is not None
        settings = self._settings()
        if not settings.plays_tones:
            action = Action.MUTED
        elif not self._output.available:
            action = Action.NO_AUDIO
        elif late_s > TIMED_TOLERANCE_S:
            action = Action.STALE
        else:
            self._output.play_tone(cue.tone)
            action = Action.PLAYED
        self._report(cue, late_s, action)

    def _speak(self, cue: Cue, late_s: float) -> None:
        assert cue.text is not None
        settings = self._settings()
        if not settings.speaks:
            self._report(cue, late_s, Action.MUTED)
            return
        if not self._output.available:
            self._report(cue, late_s, Action.NO_AUDIO)
            return
        if late_s > SPEECH_TOLERANCE_S[cue.priority]:
            self._report(cue, late_s, Action.STALE)
            return
        clip = self._clips(cue.text)
        if clip is None:
            if self._on_missing is not None:
                self._on_missing(cue.text)
            self._report(cue, late_s, Action.NOT_READY)
            return
        if (
            self._speaking is not None
            and cue.priority > self._speaking
            and self._output.speech_busy()
        ):
            self._report(cue, late_s, Action.BUSY)
            return
        self._output.play_speech(clip)
        self._speaking = cue.priority
        self._report(cue, late_s, Action.PLAYED)

    def _report(self, cue: Cue, late_s: float, action: Action) -> None:
        if self._on_outcome is not None:
            try:
                self._on_outcome(CueOutcome(cue, late_s, action, self._clock()))
            except Exception:
                log.exception("voice: outcome listener failed")
