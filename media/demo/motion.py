"""Where the figure is at a moment: keyframe interpolation, in step with the session's phases.

The player asks "phase *raise*, 40 % through" and gets a pose; the intro asks for a looping
demonstration of the whole movement at the exercise's tempo. Moves ease in and out
(smoothstep), so a lift slows into the top and the figure is still when the voice says "hold";
a path of several poses (a circle, forward-then-back) is a Catmull-Rom spline through them, so
the foot draws a round curve rather than a polygon. Qt-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from media.demo.body import Pose, blend, difference
from media.demo.model import Demonstration, Ease, Move

#: The phase name the timeline gives a hold (a hold exercise's, a hold inside a repetition,
#: or the hold after the last repetition). Matches ``kiosk.core.cue_text.HOLD_PHASE_NAME``.
HOLD = "hold"
START = "start"

#: Seconds the intro's looping demonstration spends on each part that has no tempo of its own.
LOOP_START_S = 1.2
LOOP_SETUP_S = 1.4  # per set-up pose
LOOP_HOLD_S = 3.0
LOOP_RETURN_S = 1.5
LOOP_CYCLES = 2


def smoothstep(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)


def _catmull(p0: float, p1: float, p2: float, p3: float, t: float) -> float:
    t2, t3 = t * t, t * t * t
    return 0.5 * (
        2.0 * p1
        + (-p0 + p2) * t
        + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * t2
        + (-p0 + 3.0 * p1 - 3.0 * p2 + p3) * t3
    )


def along(path: Sequence[Pose], t: float) -> Pose:
    """The pose a fraction ``t`` (0-1, already eased) along ``path``.

    Two poses blend straight; more follow a Catmull-Rom spline, closed when the path ends
    where it began (a circle), so the speed and direction carry round the joint.
    """
    if len(path) == 1 or t <= 0.0:
        return path[0]
    if t >= 1.0:
        return path[-1]
    if len(path) == 2:
        return blend(path[0], path[1], t)
    n = len(path) - 1
    closed = path[0] == path[-1]
    position = t * n
    i = min(int(position), n - 1)
    local = position - i

    def at(k: int) -> Pose:
        if closed:
            return path[k % n]
        return path[min(max(k, 0), n)]

    p0, p1, p2, p3 = at(i - 1), at(i), at(i + 1), at(i + 2)
    return Pose(*(_catmull(a, b, c, d, local) for a, b, c, d in zip(p0, p1, p2, p3, strict=True)))


def _eased(move: Move, progress: float) -> float:
    return smoothstep(progress) if move.ease is Ease.SMOOTH else min(1.0, max(0.0, progress))


def phase_names(demo: Demonstration) -> tuple[str, ...]:
    """Every name :func:`pose_for` and ``kiosk demo --phase`` accept, in session order."""
    names = [START, *demo.moves]
    if demo.hold is not None or not demo.moves:
        names.append(HOLD)
    return tuple(names)


def end_of(demo: Demonstration, name: str) -> Pose:
    """Where the phase ``name`` leaves the figure."""
    if name == HOLD:
        return hold_pose(demo)
    return demo.moves[name].poses[-1]


def _previous_end(demo: Demonstration, name: str) -> Pose:
    order = list(demo.moves)
    index = order.index(name)
    return demo.ready if index == 0 else demo.moves[order[index - 1]].poses[-1]


def hold_pose(demo: Demonstration) -> Pose:
    """A hold exercise's hold, the hold after the last repetition, or (for a hold inside a
    repetition) the end of the first phase."""
    if demo.hold is not None:
        return demo.hold
    if demo.moves:
        return next(iter(demo.moves.values())).poses[-1]
    return demo.ready


def in_phase(demo: Demonstration, name: str, progress: float, *, reverse: bool = False) -> Pose:
    """The pose ``progress`` (0-1) through the tempo phase ``name``.

    ``reverse`` runs the move backwards (the mirrored side of a demonstration that keeps its
    direction on the screen). A hold inside a repetition stays at the end of the first phase.
    Raises ``KeyError`` for a phase this demonstration does not have.
    """
    if name == HOLD:
        return hold_pose(demo)
    move = demo.moves[name]
    path = (_previous_end(demo, name), *move.poses)
    t = _eased(move, progress)
    if reverse and path[0] == path[-1]:
        t = 1.0 - t
    return along(path, t)


def setting_up(demo: Demonstration, progress: float) -> Pose:
    """Getting from the starting position into the ready position (the countdown)."""
    if not demo.setup:
        return demo.start
    return along((demo.start, *demo.setup), smoothstep(progress))


def pose_for(demo: Demonstration, name: str, progress: float | None = None) -> Pose:
    """A still for the CLI, the cards and handouts: ``start``, ``hold`` or a tempo phase at
    ``progress`` (default: the phase's key moment — its end, or half-way for a phase that
    returns to the start, like "lower"). ``KeyError`` for an unknown name."""
    if name == START:
        return demo.start
    if name == HOLD:
        if HOLD not in phase_names(demo):
            raise KeyError(name)
        return hold_pose(demo)
    move = demo.moves[name]
    if progress is None:
        progress = move.key_at
        if progress >= 1.0 and difference(move.poses[-1], demo.ready) < 1e-6:
            progress = 0.5  # a phase that returns to the start is shown on its way
    return in_phase(demo, name, progress)


def thumbnail_phase(demo: Demonstration) -> str:
    if demo.thumbnail:
        return demo.thumbnail
    return next(iter(demo.moves), HOLD)


class LoopPart(NamedTuple):
    seconds: float
    kind: str  # "still", "setup", "phase", "return"
    name: str = ""
    cycle: int = 0


def intro_loop(
    demo: Demonstration, tempo: Sequence[tuple[str, float]], hold_s: float | None = None
) -> tuple[LoopPart, ...]:
    """The looping demonstration the intro shows while the voice explains the exercise.

    ``tempo`` is the session's (name, seconds) for each phase, so the intro moves at the same
    pace as the sets will; a hold is shown for at most :data:`LOOP_HOLD_S`.
    """
    parts = [LoopPart(LOOP_START_S, "still")]
    if demo.setup:
        parts.append(LoopPart(LOOP_SETUP_S * len(demo.setup), "setup"))
    known = [(name, seconds) for name, seconds in tempo if name in demo.moves or name == HOLD]
    if known:
        for cycle in range(LOOP_CYCLES):
            parts += [LoopPart(s, "phase", name, cycle) for name, s in known]
    if demo.hold is not None or not known:
        held = LOOP_HOLD_S if hold_s is None else min(hold_s, LOOP_HOLD_S)
        parts.append(LoopPart(held, "phase", HOLD, LOOP_CYCLES if known else 0))
    parts.append(LoopPart(LOOP_RETURN_S, "return"))
    return tuple(parts)


def loop_pose(
    demo: Demonstration, parts: Sequence[LoopPart], t: float, *, reverse: bool = False
) -> tuple[Pose, int]:
    """The pose (and the repetition number, for travel) ``t`` seconds into the looping intro."""
    total = sum(p.seconds for p in parts)
    t = t % total if total > 0 else 0.0
    last = demo.start
    last_cycle = 0
    for part in parts:
        if t < part.seconds or part is parts[-1]:
            progress = t / part.seconds if part.seconds > 0 else 1.0
            if part.kind == "still":
                return demo.start, 0
            if part.kind == "setup":
                return setting_up(demo, progress), 0
            if part.kind == "phase":
                return in_phase(demo, part.name, progress, reverse=reverse), part.cycle
            return blend(last, demo.start, smoothstep(progress)), last_cycle
        t -= part.seconds
        if part.kind == "phase":
            last = in_phase(demo, part.name, 1.0, reverse=reverse)
            last_cycle = part.cycle
        elif part.kind == "setup":
            last = demo.ready
    return demo.start, 0
