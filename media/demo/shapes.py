"""The flat shapes a demonstration frame is made of, its colours, and the camera-to-pixel map.

Shared by :mod:`media.demo.scene` (the figure and the frame) and :mod:`media.demo.props`; the
renderer reads only these types. Qt-free.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from media.demo import body
from media.demo.body import Vec
from media.demo.model import Camera

Point = tuple[float, float]

FAR = -1e9  # depth of what is always behind the figure (floor props, walls)


class DemoPalette(NamedTuple):
    """The demonstration's colours. The defaults are the kiosk theme's (``kiosk/ui/theme.py``):
    the panel is the theme's surface, the floor its secondary, the working leg the side colour
    of the "◀ LEFT" / "RIGHT ▶" badge (the theme's primary yellow when both legs work), and the
    props are the theme's calm greens and creams. ``tests/media/demo`` checks they stay in step."""

    backdrop: str = "#1E252F"
    floor: str = "#2B3440"
    floor_line: str = "#5A6778"
    body: str = "#E4E9EF"
    body_far: str = "#98A4B3"
    shorts: str = "#6C7A8C"
    outline: str = "#0E1116"
    left: str = "#7FD4FF"
    right: str = "#FFB870"
    both: str = "#FFD43B"
    mat: str = "#2E4760"
    mat_edge: str = "#3E5F80"  # kept for palettes that set it; the mat is drawn edgeless
    wall: str = "#3A4452"
    wall_edge: str = "#5A6778"
    chair: str = "#B8A48E"
    ball: str = "#8BE38F"
    band: str = "#8BE38F"
    pillow: str = "#FFF1C2"
    trail: str = "#8A94A1"  # the theme's muted text, faded into the surface (drawn opaque)
    shirt: str = "#C9D3DE"  # the torso: a shade off the limbs, so an arm reads across it
    skin: str = "#E4E9EF"  # head and neck
    hair: str = "#5B4A3F"
    guide: str = "#F2E6A0"  # "what to watch" lines: a pale, calm yellow


class Shape(NamedTuple):
    """One thing to paint. ``kind``: ``capsule`` (a thick round-capped line through
    ``points``), ``disc`` (centre ``points[0]``, radius ``width``; ``height`` for an ellipse),
    ``poly`` (filled, with rounded corners of ``width``), ``solid`` (a filled polygon: a body
    part), ``path`` (a thin line), ``dashed`` (a thin dashed line), ``arrow`` (a thin line
    ending in an arrowhead). ``outline`` adds a dark rim ``rim`` pixels wide."""

    kind: str
    depth: float
    color: str
    points: tuple[Point, ...]
    width: float = 0.0
    height: float = 0.0
    outline: bool = False


class Frame(NamedTuple):
    """A demonstration frame laid out in a ``width`` × ``height`` pixel rectangle.

    ``backdrop`` is what does not move (the mat, the wall, the chair, the ghost): the same for
    every frame with the same ``key``, so the renderer paints it once into a cached image."""

    width: int
    height: int
    floor_y: float
    shapes: tuple[Shape, ...]
    marks: tuple[float, ...]  # x of the floor marks that show travel (band walk)
    rim: float  # outline width in pixels
    palette: DemoPalette
    backdrop: tuple[Shape, ...] = ()
    key: tuple[object, ...] = ()


@functools.lru_cache(maxsize=1024)
def mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` (0-1) of the way from ``#RRGGBB`` ``a`` to ``b``."""
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb, strict=True))


# -- camera and layout -----------------------------------------------------------------------


def view_matrix(camera: Camera) -> body.Mat:
    return body.matmul(body.rot_x(camera.pitch), body.rot_y(-camera.yaw))


class Layout(NamedTuple):
    """Camera space (metres) to pixels: ``px = cx ± u * s``, ``py = by - (v - v0) * s``."""

    view: body.Mat
    scale: float
    cx: float
    u0: float
    by: float
    v0: float
    floor_v: float
    mirrored: bool

    def project(self, p: Vec) -> tuple[float, float, float]:
        u, v, depth = body.mul(self.view, p)
        x = (
            self.cx - (u - self.u0) * self.scale
            if self.mirrored
            else self.cx + (u - self.u0) * self.scale
        )
        return x, self.by - (v - self.v0) * self.scale, depth
