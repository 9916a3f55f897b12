"""The small shared helpers every screen is built with: a touch-scrolled area, and an
overlay's row of answer buttons."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScroller, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.theme import theme_for
from kiosk.ui.widgets.base import QtOverlay, make_button, make_scroll_area


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
