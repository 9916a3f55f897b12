"""Demonstration thumbnails for the handout, from the demonstration renderer when it exists.

The renderer (``media.demo``, issue 4) is being written at the same time as the handout; this
module looks for ``render_thumbnail(exercise_id, size)`` there and, when it is missing or
fails, draws a neutral framed placeholder with the exercise's name, so a handout can always
be printed.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from kiosk.printing.pdf import FONT_FAMILY

_log = logging.getLogger(__name__)

_CANDIDATES = ("media.demo.renderer", "media.demo")

# Paper is white: the kiosk's dark stage would print as a block of ink and hide the figure.
_PRINT_COLOURS = {
    "backdrop": "#FFFFFF",
    "floor": "#E3E7EC",
    "floor_line": "#8C96A3",
    "mat": "#C6D3E0",
    "mat_edge": "#7F95AB",
    "wall": "#D5DBE2",
    "wall_edge": "#8C96A3",
}


def _find_renderer() -> Callable[..., object] | None:
    for name in _CANDIDATES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        render = getattr(module, "render_thumbnail", None)
        if callable(render):
            return render  # type: ignore[no-any-return]
    return None


def _print_palette() -> object | None:
    """The demonstration palette with a white stage, if the renderer takes one."""
    try:
        scene = importlib.import_module("media.demo.scene")
        palette: object = scene.DemoPalette(**_PRINT_COLOURS)
        return palette
    except (ImportError, AttributeError, TypeError):
        return None


def demonstration_thumbnail(exercise_id: str, size: QSize) -> QImage | None:
    """The renderer's thumbnail for the exercise, or None when there is no renderer yet."""
    render = _find_renderer()
    if render is None:
        return None
    palette = _print_palette()
    try:
        try:
            image = render(exercise_id, size, palette=palette) if palette else None
        except TypeError:
            image = None
        if image is None:
            image = render(exercise_id, size)
    except KeyError:
        _log.info("no demonstration for %s yet: a placeholder is printed", exercise_id)
        return None
    except Exception:
        _log.warning("no demonstration thumbnail for %s", exercise_id, exc_info=True)
        return None
    if isinstance(image, QImage) and not image.isNull():
        return image
    pixmap_to_image = getattr(image, "toImage", None)
    if callable(pixmap_to_image):
        converted = pixmap_to_image()
        if isinstance(converted, QImage) and not converted.isNull():
            return converted
    return None


def paint_thumbnail(painter: QPainter, exercise_id: str, name: str, rect: QRectF) -> bool:
    """Paint the thumbnail in a frame; returns False when a placeholder was drawn instead."""
    image = demonstration_thumbnail(exercise_id, QSize(int(rect.width()), int(rect.height())))
    painter.save()
    painter.fillRect(rect, QColor("white"))
    if image is not None:
        scaled = image.scaled(
            rect.size().toSize(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        x = rect.x() + (rect.width() - scaled.width()) / 2
        y = rect.y() + (rect.height() - scaled.height()) / 2
        painter.drawImage(int(x), int(y), scaled)
    else:
        painter.fillRect(rect, QColor("#f2f2f2"))
        painter.setPen(QColor("#222222"))
        font = painter.font()
        font.setFamily(FONT_FAMILY)
        font.setPointSizeF(12)
        painter.setFont(font)
        inner = rect.adjusted(rect.width() * 0.08, 0, -rect.width() * 0.08, 0)
        painter.drawText(
            inner, int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignCenter), name
        )
    painter.setPen(QPen(QColor("#222222"), max(2.0, rect.width() / 250)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    painter.restore()
    return image is not None
