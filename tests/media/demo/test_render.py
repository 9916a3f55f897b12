"""Every demonstration renders: pixels drawn, poses differ between phases, sides mirror."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import Palette
from kiosk.ui.visit.demonstration import demo_palette
from media.demo.catalog import demonstration, demonstration_ids
from media.demo.motion import START, in_phase, phase_names, setting_up
from media.demo.renderer import paint_frame, render_image, render_thumbnail, thumbnail_png
from media.demo.scene import DemoPalette, build_frame, changed_area
from media.demo.solids import SHADE_RANGE, SHADE_STEPS, shade

W, H = 240, 180
PAL = DemoPalette()


@pytest.fixture(autouse=True)
def app(qapp: QApplication) -> QApplication:
    """pytest-qt's application: painting needs one (and only one kind per process)."""
    return qapp


def _pixels(image: QImage) -> list[int]:
    """Every pixel as 0xRRGGBB (a small image: fine to walk in Python)."""
    width, height = image.width(), image.height()
    return [image.pixel(x, y) & 0xFFFFFF for y in range(height) for x in range(width)]


def _family(color: str) -> set[int]:
    """``color`` in every shade the figure gives it (near parts lighter, far parts darker)."""
    steps = range(-SHADE_STEPS, SHADE_STEPS + 1)
    shades = {shade(color, k * SHADE_RANGE / SHADE_STEPS, PAL) for k in steps} | {color}
    return {QColor(c).rgb() & 0xFFFFFF for c in shades}


def _count(image: QImage, color: str) -> int:
    family = _family(color)
    return sum(1 for p in _pixels(image) if p in family)


def _centre_x(image: QImage, color: str) -> float:
    family = _family(color)
    width, height = image.width(), image.height()
    xs = [x for y in range(height) for x in range(width) if image.pixel(x, y) & 0xFFFFFF in family]
    assert xs, f"no {color} pixels"
    return sum(xs) / len(xs)


def _differs(a: QImage, b: QImage) -> int:
    return sum(1 for p, q in zip(_pixels(a), _pixels(b), strict=True) if p != q)


@pytest.mark.parametrize("exercise_id", demonstration_ids())
def test_every_phase_renders_and_the_pose_changes(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    frames = {name: render_image(demo, (W, H), phase=name) for name in phase_names(demo)}
    for name, image in frames.items():
        assert (image.width(), image.height()) == (W, H)
        # The figure is drawn: body colour, and the working limbs in their colour.
        assert _count(image, PAL.body) > 150, name
        working = PAL.left if demo.sided else PAL.both
        assert _count(image, working) > 40, name
    start = frames[START]
    for name, image in frames.items():
        if name != START:
            assert _differs(start, image) > 150, f"{name} looks like the start"


@pytest.mark.parametrize("exercise_id", demonstration_ids())
def test_the_sides_are_mirror_images(exercise_id: str) -> None:
    demo = demonstration(exercise_id)
    left = render_image(demo, (W, H), side="left")
    right = render_image(demo, (W, H), side="right")
    if demo.sided:
        assert _differs(left, right) > 300
        assert _count(left, PAL.left) > 40
        assert _count(left, PAL.right) == 0
        assert _count(right, PAL.right) > 40
        assert _count(right, PAL.left) == 0
        flipped = left.flipped(Qt.Orientation.Horizontal)
        assert _count(right, PAL.right) == pytest.approx(_count(flipped, PAL.left), rel=0.2)
    else:
        assert _differs(left, right) == 0  # both legs work: one picture


@pytest.mark.parametrize(
    "exercise_id",
    ["standing-lateral-leg-raise", "functional-clamshell", "four-point-hip-abduction"],
)
def test_left_works_on_the_screen_left_like_a_mirror(exercise_id: str) -> None:
    """The patient's left leg is shown on their left, the side of the "◀ LEFT" badge."""
    left = render_image(exercise_id, (W, H), side="left")
    right = render_image(exercise_id, (W, H), side="right")
    assert _centre_x(left, PAL.left) < W / 2
    assert _centre_x(right, PAL.right) > W / 2


def test_it_scales_to_any_size() -> None:
    for size in ((64, 48), (1920, 1080), (300, 600)):
        image = render_image("clamshell", size)
        assert (image.width(), image.height()) == size
    assert _count(render_image("clamshell", (64, 48)), PAL.left) > 5


def test_the_thumbnail_api_for_cards_and_handouts(tmp_path: Path) -> None:
    image = render_thumbnail("side-lying-lift-and-sweep", (200, 150))
    assert (image.width(), image.height()) == (200, 150)
    data = thumbnail_png("clamshell", (160, 120), side="right")
    assert data.startswith(b"\x89PNG")
    loaded = QImage.fromData(data)
    assert (loaded.width(), loaded.height()) == (160, 120)
    with pytest.raises(KeyError):
        render_thumbnail("no-such-exercise")


def test_the_default_palette_is_the_kiosk_theme() -> None:
    """The media package cannot import the theme; this keeps its copy of the colours true."""
    assert demo_palette(Palette()) == DemoPalette()


@pytest.mark.parametrize("exercise_id", demonstration_ids())
def test_repainting_only_what_changed_gives_the_whole_new_frame(exercise_id: str) -> None:
    """The player repaints just the changed area between two frames (``changed_area``): the
    picture must be exactly what painting the whole new frame gives."""
    demo = demonstration(exercise_id)
    name = next(iter(demo.moves), None)
    if name is None:
        before_pose, after_pose = setting_up(demo, 0.4), setting_up(demo, 0.5)
    else:
        before_pose, after_pose = in_phase(demo, name, 0.4), in_phase(demo, name, 0.5)
    w, h = 320, 240
    before = build_frame(demo, before_pose, w, h, side="right")
    after = build_frame(demo, after_pose, w, h, side="right")
    area = changed_area(before, after)
    if demo.travel:
        assert area is None  # the floor marks move: the whole frame
        return
    assert area is not None
    x0, y0, x1, y1 = area
    assert 0 < (x1 - x0) * (y1 - y0) <= w * h
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    paint_frame(painter, before)
    painter.setClipRect(QRect(x0, y0, x1 - x0, y1 - y0))
    paint_frame(painter, after)
    painter.end()
    whole = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(whole)
    paint_frame(painter, after)
    painter.end()
    assert _differs(image, whole) == 0
    # A new scene (the other side) is painted whole.
    assert changed_area(before, build_frame(demo, after_pose, w, h, side="left")) is None or (
        not demo.sided
    )
