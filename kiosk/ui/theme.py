"""The high-contrast theme: one QSS template, sizes scaled to the screen.

Patients read from a metre or more away, many with poor eyesight, so every size is derived
from the screen height (1080 px is the reference) and never drops below the floors that keep
text legible and buttons hittable: body text at least 24 pt at 1080p, touch targets at least
88 px whatever the screen. Colours and sizes live here; ``theme.qss`` only says where they go
(keyed on object names and dynamic properties such as ``role`` and ``side``), so there is one
stylesheet to review rather than ``setStyleSheet`` calls scattered through the widgets.
NamedTuples rather than dataclasses: ``dataclasses`` (and ``inspect``) cost start-up time.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QSize

REFERENCE_HEIGHT = 1080
REFERENCE_WIDTH = 1600  # narrower screens than 16:10 scale by width so layouts still fit
MIN_TOUCH_PX = 88


class Palette(NamedTuple):
    """Colours, chosen for contrast of at least 7:1 for text (WCAG AAA) on its background."""

    background: str = "#0E1116"
    surface: str = "#1E252F"
    surface_border: str = "#5A6778"
    text: str = "#FFFFFF"
    muted: str = "#D5DBE3"
    primary: str = "#FFD43B"  # the one action to take: black text on yellow
    primary_pressed: str = "#E0B400"
    on_primary: str = "#000000"
    secondary: str = "#2B3440"
    secondary_pressed: str = "#46515F"
    danger: str = "#B71C1C"  # "It hurts": white on deep red, 6.6:1
    danger_pressed: str = "#8E1414"
    on_danger: str = "#FFFFFF"
    notice: str = "#FFF1C2"  # a kind message: dark text on cream, not an alarming red
    on_notice: str = "#111111"
    left: str = "#7FD4FF"  # sides are also named and arrowed: never colour alone
    right: str = "#FFB870"
    on_side: str = "#000000"
    ring_track: str = "#333D4A"
    ring_work: str = "#FFD43B"
    ring_rest: str = "#8BE38F"
    scrim: str = "rgba(0, 0, 0, 200)"
    overlay: str = "#1E252F"


class Metrics(NamedTuple):
    """Pixel sizes for one screen. Font sizes are pixels so they do not depend on the DPI."""

    scale: float
    font_small: int
    font_body: int
    font_large: int
    font_title: int
    font_huge: int
    font_display: int
    touch: int
    touch_large: int
    radius: int
    border: int
    spacing: int
    spacing_small: int
    margin: int

    def px(self, reference: float) -> int:
        """``reference`` pixels at 1080p, scaled to this screen."""
        return max(1, round(reference * self.scale))


def metrics_for(size: QSize) -> Metrics:
    """Sizes for a screen of ``size``; at 1080p body text is 36 px (27 pt at 96 dpi)."""
    scale = min(size.height() / REFERENCE_HEIGHT, size.width() / REFERENCE_WIDTH)

    def px(reference: float, floor: int = 1) -> int:
        return max(floor, round(reference * scale))

    return Metrics(
        scale=scale,
        font_small=px(32, 20),
        font_body=px(36, 22),
        font_large=px(48, 28),
        font_title=px(64, 36),
        font_huge=px(96, 56),
        font_display=px(120, 64),
        touch=px(110, MIN_TOUCH_PX),
        touch_large=px(140, MIN_TOUCH_PX + 12),
        radius=px(20, 10),
        border=px(4, 3),
        spacing=px(24, 12),
        spacing_small=px(8, 4),
        margin=px(48, 20),
    )


class Theme(NamedTuple):
    palette: Palette
    metrics: Metrics


def theme_for(size: QSize, palette: Palette | None = None) -> Theme:
    return Theme(palette=palette or Palette(), metrics=metrics_for(size))


@cache
def _template() -> string.Template:
    # Beside this module, installed as package data. Not importlib.resources: importing it
    # costs ~3 ms on the path to the first frame, and the package is never run from a zip.
    text = Path(__file__).with_name("theme.qss").read_text(encoding="utf-8")
    return string.Template(text)


def stylesheet(theme: Theme) -> str:
    """The QSS for ``theme``; a missing value in the template raises at once (KeyError)."""
    return _template().substitute({**theme.palette._asdict(), **theme.metrics._asdict()})
