"""The figure as solid volumes in pixels: tapered limbs, a torso and pelvis, a head. Qt-free.

Each limb segment is a tapered solid — two spheres (hip and knee, knee and ankle ...) and the
cone that joins them — which projects, in the orthographic camera, to two circles and their
outer tangents; the torso and the pelvis are stacked elliptical rings (``body.TRUNK_RINGS``,
``body.PELVIS_RINGS``) whose projection's convex hull is their outline. Every part is one filled
polygon with a dark rim, sorted far to near, and shaded by how far it is from the camera
compared with the pelvis: the near leg is bright, the far leg is darker, so two legs side by
side read apart in any view.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Sequence

from media.demo import body
from media.demo.body import Skeleton, Vec
from media.demo.shapes import DemoPalette, Layout, Point, Shape, mix

#: Depth (metres towards the camera, from the pelvis) at which a part is fully "near"/"far".
SHADE_RANGE = 0.22
SHADE_STEPS = 4  # a few shades only: brushes are cached by colour
FAR_SHADE = 0.36  # how far a far part is mixed towards the dark rim colour
NEAR_LIGHT = 0.10  # how much a near part is lightened


@functools.lru_cache(maxsize=64)
def _arc_table(steps: int) -> tuple[tuple[float, float], ...]:
    return tuple(
        (math.cos(math.pi * k / steps), math.sin(math.pi * k / steps)) for k in range(1, steps)
    )


def tapered(a: Point, ra: float, b: Point, rb: float, steps: int = 6) -> tuple[Point, ...]:
    """The outline of two discs (centre ``a`` radius ``ra``, ``b`` radius ``rb``) and their
    outer tangents: a tapered limb seen from anywhere. A polygon, counter-clockwise."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    d = math.hypot(dx, dy)
    if d <= abs(ra - rb) + 1e-6:
        return disc_points(a, ra, 2 * steps) if ra >= rb else disc_points(b, rb, 2 * steps)
    ux, uy = dx / d, dy / d
    nx, ny = -uy, ux
    sin_a = (ra - rb) / d
    cos_a = math.sqrt(max(0.0, 1.0 - sin_a * sin_a))
    pts: list[Point] = []
    # Round the far end of b: from the tangent point at +phi, through +u, to -phi.
    phi = math.atan2(cos_a, sin_a)
    for k in range(steps + 1):
        theta = phi - 2 * phi * k / steps
        c, s = math.cos(theta), math.sin(theta)
        pts.append((b[0] + rb * (c * ux + s * nx), b[1] + rb * (c * uy + s * ny)))
    # Round a's end: from -phi, through -u (pi), to -(2pi - phi) == +phi.
    span = 2 * math.pi - 2 * phi
    for k in range(steps + 1):
        theta = -phi - span * k / steps
        c, s = math.cos(theta), math.sin(theta)
        pts.append((a[0] + ra * (c * ux + s * nx), a[1] + ra * (c * uy + s * ny)))
    return tuple(pts)


def disc_points(c: Point, r: float, steps: int = 12) -> tuple[Point, ...]:
    return tuple(
        (c[0] + r * math.cos(2 * math.pi * k / steps), c[1] + r * math.sin(2 * math.pi * k / steps))
        for k in range(steps)
    )


def hull(points: Sequence[Point]) -> tuple[Point, ...]:
    """The convex hull (monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return tuple(pts)
    lower: list[Point] = []
    upper: list[Point] = []
    for p in pts:
        while (
            len(lower) >= 2
            and (
                (lower[-1][0] - lower[-2][0]) * (p[1] - lower[-2][1])
                - (lower[-1][1] - lower[-2][1]) * (p[0] - lower[-2][0])
            )
            <= 0
        ):
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while (
            len(upper) >= 2
            and (
                (upper[-1][0] - upper[-2][0]) * (p[1] - upper[-2][1])
                - (upper[-1][1] - upper[-2][1]) * (p[0] - upper[-2][0])
            )
            <= 0
        ):
            upper.pop()
        upper.append(p)
    return tuple(lower[:-1] + upper[:-1])


def shade(color: str, relative_depth: float, pal: DemoPalette) -> str:
    """``color`` lit for a part ``relative_depth`` metres nearer the camera than the pelvis."""
    t = max(-1.0, min(1.0, relative_depth / SHADE_RANGE))
    level = round(t * SHADE_STEPS) / SHADE_STEPS
    if level < 0:
        # Towards the rim's dark colour, not the panel's: on white paper too, far is darker.
        return mix(color, pal.outline, -level * FAR_SHADE)
    return mix(color, "#FFFFFF", level * NEAR_LIGHT)


def _steps(radius_px: float) -> int:
    """Points on each rounded end: enough that no facet is longer than ~8 pixels."""
    return 3 if radius_px < 6 else 5 if radius_px < 20 else 8 if radius_px < 40 else 12


#: Every part of the body by name: a limb segment ``"l_hip-l_knee"``..., then the pelvis, the
#: torso and the neck (the head and face are :mod:`media.demo.scene`'s).
PARTS: tuple[str, ...] = (
    *(f"{a}-{b}" for _g, a, b, _ra, _rb in body.SEGMENTS),
    "pelvis",
    "torso",
    "neck",
)


def body_shapes(
    skel: Skeleton,
    lay: Layout,
    colors: dict[str, str],
    pal: DemoPalette,
    *,
    outline: bool = True,
    groups: Sequence[str] | None = None,
    parts: Collection[str] | None = None,
    centre_depth: float | None = None,
    flat: str = "",
) -> list[tuple[str, Shape]]:
    """Body parts as solid shapes, each with its name (:data:`PARTS`). ``colors`` maps a group
    (``l_leg``, ``r_arm``..., ``torso``, ``pelvis``, ``skin``) to its colour. ``groups`` draws
    only those limbs (the ghost), ``parts`` only those parts (the ones that move); ``flat``
    paints them all in that one colour, unshaded. ``centre_depth``: the depth parts are shaded
    against (default: this pose's pelvis)."""
    s = lay.scale
    project = lay.project
    joints = skel.joints
    if centre_depth is None:
        centre_depth = project(joints["pelvis"])[2]
    out: list[tuple[str, Shape]] = []
    for (group, a, b, ra, rb), name in zip(body.SEGMENTS, PARTS, strict=False):
        if groups is not None and group not in groups:
            continue
        if parts is not None and name not in parts:
            continue
        pa, pb = project(joints[a]), project(joints[b])
        depth = (pa[2] + pb[2]) / 2
        color = flat or shade(colors[group], depth - centre_depth, pal)
        outline_pts = tapered(pa[:2], ra * s, pb[:2], rb * s, _steps(ra * s))
        out.append((name, Shape("solid", depth, color, outline_pts, outline=outline)))
    if groups is not None:
        return out
    origin = joints["pelvis"]
    if parts is None or "pelvis" in parts:
        points = body.ring_points(skel.pelvis, body.PELVIS_RINGS)
        flat_pts = [project(body.add(origin, p))[:2] for p in points]
        depth = project(origin)[2] + 0.012
        shape = Shape("solid", depth, flat or colors["pelvis"], hull(flat_pts), outline=outline)
        out.append(("pelvis", shape))
    if parts is None or "torso" in parts:
        points = body.ring_points(skel.trunk, body.TRUNK_RINGS)
        flat_pts = [project(body.add(origin, p))[:2] for p in points]
        depth = project(joints["chest"])[2] - 0.035
        shape = Shape("solid", depth, flat or colors["torso"], hull(flat_pts), outline=outline)
        out.append(("torso", shape))
    if parts is None or "neck" in parts:
        neck, head = project(joints["neck"]), project(joints["head"])
        neck_top = (neck[0] + (head[0] - neck[0]) * 0.55, neck[1] + (head[1] - neck[1]) * 0.55)
        outline_pts = tapered(neck[:2], 0.052 * s, neck_top, 0.047 * s, 4)
        shape = Shape("solid", neck[2] - 0.02, flat or colors["skin"], outline_pts, outline=outline)
        out.append(("neck", shape))
    return out


def part_points(skel: Skeleton, name: str) -> list[Vec]:
    """The 3-D points that place a part (what must not change for it to be still)."""
    j = skel.joints
    if name == "pelvis":
        return [j["pelvis"], *body.ring_points(skel.pelvis, body.PELVIS_RINGS)[::3]]
    if name == "torso":
        return [j["pelvis"], j["chest"], *body.ring_points(skel.trunk, body.TRUNK_RINGS)[::3]]
    if name == "neck":
        return [j["neck"], j["head"]]
    if name == "head":
        return [j["head"], skel.facing, skel.head_up]
    a, b = name.split("-")
    return [j[a], j[b]]


def extent_points(skel: Skeleton, view: body.Mat) -> list[tuple[float, float]]:
    """Camera-plane points (u, v, metres) that enclose the figure, for framing."""
    out: list[tuple[float, float]] = []
    for _group, a, b, ra, rb in body.SEGMENTS:
        for name, r in ((a, ra), (b, rb)):
            u, v, _ = body.mul(view, skel.joints[name])
            out += [(u - r, v - r), (u + r, v + r)]
    origin = skel.joints["pelvis"]
    for p in body.torso_points(skel.pelvis, skel.trunk):
        u, v, _ = body.mul(view, body.add(origin, p))
        out.append((u, v))
    u, v, _ = body.mul(view, skel.joints["head"])
    r = body.HEAD_R * 1.05
    out += [(u - r, v - r), (u + r, v + r)]
    return out


def mean_point(points: Sequence[Vec]) -> Vec:
    n = len(points)
    return (
        sum(p[0] for p in points) / n,
        sum(p[1] for p in points) / n,
        sum(p[2] for p in points) / n,
    )
