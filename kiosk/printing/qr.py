"""A QR code painted as vector squares (segno computes the modules, Qt paints them).

Vector squares stay sharp at any printer resolution, and the quiet zone of four modules that
scanners need is part of the painted area.
"""

from __future__ import annotations

import segno
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

QUIET_ZONE = 4


def qr_modules(text: str) -> list[list[bool]]:
    """The dark/light modules of a QR code for ``text`` (error correction M, no quiet zone)."""
    code = segno.make_qr(text, error="m")
    return [[bool(cell) for cell in row] for row in code.matrix]


def paint_qr(painter: QPainter, text: str, rect: QRectF) -> None:
    """Paint a square QR code with its quiet zone, as large as fits in ``rect``."""
    modules = qr_modules(text)
    count = len(modules) + 2 * QUIET_ZONE
    side = min(rect.width(), rect.height())
    module = side / count
    left = rect.x() + (rect.width() - side) / 2 + QUIET_ZONE * module
    top = rect.y() + (rect.height() - side) / 2 + QUIET_ZONE * module
    painter.save()
    painter.setPen(QColor("white"))
    painter.fillRect(QRectF(rect.x(), rect.y(), side, side), QColor("white"))
    painter.setPen(QColor(0, 0, 0, 0))
    black = QColor("black")
    for row, cells in enumerate(modules):
        for column, dark in enumerate(cells):
            if dark:
                # A hair of overlap so no white seams show between neighbouring modules.
                painter.fillRect(
                    QRectF(left + column * module, top + row * module, module + 0.5, module + 0.5),
                    black,
                )
    painter.restore()
