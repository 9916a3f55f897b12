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
    danger: str = "#A81919"  # "It hurts": white on deep red, 7.4:1
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
    disabled_text: str = "#D5DBE3"
    disabled_border: str = "#5A6778"


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
    # Words on ordinary buttons: ``font_large`` normally; in large text they grow less than
    # body text (they are already large) so a row of buttons still fits at 1280 px.
    font_button: int = 0

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
        font_button=px(48, 28),
    )


#: The high-contrast theme: pure black, white and yellow (pressed states and the ring's track
#: a dark grey, which carry no text). Text is at least 19.6:1 on its background, except the
#: grey of a disabled button (7.8:1).
HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    surface_border="#FFFFFF",
    text="#FFFFFF",
    muted="#FFFFFF",
    primary="#FFFF00",
    primary_pressed="#FFFFFF",
    on_primary="#000000",
    secondary="#000000",
    secondary_pressed="#333333",
    danger="#FFFFFF",  # "It hurts": black on white, framed; named in words, never colour alone
    danger_pressed="#FFFF00",
    on_danger="#000000",
    notice="#FFFF00",
    on_notice="#000000",
    left="#FFFF00",
    right="#FFFFFF",
    on_side="#000000",
    ring_track="#4D4D4D",
    ring_work="#FFFF00",
    ring_rest="#FFFFFF",
    scrim="rgba(0, 0, 0, 235)",
    overlay="#000000",
    disabled_text="#9E9E9E",  # grey, not white: a button that cannot be pressed looks so
    disabled_border="#9E9E9E",
)

#: Large text: body text 1.5×. Headings, already large, grow less, so a screen that fits at
#: 1280×800 still fits (or scrolls) rather than clipping its biggest words.
LARGE_TEXT_SCALE = 1.5
_LARGE_TEXT_FACTORS = {
    "font_small": LARGE_TEXT_SCALE,
    "font_body": LARGE_TEXT_SCALE,
    "font_large": LARGE_TEXT_SCALE,
    "font_title": 1.25,
    "font_huge": 1.15,
    "font_display": 1.1,
    "font_button": 1.125,  # = the large theme's body text: words on buttons never shrink
}


class Theme(NamedTuple):
    """The palette and sizes in use; ``large_text`` / ``high_contrast`` say which display
    variant of the screen's base theme it is (:func:`display_variant`)."""

    palette: Palette
    metrics: Metrics
    large_text: bool = False
    high_contrast: bool = False


def theme_for(size: QSize, palette: Palette | None = None) -> Theme:
    return Theme(palette=palette or Palette(), metrics=metrics_for(size))


def large_text_metrics(metrics: Metrics) -> Metrics:
    """``metrics`` with every font enlarged for large text (touch targets grow with them)."""
    fonts = {name: round(getattr(metrics, name) * k) for name, k in _LARGE_TEXT_FACTORS.items()}
    return metrics._replace(**fonts)


def display_variant(base: Theme, *, large_text: bool, high_contrast: bool) -> Theme:
    """The patient's choice for this visit, made from the screen's base theme.

    ``base`` is the theme the window started with (never a variant: the fonts would grow
    twice). Both choices together are one theme, applied to the whole window at once.
    """
    if base.large_text or base.high_contrast:
        raise ValueError("display_variant() takes the base theme, not a variant")
    return Theme(
        palette=HIGH_CONTRAST if high_contrast else base.palette,
        metrics=large_text_metrics(base.metrics) if large_text else base.metrics,
        large_text=large_text,
        high_contrast=high_contrast,
    )


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@cache
def _template() -> string.Template:
    # Beside this module, installed as package data. Not importlib.resources: importing it
    # costs ~3 ms on the path to the first frame, and the package is never run from a zip.
    text = Path(__file__).with_name("theme.qss").read_text(encoding="utf-8")
    return string.Template(text)


def stylesheet(theme: Theme) -> str:
    """The QSS for ``theme``; a missing value in the template raises at once (KeyError)."""
    return _template().substitute({**theme.palette._asdict(), **theme.metrics._asdict()})
