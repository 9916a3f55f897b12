"""The cue scheduler: modes, stale cues, priorities, pause and pain; and a whole session."""

from __future__ import annotations

from kiosk.core.clock import FakeClock
from kiosk.core.compiler import compile_program
from kiosk.core.engine import SessionEngine
from kiosk.core.events import (
    AheadCancelled,
    CueAhead,
    CueDue,
    PainReported,
    SessionState,
    StateChanged,
    StepStarted,
)
from kiosk.core.records import PainEvent
from kiosk.core.timeline import Cue, CuePriority, Step, StepKind, Tone
from kiosk.text import t
from tests.core.builders import hold_rx, program, reps_rx
from tests.voice.fakes import FakeClip, FakeOutput
from voice.output import Clip, NullOutput
from voice.scheduler import TIMED_TOLERANCE_S, Action, CueOutcome, CueScheduler
from voice.settings import VoiceMode, VoiceSettings

P = CuePriority


def words(text: str, priority: CuePriority = P.INSTRUCTION) -> Cue:
    return Cue(at_s=0.0, text=text, priority=priority)


def tone(t: Tone, priority: CuePriority = P.COUNT) -> Cue:
    return Cue(at_s=0.0, tone=t, priority=priority)


class Rig:
    def __init__(self, device: NullOutput | None = None, **settings: object) -> None:
        self.output = FakeOutput()
        self.settings = VoiceSettings(**settings)  # type: ignore[arg-type]
        self.missing: list[str] = []
        self.rendered = True
        self.outcomes: list[CueOutcome] = []
        self.scheduler = CueScheduler(
            device if device is not None else self.output,
            self.clip,
            lambda: self.settings,
            clock=FakeClock(),
            on_outcome=self.outcomes.append,
            on_missing=self.missing.append,
        )

    def clip(self, text: str) -> Clip | None:
        return FakeClip(seconds=0.4) if self.rendered else None

    def due(self, cue: Cue, late_s: float = 0.0) -> Action:
        self.scheduler(CueDue(cue, late_s))
        return self.outcomes[-1].action


def test_tones_and_words_play_on_their_channels() -> None:
    rig = Rig()
    assert rig.due(tone(Tone.PIP)) is Action.PLAYED
    assert rig.due(words("3", P.COUNT)) is Action.PLAYED
    assert [kind for kind, _ in rig.output.events] == ["tone", "speech"]


def test_a_cue_noticed_too_late_is_dropped_not_played_late() -> None:
    rig = Rig()
    assert rig.due(tone(Tone.PIP), late_s=TIMED_TOLERANCE_S + 0.001) is Action.STALE
    assert rig.due(words("3", P.COUNT), late_s=0.02) is Action.STALE
    assert rig.due(words("Halfway", P.ENCOURAGEMENT), late_s=0.3) is Action.STALE
    assert rig.due(words("Switch sides.", P.INSTRUCTION), late_s=0.4) is Action.PLAYED
    assert rig.due(words("Switch sides.", P.INSTRUCTION), late_s=0.6) is Action.STALE
    assert rig.due(words(t("cue.pain_stop"), P.SAFETY), late_s=30.0) is Action.PLAYED
    assert rig.due(tone(Tone.PIP), late_s=0.005) is Action.PLAYED


def test_instructions_beat_counts_and_counts_beat_encouragement() -> None:
    rig = Rig()
    rig.due(words("Set 1 of 3, left leg.", P.INSTRUCTION))
    rig.output.busy = True
    assert rig.due(words("3", P.COUNT)) is Action.BUSY
    assert rig.due(words("Halfway", P.ENCOURAGEMENT)) is Action.BUSY
    assert rig.due(words("Switch sides.", P.INSTRUCTION)) is Action.PLAYED  # newer, same rank
    rig.due(words("4", P.COUNT))  # dropped: the instruction is still speaking
    rig.output.busy = False
    assert rig.due(words("4", P.COUNT)) is Action.PLAYED  # once it has finished
    rig.output.busy = True
    assert rig.due(words("Hold", P.INSTRUCTION)) is Action.PLAYED  # cuts the count
    assert rig.due(words(t("cue.pain_stop"), P.SAFETY)) is Action.PLAYED  # cuts anything
    assert rig.due(words("Lift", P.INSTRUCTION)) is Action.BUSY  # safety is not cut


def test_pause_and_pain_silence_the_voice_then_pain_says_the_safety_message() -> None:
    rig = Rig()
    rig.due(words("Lift"))
    rig.scheduler(StateChanged(SessionState.RUNNING, SessionState.PAUSED))
    assert rig.output.events[-1] == ("stop_speech", None)
    rig.scheduler(StateChanged(SessionState.PAUSED, SessionState.PAIN))
    rig.scheduler(PainReported(PainEvent(0, "clamshell", 1, None, 2, at=None)))  # type: ignore[arg-type]
    assert rig.outcomes[-1].cue.text == t("cue.pain_stop")
    assert rig.outcomes[-1].cue.priority is P.SAFETY
    assert rig.outcomes[-1].action is Action.PLAYED


def test_the_patients_mode() -> None:
    tones_only = Rig(mode=VoiceMode.TONES)
    assert tones_only.due(words("Lift")) is Action.MUTED
    assert tones_only.due(tone(Tone.GO, P.INSTRUCTION)) is Action.PLAYED
    silent = Rig(mode=VoiceMode.OFF)
    assert silent.due(words("Lift")) is Action.MUTED
    assert silent.due(tone(Tone.GO)) is Action.MUTED
    assert silent.output.events == []


def test_no_sound_device_and_a_cue_not_rendered_yet() -> None:
    nothing = Rig(NullOutput())
    assert nothing.due(words("Lift")) is Action.NO_AUDIO
    assert nothing.due(tone(Tone.PIP)) is Action.NO_AUDIO
    rig = Rig()
    rig.rendered = False
    assert rig.due(words("Lift")) is Action.NOT_READY
    assert rig.missing == ["Lift"]  # asked for, for next time; never rendered now


def test_the_optional_rep_tick() -> None:
    step = Step(3, StepKind.REP, 0, "clamshell", 1, None, 2, 10.0, 4.0)
    off = Rig()
    off.scheduler(StepStarted(step))
    assert off.output.tones() == []
    on = Rig(rep_tick=True)
    on.scheduler(StepStarted(step))
    assert on.output.tones() == [Tone.TICK]


def test_a_whole_session_on_a_fake_clock_plays_every_cue_in_order() -> None:
    timeline = compile_program(program(reps_rx(reps=3), hold_rx(hold_s=12.0)))
    clock = FakeClock()
    engine = SessionEngine(timeline, clock=clock)
    rig = Rig()
    engine.subscribe(rig.scheduler)
    engine.start()
    while engine.state is SessionState.RUNNING:
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(max(0.0, deadline - clock()))
        engine.update()
    assert [o.cue for o in rig.outcomes] == list(timeline.cues())
    assert {o.action for o in rig.outcomes} == {Action.PLAYED}
    tones = [c.tone for c in timeline.cues() if c.tone is not None]
    assert rig.output.tones() == tones


# -- placed ahead -------------------------------------------------------------------------


class PlacingRig(Rig):
    """A scheduler whose clock maps to a device (``device_time``: clock reading - 100 s) and
    whose output can place sounds ahead."""

    def __init__(self, **settings: object) -> None:
        super().__init__(None, **settings)
        self.output.places = True
        self.scheduler = CueScheduler(
            self.output,
            self.clip,
            lambda: self.settings,
            clock=FakeClock(),
            on_outcome=self.outcomes.append,
            on_missing=self.missing.append,
            device_time=lambda reading: reading - 100.0,
        )

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.output.events]


def test_a_cue_announced_ahead_is_placed_on_its_device_moment_and_reported_when_due() -> None:
    rig = PlacingRig()
    count, beep = words("3", P.COUNT), tone(Tone.GO)
    rig.scheduler(CueAhead(count, 112.5))
    rig.scheduler(CueAhead(beep, 113.0))
    assert rig.output.events[0][0] == "place_speech"
    assert rig.output.events[0][1][1] == 12.5  # type: ignore[index]
    assert rig.output.events[1] == ("place_tone", (Tone.GO, 13.0))
    assert rig.outcomes == []  # nothing is reported before its moment
    assert rig.due(count) is Action.PLAYED
    assert rig.kinds()[-1] == "commit_speech"  # the placed speech becomes the speech now
    assert rig.due(beep) is Action.PLAYED
    assert "speech" not in rig.kinds()
    assert "tone" not in rig.kinds()


def test_withdrawn_cues_are_silenced_and_come_due_afresh() -> None:
    rig = PlacingRig()
    count, beep = words("3", P.COUNT), tone(Tone.GO)
    rig.scheduler(CueAhead(count, 112.5))
    rig.scheduler(CueAhead(beep, 113.0))
    rig.scheduler(AheadCancelled())
    assert rig.kinds()[-2:] == ["stop_speech", "stop_tones"]
    assert rig.due(count) is Action.PLAYED  # after a resume: played at its (new) moment
    assert rig.kinds()[-1] == "speech"


def test_speech_that_may_have_to_wait_is_not_placed_but_decided_at_its_moment() -> None:
    rig = PlacingRig()
    rig.due(words("Lie on your side."))  # an instruction, still playing
    rig.output.busy = True
    count = words("1", P.COUNT)
    rig.scheduler(CueAhead(count, 105.0))
    assert "place_speech" not in rig.kinds()
    assert rig.due(count) is Action.BUSY


def test_nothing_is_placed_without_a_device_clock_or_when_muted() -> None:
    rig = Rig()  # no device_time: the cue plays at its moment as ever
    rig.output.places = True
    rig.scheduler(CueAhead(tone(Tone.GO), 113.0))
    assert rig.output.events == []
    muted = PlacingRig(mode=VoiceMode.OFF)
    muted.scheduler(CueAhead(tone(Tone.GO), 113.0))
    muted.scheduler(CueAhead(words("Hold"), 113.0))
    assert muted.output.events == []


def test_a_second_speech_cue_announced_before_the_first_is_due_waits_for_its_moment() -> None:
    rig = PlacingRig()
    first, second = words("Set 1 of 2.", P.INSTRUCTION), words("3", P.COUNT)
    rig.scheduler(CueAhead(first, 110.0))
    rig.scheduler(CueAhead(second, 110.05))
    assert rig.kinds() == ["place_speech"]  # the spare channel holds one sound
    assert rig.due(first) is Action.PLAYED
    assert rig.due(second) is Action.PLAYED  # decided at its moment, played as before
    assert rig.kinds() == ["place_speech", "commit_speech", "speech"]
