"""The wrapping row: as many items as fit on a line, the line filled, then the next line."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.widgets.flow_layout import QtFlowLayout

GAP = 10


def _row(qtbot: QtBot, widths: list[int], *, equal: bool = True) -> tuple[QWidget, list[QWidget]]:
    row = QWidget()
    qtbot.addWidget(row)
    layout = QtFlowLayout(row, spacing=GAP, equal=equal)
    items = []
    for width in widths:
        item = QWidget()
        item.setMinimumSize(width, 50)  # its natural size: 50 px tall, ``width`` wide
        layout.addWidget(item)
        items.append(item)
    return row, items


def _lay_out(row: QWidget, width: int) -> None:
    layout = row.layout()
    assert layout is not None
    row.resize(width, layout.heightForWidth(width))
    layout.setGeometry(row.rect())


def test_items_that_fit_share_one_line_in_equal_widths(qtbot: QtBot) -> None:
    row, items = _row(qtbot, [100, 80, 100])
    _lay_out(row, 400)
    assert {item.y() for item in items} == {0}
    assert [item.width() for item in items] == [126, 126, 128]  # 380 px shared, rounding last
    assert items[-1].geometry().right() == 399


def test_items_that_do_not_fit_go_onto_the_next_line(qtbot: QtBot) -> None:
    row, items = _row(qtbot, [100, 100, 100])
    layout = row.layout()
    assert isinstance(layout, QtFlowLayout)
    assert layout.heightForWidth(250) == 50 + GAP + 50
    _lay_out(row, 250)
    assert [item.y() for item in items] == [0, 0, 60]
    assert all(item.geometry().right() < 250 for item in items)
    assert items[2].width() == 250  # alone on its line, filling it


def test_never_wider_than_the_widest_item_asks(qtbot: QtBot) -> None:
    row, _ = _row(qtbot, [100, 180, 100])
    layout = row.layout()
    assert layout is not None
    assert layout.minimumSize().width() == 180
    assert layout.sizeHint().width() == 100 + 180 + 100 + 2 * GAP


def test_unequal_items_keep_their_proportions_when_asked(qtbot: QtBot) -> None:
    row, items = _row(qtbot, [60, 200], equal=False)
    _lay_out(row, 400)
    assert [item.width() for item in items] == [60 + 65, 200 + 65]  # 130 px spare, shared


def test_a_hidden_item_takes_no_room(qtbot: QtBot) -> None:
    row, items = _row(qtbot, [100, 100, 100])
    items[1].hide()
    _lay_out(row, 250)
    assert [items[0].y(), items[2].y()] == [0, 0]
