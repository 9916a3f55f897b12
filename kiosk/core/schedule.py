"""The timeline flattened into the ordered moments the session engine walks.

Kept apart from :mod:`kiosk.core.engine` so the engine file is only the state machine: this
module decides *what* happens at each instant and in which order, the engine decides *when*.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from kiosk.core.timeline import Cue, PhaseSpan, Step, StepKind, Timeline

WORK_KINDS = frozenset({StepKind.REP, StepKind.HOLD})


class MomentKind(IntEnum):
    """At one instant: a step starts, then its phases, then its cues; a set ends before the
    next step starts (the end moment of a step sorts with it)."""

    STEP = 0
    PHASE = 1
    CUE = 2
    SET_END = 3
    END = 4


@dataclass(frozen=True, slots=True)
class Moment:
    t: float
    kind: MomentKind
    step: int
    cue: Cue | None = None
    phase: PhaseSpan | None = None


@dataclass(frozen=True, slots=True)
class SetSpan:
    """The work steps of one set: reps and/or holds of one exercise, set number and side."""

    first: int
    last: int
    steps: tuple[Step, ...]
    reps_target: int | None
    hold_target_s: float | None


def moments(timeline: Timeline, spans: list[SetSpan]) -> tuple[list[Moment], list[int]]:
    set_ends = {span.last for span in spans}
    moments: list[Moment] = []
    first_moment: list[int] = []
    for step in timeline.steps:
        first_moment.append(len(moments))
        moments.append(Moment(step.start_s, MomentKind.STEP, step.index))
        inner = [Moment(p.start_s, MomentKind.PHASE, step.index, phase=p) for p in step.phases]
        inner += [Moment(c.at_s, MomentKind.CUE, step.index, cue=c) for c in step.cues]
        inner.sort(key=lambda m: (m.t, m.kind))  # stable: cue order kept on ties
        moments += inner
        if step.index in set_ends:
            moments.append(Moment(step.end_s, MomentKind.SET_END, step.index))
    moments.append(Moment(timeline.total_s, MomentKind.END, -1))
    return moments, first_moment


def set_spans(timeline: Timeline) -> list[SetSpan]:
    groups: list[list[Step]] = []
    for step in timeline.steps:
        key = (step.exercise_index, step.set, step.side)
        if step.kind not in WORK_KINDS:
            continue
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.index == step.index - 1
            and (last.exercise_index, last.set, last.side) == key
        ):
            groups[-1].append(step)
        else:
            groups.append([step])
    spans = []
    for g in groups:
        reps = sum(1 for s in g if s.kind is StepKind.REP)
        holds = [s.duration_s for s in g if s.kind is StepKind.HOLD]
        spans.append(
            SetSpan(
                first=g[0].index,
                last=g[-1].index,
                steps=tuple(g),
                reps_target=reps or None,
                hold_target_s=sum(holds) if holds else None,
            )
        )
    return spans


def next_blocks(timeline: Timeline) -> list[int | None]:
    """For each step, the first step of the block after its own (None: the end)."""
    steps = timeline.steps
    result: list[int | None] = [None] * len(steps)
    following: int | None = None
    for i in range(len(steps) - 1, -1, -1):
        if i + 1 < len(steps) and steps[i + 1].exercise_index != steps[i].exercise_index:
            following = i + 1
        result[i] = following
    return result
