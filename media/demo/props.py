"""The props a demonstration shows — mat, wall, chair, ball, pillow, band — as flat shapes.

Props stand in the world of the LEFT-side scene; the ball, pillow and band follow the joints
they sit against (a ball squashes against the wall as the knee presses, a band thins as it
stretches). Qt-free.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from media.demo import body
from media.demo.body import Skeleton, Vec
from media.demo.model import Ball, Band, Chair, Mat, Pillow, Prop, Wall
from media.demo.shapes import FAR, DemoPalette, Layout, Point, Shape, mix

BAND_BASE = 0.035  # metres: an unstretched band's drawn thickness
MAT_THICKNESS = 0.025  # metres: an exercise mat's


def prop_points(prop: Prop, joints: dict[str, Vec]) -> list[Vec]:
    if isinstance(prop, Mat):
        return [(x, 0.0, z) for x in (prop.x0, prop.x1) for z in (prop.z0, prop.z1)]
    if isinstance(prop, Wall):
        far = prop.face + prop.towards * 0.14
        return [
            (x, y, z)
            for x in (prop.face, far)
            for y in (0.0, prop.height)
            for z in (prop.z0, prop.z1)
        ]
    if isinstance(prop, Chair):
        return [
            (prop.x + dx, y, prop.z + dz)
            for dx in (-0.22, 0.22)
            for dz in (-0.22, 0.22)
            for y in (0.0, 0.92)
        ]
    return []


def _poly(
    lay: Layout, points: Iterable[Vec], color: str, depth: float, round_px: float = 0.0
) -> Shape:
    return Shape("poly", depth, color, tuple(lay.project(p)[:2] for p in points), round_px)


def prop_shapes(prop: Prop, skel: Skeleton, lay: Layout, pal: DemoPalette) -> list[Shape]:
    s = lay.scale
    j = skel.joints
    if isinstance(prop, Mat):
        y = MAT_THICKNESS
        mat_corners = [
            (prop.x0, prop.z0),
            (prop.x1, prop.z0),
            (prop.x1, prop.z1),
            (prop.x0, prop.z1),
        ]
        top = [(x, y, z) for x, z in mat_corners]
        # A slab: its sides (the near ones show below the top's edge, the far ones are hidden
        # by the top, painted after them), a shade darker. Painted once, into the still image.
        edge = mix(pal.mat, pal.outline, 0.4)
        sides = [
            _poly(lay, [(ax, 0.0, az), (bx, 0.0, bz), (bx, y, bz), (ax, y, az)], edge, FAR + 1.9)
            for (ax, az), (bx, bz) in zip(
                mat_corners, [*mat_corners[1:], mat_corners[0]], strict=True
            )
        ]
        return [*sides, _poly(lay, top, pal.mat, FAR + 2)]
    if isinstance(prop, Wall):
        far = prop.face + prop.towards * 0.14
        face = [
            (prop.face, 0.0, prop.z0),
            (prop.face, 0.0, prop.z1),
            (prop.face, prop.height, prop.z1),
            (prop.face, prop.height, prop.z0),
        ]
        front = [
            (prop.face, 0.0, prop.z1),
            (far, 0.0, prop.z1),
            (far, prop.height, prop.z1),
            (prop.face, prop.height, prop.z1),
        ]
        top = [
            (prop.face, prop.height, prop.z0),
            (far, prop.height, prop.z0),
            (far, prop.height, prop.z1),
            (prop.face, prop.height, prop.z1),
        ]
        return [
            _poly(lay, face, pal.wall, FAR + 3),
            _poly(lay, top, pal.wall_edge, FAR + 3.1),
            _poly(lay, front, pal.wall_edge, FAR + 3.2),
        ]
    if isinstance(prop, Chair):
        return _chair(prop, lay, pal)
    if isinstance(prop, Ball):
        centre = body.add(_mean(j, prop.joints), prop.offset)
        if prop.wall_face is not None and prop.squash_joint:
            # Between the outside of the knee and the wall, wherever the knee is.
            outer = j[prop.squash_joint][0] + (0.05 if prop.wall_face > centre[0] else -0.05)
            centre = ((outer + prop.wall_face) / 2, centre[1], centre[2])
        cx, cy, cd = lay.project(centre)
        rx = ry = prop.radius * s
        if prop.squash_joint and prop.wall_face is not None:
            # Pressed between a knee and the wall: as wide as the gap, a little taller.
            gap = abs(prop.wall_face - j[prop.squash_joint][0]) - 0.06
            squash = min(1.0, max(0.7, gap / (2 * prop.radius)))
            rx, ry = rx * squash, ry / math.sqrt(squash)
        return [
            Shape("disc", cd + 0.05, pal.ball, ((cx, cy),), rx, ry, outline=True),
            Shape(
                "disc",
                cd + 0.051,
                pal.body,
                ((cx - rx * 0.35, cy - ry * 0.4),),
                rx * 0.18,
                ry * 0.18,
            ),
        ]
    if isinstance(prop, Pillow):
        # A soft block from the outside of the knee to the wall, as deep and tall as a pillow.
        knee = j[prop.joint]
        inner = knee[0] + (0.05 if prop.face > knee[0] else -0.05)
        y, z, h, d = knee[1], knee[2], prop.height / 2, prop.depth / 2
        corners = [
            (x, y + dy, z + dz) for x in (inner, prop.face) for dy in (-h, h) for dz in (-d, d)
        ]
        hull = _hull([lay.project(c)[:2] for c in corners])
        depth = lay.project((inner, y, z))[2] + 0.06
        return [Shape("poly", depth, pal.pillow, hull, 0.04 * s, outline=True)]
    if isinstance(prop, Band):
        return _band(prop, skel, lay, pal)
    return []


def _hull(points: list[Point]) -> tuple[Point, ...]:
    """The convex hull (monotone chain), to draw a projected box as one rounded shape."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return tuple(pts)

    def turn(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    upper: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return tuple(lower[:-1] + upper[:-1])


def _mean(joints: dict[str, Vec], names: tuple[str, ...]) -> Vec:
    n = len(names)
    return (
        sum(joints[k][0] for k in names) / n,
        sum(joints[k][1] for k in names) / n,
        sum(joints[k][2] for k in names) / n,
    )


def _chair(chair: Chair, lay: Layout, pal: DemoPalette) -> list[Shape]:
    s = lay.scale
    x, z, half, seat = chair.x, chair.z, 0.21, 0.46
    legs = [(x + dx, z + dz) for dx in (-half, half) for dz in (-half, half)]
    shapes = [
        Shape(
            "capsule",
            FAR + 4 + lay.project((lx, 0.0, lz))[2] * 1e-3,
            pal.chair,
            (lay.project((lx, 0.0, lz))[:2], lay.project((lx, seat, lz))[:2]),
            0.035 * s,
        )
        for lx, lz in legs
    ]
    top = [
        (x - half, seat, z - half),
        (x + half, seat, z - half),
        (x + half, seat, z + half),
        (x - half, seat, z + half),
    ]
    shapes.append(_poly(lay, top, pal.chair, FAR + 5, 0.03 * s))
    bx = x + chair.back * half
    for bz in (z - half, z + half):
        shapes.append(
            Shape(
                "capsule",
                FAR + 5.1,
                pal.chair,
                (lay.project((bx, seat, bz))[:2], lay.project((bx, 0.92, bz))[:2]),
                0.04 * s,
            )
        )
    rail = [(bx, 0.74, z - half), (bx, 0.92, z - half), (bx, 0.92, z + half), (bx, 0.74, z + half)]
    shapes.append(_poly(lay, rail, pal.chair, FAR + 5.2, 0.03 * s))
    return shapes


def _band(band: Band, skel: Skeleton, lay: Layout, pal: DemoPalette) -> list[Shape]:
    j = skel.joints
    ends = []
    for side in ("l", "r"):
        hip, knee = j[f"{side}_hip"], j[f"{side}_knee"]
        ends.append(body.add(hip, body.scale(body.sub(knee, hip), band.at)))
    span = math.dist(ends[0], ends[1])
    stretch = max(1.0, span / band.rest_width)
    width = BAND_BASE / math.sqrt(stretch) * lay.scale
    forward = body.unit(body.cross(skel.left, body.UP))
    shapes = []
    for sign in (-1.0, 1.0):  # the strand behind the legs, then the one in front
        a = body.add(ends[0], body.scale(forward, sign * 0.075))
        b = body.add(ends[1], body.scale(forward, sign * 0.075))
        pa, pb = lay.project(a), lay.project(b)
        depth = (pa[2] + pb[2]) / 2 + sign * 0.08
        shapes.append(Shape("capsule", depth, pal.band, (pa[:2], pb[:2]), width, outline=True))
    return shapes
