"""The unattended kiosk's part of ``make screenshots`` (called by ``tools/screenshots.py``).

A patient walks away from their program: "Still there?" counts down over it, then the kiosk
logs out to the attract screen (which must show nothing of them). Then someone guesses codes
until check-in pauses, and the keypad counts the pause down. Time passes on the fake clock;
the idle watch and the lockout are stepped exactly as their timers would step them.

Then (:func:`walk_out_of_order`), the database file is damaged under the running kiosk: the
keypad, the attract screen and the staff PIN pad out of order; then the file comes back. Last
(:func:`walk_setup`), a kiosk with no staff member yet shows how to set it up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
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
    from screenshots_patient import answer_now  # tools/: the answer's floor, on the fake clock

    answer_now(window)


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


def walk_out_of_order(window: QtKioskWindow, services: KioskServices, shoot: Shooter) -> None:
    """The database file is overwritten while the kiosk runs (its connections closed first, so
    the next one opens the file as it now is): check-in finds it unusable and the kiosk goes
    out of order. Staff hold the corner: no database, so no PIN. The file is put back, and the
    next corner hold finds it again."""
    database = services.database
    path = Path(str(database.url.database))
    database.dispose()  # every connection closed: the write-ahead log is folded in and gone
    saved = path.read_bytes()
    path.write_bytes(b"This is no database any more.\n" * 200)
    try:
        _check_in(window, "551937")
        assert window.out_of_order
        shoot("keypad-out-of-order")
        window.checkin.cancel_button.click()
        shoot("attract-out-of-order")
        window.open_staff_mode()  # the corner hold
        shoot("staff-pin-unavailable")
        window.go_to_attract()
    finally:
        database.dispose()
        path.write_bytes(saved)
    window.open_staff_mode()  # staff hold the corner again: the database is back
    assert not window.out_of_order
    assert window.staff is not None
    window.staff.pin_screen.cancel_button.click()


def walk_setup(window: QtKioskWindow, services: KioskServices, shoot: Shooter) -> None:
    """A kiosk whose database has no staff member yet (a new installation): "Set up this
    kiosk" instead of "Touch to start". The staff are taken away, the kiosk looks, the screen
    is shot; they come back, and the next look finds them."""
    from sqlalchemy import delete, insert, select

    from db.models import StaffUser

    with services.database.begin() as connection:
        staff = [dict(row._mapping) for row in connection.execute(select(StaffUser.__table__))]
        connection.execute(delete(StaffUser))
    setup = window.setup
    assert setup is not None
    try:
        setup.check()  # what a touch, or the half-minute timer, does
        assert setup.showing
        shoot("setup-kiosk")
    finally:
        with services.database.begin() as connection:
            connection.execute(insert(StaffUser), staff)
    setup.check()
    assert window.current_screen() is window.attract
