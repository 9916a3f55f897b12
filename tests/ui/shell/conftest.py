"""Shell fixtures: the idle watch and check-in lockout on the FakeClock, text walks, kiosks
as installed (fullscreen: only staff mode may close them) at the two reference sizes.

Nothing sleeps: tests advance the clock and call the watch's ``update()`` — what its
single-shot timer does when it fires.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from kiosk.core.clock import FakeClock
from kiosk.ui.runners.idle_watch import QtIdleWatch
from kiosk.ui.shell.window import QtKioskWindow
from tests.ui.conftest import OpenWindow

SIZES = ((1280, 800), (1920, 1080))


def idle_of(window: QtKioskWindow) -> QtIdleWatch:
    assert window.idle is not None
    return window.idle


def wait_idle(clock: FakeClock, window: QtKioskWindow, seconds: float) -> None:
    """``seconds`` pass without a touch; then the idle timer fires."""
    clock.advance(seconds)
    idle_of(window).update()


def flush_deletes() -> None:
    """Run the deferred deletions (``deleteLater``) the event loop would run next."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def all_texts() -> list[str]:
    """Every piece of text any live widget holds, shown or not."""
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        texts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
    return [t for t in texts if t]


@pytest.fixture
def kiosk(open_window: OpenWindow) -> QtKioskWindow:
    """A kiosk as installed (the close policy on), at 1280×800, started up."""
    return open_window(fullscreen=True)


def visible_on(widget: QWidget) -> bool:
    return widget.isVisibleTo(widget.window())
