"""Kiosk window fixtures, on the demo clinic of tests/clinic.py.

No test sleeps: the session runs on a :class:`FakeClock` that the tests advance, and the
player's update path is called directly (what the deadline timer would do). Every test fails
if it leaves a QTimer running once its window is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.services import KioskServices
from kiosk.ui.shell.app import KioskOptions, create_window
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.timers import TimerFactory, set_factory
from kiosk.ui.visit.player_screen import QtPlayerScreen

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def timers() -> Iterator[TimerFactory]:
    """A fresh timer factory; the test fails if any of its timers is still running at the end."""
    factory = TimerFactory()
    old = set_factory(factory)
    yield factory
    set_factory(old)
    running = [t.objectName() for t in factory.active()]
    assert not running, f"timers left running: {running}"


@pytest.fixture
def window(
    qtbot: QtBot,
    timers: TimerFactory,
    services: KioskServices,
    clock: FakeClock,
    wall_clock: Callable[[], datetime],
) -> Iterator[QtKioskWindow]:
    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)),
        clock=clock,
        wall_clock=wall_clock,
        services=services,
        timers=timers,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.started_up)  # the work deferred past the first frame
    yield window
    window.close()


def tap(widget: QWidget) -> None:
    """A touch (the touchscreen delivers taps as left-button clicks)."""
    QTest.mouseClick(widget, LEFT)


def check_in(window: QtKioskWindow, code: str) -> None:
    """Touch the attract screen and tap the code on the keypad, then OK."""
    tap(window.attract)
    for digit in code:
        tap(window.checkin.digit_buttons[digit])
    tap(window.checkin.ok_button)


def start_session(window: QtKioskWindow, code: str) -> QtPlayerScreen:
    check_in(window, code)
    assert window.visit.program is not None
    tap(window.visit.program.start_button)
    assert window.visit.player is not None
    return window.visit.player


def advance_to_next_moment(clock: FakeClock, player: QtPlayerScreen) -> None:
    """Move the fake clock to the engine's next deadline and run the update path."""
    deadline = player.engine.next_deadline()
    assert deadline is not None, f"no deadline while {player.engine.state}"
    clock.advance(max(0.0, deadline - clock()))
    player.driver.update()


def state_of(player: QtPlayerScreen) -> SessionState:
    """The engine's state, read through a call so mypy does not carry narrowing across taps."""
    return player.engine.state


def run_until(
    clock: FakeClock, player: QtPlayerScreen, done: Callable[[], bool], limit: int = 10_000
) -> None:
    for _ in range(limit):
        if done() or player.engine.state is not SessionState.RUNNING:
            break
        advance_to_next_moment(clock, player)
    assert done(), "condition not reached"
