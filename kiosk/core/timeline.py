"""The compiled timeline: every step of a session with its start, length and cues.

Precomputed by :mod:`kiosk.core.compiler` so the voice, the screen and the log all read one
schedule. All times are seconds from the start of the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class StepKind(StrEnum):
    INTRO = "intro"
    COUNTDOWN = "countdown"
    REP = "rep"
    HOLD = "hold"
    REST = "rest"
    SWITCH_SIDE = "switch_side"
    DONE = "done"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class Tone(StrEnum):
    PIP = "pip"  # countdown pip (3, 2, 1)
    GO = "go"  # start of work
    HOLD_END = "hold_end"  # a hold is over
    TICK = "tick"  # optional soft rep tick
    CHIME = "chime"  # staff have been called: not a session cue, played by the player


class CuePriority(IntEnum):
    """Lower is more important: safety cuts anything, instructions beat counts, and so on."""

    SAFETY = 0
    INSTRUCTION = 1
    COUNT = 2
    ENCOURAGEMENT = 3


@dataclass(frozen=True)
class Cue:
    """Something to say (``text``, also the caption word for word) or a ``tone`` to play."""

    at_s: float
    text: str | None = None
    tone: Tone | None = None
    priority: CuePriority = CuePriority.INSTRUCTION

    def __post_init__(self) -> None:
        if (self.text is None) == (self.tone is None):
            raise ValueError("a cue is either words or a tone")


@dataclass(frozen=True)
class PhaseSpan:
    """A phase inside a repetition or hold step (raise / hold / lower ...)."""

    name: str
    word: str
    start_s: float
    duration_s: float

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class Step:
    """One step of the session.

    ``exercise_index`` points into the program's items (None for the final DONE step). ``set``
    and ``rep`` are 1-based; ``sets_total``/``reps_total`` let the screen say "rep 7 of 10".
    """

    index: int
    kind: StepKind
    exercise_index: int | None
    exercise_id: str | None
    set: int | None
    side: Side | None
    rep: int | None
    start_s: float
    duration_s: float
    cues: tuple[Cue, ...] = ()
    phases: tuple[PhaseSpan, ...] = ()
    sets_total: int | None = None
    reps_total: int | None = None
    title: str = ""  # e.g. the exercise name, or "Rest" / "Switch sides"
    next_up: str | None = None  # on a rest: the name of what comes next

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    def phase_at(self, t: float) -> PhaseSpan | None:
        """The phase running at timeline time ``t`` (None between phases or outside)."""
        for span in self.phases:
            if span.start_s <= t < span.end_s:
                return span
        return None


@dataclass(frozen=True)
class Timeline:
    name: str
    steps: tuple[Step, ...]

    @property
    def total_s(self) -> float:
        return self.steps[-1].end_s if self.steps else 0.0

    def cues(self) -> tuple[Cue, ...]:
        return tuple(c for s in self.steps for c in s.cues)

    def step_at(self, t: float) -> Step:
        """The step running at timeline time ``t`` (the last one once it is past the end)."""
        for step in self.steps:
            if t < step.end_s:
                return step
        return self.steps[-1]
