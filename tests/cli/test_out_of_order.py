"""``kiosk out-of-order``: the attract screen with only the out-of-order notice, no database."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.cli import build_parser
from kiosk.cli.out_of_order import out_of_order_screen, show_out_of_order
from kiosk.text import t


def test_it_shows_the_notice_instead_of_the_call_to_action(qtbot: QtBot) -> None:
    args = build_parser().parse_args(["--windowed", "--size", "800x600", "out-of-order"])
    assert args.handler is show_out_of_order
    screen = out_of_order_screen(args)
    qtbot.addWidget(screen)
    assert screen.is_out_of_order
    assert screen.out_of_order.text() == t("attract.out_of_order")
    assert screen.call_to_action.isHidden()
    assert (screen.width(), screen.height()) == (800, 600)
