"""The 3-D figure and its cameras, without Qt: a body that stays inside its joints' ranges and
above the floor, movements that show from the chosen view, still parts that stay still, sides
that are mirror images, and a figure that fits its frame at every size."""

from __future__ import annotations

import math

import pytest

from media.demo import body
from media.demo.body import Pose, limit_of, skeleton
from media.demo.catalog import demonstration, demonstration_ids
from media.demo.model import Demonstration, Guide
from media.demo.motion import end_of, in_phase, pose_for, setting_up, thumbnail_phase
from media.demo.scene import _sample_poses, build_frame, layout
from media.demo.shapes import Frame, Shape
from media.demo.solids import hull, tapered

IDS = demonstration_ids()
#: Program cards, the player at 1280×800 and 1920×1080 (its demonstration area), handouts.
SIZES = ((210, 126), (320, 240), (760, 640), (1150, 860), (160, 120), (300, 600))


def _key_pose(demo: Demonstration) -> Pose:
    return pose_for(demo, thumbnail_phase(demo))


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_pose_stays_inside_the_joints_ranges(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    for pose in _sample_poses(demo):
        for field, value in pose._asdict().items():
            limits = limit_of(field)
            if limits is None:
                continue
            low, high = limits
            assert low - 1e-6 <= value <= high + 1e-6, f"{field} = {value:.0f} outside {limits}"


def test_limits_know_both_sides() -> None:
    assert limit_of("l_knee") == limit_of("r_knee") == body.LIMITS["knee"]
    assert limit_of("x") is None


@pytest.mark.parametrize("exercise_id", IDS)
def test_no_part_of_the_body_goes_through_the_floor(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    for pose in _sample_poses(demo):
        skel = skeleton(pose, demo.anchor)
        lowest = min(
            min(skel.joints[a][1] - ra, skel.joints[b][1] - rb)
            for _g, a, b, ra, rb in body.SEGMENTS
        )
        origin = skel.joints["pelvis"]
        torso = min(origin[1] + p[1] for p in body.torso_points(skel.pelvis, skel.trunk))
        assert min(lowest, torso) >= -0.012, exercise_id  # the rims may touch the floor line
        # And something rests on it: nobody floats.
        assert min(lowest, torso) < 0.03


def _projected(
    demo: Demonstration, pose: Pose, side: str, size: tuple[int, int]
) -> dict[str, tuple[float, float]]:
    from media.demo.scene import _placed, is_mirrored

    lay = layout(demo, *size, mirrored=is_mirrored(demo, side))
    skel = _placed(demo, pose, 0)
    if demo.travel:
        shift = skel.joints["pelvis"][0]
        skel = skel._replace(joints={n: (p[0] - shift, p[1], p[2]) for n, p in skel.joints.items()})
    return {n: lay.project(p)[:2] for n, p in skel.joints.items()}


#: The joint that shows each movement, and the joints that must stay still while it moves.
MOVING = {
    "clamshell": ("l_knee", ("r_knee", "r_ankle", "l_ankle", "head")),
    "side-lying-lift-and-sweep": ("l_ankle", ("r_knee", "r_ankle", "l_hip")),
    "small-leg-raises": ("l_ankle", ("r_knee", "r_ankle", "l_hip", "head")),
    "big-leg-lifts": ("l_ankle", ("r_knee", "r_ankle")),
    "bicycle-to-sidekick": ("l_ankle", ("r_knee", "r_ankle", "head")),
    "leg-circles-clockwise": ("l_ankle", ("r_knee", "r_ankle", "l_hip", "head")),
    "leg-circles-counterclockwise": ("l_ankle", ("r_knee", "r_ankle", "l_hip", "head")),
    "four-point-hip-abduction": ("l_ankle", ("r_knee", "l_wrist", "r_wrist", "l_hip", "r_hip")),
    "prone-straddle-hold": ("l_ankle", ()),
    "standing-lateral-leg-raise": ("l_ankle", ("r_ankle", "head", "r_hip")),
    "standing-wall-press": ("l_knee", ("r_ankle",)),
    "standing-ball-squeeze": ("l_ankle", ("r_ankle",)),
    "ball-squeeze-squat": ("pelvis", ("l_toe", "r_toe")),
    "functional-clamshell": ("l_knee", ("l_ankle", "r_ankle", "r_knee", "head")),
    "lateral-band-walk": ("l_ankle", ()),
    "single-leg-stance": ("l_ankle", ("r_ankle", "head", "l_hip", "r_hip")),
}


def test_every_demonstration_says_what_moves() -> None:
    assert set(MOVING) == set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("side", ["left", "right"])
def test_the_movement_shows_and_the_rest_stays_still_on_the_screen(
    exercise_id: str, side: str
) -> None:
    """At the player's size, the moving joint travels a visible distance from the ready position
    to the key moment (a tenth of the figure's height or more); what must stay still moves
    less than a few pixels."""
    demo = demonstration(exercise_id)
    size = (760, 640)
    moving, still = MOVING[exercise_id]
    ready = _projected(demo, demo.ready if demo.moves else demo.start, side, size)
    key = _projected(demo, _key_pose(demo), side, size)
    ys = [p[1] for p in ready.values()]
    xs = [p[0] for p in ready.values()]
    figure = max(max(ys) - min(ys), max(xs) - min(xs))
    share = 0.08
    assert math.dist(ready[moving], key[moving]) > share * figure, moving
    for joint in still:
        assert math.dist(ready[joint], key[joint]) < 0.02 * figure, joint


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_phase_moves_on_the_screen(exercise_id: str) -> None:
    """Each phase moves some joint by a visible distance in the player (15 px at 760×640)."""
    demo = demonstration(exercise_id)
    for name in demo.moves:
        a = _projected(demo, in_phase(demo, name, 0.0), "left", (760, 640))
        b = _projected(demo, pose_for(demo, name), "left", (760, 640))
        travel = max(math.dist(a[j], b[j]) for j in a)
        assert travel > 15, f"{name}: {travel:.0f} px"


@pytest.mark.parametrize("exercise_id", [i for i in IDS if demonstration(i).sided])
def test_left_and_right_are_mirror_images(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    w, h = 640, 480
    for pose in (demo.start, _key_pose(demo)):
        left = build_frame(demo, pose, w, h, side="left")
        right = build_frame(demo, pose, w, h, side="right")
        assert len(left.shapes) == len(right.shapes)
        for a, b in zip(left.shapes, right.shapes, strict=True):
            assert a.kind == b.kind
            if a.kind not in ("solid", "dashed", "capsule"):
                continue  # the light on a ball comes from the same side of the screen
            flipped = sorted((round(w - x, 2), round(y, 2)) for x, y in b.points)
            mine = sorted((round(x, 2), round(y, 2)) for x, y in a.points)
            assert [c for p in mine for c in p] == pytest.approx(
                [c for p in flipped for c in p], abs=0.02
            )


def _solids(frame: Frame) -> list[Shape]:
    """The body's parts, moving (the frame's shapes) and still (its cached backdrop)."""
    return [s for s in (*frame.shapes, *frame.backdrop) if s.kind == "solid" and s.outline]


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("size", SIZES)
def test_the_figure_fits_its_frame_and_fills_it(exercise_id: str, size: tuple[int, int]) -> None:
    """Never cut off (every sampled moment, both sides), never tiny (the movement's extent
    fills most of the frame in one direction); stills fill it closely too."""
    demo = demonstration(exercise_id)
    w, h = size
    for still in (False, True):
        poses = [_key_pose(demo)] if still else _sample_poses(demo)[::3]
        for pose in poses:
            for side in ("left", "right"):
                frame = build_frame(demo, pose, w, h, side=side, still=still)
                body_points = [p for s in _solids(frame) for p in s.points]
                xs = [p[0] for p in body_points]
                ys = [p[1] for p in body_points]
                assert -0.5 <= min(xs) <= max(xs) <= w + 0.5, (side, still)
                assert -0.5 <= min(ys) <= max(ys) <= h + 0.5, (side, still)
        if still and w >= h:  # a tall narrow frame fits a figure and its chair by width
            fill = max((max(xs) - min(xs)) / w, (max(ys) - min(ys)) / h)
            assert fill > 0.75, f"a still fills only {fill:.0%}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_whole_movement_fills_the_player(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    w, h = 1150, 860
    xs: list[float] = []
    ys: list[float] = []
    for pose in _sample_poses(demo):
        frame = build_frame(demo, pose, w, h)
        for s in _solids(frame):
            xs += [p[0] for p in s.points]
            ys += [p[1] for p in s.points]
    fill = max((max(xs) - min(xs)) / w, (max(ys) - min(ys)) / h)
    assert fill > 0.8, f"the movement fills only {fill:.0%}"


def test_each_posture_has_its_guide() -> None:
    for exercise_id in IDS:
        demo = demonstration(exercise_id)
        lying_on_side = demo.start.roll == 90.0
        if lying_on_side:
            assert demo.guide is Guide.STACKED, exercise_id
        elif exercise_id.startswith("standing") or exercise_id in (
            "single-leg-stance",
            "functional-clamshell",
            "lateral-band-walk",
        ):
            assert demo.guide is Guide.LEVEL, exercise_id


def test_the_side_lying_hips_are_stacked_and_the_guide_runs_through_them() -> None:
    demo = demonstration("clamshell")
    frame = build_frame(demo, demo.start, 760, 640)
    (guide,) = [s for s in frame.shapes if s.kind == "dashed"]
    skel = skeleton(demo.start)
    top, bottom = skel.joints["l_hip"], skel.joints["r_hip"]
    assert abs(top[0] - bottom[0]) < 0.01
    assert abs(top[2] - bottom[2]) < 0.01
    (_ax, ay), (_bx, by) = guide.points
    assert ay > by  # it runs up the screen from the lower hip


def test_the_pelvis_is_a_segment_that_can_drop_and_tilt() -> None:
    level = skeleton(Pose()).joints
    dropped = skeleton(Pose(pelvis_drop=8.0)).joints
    assert level["l_hip"][1] == pytest.approx(level["r_hip"][1])
    assert dropped["l_hip"][1] < dropped["r_hip"][1] - 0.02  # the left side has dropped
    tilted = skeleton(Pose(pelvis_tilt=15.0), ("l_ankle", "r_ankle"))
    assert tilted.pelvis != skeleton(Pose()).pelvis


def test_a_tapered_limb_is_round_at_both_ends_and_wider_at_the_top() -> None:
    outline = tapered((0.0, 0.0), 10.0, (100.0, 0.0), 5.0)
    xs = [p[0] for p in outline]
    ys = [p[1] for p in outline]
    assert min(xs) == pytest.approx(-10.0, abs=0.5)
    assert max(xs) == pytest.approx(105.0, abs=0.5)
    near_a = [abs(y) for x, y in outline if x < 5]
    near_b = [abs(y) for x, y in outline if x > 95]
    assert max(near_a) == pytest.approx(10.0, abs=0.3)
    assert max(near_b) < 6.0
    assert max(ys) <= 10.0 + 1e-6
    assert len(hull([(0, 0), (1, 0), (0, 1), (1, 1), (0.5, 0.5)])) == 4


def test_setting_up_lands_on_the_ready_pose() -> None:
    demo = demonstration("single-leg-stance")
    assert setting_up(demo, 1.0) == demo.ready
    assert end_of(demo, "hold") == demo.hold
