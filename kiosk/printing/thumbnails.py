"""Demonstration thumbnails for the handout: the exercise's key pose on a white stage.

A handout can always be printed: an exercise without a demonstration (or one that fails to
paint) gets a neutral framed placeholder with its name instead.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from kiosk.printing.pdf import FONT_FAMILY
from media.demo.renderer import render_thumbnail
from media.demo.scene import DemoPalette

_log = logging.getLogger(__name__)

# Paper is white: the kiosk's dark stage would print as a block of ink and hide the figure.
_PRINT_COLOURS = {
    "backdrop": "#FFFFFF",
    "floor": "#E3E7EC",
    "floor_line": "#8C96A3",
    "mat": "#C6D3E0",
    "mat_edge": "#7F95AB",
    "wall": "#D5DBE2",
    "wall_edge": "#8C96A3",
    "guide": "#A07800",  # the "what to watch" lines: the screen's pale yellow vanishes on paper
}


_PRINT_PALETTE = DemoPalette(**_PRINT_COLOURS)


def demonstration_thumbnail(exercise_id: str, size: QSize) -> QImage | None:
    """The exercise's thumbnail on paper colours, or None (a placeholder is printed)."""
    try:
        image = render_thumbnail(exercise_id, size, palette=_PRINT_PALETTE)
    except KeyError:
        _log.info("no demonstration for %s: a placeholder is printed", exercise_id)
        return None
    except Exception:
        _log.warning("no demonstration thumbnail for %s", exercise_id, exc_info=True)
        return None
    return None if image.isNull() else image


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
