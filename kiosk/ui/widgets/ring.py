"""The countdown ring: seconds left in the current step, big enough to read across a room.

Custom-painted (anti-aliased QPainter) rather than a progress bar: a full circle emptying
clockwise is read at a glance without reading the number, and the number inside is the
largest text on the screen. The ring holds no time of its own; the player tells it the
remaining and total seconds it got from the engine on every refresh.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.theme import Theme


def seconds_shown(remaining_s: float) -> int:
    """What the ring shows: whole seconds rounded up, so "1" is on screen until the end."""
    return max(0, math.ceil(remaining_s - 1e-6))


class QtCountdownRing(QWidget):
    """A ring that empties clockwise, with the seconds left in the middle.

    Modes: ``"work"`` (yellow) and ``"rest"`` (green); the mode is also named in the caption,
    so it never relies on colour alone.
    """

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CountdownRing")
        self._theme = theme
        self._remaining_s = 0.0
        self._total_s = 0.0
        self._mode = "work"
        self._caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        side = theme.metrics.px(300)
        self.setMinimumSize(side, side)

    # -- model → view ----------------------------------------------------------------------

    def set_time(self, remaining_s: float, total_s: float) -> None:
        self._remaining_s = max(0.0, remaining_s)
        self._total_s = max(0.0, total_s)
        self.update()  # the arc moves on every refresh, not only when the number changes

    def set_mode(self, mode: str) -> None:
        if mode != self._mode:
            self._mode = mode
            self.update()

    def set_caption(self, caption: str) -> None:
        if caption != self._caption:
            self._caption = caption
            self.update()

    # -- read back (tests, accessibility) ---------------------------------------------------

    @property
    def seconds_text(self) -> str:
        return str(seconds_shown(self._remaining_s))

    @property
    def caption(self) -> str:
        return self._caption

    @property
    def fraction(self) -> float:
        if self._total_s <= 0:
            return 0.0
        return min(1.0, self._remaining_s / self._total_s)

    def sizeHint(self) -> QSize:
        side = self._theme.metrics.px(460)
        return QSize(side, side)

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self._theme.palette
        side = min(self.width(), self.height())
        pen_width = max(8.0, side * 0.075)
        inset = pen_width / 2 + 2
        rect = QRectF(
            (self.width() - side) / 2 + inset,
            (self.height() - side) / 2 + inset,
            side - 2 * inset,
            side - 2 * inset,
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)

        track = QPen(QColor(palette.ring_track), pen_width)
        painter.setPen(track)
        painter.drawEllipse(rect)

        colour = palette.ring_rest if self._mode == "rest" else palette.ring_work
        arc = QPen(QColor(colour), pen_width)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(arc)
        span = round(-self.fraction * 360 * 16)  # negative: clockwise
        if span:
            painter.drawArc(rect, 90 * 16, span)

        painter.setPen(QColor(palette.text))
        number_font = QFont(self.font())
        number_font.setBold(True)
        number_font.setPixelSize(max(24, int(side * 0.36)))
        painter.setFont(number_font)
        number_rect = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.78)
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignCenter, self.seconds_text)

        if self._caption:
            caption_font = QFont(self.font())
            caption_font.setPixelSize(max(self._theme.metrics.font_small, int(side * 0.075)))
            painter.setFont(caption_font)
            painter.setPen(QColor(palette.muted))
            caption_rect = QRectF(
                rect.left(), rect.top() + rect.height() * 0.6, rect.width(), rect.height() * 0.2
            )
            painter.drawText(caption_rect, Qt.AlignmentFlag.AlignCenter, self._caption)
        painter.end()
