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
import itertools
import math
from typing import NamedTuple

from media.demo import body
from media.demo.body import Pose, Skeleton, Vec, blend, difference
from media.demo.model import Chair, Demonstration, Guide, Limb, Mat, Pillow, Wall
from media.demo.motion import (
    end_of,
    hold_pose,
    in_phase,
    pose_for,
    setting_up,
    thumbnail_phase,
)
from media.demo.props import prop_points, prop_shapes
from media.demo.shapes import FAR, DemoPalette, Frame, Layout, Point, Shape, mix, view_matrix
from media.demo.solids import PARTS, body_shapes, extent_points, part_points

__all__ = [
    "DemoPalette",
    "Frame",
    "Shape",
    "build_frame",
    "changed_area",
    "is_mirrored",
    "layout",
    "prepare",
]


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
    return _extent(demo, _sample_poses(demo))


#: Metres of room round the figure for what sits against it (a ball, a pillow, the band).
PROP_ROOM = 0.02


def _extent(demo: Demonstration, poses: list[Pose]) -> _Bounds:
    """The figure's (and the chair's) extent; the mat and the wall may be cropped, the figure
    never is."""
    view = view_matrix(demo.camera)
    us: list[float] = []
    vs: list[float] = []
    ground: list[float] = []
    for pose in poses:
        skel = _placed(demo, pose, 0)
        joints = skel.joints
        shift = joints["pelvis"][0] if demo.travel else 0.0
        if shift:
            skel = _shifted(skel, shift)
        for u, v in extent_points(skel, view):
            us.append(u)
            vs.append(v)
        ground += [body.mul(view, p)[1] for p in skel.joints.values() if p[1] < 0.15]
        for prop in demo.props:
            points = prop_points(prop, skel.joints)
            ground += [body.mul(view, p)[1] for p in points if p[1] < 0.02]
            if isinstance(prop, Mat | Wall):
                continue
            for p in points:
                u, v, _ = body.mul(view, p)
                us.append(u)
                vs.append(v)
    # The floor line: a little beyond whatever stands or lies on the floor (the mat's far
    # edge, the feet, the chair's legs), so all of it is on the floor band.
    floor_v = max(ground) + 0.06 + 0.5 * math.sin(math.radians(demo.camera.pitch))
    room = PROP_ROOM
    return _Bounds(min(us) - room, max(us) + room, min(vs) - room, max(vs) + room, floor_v)


#: The share of the frame left round the figure: sides, top, bottom (the floor under it).
MARGINS = (0.03, 0.035, 0.05)
STILL_MARGINS = (0.03, 0.04, 0.05)


def layout(
    demo: Demonstration, width: int, height: int, *, mirrored: bool, still: Pose | None = None
) -> Layout:
    """Fit the whole movement into the rectangle, as large as it goes, never cropped.

    ``still``: fit just that pose, closely (a thumbnail: the figure as large as it can be).
    """
    b = _bounds(demo) if still is None else _extent(demo, [still])
    side, top_share, bottom_share = MARGINS if still is None else STILL_MARGINS
    margin_x = width * side
    top = height * top_share
    bottom = height * bottom_share
    span_u = max(b.u_max - b.u_min, 0.1)
    span_v = max(b.v_max - b.v_min, 0.1)
    s = max(1e-3, min((width - 2 * margin_x) / span_u, (height - top - bottom) / span_v))
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


def _shifted(skel: Skeleton, shift: float) -> Skeleton:
    return skel._replace(joints={n: (p[0] - shift, p[1], p[2]) for n, p in skel.joints.items()})


_LIMBS = {
    Limb.LEFT_LEG: "l_leg",
    Limb.RIGHT_LEG: "r_leg",
    Limb.LEFT_ARM: "l_arm",
    Limb.RIGHT_ARM: "r_arm",
}


def _colors(demo: Demonstration, side_color: str, pal: DemoPalette) -> dict[str, str]:
    colors = {
        group: side_color if limb in demo.working else pal.body for limb, group in _LIMBS.items()
    }
    colors.update(torso=pal.shirt, pelvis=pal.shorts, skin=pal.skin)
    return colors


def figure_shapes(
    demo: Demonstration,
    skel: Skeleton,
    lay: Layout,
    side_color: str,
    pal: DemoPalette,
    *,
    skip: frozenset[str] = frozenset(),
) -> list[Shape]:
    """The body's solid parts and its face, unsorted; ``skip`` leaves out those parts (and the
    head: ``"head"``), painted once into the still image."""
    centre = _plan(demo).centre_depth
    parts = [name for name in PARTS if name not in skip]
    colors = _colors(demo, side_color, pal)
    shapes = [s for _n, s in body_shapes(skel, lay, colors, pal, parts=parts, centre_depth=centre)]
    if "head" not in skip:
        shapes += _head(skel, lay, pal)
    return shapes


#: Props that do not move: painted once, into the still image.
_STILL_PROPS = (Mat, Wall, Chair)


class _Plan(NamedTuple):
    """What of a demonstration can be painted once: ``cached`` names the body parts that never
    move and are behind everything that does; ``trail_cached``: the trail is too.
    ``centre_depth``: the depth parts are shaded against (the ready pelvis)."""

    cached: frozenset[str]
    trail_cached: bool
    centre_depth: float


def _frame_skeleton(demo: Demonstration, pose: Pose) -> Skeleton:
    skel = _placed(demo, pose, 0)
    return _shifted(skel, skel.joints["pelvis"][0]) if demo.travel else skel


def _part_depth(view: body.Mat, skel: Skeleton, name: str) -> float:
    """A part's depth as :func:`~media.demo.solids.body_shapes` and :func:`_head` sort it."""
    j = skel.joints
    if name == "pelvis":
        return body.mul(view, j["pelvis"])[2] + 0.012
    if name == "torso":
        return body.mul(view, j["chest"])[2] - 0.035
    if name == "neck":
        return body.mul(view, j["neck"])[2] - 0.02
    if name == "head":
        return body.mul(view, j["head"])[2] - 0.001
    a, b = name.split("-")
    return (body.mul(view, j[a])[2] + body.mul(view, j[b])[2]) / 2


@functools.lru_cache(maxsize=64)
def _plan(demo: Demonstration) -> _Plan:
    """Which parts stay still through the whole demonstration (every sampled moment: start,
    set-up, every phase, the hold) and lie behind every part that moves."""
    view = view_matrix(demo.camera)
    skels = [_frame_skeleton(demo, pose) for pose in _sample_poses(demo)]
    centre = body.mul(view, _frame_skeleton(demo, demo.ready).joints["pelvis"])[2]
    names = (*PARTS, "head")
    first = skels[0]

    def still(name: str) -> bool:
        ref = part_points(first, name)
        for skel in skels[1:]:
            for p, q in zip(ref, part_points(skel, name), strict=True):
                if abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) > 2e-4:
                    return False
        return True

    moving = [name for name in names if not still(name)]
    # A still part goes into the still image if every moving thing is in front of it, or if
    # it never overlaps any moving thing on the screen (then the order does not matter).
    unit = Layout(view, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, False)
    pal = DemoPalette()
    colors = _colors(demo, pal.left, pal)
    moving_boxes: list[tuple[float, float, float, float, float]] = []  # x0, y0, x1, y1, depth
    for skel in skels:
        for name, shape in body_shapes(skel, unit, colors, pal, parts=moving, centre_depth=0.0):
            moving_boxes.append((*_box(shape.points), _part_depth(view, skel, name)))
        if "head" in moving:
            points = [p for sh in _head(skel, unit, pal) for p in _disc_hull(sh)]
            moving_boxes.append((*_box(points), _part_depth(view, skel, "head")))
        for prop in demo.props:
            if not isinstance(prop, _STILL_PROPS):
                for sh in prop_shapes(prop, skel, unit, pal):
                    moving_boxes.append((*_box(_disc_hull(sh)), sh.depth))
    still_boxes = {
        name: _box(shape.points)
        for name, shape in body_shapes(first, unit, colors, pal, parts=PARTS, centre_depth=0.0)
    }
    still_boxes["head"] = _box([p for sh in _head(first, unit, pal) for p in _disc_hull(sh)])
    margin = 0.03  # metres: the rims, and a little room

    def clear(box: tuple[float, float, float, float], depth: float) -> bool:
        for x0, y0, x1, y1, d in moving_boxes:
            apart = (
                box[2] + margin < x0
                or x1 + margin < box[0]
                or box[3] + margin < y0
                or y1 + margin < box[1]
            )
            if not apart and d <= depth:
                return False
        return True

    cached = frozenset(
        name
        for name in names
        if name not in moving and clear(still_boxes[name], _part_depth(view, first, name))
    )
    trail_cached = False
    if demo.trail:
        trail = _trail(demo, unit, False, pal)[0]
        trail_cached = clear(_box(trail.points), trail.depth)
    return _Plan(cached, trail_cached, centre)


def _box(points: tuple[Point, ...] | list[Point]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _disc_hull(shape: Shape) -> list[Point]:
    """A shape's points, a disc's as the corners of its box."""
    if shape.kind != "disc":
        return list(shape.points)
    (cx, cy), rx = shape.points[0], shape.width
    ry = shape.height or rx
    return [(cx - rx, cy - ry), (cx + rx, cy + ry)]


def _toward(a: tuple[float, float, float], b: tuple[float, float, float], t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _head(skel: Skeleton, lay: Layout, pal: DemoPalette) -> list[Shape]:
    """A round head with hair on the back and top, and eyes and a smile on the front: they show
    which way the figure looks."""
    head = skel.joints["head"]
    hx, hy, hd = lay.project(head)
    r = body.HEAD_R
    rp = r * lay.scale
    shapes = [Shape("disc", hd, pal.skin, ((hx, hy),), rp, outline=True)]
    # Hair: a cap over the back and the top of the head (seen wherever the back is).
    back = body.scale(skel.facing, -1.0)
    cap_centre = body.add(
        head, body.add(body.scale(back, r * 0.22), body.scale(skel.head_up, r * 0.2))
    )
    cx, cy, _cd = lay.project(cap_centre)
    toward_camera = body.mul(lay.view, skel.facing)[2]
    shapes.append(
        Shape(
            "disc",
            hd + 0.0004 if toward_camera < 0.0 else hd - 0.0004,
            pal.hair,
            ((cx, cy),),
            rp * 0.84,
        )
    )
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


def changed_area(before: Frame | None, after: Frame) -> tuple[int, int, int, int] | None:
    """The pixel rectangle ``(x0, y0, x1, y1)`` that differs between two frames of a scene —
    where something moved, before and after — so a widget repaints just that; None when the
    whole frame must be painted (a new scene or size, floor marks moving), an empty rectangle
    when nothing changed."""
    if (
        before is None
        or before.key != after.key
        or not after.key
        or before.marks != after.marks
        or before.floor_y != after.floor_y
    ):
        return None
    moved = set(before.shapes) ^ set(after.shapes)
    if not moved:
        return (0, 0, 0, 0)
    xs: list[float] = []
    ys: list[float] = []
    for shape in moved:
        pad = max(shape.width, shape.height) + 3 * after.rim + 3
        for x, y in shape.points:
            xs += [x - pad, x + pad]
            ys += [y - pad, y + pad]
    x0, y0 = max(0, math.floor(min(xs))), max(0, math.floor(min(ys)))
    x1, y1 = min(after.width, math.ceil(max(xs))), min(after.height, math.ceil(max(ys)))
    return (x0, y0, max(x0, x1), max(y0, y1))


def prepare(demo: Demonstration) -> None:
    """Work out, once per demonstration, what every frame of it reuses: the movement's extent
    (the framing) and which parts stay still. The player calls it when a step starts, so the
    first frame of an exercise costs no more than the rest."""
    _bounds(demo)
    _plan(demo)


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
        skel = _shifted(skel, shift)
        spacing = abs(demo.travel)
        first = math.floor((-shift - 3.0) / spacing)
        xs = [lay.project((k * spacing - shift, 0.0, 0.0))[0] for k in range(first, first + 40)]
        marks = tuple(x for x in xs if 0.0 <= x <= width)
    color = side_color(demo, side, pal)
    plan = _plan(demo)
    cached = frozenset() if still else plan.cached
    shapes = figure_shapes(demo, skel, lay, color, pal, skip=cached)
    for prop in demo.props:
        if isinstance(prop, Pillow):
            # Held against the wall where the knee will press it, from the start; drawn over
            # the knee so it shows.
            shapes += prop_shapes(prop, _frame_skeleton(demo, hold_pose(demo)), lay, pal)
        elif not isinstance(prop, _STILL_PROPS):
            shapes += prop_shapes(prop, skel, lay, pal)
    if demo.trail and (still or not plan.trail_cached):
        shapes += _trail(demo, lay, mirrored, pal)
    shapes += _guides(demo, lay, pal)
    shapes += _arrow(demo, lay, pal)
    shapes.sort(key=_depth)
    # On a whole pixel: the panel and the floor band then cover every pixel exactly once.
    floor_y = float(min(height, max(0, round(lay.by - (lay.floor_v - lay.v0) * lay.scale))))
    rim = rim_width(width, height)
    key = (demo, side, width, height, pal, still, pose if still else None)
    backdrop = _backdrop(demo, side, width, height, pal, still, pose if still else None)
    return Frame(width, height, floor_y, tuple(shapes), marks, rim, pal, backdrop, key)


@functools.lru_cache(maxsize=16)
def _backdrop(
    demo: Demonstration,
    side: str | None,
    width: int,
    height: int,
    pal: DemoPalette,
    still: bool,
    pose: Pose | None,
) -> tuple[Shape, ...]:
    """What does not move: the mat, the wall and the chair, and the ghost of the working limbs
    at the other end of the movement (the key moment in the player; in a still, where the
    movement starts)."""
    mirrored = is_mirrored(demo, side)
    lay = layout(demo, width, height, mirrored=mirrored, still=pose)
    ready = _placed(demo, demo.ready, 0)
    if demo.travel:
        ready = _shifted(ready, ready.joints["pelvis"][0])
    shapes: list[Shape] = []
    for prop in demo.props:
        if isinstance(prop, _STILL_PROPS):
            shapes += prop_shapes(prop, ready, lay, pal)
    if demo.ghost and not demo.travel and (demo.moves or demo.hold is not None):
        ghost_pose = demo.ready if still else pose_for(demo, thumbnail_phase(demo))
        if still and pose is not None and difference(ghost_pose, pose) < 10.0:
            ghost_pose = demo.start
        ghost = _placed(demo, ghost_pose, 0)
        groups = [_LIMBS[limb] for limb in demo.working]
        tint = mix(side_color(demo, side, pal), pal.backdrop, 0.62)
        ghosts = body_shapes(ghost, lay, {}, pal, outline=False, groups=groups, flat=tint)
        # Over the props, under the figure.
        shapes += [sh._replace(depth=FAR + 8 + k * 1e-3) for k, (_n, sh) in enumerate(ghosts)]
    if not still:
        plan = _plan(demo)
        skel = _frame_skeleton(demo, demo.ready)
        color = side_color(demo, side, pal)
        moving = frozenset((*PARTS, "head")) - plan.cached
        shapes += figure_shapes(demo, skel, lay, color, pal, skip=moving)
        if plan.trail_cached:
            shapes += _trail(demo, lay, mirrored, pal)
    shapes.sort(key=_depth)
    return tuple(shapes)


def rim_width(width: int, height: int) -> float:
    """The dark rim round every body part, in pixels: thin, so that it is cheap to stroke."""
    return max(1.0, min(width, height * 1.4) * 0.0026)


def _guides(demo: Demonstration, lay: Layout, pal: DemoPalette) -> list[Shape]:
    """The "what to watch" line, from the ready position: a level line across the pelvis or a
    line through the stacked hips. Drawn over the figure, thin and dashed."""
    if demo.guide is Guide.NONE:
        return []
    ready = _placed(demo, demo.ready, 0)
    if demo.travel:
        ready = _shifted(ready, ready.joints["pelvis"][0])
    left, right = ready.joints["l_hip"], ready.joints["r_hip"]
    width = max(1.5, 0.009 * lay.scale)
    if demo.guide is Guide.LEVEL:
        y = (left[1] + right[1]) / 2
        out = body.unit(body.sub(left, right))
        out = body.unit((out[0], 0.0, out[2]))
        a = body.add((left[0], y, left[2]), body.scale(out, 0.26))
        b = body.add((right[0], y, right[2]), body.scale(out, -0.26))
    else:
        low, high = (left, right) if left[1] < right[1] else (right, left)
        a = body.add(low, (0.0, -0.16, 0.0))
        b = body.add(high, (0.0, 0.30, 0.0))
    pa, pb = lay.project(a), lay.project(b)
    return [Shape("dashed", 1e9, pal.guide, (pa[:2], pb[:2]), width)]


def _depth(shape: Shape) -> float:
    return shape.depth


#: The shortest arrow (metres): a small movement (a knee turning out) still gets a clear one.
ARROW_MIN = 0.16


@functools.lru_cache(maxsize=64)
def _arrow_world(demo: Demonstration) -> tuple[Vec, ...]:
    """The path of the arrow's joint through the key phase, from where it starts to the key
    moment: the arrow runs along it and points where the joint goes. A short path is
    lengthened (from its start) to :data:`ARROW_MIN`."""
    if not demo.arrow:
        return ()
    if demo.moves:
        name = thumbnail_phase(demo)
        key_at = demo.moves[name].key_at
        poses = [in_phase(demo, name, key_at * k / 10) for k in range(11)]
    elif demo.hold is not None:
        # A hold: the last step into it (the knee pressing out into the pillow, the legs
        # opening), from the pose before it.
        before = demo.ready
        if difference(before, demo.hold) < 1.0:
            before = demo.setup[-2] if len(demo.setup) >= 2 else demo.start
        poses = [blend(before, demo.hold, k / 10) for k in range(11)]
    else:
        return ()
    path = [_frame_skeleton(demo, pose).joints[demo.arrow] for pose in poses]
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(path))
    if length < 1e-3:
        return ()
    if length < ARROW_MIN:
        origin, k = path[0], ARROW_MIN / length
        path = [body.add(origin, body.scale(body.sub(p, origin), k)) for p in path]
    return tuple(path)


def _arrow(demo: Demonstration, lay: Layout, pal: DemoPalette) -> list[Shape]:
    """A curved arrow beside the moving joint, in the direction of the movement."""
    world = _arrow_world(demo)
    if len(world) < 2:
        return []
    pts = tuple(lay.project(p)[:2] for p in world)
    width = max(2.0, 0.011 * lay.scale)
    return [Shape("arrow", 1e9 - 1, pal.guide, pts, width, outline=True)]


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


def _trail_depth(demo: Demonstration) -> float:
    view = view_matrix(demo.camera)
    world = _trail_world(demo)
    return sum(body.mul(view, p)[2] for p in world) / len(world) - 0.2


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
