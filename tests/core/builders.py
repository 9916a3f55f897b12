"""Prescriptions, programs and a recording listener for the core tests.

Built directly (not from the library files) so compiler and engine tests pin exact numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.core.clock import FakeClock
from kiosk.core.compiler import compile_program
from kiosk.core.engine import STALL_S, SessionEngine
from kiosk.core.events import CueDue, Event, SessionState, StepStarted
from kiosk.core.prescription import Prescription, Program
from kiosk.core.timeline import Cue, Step, StepKind, Timeline
from media.schema import Phase, SidePattern

TEMPO = (Phase("raise", 2.0, "Lift"), Phase("lower", 2.0, "Lower"))
EPOCH = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
CLOCK_START = 1000.0


def reps_rx(**changes: Any) -> Prescription:
    """A repetition exercise: 2 sets x 3 reps, alternate sides, 10 s rest (unless changed)."""
    fields: dict[str, Any] = {
        "exercise_id": "clamshell",
        "name": "Clamshell",
        "sets": 2,
        "reps": 3,
        "hold_s": None,
        "tempo": TEMPO,
        "sides": SidePattern.ALTERNATE,
        "rest_s": 10.0,
        "key_points": ("Keep your hips stacked.", "Move slowly.", "Breathe out as you lift."),
    }
    fields.update(changes)
    return Prescription(**fields)


def hold_rx(**changes: Any) -> Prescription:
    """A hold exercise: 2 sets of a 30 s hold, alternate sides, 10 s rest (unless changed)."""
    fields: dict[str, Any] = {
        "exercise_id": "wall-press",
        "name": "Wall press",
        "sets": 2,
        "reps": None,
        "hold_s": 30.0,
        "tempo": (),
        "sides": SidePattern.ALTERNATE,
        "rest_s": 10.0,
        "key_points": ("Press your knee into the wall.",),
    }
    fields.update(changes)
    return Prescription(**fields)


def program(*items: Prescription, **changes: Any) -> Program:
    return Program(name=changes.pop("name", "Today"), items=items, **changes)


def wall_clock_for(clock: FakeClock) -> Callable[[], datetime]:
    """A wall clock that moves with the fake monotonic clock, so record times can be checked."""
    return lambda: EPOCH + timedelta(seconds=clock() - CLOCK_START)


class Recorder:
    """A listener that keeps every event."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def of(self, kind: type[Any]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def cues(self) -> list[Cue]:
        return [e.cue for e in self.of(CueDue)]

    def steps(self) -> list[Step]:
        return [e.step for e in self.of(StepStarted)]

    def clear(self) -> None:
        self.events.clear()


def make_engine(
    timeline: Timeline, *, stall_s: float = STALL_S, lead_s: float = 0.0
) -> tuple[SessionEngine, FakeClock, Recorder]:
    """An engine on a fake clock with a recorder subscribed. ``stall_s=math.inf`` for a test
    about catching up after a late update, which must not be taken for a kiosk standing still."""
    clock = FakeClock(CLOCK_START)
    engine = SessionEngine(
        timeline, clock=clock, wall_clock=wall_clock_for(clock), stall_s=stall_s, lead_s=lead_s
    )
    recorder = Recorder()
    engine.subscribe(recorder)
    return engine, clock, recorder


def advance_to(engine: SessionEngine, clock: FakeClock, position: float, tick: float) -> None:
    """Advance in ``tick`` steps, calling update each time, to ``position`` (while running)."""
    while engine.position_s() < position and engine.state is SessionState.RUNNING:
        clock.advance(min(tick, max(position - engine.position_s(), 1e-9)))
        engine.update()


def run_by_deadlines(engine: SessionEngine, clock: FakeClock, limit: int = 100_000) -> None:
    """Arm "one precise timer" at each next_deadline(), as the UI does, until the session ends."""
    for _ in range(limit):
        deadline = engine.next_deadline()
        if deadline is None:
            return
        clock.advance(max(0.0, deadline - clock()))
        engine.update()
    raise AssertionError("the session did not end")


def first_step(timeline: Timeline, kind: StepKind, **match: Any) -> Step:
    for step in timeline.steps:
        if step.kind is kind and all(getattr(step, k) == v for k, v in match.items()):
            return step
    raise AssertionError(f"no {kind} step with {match}")


def state_of(engine: SessionEngine) -> SessionState:
    """The state, read through a call so mypy does not keep an earlier assert's narrowing."""
    return engine.state


def two_exercises() -> Timeline:
    """A rep exercise with a final hold (alternating sides), then a hold exercise (each side)."""
    return compile_program(
        program(
            reps_rx(sets=2, reps=4, final_hold_s=5.0),
            hold_rx(sets=1, sides=SidePattern.EACH),
            rest_between_exercises_s=15.0,
        )
    )
