"""``kiosk out-of-order``: only the attract screen's "This kiosk is out of order. Please tell a
member of staff.", full screen, until it is stopped.

What the machine shows once the kiosk could not stay up (``clinic-kiosk-out-of-order.service``,
docs/deployment.md) instead of a kiosk restarting in a loop. It opens no database and starts
no voice, so whatever broke the kiosk cannot break this too. The top-level options apply
(``kiosk --hide-cursor out-of-order``, ``--windowed``, ``--size``, ``--language``); SIGTERM
ends it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ui.visit.attract_screen import QtAttractScreen


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    screen = commands.add_parser(
        "out-of-order",
        help="show only the out-of-order screen (what the service shows when the kiosk "
        "cannot start)",
    )
    screen.set_defaults(handler=show_out_of_order)


def out_of_order_screen(args: argparse.Namespace) -> QtAttractScreen:
    """The attract screen saying the kiosk is out of order, sized and placed as the kiosk's
    window would be, not shown (a QApplication must exist)."""
    from kiosk.ui.shell.app import KioskOptions, window_geometry
    from kiosk.ui.theme import stylesheet, theme_for
    from kiosk.ui.visit.attract_screen import QtAttractScreen

    geometry = window_geometry(KioskOptions(fullscreen=not args.windowed, size=args.size))
    theme = theme_for(geometry.size())
    screen = QtAttractScreen(theme)
    screen.setStyleSheet(stylesheet(theme))
    screen.set_out_of_order(True)
    screen.setGeometry(geometry)
    return screen


def show_out_of_order(args: argparse.Namespace) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor, QGuiApplication

    from kiosk.ui.shell.app import ensure_application

    app = ensure_application()
    screen = out_of_order_screen(args)
    if args.hide_cursor:
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    if args.windowed:
        screen.show()
    else:
        screen.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        screen.showFullScreen()
    return app.exec()
