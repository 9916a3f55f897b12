"""A staff list refilled after a search or an edit keeps the row that was chosen, and says so
once (not once per row)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from kiosk.ui.staff_mode.tables import fill_list, make_list
from kiosk.ui.theme import theme_for

ROWS = [("Ann", 1), ("Maria", 2), ("Tom", 3)]


def test_a_refilled_list_makes_the_kept_row_current_once(qtbot: QtBot) -> None:
    theme = theme_for(QSize(1280, 800))
    widget = make_list(theme, "TestList")
    qtbot.addWidget(widget)
    changes: list[object] = []
    widget.currentItemChanged.connect(
        lambda current, _previous: changes.append(current.data(Qt.ItemDataRole.UserRole))
    )
    chosen = fill_list(widget, theme, ROWS, keep=2)
    assert isinstance(chosen, QListWidgetItem)
    assert [widget.item(i).text() for i in range(widget.count())] == ["Ann", "Maria", "Tom"]
    assert widget.currentItem() is chosen
    assert changes == [2]  # the rows went in quietly; the kept one is shown as if tapped
    assert chosen.sizeHint().height() == theme.metrics.touch


def test_a_kept_row_that_is_gone_leaves_nothing_chosen(qtbot: QtBot) -> None:
    theme = theme_for(QSize(1280, 800))
    widget = make_list(theme, "TestList")
    qtbot.addWidget(widget)
    assert fill_list(widget, theme, ROWS, keep=2) is not None
    assert fill_list(widget, theme, ROWS[:1], keep=2) is None  # Maria is not found any more
    assert fill_list(widget, theme, ROWS, keep=None) is None
    assert widget.count() == 3
