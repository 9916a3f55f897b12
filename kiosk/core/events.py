"""Events the session engine emits to its listeners (the player, the voice, the logger).

Listeners are plain callables taking one event; the engine calls them synchronously from
``start()``, ``update()`` and the command methods, in the order things happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.records import PainEvent, SetRecord
from kiosk.core.timeline import Cue, PhaseSpan, Step


class SessionState(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    PAIN = "pain"  # paused because the patient pressed "It hurts"
    FINISHED = "finished"
    STOPPED = "stopped"


class Command(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"
    REPEAT = "repeat"
    STOP = "stop"
    HURT = "hurt"
    FINISH = "finish"  # internal: the timeline ran out
    SKIP_EXERCISE = "skip_exercise"  # leave the current exercise (e.g. after pain)


class IllegalTransitionError(RuntimeError):
    """A command that makes no sense in the current state (e.g. resume while running)."""

    def __init__(self, state: SessionState, command: Command) -> None:
        super().__init__(f"cannot {command.value} while {state.value}")
        self.state = state
        self.command = command


@dataclass(frozen=True)
class StateChanged:
    old: SessionState
    new: SessionState


@dataclass(frozen=True)
class StepStarted:
    step: Step


@dataclass(frozen=True)
class PhaseStarted:
    step: Step
    phase: PhaseSpan


@dataclass(frozen=True)
class CueDue:
    """A cue whose moment has come. ``late_s`` is how far past its moment it was noticed."""

    cue: Cue
    late_s: float


@dataclass(frozen=True)
class CueAhead:
    """A cue due within the engine's lead (an engine built with ``lead_s``): ``at`` is the
    clock reading it is due at. A voice hands its sound to the mixer now, placed to start
    exactly at ``at`` (a mixer starts a sound only at its next buffer). Its CueDue follows
    at the moment, unless an :class:`AheadCancelled` comes first."""

    cue: Cue
    at: float


@dataclass(frozen=True)
class AheadCancelled:
    """The cues announced ahead and not yet due will not come at those moments: the session
    paused, jumped, hurt or ended. A voice silences what it placed ahead."""


@dataclass(frozen=True)
class SetFinished:
    record: SetRecord


@dataclass(frozen=True)
class PainReported:
    event: PainEvent


@dataclass(frozen=True)
class SessionEnded:
    state: SessionState  # FINISHED or STOPPED
    records: tuple[SetRecord, ...]


Event = (
    StateChanged
    | StepStarted
    | PhaseStarted
    | CueAhead
    | CueDue
    | AheadCancelled
    | SetFinished
    | PainReported
    | SessionEnded
)
Listener = Callable[[Event], None]
