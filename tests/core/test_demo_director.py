"""The director maps a compiled session onto demonstration poses (no Qt, no engine needed)."""

from __future__ import annotations

from kiosk.core.compiler import compile_prescription
from kiosk.core.demo_director import BLEND_S, DemoDirector, tempo_of
from kiosk.core.prescription import Prescription
from kiosk.core.timeline import Step, StepKind, Timeline
from media.demo.body import difference
from media.demo.catalog import demonstration
from media.demo.motion import end_of, hold_pose
from media.loader import load_library

LIBRARY = load_library()


def _session(exercise_id: str, **overrides: object) -> tuple[Prescription, Timeline]:
    p = Prescription.from_exercise(LIBRARY.exercise(exercise_id), **overrides)  # type: ignore[arg-type]
    return p, compile_prescription(p)


def _steps(timeline: Timeline, kind: StepKind) -> list[Step]:
    return [s for s in timeline.steps if s.kind is kind]


def _walk_to(director: DemoDirector, p: Prescription, timeline: Timeline, step: Step) -> None:
    """Show every step up to ``step`` as the player would, sampling each along the way."""
    for s in timeline.steps:
        director.show_step(s, p)
        director.frame_at(s.start_s)
        director.frame_at(s.start_s + min(s.duration_s, BLEND_S * 2))
        if s is step:
            return


def test_reps_follow_the_engine_phases() -> None:
    p, timeline = _session("clamshell", sets=1, reps=2)
    demo = demonstration("clamshell")
    rep = _steps(timeline, StepKind.REP)[0]
    director = DemoDirector()
    _walk_to(director, p, timeline, rep)
    raise_span, lower_span = rep.phases
    top = director.frame_at(raise_span.end_s - 1e-3)
    assert top is not None
    assert difference(top.pose, end_of(demo, "raise")) < 0.5  # up when "lower" is about to be said
    middle = director.frame_at(lower_span.start_s + lower_span.duration_s / 2)
    assert middle is not None
    assert difference(middle.pose, top.pose) > 5.0
    assert top.side == "left"


def test_a_hold_is_held_still() -> None:
    p, timeline = _session("standing-wall-press", sets=1)
    demo = demonstration("standing-wall-press")
    hold = _steps(timeline, StepKind.HOLD)[0]
    director = DemoDirector()
    _walk_to(director, p, timeline, hold)
    early = director.frame_at(hold.start_s + BLEND_S + 0.1)
    late = director.frame_at(hold.end_s - 0.1)
    assert early is not None
    assert late is not None
    assert early.pose == late.pose == hold_pose(demo)


def test_the_countdown_gets_into_position() -> None:
    p, timeline = _session("four-point-hip-abduction", sets=1, reps=1)
    demo = demonstration("four-point-hip-abduction")
    countdown = _steps(timeline, StepKind.COUNTDOWN)[0]
    director = DemoDirector()
    _walk_to(director, p, timeline, countdown)
    ready = director.frame_at(countdown.end_s - 0.01)
    assert ready is not None
    assert difference(ready.pose, demo.ready) < 1e-6


def test_a_jump_blends_and_a_side_switch_cuts() -> None:
    p, timeline = _session("clamshell", sets=1, reps=1, sides=None)
    director = DemoDirector()
    rep = _steps(timeline, StepKind.REP)[0]
    _walk_to(director, p, timeline, rep)
    up = director.frame_at(rep.phases[0].end_s)
    assert up is not None
    rest_or_switch = next(s for s in timeline.steps if s.start_s >= rep.end_s)
    director.show_step(rest_or_switch, p)
    first = director.frame_at(rest_or_switch.start_s)
    assert first is not None
    if first.side == up.side:  # a rest, same side: blends from where the figure was
        assert difference(first.pose, up.pose) < 1.0
    switch = _steps(timeline, StepKind.SWITCH_SIDE)[0]
    director.show_step(switch, p)
    cut = director.frame_at(switch.start_s)
    assert cut is not None
    assert cut.side == "right"
    assert cut.pose == demonstration("clamshell").start  # a new side: no blending across


def test_the_intro_demonstrates_the_movement() -> None:
    p, timeline = _session("side-lying-lift-and-sweep")
    intro = timeline.steps[0]
    assert intro.kind is StepKind.INTRO
    director = DemoDirector()
    director.show_step(intro, p)
    poses = []
    for k in range(40):
        frame = director.frame_at(intro.start_s + k * 0.25)
        assert frame is not None
        poses.append(frame.pose)
    assert max(difference(a, poses[0]) for a in poses) > 20.0
    assert tempo_of(p) == (("raise", 2.0), ("sweep", 2.0), ("lower", 2.0))
