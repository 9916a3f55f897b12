"""Accessibility, measured: text contrast from the palette (WCAG 2.x), touch targets of every
patient screen at 1280×800 and 1920×1080 (≥ 88 px each way, ≥ 16 px apart), and nothing told
by colour alone."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QWidget

from kiosk.core.clock import FakeClock
from kiosk.core.timeline import StepKind
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.theme import MIN_TOUCH_PX, Palette
from kiosk.ui.widgets.base import QtOverlay
from tests.clinic import MARIA, TOM
from tests.ui.conftest import OpenWindow, advance_to_next_moment, check_in, start_session, tap
from tests.ui.shell.conftest import SIZES, wait_idle

MIN_GAP_PX = 16
BODY, LARGE = 7.0, 4.5  # WCAG AAA: normal text, and large (≥ 24 px, or ≥ 18.7 px bold) text

# (text colour, background colour, the smallest text drawn so): from theme.qss and the widgets.
TEXT_PAIRS = [
    ("text", "background", BODY),
    ("text", "surface", BODY),
    ("text", "overlay", BODY),
    ("text", "secondary", BODY),  # every button
    ("text", "secondary_pressed", BODY),
    ("muted", "background", BODY),  # hints, the attract screen's line, "small" labels
    ("muted", "surface", BODY),
    ("muted", "overlay", BODY),
    ("muted", "secondary", BODY),  # a disabled button's words
    ("on_primary", "primary", BODY),
    ("on_primary", "primary_pressed", BODY),
    ("on_danger", "danger", BODY),  # "It hurts"; staff error messages are body text
    ("on_danger", "danger_pressed", BODY),
    ("on_notice", "notice", BODY),  # the keypad's messages
    ("on_side", "left", BODY),
    ("on_side", "right", BODY),
    ("primary", "background", BODY),  # accent figures, phase words
    ("primary", "surface", BODY),  # "Did you know?", section titles
    ("primary", "overlay", BODY),  # "Still there?" seconds
]


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_says() -> None:
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("fg", "bg", "minimum"), TEXT_PAIRS)
def test_default_theme_text_contrast(fg: str, bg: str, minimum: float) -> None:
    palette = Palette()
    ratio = contrast(getattr(palette, fg), getattr(palette, bg))
    assert ratio >= minimum, f"{fg} on {bg}: {ratio:.2f}:1"


# -- touch targets ----------------------------------------------------------------------------


def in_window(widget: QWidget) -> QRect:
    window = widget.window()
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def top_layer(window: QtKioskWindow) -> QWidget:
    """What takes touches now: an open overlay (the topmost), else the showing screen."""
    overlays = [o for o in window.findChildren(QtOverlay) if o.isVisibleTo(window)]
    if overlays:
        return overlays[-1] if len(overlays) == 1 else _topmost(window, overlays)
    return window.current_screen()


def _topmost(window: QtKioskWindow, overlays: list[QtOverlay]) -> QWidget:
    for overlay in overlays:
        centre = overlay.mapTo(window, overlay.rect().center())
        hit = window.childAt(centre)
        if hit is overlay or (hit is not None and overlay.isAncestorOf(hit)):
            return overlay
    return overlays[-1]


def targets(window: QtKioskWindow) -> list[tuple[str, QRect, bool]]:
    """(name, rectangle in the window, cut off?) of every button that takes touches now."""
    layer = top_layer(window)
    found = []
    for button in layer.findChildren(QAbstractButton):
        if button.isVisibleTo(window):
            name = button.objectName() or button.text()
            found.append((name, in_window(button), clipped(button)))
    return found


def clipped(widget: QWidget) -> bool:
    """Cut off by an ancestor (a target must be whole; one inside a scroll area can be
    scrolled into view, so those are not counted)."""
    rect = in_window(widget)
    parent = widget.parentWidget()
    while parent is not None and parent is not widget.window():
        if isinstance(parent.parentWidget(), QAbstractScrollArea):
            return False
        if not in_window(parent).contains(rect):
            return True
        parent = parent.parentWidget()
    return False


def gap(a: QRect, b: QRect) -> int:
    dx = max(0, max(a.x(), b.x()) - min(a.x() + a.width(), b.x() + b.width()))
    dy = max(0, max(a.y(), b.y()) - min(a.y() + a.height(), b.y() + b.height()))
    return max(dx, dy)


def problems(window: QtKioskWindow, where: str) -> list[str]:
    found = targets(window)
    assert found, f"{where}: no touch targets found"
    out = [
        f"{where}: {name} is {rect.width()}×{rect.height()}"
        for name, rect, _ in found
        if rect.width() < MIN_TOUCH_PX or rect.height() < MIN_TOUCH_PX
    ]
    out += [f"{where}: {name} is cut off" for name, _, cut in found if cut]
    for (name_a, a, _), (name_b, b, _) in combinations(found, 2):
        if gap(a, b) < MIN_GAP_PX:
            out.append(f"{where}: {name_a} and {name_b} are {gap(a, b)} px apart")
    return out


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def sized_kiosk(request: pytest.FixtureRequest, open_window: OpenWindow) -> QtKioskWindow:
    return open_window(fullscreen=True, size=request.param)


def test_every_touch_target_on_the_patient_screens_is_big_and_apart(
    sized_kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    window = sized_kiosk
    found: list[str] = []

    def walk(where: str) -> None:
        window.repaint()  # lay out what just changed
        found.extend(problems(window, where))

    tap(window.attract)
    walk("keypad")
    window.checkin.set_paused(60)
    walk("keypad paused")
    window.checkin.set_paused(0)
    wait_idle(clock, window, 90)
    walk("still there?")
    tap(window.unattended.still_there.button)  # type: ignore[union-attr]
    for code in (MARIA, "305718", TOM):
        check_in(window, code)
        walk(f"program {code}")
        assert window.visit.program is not None
        tap(window.visit.program.back_button)
    check_in(window, TOM)  # standing: the balance check is offered
    assert window.visit.program is not None
    tap(window.visit.program.balance_button)
    balance = window.visit.balance
    assert balance is not None
    walk("balance check")
    tap(balance.start_button)
    walk("balance check, timed")
    tap(balance.stop_button)
    walk("balance check, what did you notice?")
    window.go_to_attract()

    player = start_session(window, TOM)
    walk("player")
    while player.engine.current_step().kind is not StepKind.REP:
        advance_to_next_moment(clock, player)
    walk("player, a rep")
    tap(player.pause_button)
    walk("player paused")
    tap(player.pause_button)
    tap(player.hurts_button)
    walk("it hurts")
    tap(player.pain_overlay.call_button)
    walk("it hurts, staff called")
    player.driver.command(player.engine.resume)  # (whatever the pain overlay offers)
    tap(player.stop_button)
    walk("end session?")
    player.driver.command(player.engine.stop)
    walk("after the session")
    assert not found, "\n".join(found)


def test_the_exercise_rating_targets_are_big_and_apart(
    sized_kiosk: QtKioskWindow, clock: FakeClock
) -> None:
    """The one-tap rating in the rest after an exercise (beside the ring)."""
    window = sized_kiosk
    player = start_session(window, TOM)
    for _ in range(500):  # to the rest after the first exercise, where its rating shows
        if player.rating_panel.isVisibleTo(window):
            break
        advance_to_next_moment(clock, player)
    assert player.rating_panel.isVisibleTo(window)
    window.repaint()
    found = problems(window, "player, rating the exercise")
    assert not found, "\n".join(found)


# -- nothing by colour alone ----------------------------------------------------------------


def test_sides_and_rests_are_named_in_words(kiosk: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(kiosk, TOM)
    seen: set[str] = set()
    for _ in range(400):
        kind = player.engine.current_step().kind
        if player.side_badge.isVisibleTo(kiosk):
            word = player.side_badge.text()
            assert ("LEFT" in word) != ("RIGHT" in word), word  # the word, not just the colour
            seen.add(str(player.side_badge.property("side")))
        if kind is StepKind.REST:
            shown = " ".join((player.title.text(), player.status.text())).lower()
            assert "rest" in shown or "relax" in shown  # the green ring is also said in words
            seen.add("rest")
        if {"left", "right", "rest"} <= seen:
            break
        advance_to_next_moment(clock, player)
    assert {"left", "right", "rest"} <= seen


def test_staff_status_chips_carry_words() -> None:
    from db.repositories.progress import DayStatus
    from kiosk.text import t
    from kiosk.ui.staff_mode.today_page import STATUS_KEYS

    for status in DayStatus:
        assert t(STATUS_KEYS[status.value]), status
    assert t("staff.today.hurt")
    assert t("staff.today.called")
