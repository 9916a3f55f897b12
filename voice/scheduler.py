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
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.events import (
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
    ) -> None:
        self._output = output
        self._clips = clips
        self._settings = settings
        self._clock = clock
        self._on_outcome = on_outcome
        self._on_missing = on_missing
        self._speaking: CuePriority | None = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, CueDue):
            self._cue(event.cue, event.late_s)
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
        self._output.stop_speech()
        self._speaking = None

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
