"""A4 PDF pages from measured blocks: the layout engine the handout and the card share.

Written for people reading at home, often with poor eyesight: large type (16 pt body, after
the RNIB's large-print guidance), dark text on white, nothing in light grey, left-aligned
ragged text (no justification gaps). Content is a list of :class:`Block` s, each measured
first and painted second, so a block never breaks across a page and every page can say
"page 2 of 3".

QPdfWriter is in QtGui and needs a Q(Gui)Application for fonts: :func:`ensure_app` makes an
offscreen one when run from the command line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtWidgets import QApplication

DPI = 300
BODY_PT = 16
SMALL_PT = 13
HEADING_PT = 22
TITLE_PT = 28
FONT_FAMILY = "DejaVu Sans"
INK = QColor("#111111")
RULE = QColor("#444444")
WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)

_app: QApplication | None = None


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new offscreen one (the CLI has none).

    A QApplication (not just a QGuiApplication) when one is made here, so widgets and
    pytest-qt can share it later.
    """
    global _app
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication(["kiosk"])
    return _app


def mm(value: float) -> float:
    """Millimetres in device pixels at :data:`DPI`."""
    return value / 25.4 * DPI


def font(size_pt: float, *, bold: bool = False, mono: bool = False) -> QFont:
    f = QFont("DejaVu Sans Mono" if mono else FONT_FAMILY)
    f.setPointSizeF(size_pt)
    f.setBold(bold)
    return f


Painter = Callable[[QPainter, float, float, float], None]  # painter, x, y, width


@dataclass(frozen=True)
class Block:
    """Something ``height`` pixels tall that paints itself at (x, y) in ``width`` pixels."""

    height: float
    paint: Painter
    gap_after: float = 0.0


class Page:
    """An A4 PDF being written: geometry, measuring and the pagination of blocks."""

    margin = mm(16)

    def __init__(self, path: Path, title: str) -> None:
        ensure_app()
        self.path = path
        self.writer = QPdfWriter(str(path))
        self.writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        self.writer.setResolution(DPI)
        self.writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        self.writer.setTitle(title)
        self.writer.setCreator("Clinic Gym Kiosk")
        self.width = float(self.writer.width())
        self.height = float(self.writer.height())
        self.content_width = self.width - 2 * self.margin

    def text_height(self, f: QFont, text: str, width: float) -> float:
        metrics = QFontMetricsF(f, self.writer)
        return metrics.boundingRect(QRectF(0, 0, width, 1e7), WRAP, text).height()

    def text_block(
        self, text: str, f: QFont, *, indent: float = 0.0, gap_after: float = 0.0,
        color: QColor = INK,
    ) -> Block:  # fmt: skip
        """Wrapped text, ``indent`` pixels in from the left."""
        height = self.text_height(f, text, self.content_width - indent)

        def paint(p: QPainter, x: float, y: float, width: float) -> None:
            p.setFont(f)
            p.setPen(color)
            p.drawText(QRectF(x + indent, y, width - indent, height + 2), WRAP, text)

        return Block(height, paint, gap_after)

    def list_item(
        self, marker: str, text: str, f: QFont, *, gap_after: float = 0.0,
        width: float | None = None,
    ) -> Block:  # fmt: skip
        """A numbered or bulleted line with a hanging indent (wrapped lines align).

        ``width``: where it will be painted, if narrower than the page's content.
        """
        indent = QFontMetricsF(f, self.writer).horizontalAdvance("00.  ")
        height = self.text_height(f, text, (width or self.content_width) - indent)

        def paint(p: QPainter, x: float, y: float, width: float) -> None:
            p.setFont(f)
            p.setPen(INK)
            p.drawText(QRectF(x, y, indent, height), WRAP, marker)
            p.drawText(QRectF(x + indent, y, width - indent, height + 2), WRAP, text)

        return Block(height, paint, gap_after)

    def rule(self, gap_after: float = mm(3)) -> Block:
        def paint(p: QPainter, x: float, y: float, width: float) -> None:
            p.setPen(QPen(RULE, mm(0.4)))
            p.drawLine(int(x), int(y + mm(1)), int(x + width), int(y + mm(1)))

        return Block(mm(2), paint, gap_after)

    def render(
        self, blocks: Sequence[Block | list[Block]], footer: Callable[[int, int], str]
    ) -> int:
        """Paginate and paint; a list of blocks is kept together on one page if it fits.

        Returns the number of pages.
        """
        top, bottom = self.margin, self.height - self.margin - mm(12)
        groups = [b if isinstance(b, list) else [b] for b in blocks]
        pages: list[list[tuple[Block, float]]] = [[]]
        y = top
        for group in groups:
            group_height = sum(b.height + b.gap_after for b in group)
            if y + group_height > bottom and y > top and group_height <= bottom - top:
                pages.append([])
                y = top
            for block in group:
                if block.height > 0 and y + block.height > bottom and y > top:
                    pages.append([])
                    y = top
                pages[-1].append((block, y))
                y += block.height + block.gap_after
        painter = QPainter(self.writer)
        if not painter.isActive():  # QPdfWriter only warns when it cannot open the file
            raise OSError(f"cannot write {self.path}")
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            for number, placed in enumerate(pages, 1):
                if number > 1:
                    self.writer.newPage()
                for block, at in placed:
                    block.paint(painter, self.margin, at, self.content_width)
                self._footer(painter, footer(number, len(pages)))
        finally:
            painter.end()
        return len(pages)

    def _footer(self, painter: QPainter, text: str) -> None:
        f = font(SMALL_PT)
        y = self.height - self.margin - mm(8)
        painter.setPen(QPen(RULE, mm(0.3)))
        painter.drawLine(int(self.margin), int(y), int(self.width - self.margin), int(y))
        painter.setFont(f)
        painter.setPen(INK)
        painter.drawText(QRectF(self.margin, y + mm(1.5), self.content_width, mm(8)), WRAP, text)
