"""From a pose to a list of flat shapes in pixels, ready for any painter. Qt-free.

Everything that decides how a demonstration looks lives here — the camera, the mirror, the
fit into the frame, the depth order, which limb is coloured, the props — so it is typed and
tested without Qt, and the renderer (:mod:`media.demo.renderer`) only strokes and fills.

The viewing convention (see ``docs/demonstrations.md``): the picture is the patient's MIRROR.
A demonstration is written for the left side, and its left side is drawn as the mirror image of
the camera's view: a patient facing the screen sees the figure's working left leg on their own
left, on the same side as the "◀ LEFT" badge, in the left colour. The right side is the camera's
view itself, which for a left-right symmetric figure is exactly the mirror of the left.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

from media.demo import body
from media.demo.body import Pose, Skeleton, Vec
from media.demo.model import Demonstration, Limb, Mat, Wall
from media.demo.motion import end_of, in_phase, setting_up
from media.demo.props import prop_points, prop_shapes
from media.demo.shapes import DemoPalette, Frame, Layout, Point, Shape, view_matrix

__all__ = ["DemoPalette", "Frame", "Shape", "build_frame", "is_mirrored", "layout"]


class _Bounds(NamedTuple):
    u_min: float
    u_max: float
    v_min: float
    v_max: float
    floor_v: float


def _sample_poses(demo: Demonstration) -> list[Pose]:
    poses = [demo.start, *(setting_up(demo, k / 4) for k in range(5))]
    for name, move in demo.moves.items():
        poses += list(move.poses)
        poses += [in_phase(demo, name, k / 8) for k in range(9)]
    if demo.hold is not None:
        poses.append(demo.hold)
    return poses


@functools.lru_cache(maxsize=64)
def _bounds(demo: Demonstration) -> _Bounds:
    """The whole movement's extent in camera space, so the frame never rescales mid-move."""
    return _extent(demo, _sample_poses(demo), with_props=True)


def _extent(demo: Demonstration, poses: list[Pose], *, with_props: bool) -> _Bounds:
    view = view_matrix(demo.camera)
    us: list[float] = []
    vs: list[float] = []
    ground: list[float] = []
    for pose in poses:
        joints = _placed(demo, pose, 0).joints
        shift = joints["pelvis"][0] if demo.travel else 0.0
        for name, p in joints.items():
            u, v, _ = body.mul(view, (p[0] - shift, p[1], p[2]))
            r = body.RADIUS.get(name.split("_", 1)[-1], 0.05)
            us += [u - r, u + r]
            vs += [v - r, v + r]
            ground.append(p[2])
        for prop in demo.props:
            if not with_props and isinstance(prop, Mat | Wall):
                continue  # a close-up may crop the mat and the wall, not the chair
            for p in prop_points(prop, joints):
                u, v, _ = body.mul(view, p)
                us.append(u)
                vs.append(v)
                ground.append(p[2])
    # The floor line: the floor's far edge, a little behind everything in the scene.
    far_z = min(ground) - 0.35
    floor_v = body.mul(view, (0.0, 0.0, far_z))[1]
    return _Bounds(min(us), max(us), min(vs), max([*vs, floor_v]), floor_v)


def layout(
    demo: Demonstration, width: int, height: int, *, mirrored: bool, still: Pose | None = None
) -> Layout:
    """Fit the whole movement into the rectangle, feet on a floor band, never cropped.

    ``still``: fit just that pose, closely (a thumbnail: the figure as large as it can be).
    """
    b = _bounds(demo) if still is None else _extent(demo, [still], with_props=False)
    margin_x = width * (0.06 if still is None else 0.04)
    top = height * (0.07 if still is None else 0.05)
    bottom = height * (0.11 if still is None else 0.08)
    span_u = max(b.u_max - b.u_min, 0.1)
    span_v = max(b.v_max - b.v_min, 0.1)
    s = min((width - 2 * margin_x) / span_u, (height - top - bottom) / span_v)
    spare = (height - top - bottom) - span_v * s
    base_y = height - bottom - spare * 0.45
    u0 = (b.u_min + b.u_max) / 2
    return Layout(view_matrix(demo.camera), s, width / 2, u0, base_y, b.v_min, b.floor_v, mirrored)


# -- the figure --------------------------------------------------------------------------------


def _placed(demo: Demonstration, pose: Pose, cycle: int) -> Skeleton:
    skel = body.skeleton(pose, demo.anchor)
    if demo.travel and cycle:
        offset = cycle * demo.travel
        return skel._replace(
            joints={n: (p[0] + offset, p[1], p[2]) for n, p in skel.joints.items()}
        )
    return skel


_LIMBS: dict[Limb, tuple[tuple[str, str, float], ...]] = {
    Limb.LEFT_LEG: (
        ("l_hip", "l_knee", 0.14),
        ("l_knee", "l_ankle", 0.105),
        ("l_ankle", "l_toe", 0.075),
    ),
    Limb.RIGHT_LEG: (
        ("r_hip", "r_knee", 0.14),
        ("r_knee", "r_ankle", 0.105),
        ("r_ankle", "r_toe", 0.075),
    ),
    Limb.LEFT_ARM: (("l_shoulder", "l_elbow", 0.095), ("l_elbow", "l_wrist", 0.08)),
    Limb.RIGHT_ARM: (("r_shoulder", "r_elbow", 0.095), ("r_elbow", "r_wrist", 0.08)),
}


def _limb_color(
    demo: Demonstration, limb: Limb, side_color: str, far: bool, pal: DemoPalette
) -> str:
    if limb in demo.working:
        return side_color
    return pal.body_far if far else pal.body


def figure_shapes(
    demo: Demonstration, skel: Skeleton, lay: Layout, side_color: str, pal: DemoPalette
) -> list[Shape]:
    """Head, torso, pelvis, arms and legs as depth-sorted shapes (far first)."""
    s = lay.scale
    pts = {name: lay.project(p) for name, p in skel.joints.items()}
    shapes: list[Shape] = []
    pelvis_depth = pts["pelvis"][2]

    for limb, segments in _LIMBS.items():
        depth = sum(pts[a][2] + pts[b][2] for a, b, _ in segments) / (2 * len(segments))
        far = depth < pelvis_depth - 0.03
        color = _limb_color(demo, limb, side_color, far, pal)
        for a, b, w in segments:
            d = (pts[a][2] + pts[b][2]) / 2
            shapes.append(Shape("capsule", d, color, (pts[a][:2], pts[b][:2]), w * s, outline=True))
        if limb in (Limb.LEFT_ARM, Limb.RIGHT_ARM):
            wrist = pts[segments[-1][1]]
            shapes.append(
                Shape("disc", wrist[2] + 0.001, color, (wrist[:2],), 0.05 * s, outline=True)
            )

    # Torso (shoulders to hips, rounded) and pelvis (shorts), a touch behind limbs at equal depth.
    torso_depth = (pts["chest"][2] + pts["neck"][2]) / 2 - 0.02
    quad = tuple(pts[n][:2] for n in ("l_shoulder", "r_shoulder", "r_hip", "l_hip"))
    spine = (pts["pelvis"][:2], pts["neck"][:2])
    shapes.append(Shape("torso", torso_depth, pal.body, quad + spine, 0.08 * s, 0.2 * s, True))
    shapes.append(
        Shape(
            "capsule",
            pelvis_depth - 0.015,
            pal.shorts,
            (pts["l_hip"][:2], pts["r_hip"][:2]),
            0.2 * s,
            outline=True,
        )
    )
    shapes.append(
        Shape(
            "capsule",
            pts["neck"][2] - 0.01,
            pal.body,
            (pts["neck"][:2], _toward(pts["neck"], pts["head"], 0.5)),
            0.09 * s,
            outline=True,
        )
    )
    shapes += _head(skel, lay, pal)
    return shapes


def _toward(a: tuple[float, float, float], b: tuple[float, float, float], t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _head(skel: Skeleton, lay: Layout, pal: DemoPalette) -> list[Shape]:
    """A round head whose eyes and smile show which way the figure looks."""
    head = skel.joints["head"]
    hx, hy, hd = lay.project(head)
    r = body.HEAD_R
    shapes = [Shape("disc", hd, pal.body, ((hx, hy),), r * lay.scale, outline=True)]
    toward_camera = body.mul(lay.view, skel.facing)[2]
    if toward_camera < -0.2:
        return shapes  # seen from behind: no face
    eye_r = 0.017 * lay.scale
    for k in (-1.0, 1.0):
        eye = body.add(
            head,
            body.add(
                body.scale(skel.facing, r * 0.82),
                body.add(body.scale(skel.head_up, r * 0.22), body.scale(skel.left, k * r * 0.4)),
            ),
        )
        ex, ey, ed = lay.project(eye)
        if ed > hd + r * 0.05:
            shapes.append(Shape("disc", hd + 0.0005, pal.outline, ((ex, ey),), eye_r))
    if toward_camera > 0.45:
        smile = []
        for k in (-0.32, -0.16, 0.0, 0.16, 0.32):
            lift = -0.28 + 0.9 * k * k
            p = body.add(
                head,
                body.add(
                    body.scale(skel.facing, r * 0.86),
                    body.add(body.scale(skel.head_up, r * lift), body.scale(skel.left, k * r)),
                ),
            )
            smile.append(lay.project(p)[:2])
        shapes.append(Shape("path", hd + 0.0006, pal.outline, tuple(smile), 0.014 * lay.scale))
    return shapes


# -- a whole frame ----------------------------------------------------------------------------


def side_color(demo: Demonstration, side: str | None, pal: DemoPalette) -> str:
    if not demo.sided or side is None:
        return pal.both
    return pal.left if side == "left" else pal.right


def is_mirrored(demo: Demonstration, side: str | None) -> bool:
    """Whether the camera's view is flipped: so that the figure's left is on the screen's left
    (see the module's docstring); a two-legged exercise is drawn as its left side."""
    return (side != "right") == demo.mirror_left


def build_frame(
    demo: Demonstration,
    pose: Pose,
    width: int,
    height: int,
    *,
    side: str | None = "left",
    cycle: int = 0,
    palette: DemoPalette | None = None,
    still: bool = False,
) -> Frame:
    """Everything to paint for ``pose`` in a ``width`` × ``height`` rectangle; ``still`` fits
    this one pose closely (thumbnails) rather than the whole movement (animation)."""
    pal = palette or DemoPalette()
    if not demo.sided:
        side = None  # both legs work: one picture, whatever side is asked for
    mirrored = is_mirrored(demo, side)
    lay = layout(demo, width, height, mirrored=mirrored, still=pose if still else None)
    skel = _placed(demo, pose, cycle)
    marks: tuple[float, ...] = ()
    if demo.travel:
        # The camera follows the pelvis across the floor; the floor marks move instead.
        shift = skel.joints["pelvis"][0]
        skel = skel._replace(joints={n: (p[0] - shift, p[1], p[2]) for n, p in skel.joints.items()})
        spacing = abs(demo.travel)
        first = math.floor((-shift - 3.0) / spacing)
        xs = [lay.project((k * spacing - shift, 0.0, 0.0))[0] for k in range(first, first + 40)]
        marks = tuple(x for x in xs if 0.0 <= x <= width)
    color = side_color(demo, side, pal)
    shapes = figure_shapes(demo, skel, lay, color, pal)
    for prop in demo.props:
        shapes += prop_shapes(prop, skel, lay, pal)
    if demo.trail:
        shapes += _trail(demo, lay, mirrored, pal)
    shapes.sort(key=_depth)
    floor_y = lay.by - (lay.floor_v - lay.v0) * lay.scale
    rim = max(1.0, 0.012 * lay.scale)
    return Frame(width, height, floor_y, tuple(shapes), marks, rim, pal)


def _depth(shape: Shape) -> float:
    return shape.depth


@functools.lru_cache(maxsize=128)
def _trail_world(demo: Demonstration) -> tuple[Vec, ...]:
    """Where the trail joint goes during one repetition (world, left side)."""
    points: list[Vec] = []
    for name in demo.moves:
        for k in range(24):
            pose = in_phase(demo, name, k / 24)
            points.append(_placed(demo, pose, 0).joints[demo.trail])
    points.append(_placed(demo, end_of(demo, next(iter(demo.moves))), 0).joints[demo.trail])
    return tuple(points)


def _trail(demo: Demonstration, lay: Layout, mirrored: bool, pal: DemoPalette) -> list[Shape]:
    """A faint line with an arrowhead along the path of the moving foot."""
    world = _trail_world(demo)
    pts = [lay.project(p) for p in world]
    if demo.keep_screen_direction and mirrored != demo.mirror_left:
        pts.reverse()
    flat = tuple(p[:2] for p in pts)
    depth = sum(p[2] for p in pts) / len(pts) - 0.2
    return [Shape("arrow", depth, pal.trail, flat, 0.012 * lay.scale)]


def runs_backwards(demo: Demonstration, side: str | None) -> bool:
    """Whether this side runs its moves backwards to keep their direction on the screen (a
    clockwise circle stays clockwise in the un-mirrored picture)."""
    return demo.keep_screen_direction and is_mirrored(demo, side) != demo.mirror_left
