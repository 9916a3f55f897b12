"""Where an interrupted session picks up again.

A patient who walked away, or whose kiosk restarted, checks in again the same day and is
offered "Continue with Clamshell, set 2?". The sets already logged are not repeated: the
session restarts at the first set (in timeline order) that has no record, from the side
switch or countdown that leads into it, or from the exercise's intro when it is the
exercise's first set. Which sets count as done is the caller's (the database's) answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.core.timeline import Side, StepKind, Timeline

#: (exercise_index, set_number, side) of a set that has a record.
SetKey = tuple[int, int, Side | None]

_WORK = (StepKind.REP, StepKind.HOLD)
_LEAD_IN = (StepKind.COUNTDOWN, StepKind.SWITCH_SIDE, StepKind.INTRO)


@dataclass(frozen=True)
class ResumePoint:
    step_index: int  # where the engine starts: SessionEngine.start(from_step=...)
    exercise_index: int
    exercise_name: str
    set_number: int
    side: Side | None
    sets_done: int


def resume_point(timeline: Timeline, done: Iterable[SetKey]) -> ResumePoint | None:
    """The first set without a record, or None when nothing is done yet or everything is."""
    done_keys = set(done)
    if not done_keys:
        return None
    steps = timeline.steps
    for index, step in enumerate(steps):
        if step.kind not in _WORK or step.exercise_index is None or step.set is None:
            continue
        key = (step.exercise_index, step.set, step.side)
        if key in done_keys:
            continue
        start = index
        while start > 0 and steps[start - 1].kind in _LEAD_IN:
            start -= 1
            if steps[start].kind is StepKind.INTRO:
                break
        return ResumePoint(
            step_index=start,
            exercise_index=step.exercise_index,
            exercise_name=_exercise_title(timeline, step.exercise_index),
            set_number=step.set,
            side=step.side,
            sets_done=len(done_keys),
        )
    return None


def _exercise_title(timeline: Timeline, exercise_index: int) -> str:
    for step in timeline.steps:
        if step.kind is StepKind.INTRO and step.exercise_index == exercise_index:
            return step.title
    return ""
