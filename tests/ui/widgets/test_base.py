"""The small shared helpers every screen is built with: a touch-scrolled area, and an
overlay's row of answer buttons."""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScroller, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.staff_mode.tables import make_list, make_table
from kiosk.ui.theme import theme_for
from kiosk.ui.widgets.base import QtOverlay, make_button, make_scroll_area
from tests.ui.shell.conftest import flush_deletes

_THEME = theme_for(QSize(1280, 800))


def test_a_scroll_area_scrolls_by_finger_and_never_sideways(qtbot: QtBot) -> None:
    content = QLabel("a long form")
    scroll = make_scroll_area(content, "TestScroll")
    qtbot.addWidget(scroll)
    assert scroll.objectName() == "TestScroll"
    assert scroll.widget() is content
    assert scroll.widgetResizable()
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert QScroller.hasScroller(scroll.viewport())
    unnamed = make_scroll_area(QLabel("a balance check's questions"))
    qtbot.addWidget(unnamed)
    assert unnamed.objectName() == ""


def _python_enums() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, enum.EnumType))


@pytest.mark.parametrize(
    "build",
    [
        lambda: make_scroll_area(QLabel("a welcome")),
        lambda: make_list(_THEME, "TestList"),
        lambda: make_table(_THEME, "TestTable", ["Patient", "Status"]),
    ],
    ids=["scroll area", "staff list", "staff table"],
)
def test_touch_scrolling_leaves_nothing_behind_once_its_widget_is_gone(
    qtbot: QtBot, build: Callable[[], QWidget]
) -> None:
    """Found by the clinic-day soak (``make soak-day``): Qt gives every touch-scrolled widget
    a gesture type of its own, never used again, and PySide kept a Python enum for each one
    for good, about 2.6 KB for every screen, list or table built, all day."""
    build().deleteLater()
    flush_deletes()
    before = _python_enums()
    for _ in range(10):
        build().deleteLater()
    flush_deletes()
    assert _python_enums() == before


def _last_row(overlay: QtOverlay) -> QHBoxLayout:
    item = overlay.panel_layout.itemAt(overlay.panel_layout.count() - 1)
    row = None if item is None else item.layout()
    assert isinstance(row, QHBoxLayout)
    return row


def _widgets(row: QHBoxLayout) -> list[QWidget | None]:
    items = [row.itemAt(i) for i in range(row.count())]
    return [None if item is None else item.widget() for item in items]


def test_an_overlays_buttons_share_one_row_equally_and_are_finger_tall(qtbot: QtBot) -> None:
    theme = theme_for(QSize(1280, 800))
    host = QWidget()
    qtbot.addWidget(host)
    overlay = QtOverlay(theme, host)
    cancel, confirm = make_button("Cancel"), make_button("Do it", "primary")
    overlay.add_buttons(cancel, confirm, spacing=theme.metrics.margin)
    row = _last_row(overlay)
    assert row.spacing() == theme.metrics.margin
    assert _widgets(row) == [cancel, confirm]
    assert [row.stretch(i) for i in range(row.count())] == [1, 1]
    assert cancel.minimumHeight() == confirm.minimumHeight() == theme.metrics.touch
    overlay.add_buttons(make_button("Done"))
    assert _last_row(overlay).spacing() == theme.metrics.spacing  # the theme's unless asked
