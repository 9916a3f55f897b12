"""Paints demonstration frames with QPainter: the only module of ``media`` that imports Qt.

It strokes and fills what :mod:`media.demo.scene` laid out, anti-aliased, at any size: a calm
panel, a floor band with its line, then the shapes far to near, each body part with a thin dark
rim so that a near arm reads in front of the torso. Pens and brushes are cached per colour and
width, so a 1920×1080 frame paints in a couple of milliseconds (``make bench``:
``demo_paint_median_ms``).

The public entry points for other packages are :func:`render_image` and
:func:`render_thumbnail` (:func:`thumbnail_png` as a file); the player's widget calls
:func:`paint_frame` from its ``paintEvent``.
"""

from __future__ import annotations

import functools
import math
import os

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QImageWriter,
    QPainter,
    QPen,
    QPolygonF,
)

from media.demo.catalog import demonstration
from media.demo.model import Demonstration
from media.demo.motion import pose_for, thumbnail_phase
from media.demo.scene import DemoPalette, Frame, Shape, build_frame

_ROUND = Qt.PenCapStyle.RoundCap
_JOIN = Qt.PenJoinStyle.RoundJoin
_NO_PEN = Qt.PenStyle.NoPen
_NO_BRUSH = Qt.BrushStyle.NoBrush


@functools.lru_cache(maxsize=256)
def _color(hex_color: str, alpha: int = 255) -> QColor:
    color = QColor(hex_color)
    color.setAlpha(alpha)
    return color


@functools.lru_cache(maxsize=1024)
def _pen(hex_color: str, width: float, alpha: int = 255) -> QPen:
    pen = QPen(_color(hex_color, alpha), width)
    pen.setCapStyle(_ROUND)
    pen.setJoinStyle(_JOIN)
    return pen


def _w(width: float) -> float:
    """Pens are cached by width: quarter pixels are as fine as anyone can see."""
    return round(width * 4) / 4


@functools.lru_cache(maxsize=256)
def _brush(hex_color: str) -> QBrush:
    return QBrush(_color(hex_color))


def _points(shape: Shape) -> list[QPointF]:
    return [QPointF(x, y) for x, y in shape.points]


def paint_frame(painter: QPainter, frame: Frame, origin: QPointF | None = None) -> None:
    """Paint ``frame`` with its top-left corner at ``origin`` (default: 0, 0)."""
    pal = frame.palette
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if origin is not None:
        painter.translate(origin)
    h = frame.height
    _paint_ground(painter, frame)
    still = _still_part(frame)
    if still is not None:
        # The still part is opaque (panel and floor included): copied, not blended, and only
        # the rectangle that holds something.
        left, top, image = still
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(QPointF(left, top), image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    if frame.marks:
        mark_y = frame.floor_y + (h - frame.floor_y) * 0.5
        painter.setPen(_pen(pal.floor_line, _w(max(2.0, h * 0.008))))
        for x in frame.marks:
            painter.drawLine(QPointF(x - h * 0.015, mark_y), QPointF(x + h * 0.015, mark_y))
    rim = _w(frame.rim)
    for shape in frame.shapes:
        _paint_shape(painter, shape, rim, pal)
    painter.restore()


def prepare_frame(frame: Frame) -> None:
    """Paint ``frame``'s still part now (into the cache), so that the first frame of a scene
    costs no more than the rest: the player calls it when a step starts."""
    _still_part(frame)


def _paint_ground(painter: QPainter, frame: Frame) -> None:
    """The panel, the floor band and its line: as cheap as one fill of the frame."""
    pal = frame.palette
    w, h = frame.width, frame.height
    painter.fillRect(QRectF(0, 0, w, frame.floor_y), _color(pal.backdrop))
    painter.fillRect(QRectF(0, frame.floor_y, w, h - frame.floor_y), _color(pal.floor))
    painter.setPen(_pen(pal.floor_line, _w(max(2.0, h * 0.004))))
    painter.drawLine(QPointF(0, frame.floor_y), QPointF(w, frame.floor_y))


def _extent(frame: Frame) -> tuple[int, int, int, int] | None:
    """The pixel rectangle (x0, y0, x1, y1) the still shapes cover, rim included."""
    xs: list[float] = []
    ys: list[float] = []
    for shape in frame.backdrop:
        pad = shape.width + 2 * frame.rim + 2
        if shape.kind == "disc":
            pad = max(shape.width, shape.height) + 2 * frame.rim + 2
        for x, y in shape.points:
            xs += [x - pad, x + pad]
            ys += [y - pad, y + pad]
    if not xs:
        return None
    x0, y0 = max(0, int(min(xs))), max(0, int(min(ys)))
    x1, y1 = min(frame.width, int(max(xs)) + 1), min(frame.height, int(max(ys)) + 1)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def _still_part(frame: Frame) -> tuple[int, int, QImage] | None:
    """What does not move (the mat, the props, the ghost, the body's still parts) over its
    patch of panel and floor, painted once per scene and size; None if there is nothing."""
    key = frame.key or (id(frame),)
    if key in _STILL:
        return _STILL[key]
    extent = _extent(frame)
    result: tuple[int, int, QImage] | None = None
    if extent is not None:
        x0, y0, x1, y1 = extent
        image = QImage(x1 - x0, y1 - y0, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        try:
            painter.translate(-x0, -y0)
            _paint_ground(painter, frame)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            rim = _w(frame.rim)
            for shape in frame.backdrop:
                _paint_shape(painter, shape, rim, frame.palette)
        finally:
            painter.end()
        result = (x0, y0, image)
    if frame.key:
        _STILL[key] = result
        while len(_STILL) > STILL_CACHE:
            _STILL.pop(next(iter(_STILL)))
    return result


#: Painted still parts kept (a player shows one scene at one size for minutes; at 1080p one
#: is up to 8 MB).
STILL_CACHE = 3
_STILL: dict[tuple[object, ...], tuple[int, int, QImage] | None] = {}


def _paint_shape(painter: QPainter, shape: Shape, rim: float, pal: DemoPalette) -> None:
    kind = shape.kind
    if kind == "solid":
        polygon = QPolygonF(_points(shape))
        if shape.outline:
            # The rim: a wide stroke under the fill, not anti-aliased (its outer edge is dark on
            # a dark panel; its inner edge is covered by the fill's smooth one). Stroking
            # anti-aliased costs several times as much.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(_pen(pal.outline, _w(2 * rim)))
            painter.setBrush(_NO_BRUSH)
            painter.drawPolygon(polygon)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(_NO_PEN)
        painter.setBrush(_brush(shape.color))
        painter.drawPolygon(polygon)
    elif kind == "dashed":
        _paint_dashed(painter, shape)
    elif kind == "capsule":
        a, b = shape.points
        pa, pb = QPointF(*a), QPointF(*b)
        if shape.outline:
            painter.setPen(_pen(pal.outline, _w(shape.width + 2 * rim)))
            painter.drawLine(pa, pb)
        painter.setPen(_pen(shape.color, _w(shape.width)))
        painter.drawLine(pa, pb)
    elif kind == "disc":
        (cx, cy), rx = shape.points[0], shape.width
        ry = shape.height or rx
        painter.setPen(_pen(pal.outline, rim) if shape.outline else _NO_PEN)
        painter.setBrush(_brush(shape.color))
        painter.drawEllipse(QPointF(cx, cy), rx, ry)
    elif kind == "poly":
        if shape.outline:
            painter.setBrush(_brush(pal.outline))
            painter.setPen(_pen(pal.outline, _w(shape.width + 2 * rim)))
            painter.drawPolygon(QPolygonF(_points(shape)))
        painter.setBrush(_brush(shape.color))
        if shape.width > 0:
            painter.setPen(_pen(shape.color, _w(shape.width)))
        else:
            painter.setPen(_NO_PEN)
        painter.drawPolygon(QPolygonF(_points(shape)))
    elif kind == "torso":
        _paint_torso(painter, shape, rim, pal)
    elif kind == "path":
        painter.setPen(_pen(shape.color, _w(shape.width)))
        painter.setBrush(_NO_BRUSH)
        painter.drawPolyline(QPolygonF(_points(shape)))
    elif kind == "arrow":
        _paint_arrow(painter, shape, rim, pal)


def _paint_dashed(painter: QPainter, shape: Shape) -> None:
    """A thin dashed line (a guide): drawn as short solid pieces, cheaper than a dash pattern."""
    (ax, ay), (bx, by) = shape.points[0], shape.points[-1]
    length = math.hypot(bx - ax, by - ay)
    if length < 1.0:
        return
    dash = max(4.0, shape.width * 4)
    pieces = max(1, int(length / (2 * dash)))
    step_x, step_y = (bx - ax) / length, (by - ay) / length
    painter.setPen(_pen(shape.color, _w(shape.width)))
    lines = []
    for k in range(pieces + 1):
        start = k * 2 * dash
        end = min(length, start + dash)
        if start >= length:
            break
        lines.append(
            QLineF(ax + step_x * start, ay + step_y * start, ax + step_x * end, ay + step_y * end)
        )
    painter.drawLines(lines)


def _paint_torso(painter: QPainter, shape: Shape, rim: float, pal: DemoPalette) -> None:
    quad = QPolygonF(_points(shape)[:4])
    spine_a, spine_b = (QPointF(*p) for p in shape.points[4:6])
    corner, thick = shape.width, shape.height
    painter.setBrush(_brush(pal.outline))
    painter.setPen(_pen(pal.outline, _w(corner + 2 * rim)))
    painter.drawPolygon(quad)
    painter.setPen(_pen(pal.outline, _w(thick + 2 * rim)))
    painter.drawLine(spine_a, spine_b)
    painter.setBrush(_brush(shape.color))
    painter.setPen(_pen(shape.color, _w(corner)))
    painter.drawPolygon(quad)
    painter.setPen(_pen(shape.color, _w(thick)))
    painter.drawLine(spine_a, spine_b)


def _paint_arrow(painter: QPainter, shape: Shape, rim: float, pal: DemoPalette) -> None:
    """A thin opaque line along a path with an arrowhead at its end (alpha blending a long
    round-joined line costs a millisecond at 1080p; an opaque dim colour looks the same).
    ``outline``: a dark rim round it, so it reads over the body and the props too."""
    points = _points(shape)
    if len(points) < 2:
        return
    width = max(1.5, shape.width)
    tip = points[-1]
    tail = points[-4] if len(points) >= 4 else points[0]
    angle = math.atan2(tip.y() - tail.y(), tip.x() - tail.x())
    size = width * 4.5
    left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
    right = QPointF(
        tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45)
    )
    line = QPolygonF(
        [*points[:-1], QPointF((left.x() + right.x()) / 2, (left.y() + right.y()) / 2)]
    )
    head = QPolygonF([tip, left, right])
    if shape.outline:
        # The rim under the line, not anti-aliased (as the body's rims: a wide anti-aliased
        # stroke costs milliseconds at 1080p).
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(_pen(pal.outline, _w(width + 2 * rim)))
        painter.setBrush(_NO_BRUSH)
        painter.drawPolyline(line)
        painter.setBrush(_brush(pal.outline))
        painter.drawPolygon(head)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(_pen(shape.color, _w(width)))
    painter.setBrush(_NO_BRUSH)
    painter.drawPolyline(line)
    painter.setPen(_NO_PEN)
    painter.setBrush(_brush(shape.color))
    painter.drawPolygon(head)


# -- images -----------------------------------------------------------------------------------


def _size(size: QSize | tuple[int, int]) -> tuple[int, int]:
    if isinstance(size, QSize):
        return size.width(), size.height()
    return int(size[0]), int(size[1])


def render_image(
    exercise: str | Demonstration,
    size: QSize | tuple[int, int],
    *,
    phase: str | None = None,
    progress: float | None = None,
    side: str | None = "left",
    palette: DemoPalette | None = None,
    close_up: bool = False,
) -> QImage:
    """One still of an exercise's demonstration.

    ``phase``: ``start``, a tempo phase (``raise``, ``lower``...), or ``hold``; default the
    thumbnail's key pose. ``progress`` (0-1) places it within the phase (default: its key
    moment). ``side``: ``left`` or ``right`` (ignored by two-legged exercises). ``close_up``
    fits this one pose as large as it goes (thumbnails) instead of the whole movement (the
    framing the player uses). Raises ``KeyError`` for an unknown exercise or phase.
    """
    demo = demonstration(exercise) if isinstance(exercise, str) else exercise
    width, height = _size(size)
    pose = pose_for(demo, phase or thumbnail_phase(demo), progress)
    frame = build_frame(demo, pose, width, height, side=side, palette=palette, still=close_up)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(_color(frame.palette.backdrop))
    painter = QPainter(image)
    try:
        paint_frame(painter, frame)
    finally:
        painter.end()
    return image


def render_thumbnail(
    exercise_id: str,
    size: QSize | tuple[int, int] = (320, 240),
    *,
    side: str | None = "left",
    palette: DemoPalette | None = None,
) -> QImage:
    """The still used on the program cards and the printed handouts: the exercise's key pose
    (a clamshell open, a leg lifted, a hold held), on the left side. ``KeyError`` for an
    unknown id. The image is a fresh copy the caller owns."""
    return render_image(exercise_id, size, side=side, palette=palette, close_up=True)


def ensure_gui_application() -> None:
    """Painting needs a QGuiApplication; make an offscreen one if the process has none (the
    CLI, a handout printer). A kiosk or test that already has one keeps it."""
    if QGuiApplication.instance() is not None:
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication (not just a QGuiApplication): whoever comes later in the same process
    # (a widget, pytest-qt) finds the kind of application it needs.
    from PySide6.QtWidgets import QApplication

    _APP.append(QApplication(["clinic-gym-kiosk"]))


_APP: list[QGuiApplication] = []  # keeps the application made above alive


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"png")).write(image)
    buffer.close()
    return bytes(data.data())


def thumbnail_png(
    exercise_id: str,
    size: QSize | tuple[int, int] = (320, 240),
    *,
    side: str = "left",
    palette: DemoPalette | None = None,
) -> bytes:
    """:func:`render_thumbnail` as PNG bytes, in any process (an offscreen application is
    made if there is none)."""
    ensure_gui_application()
    return png_bytes(render_thumbnail(exercise_id, size, side=side, palette=palette))
