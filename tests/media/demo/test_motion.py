"""Demonstration data and motion, without Qt: every exercise has one, it matches its tempo."""

from __future__ import annotations

import itertools

import pytest

from media.demo import body
from media.demo.body import Pose, blend, difference, skeleton
from media.demo.catalog import demonstration, demonstration_ids
from media.demo.motion import (
    HOLD,
    START,
    end_of,
    in_phase,
    intro_loop,
    loop_pose,
    phase_names,
    pose_for,
    setting_up,
    smoothstep,
)
from media.demo.scene import runs_backwards
from media.loader import load_library

LIBRARY = load_library()
IDS = sorted(LIBRARY.exercises)


def test_every_exercise_and_the_balance_check_has_a_demonstration() -> None:
    assert set(demonstration_ids()) == set(LIBRARY.exercises) | {"single-leg-stance"}
    assert "single-leg-stance" in LIBRARY.assessments
    assert len(IDS) == 15


def test_the_balance_check_stands_on_one_leg_and_holds() -> None:
    demo = demonstration("single-leg-stance")
    assert not demo.moves
    assert demo.hold is not None
    assert demo.sided
    held = skeleton(demo.hold, demo.anchor).joints
    assert held["l_ankle"][1] - held["r_ankle"][1] > 0.08  # the left foot is off the floor


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_moves_are_the_exercise_tempo_in_order(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    dosage = LIBRARY.exercise(exercise_id).dosage
    assert list(demo.moves) == [phase.name for phase in dosage.tempo]
    if dosage.is_hold or dosage.final_hold_s:
        assert demo.hold is not None
    assert demo.sided == (dosage.sides.value != "none")


@pytest.mark.parametrize("exercise_id", [*IDS, "single-leg-stance"])
def test_a_repetition_ends_where_it_started(exercise_id: str) -> None:
    """The last phase brings the figure back to the ready pose (across the floor for a walk)."""
    demo = demonstration(exercise_id)
    if not demo.moves:
        pytest.skip("a hold exercise")
    last = end_of(demo, list(demo.moves)[-1])
    expected = demo.ready._replace(x=demo.ready.x + demo.travel)
    assert difference(last, expected) < 1e-9


@pytest.mark.parametrize("exercise_id", IDS)
def test_each_phase_moves_and_phases_differ(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    for name in demo.moves:
        assert difference(in_phase(demo, name, 0.0), in_phase(demo, name, 0.5)) > 2.0
    key = pose_for(demo, phase_names(demo)[-1] if not demo.moves else next(iter(demo.moves)))
    assert difference(key, demo.start) > 5.0


@pytest.mark.parametrize("exercise_id", IDS)
def test_phases_are_continuous(exercise_id: str) -> None:
    """Each phase starts where the previous one ended: no jump at a phase change."""
    demo = demonstration(exercise_id)
    names = list(demo.moves)
    for previous, name in itertools.pairwise(names):
        assert difference(in_phase(demo, name, 0.0), end_of(demo, previous)) < 1e-6
    if names:
        assert difference(in_phase(demo, names[0], 0.0), demo.ready) < 1e-6
    assert difference(setting_up(demo, 1.0), demo.ready) < 1e-6
    assert difference(setting_up(demo, 0.0), demo.start) < 1e-6


def test_moves_ease_into_their_end_so_a_hold_is_still() -> None:
    demo = demonstration("clamshell")
    near_end = in_phase(demo, "raise", 0.97)
    assert difference(near_end, end_of(demo, "raise")) < 0.5  # degrees: settled at the top
    assert in_phase(demo, HOLD, 0.1) == in_phase(demo, HOLD, 0.9) == end_of(demo, "raise")
    assert smoothstep(0.0) == 0.0
    assert smoothstep(1.0) == 1.0
    assert smoothstep(0.5) == 0.5


def test_the_clamshell_opens_the_top_knee_with_the_feet_together() -> None:
    demo = demonstration("clamshell")
    closed = skeleton(demo.start).joints
    opened = skeleton(end_of(demo, "raise")).joints
    # The top (left) knee rises towards the ceiling ...
    assert opened["l_knee"][1] - closed["l_knee"][1] > 0.15
    # ... the feet stay together, and the bottom leg does not move.
    assert body.dot(body.sub(opened["l_ankle"], closed["l_ankle"]), (1, 1, 1)) == pytest.approx(
        0.0, abs=0.02
    )
    assert opened["r_knee"] == pytest.approx(closed["r_knee"])
    # Hips stacked: one hip above the other.
    assert closed["l_hip"][1] > closed["r_hip"][1] + 0.15


def test_a_side_lying_body_rests_on_the_floor_and_a_lift_goes_up() -> None:
    demo = demonstration("big-leg-lifts")
    start = skeleton(demo.start).joints
    up = skeleton(end_of(demo, "raise")).joints
    assert min(p[1] for p in start.values()) >= 0.0
    assert up["l_ankle"][1] - start["l_ankle"][1] > 0.4


def test_a_standing_leg_raise_keeps_the_standing_foot_still() -> None:
    demo = demonstration("standing-lateral-leg-raise")
    start = skeleton(demo.start, demo.anchor).joints
    up = skeleton(end_of(demo, "raise"), demo.anchor).joints
    assert up["r_ankle"] == pytest.approx(start["r_ankle"], abs=1e-9)
    assert up["l_ankle"][0] - start["l_ankle"][0] > 0.3  # the left foot goes out to the left


def test_circles_close_and_run_backwards_on_the_unmirrored_side() -> None:
    demo = demonstration("leg-circles-clockwise")
    assert difference(in_phase(demo, "circle", 0.0), in_phase(demo, "circle", 1.0)) < 1e-6
    forwards = in_phase(demo, "circle", 0.25)
    backwards = in_phase(demo, "circle", 0.25, reverse=True)
    assert difference(forwards, backwards) > 5.0
    assert runs_backwards(demo, "right")
    assert not runs_backwards(demo, "left")
    assert not runs_backwards(demonstration("clamshell"), "right")


def test_the_intro_loop_shows_the_movement_at_the_tempo() -> None:
    demo = demonstration("clamshell")
    parts = intro_loop(demo, (("raise", 2.0), ("lower", 2.0)))
    period = sum(p.seconds for p in parts)
    assert loop_pose(demo, parts, 0.5)[0] == demo.start
    top = parts[0].seconds + 2.0  # the end of the first "raise"
    assert difference(loop_pose(demo, parts, top)[0], end_of(demo, "raise")) < 1e-6
    assert loop_pose(demo, parts, 0.5 + period)[0] == demo.start  # it loops


def test_pose_for_knows_start_phases_and_hold_and_refuses_others() -> None:
    demo = demonstration("standing-wall-press")
    assert phase_names(demo) == (START, HOLD)
    assert pose_for(demo, HOLD) == demo.hold
    with pytest.raises(KeyError):
        pose_for(demo, "raise")
    with pytest.raises(KeyError):
        pose_for(demonstration("clamshell"), HOLD)
    with pytest.raises(KeyError, match="known"):
        demonstration("no-such-exercise")


def test_blend_keeps_bone_lengths() -> None:
    """Poses are angles, so a half-way pose has the same limb lengths (no shrinking legs)."""
    a = Pose(l_hip_abd=0.0)
    b = Pose(l_hip_flex=90.0, l_knee=90.0)
    half = skeleton(blend(a, b, 0.5)).joints
    thigh = body.sub(half["l_knee"], half["l_hip"])
    assert body.dot(thigh, thigh) ** 0.5 == pytest.approx(body.THIGH)
