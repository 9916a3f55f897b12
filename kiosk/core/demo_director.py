"""Which pose the demonstration shows at each moment of a session. No Qt.

The player tells the director each step as it starts and the engine's position on every
refresh; the director answers with the demonstration, the pose, the side and the repetition
number. The mapping, step by step:

* INTRO: a looping demonstration of the whole movement at the prescription's tempo, while the
  voice explains it.
* COUNTDOWN: getting into position (a leg slides back, a knee lifts to the pillow) in the
  first part of the countdown, then still, ready for "go".
* REP: the tempo phase the engine is in, eased, so the figure arrives at the top as the phase
  ends and stays there through a "hold".
* HOLD: the hold pose, still.
* REST, SWITCH_SIDE: the starting position (the side changes at the switch, not before).
* DONE: the last exercise's starting position.

Any jump (a new step, Next, a resume) blends from the pose last shown over
:data:`BLEND_S`, so the figure never teleports — except when the exercise or the side changes,
which is a cut: a new scene.
"""

from __future__ import annotations

from typing import NamedTuple

from kiosk.core.prescription import Prescription
from kiosk.core.timeline import Side, Step, StepKind
from media.demo.body import Pose, blend, difference
from media.demo.catalog import demonstration
from media.demo.model import Demonstration
from media.demo.motion import (
    HOLD,
    LoopPart,
    end_of,
    hold_pose,
    in_phase,
    intro_loop,
    loop_pose,
    setting_up,
    smoothstep,
)
from media.demo.scene import runs_backwards

BLEND_S = 0.6
#: The part of a countdown spent getting into position; the rest is stillness before "go".
SETUP_SHARE = 0.6


class DemoFrame(NamedTuple):
    demo: Demonstration
    pose: Pose
    side: str | None
    cycle: int


def tempo_of(prescription: Prescription) -> tuple[tuple[str, float], ...]:
    """The phases of one repetition as the compiler lays them out (a rep hold after the first)."""
    phases: list[tuple[str, float]] = []
    for i, phase in enumerate(prescription.tempo):
        phases.append((phase.name, phase.seconds))
        if i == 0 and prescription.rep_hold_s:
            phases.append((HOLD, prescription.rep_hold_s))
    return tuple(phases)


class DemoDirector:
    """Turns the session's steps and position into demonstration frames."""

    def __init__(self) -> None:
        self._demo: Demonstration | None = None
        self._step: Step | None = None
        self._side: str | None = None
        self._loop: tuple[LoopPart, ...] = ()
        self._last: DemoFrame | None = None
        self._blend_from: Pose | None = None
        self._blend_at = 0.0

    @property
    def demo(self) -> Demonstration | None:
        return self._demo

    @property
    def side(self) -> str | None:
        return self._side

    def show_step(self, step: Step, prescription: Prescription | None) -> None:
        """A new step began; ``prescription`` is its exercise's (None for the closing step)."""
        self._step = step
        if step.exercise_id is not None:
            try:
                demo: Demonstration | None = demonstration(step.exercise_id)
            except KeyError:
                demo = None
            if demo is not self._demo:
                self._demo = demo
                self._last = None
            if prescription is not None and demo is not None:
                hold = prescription.hold_s or prescription.final_hold_s
                self._loop = intro_loop(demo, tempo_of(prescription), hold)
        if step.kind is not StepKind.REST:
            side = step.side.value if step.side is not None else None
            if step.kind is StepKind.INTRO and side is None:
                side = Side.LEFT.value
            if step.kind is not StepKind.DONE:
                if side != self._side:
                    self._last = None  # a new side is a new scene: cut, do not blend
                self._side = side
        if self._last is not None:
            self._blend_from = self._last.pose
            self._blend_at = -1.0  # set on the first frame of the step
        else:
            self._blend_from = None

    def frame_at(self, position_s: float) -> DemoFrame | None:
        """What to draw at timeline time ``position_s``; None when there is nothing to show."""
        demo, step = self._demo, self._step
        if demo is None or step is None:
            return None
        side = self._side if demo.sided else None
        pose, cycle = self._target(demo, step, position_s, side)
        if self._blend_from is not None:
            if self._blend_at < 0:
                self._blend_at = position_s
            t = (position_s - self._blend_at) / BLEND_S
            if t >= 1.0 or difference(self._blend_from, pose) < 0.5:
                self._blend_from = None
            else:
                pose = blend(self._blend_from, pose, smoothstep(t))
        frame = DemoFrame(demo, pose, side, cycle)
        self._last = frame
        return frame

    def _target(
        self, demo: Demonstration, step: Step, position_s: float, side: str | None
    ) -> tuple[Pose, int]:
        elapsed = max(0.0, position_s - step.start_s)
        backwards = runs_backwards(demo, side)
        kind = step.kind
        if kind is StepKind.INTRO:
            return loop_pose(demo, self._loop, elapsed, reverse=backwards)
        if kind is StepKind.COUNTDOWN:
            share = max(step.duration_s * SETUP_SHARE, 1e-6)
            return setting_up(demo, elapsed / share), 0
        if kind is StepKind.REP:
            cycle = (step.rep or 1) - 1
            span = step.phase_at(position_s)
            if span is None:
                last = step.phases[-1].name if step.phases else HOLD
                name = last if position_s >= step.start_s else step.phases[0].name
                progress = 1.0 if position_s >= step.start_s else 0.0
            else:
                name = span.name
                progress = (position_s - span.start_s) / span.duration_s
            if name != HOLD and name not in demo.moves:
                return end_of(demo, HOLD), cycle
            return in_phase(demo, name, progress, reverse=backwards), cycle
        if kind is StepKind.HOLD:
            return hold_pose(demo), max(0, (step.reps_total or 1) - 1)
        return demo.start, 0
