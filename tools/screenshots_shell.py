"""The unattended kiosk's part of ``make screenshots`` (called by ``tools/screenshots.py``).

A patient walks away from their program: "Still there?" counts down over it, then the kiosk
logs out to the attract screen (which must show nothing of them). Then someone guesses codes
until check-in pauses, and the keypad counts the pause down. Time passes on the fake clock;
the idle watch and the lockout are stepped exactly as their timers would step them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kiosk.core.clock import FakeClock
from kiosk.ui.shell.window import QtKioskWindow

WRONG_CODES = [f"{900_000 + n * 7:06d}" for n in range(10)]


class Shooter(Protocol):
    def __call__(self, name: str) -> None: ...

    def wait_for(self, done: Callable[[], bool], limit_s: float = 30.0) -> None: ...


def _check_in(window: QtKioskWindow, code: str) -> None:
    window.go_to_checkin()
    for digit in code:
        window.checkin.digit_buttons[digit].click()
    window.checkin.ok_button.click()


def walk_shell(window: QtKioskWindow, clock: FakeClock, shoot: Shooter) -> None:
    idle = window.idle
    unattended = window.unattended
    assert idle is not None
    assert unattended is not None

    # Maria reads her program and walks away.
    _check_in(window, "482913")
    assert window.visit.program is not None
    clock.advance(90.0)
    idle.update()
    clock.advance(7.0)  # part-way through the 20 s
    idle.update()
    shoot("still-there")
    clock.advance(13.0)
    idle.update()
    assert window.current_screen() is window.attract
    shoot("attract-logged-out")

    # Ten codes that match nobody: check-in pauses for a minute.
    for code in WRONG_CODES:
        _check_in(window, code)
    lock = unattended.lock
    assert lock is not None
    assert lock.is_locked
    clock.advance(18.2)
    lock.update()
    shoot("keypad-paused")
    clock.advance(60.0)
    lock.update()
    window.checkin.cancel_button.click()
    assert window.current_screen() is window.attract
