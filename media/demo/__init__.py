"""Animated demonstrations: a friendly drawn coach for every exercise in the library.

Layers (only the last imports Qt; ``pyproject.toml``'s import contract holds them to it):

* :mod:`media.demo.body` — the figure: a pose in joint angles, forward kinematics;
* :mod:`media.demo.model`, :mod:`media.demo.motion` — keyframes, props, cameras; where the
  figure is at a phase and moment of the session;
* :mod:`media.demo.lying`, :mod:`~media.demo.standing`, :mod:`~media.demo.floor`,
  :mod:`~media.demo.catalog` — the demonstrations themselves, by exercise id;
* :mod:`media.demo.shapes`, :mod:`~media.demo.props`, :mod:`~media.demo.scene` — a frame laid
  out as flat shapes in pixels (camera, mirror, depth order, colours);
* :mod:`media.demo.renderer` — QPainter.

This package's own import is Qt-free; the thumbnail functions below import the renderer when
called. See ``docs/demonstrations.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from media.demo.shapes import DemoPalette

__all__ = ["render_thumbnail", "thumbnail_png"]


def render_thumbnail(
    exercise_id: str,
    size: QSize | tuple[int, int] = (320, 240),
    *,
    side: str = "left",
    palette: DemoPalette | None = None,
) -> QImage:
    """A still of the exercise's key pose (the cards', the handouts'), ``size`` pixels.

    Works without a window or a display: a ``QGuiApplication`` is created (offscreen) if the
    process has none. ``palette`` changes the colours (a white stage for paper: see
    ``docs/demonstrations.md``). ``KeyError`` for an exercise with no demonstration.
    """
    from media.demo.renderer import ensure_gui_application
    from media.demo.renderer import render_thumbnail as render

    ensure_gui_application()
    return render(exercise_id, size, side=side, palette=palette)


def thumbnail_png(
    exercise_id: str,
    size: QSize | tuple[int, int] = (320, 240),
    *,
    side: str = "left",
    palette: DemoPalette | None = None,
) -> bytes:
    """:func:`render_thumbnail` encoded as PNG bytes (for a PDF, an HTML page or a file)."""
    from media.demo.renderer import png_bytes

    return png_bytes(render_thumbnail(exercise_id, size, side=side, palette=palette))
