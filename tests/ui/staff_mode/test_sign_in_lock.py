"""On the real window: after too many wrong PINs the pad locks (here, and on a kiosk that starts
later), a staff member unlocks it with their name and own PIN, and is told how many wrong PINs
were typed since their last visit."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from db.demo import DEMO_STAFF_PIN
from db.repositories.audit import Action, entries
from db.repositories.sign_in import SignInLog
from kiosk.core.clock import FakeClock
from kiosk.core.sign_in_lock import LOCK_AFTER_FAILURES, UNLOCK_TRIES
from kiosk.services import KioskServices
from kiosk.staff.auth import LoginOutcome
from kiosk.text import t, tn
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.audit_page import QtAuditPage
from kiosk.ui.staff_mode.pin_pad import PinPadState, QtStaffPinScreen
from tests.clinic import WALL_START
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import (
    PIN_TIMEOUT_MS,
    hold_corner,
    staff_mode,
    submit_pin,
    type_pin,
)

#: When the guessing happened: an hour before the window's clock starts (the back-off it
#: earned is over; the day's count is not).
GUESSED_AT = WALL_START - timedelta(hours=1)


def state_of(pad: QtStaffPinScreen) -> PinPadState:
    """The pad's state, read through a call so mypy does not carry narrowing across taps."""
    return pad.state


def _guess(services: KioskServices, times: int = LOCK_AFTER_FAILURES) -> None:
    for _ in range(times):  # on another kiosk of this database
        SignInLog(services.database).record_failure(GUESSED_AT)


def _lock(services: KioskServices) -> None:
    _guess(services)


def test_a_locked_sign_in_shows_no_keypad_and_takes_no_pin(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    _lock(services)
    hold_corner(window, clock)
    pad = staff_mode(window).pin_screen
    assert pad.state is PinPadState.LOCKED
    assert pad.message.text() == t("staff.pin.locked")
    assert not pad.pad.isVisibleTo(pad)
    assert not pad.accepting
    assert pad.unlock_button.isVisibleTo(pad)


def test_the_twentieth_wrong_pin_locks_the_pad_there_and_then(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    _guess(services, LOCK_AFTER_FAILURES - 1)
    hold_corner(window, clock)
    result = submit_pin(qtbot, window, "740261")
    assert getattr(result, "outcome", None) is LoginOutcome.LOCKED
    assert staff_mode(window).pin_screen.state is PinPadState.LOCKED


def test_a_named_unlock_opens_staff_mode_and_reports_the_wrong_pins(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    _lock(services)
    hold_corner(window, clock)
    mode = staff_mode(window)
    pad = mode.pin_screen
    tap(pad.unlock_button)
    assert pad.names.isVisible()
    assert pad.names.names is not None
    (demo_key,) = pad.names.names.buttons
    tap(pad.names.names.buttons[demo_key])
    assert pad.state is PinPadState.UNLOCKING
    assert pad.title.text() == t("staff.pin.unlock_title", name="Demo")
    result = submit_pin(qtbot, window, "740261")
    assert getattr(result, "outcome", None) is LoginOutcome.WRONG
    left = UNLOCK_TRIES - 1
    assert pad.message.text() == tn("staff.pin.unlock_wrong", left, count=left)
    assert state_of(pad) is PinPadState.UNLOCK_WRONG  # still Demo's PIN that is asked for
    assert pad.unlocking_as is not None
    result = submit_pin(qtbot, window, DEMO_STAFF_PIN)
    assert getattr(result, "outcome", None) is LoginOutcome.OK
    home = mode.home
    assert home is not None
    assert window.current_screen() is home
    failed = LOCK_AFTER_FAILURES + 1
    assert home.failed_warning is not None
    assert home.failed_warning.text() == tn("staff.home.failed_pins", failed, count=failed)
    assert home.failed_warning.text() == "⚠ 21 failed attempts\nsince your last visit"
    (unlocked,) = entries(services.database, actions=(Action.SIGN_IN_UNLOCKED,))
    assert unlocked.actor == "Demo"
    tap(home.failed_warning)
    assert home.current_page_key == "audit"
    page = home.pages["audit"]
    assert isinstance(page, QtAuditPage)
    assert page.kind == "sign_in"
    assert page.table.rowCount() == LOCK_AFTER_FAILURES + 4  # + locked, failed unlock, ...
    assert home.failed_warning is not None
    assert not home.failed_warning.isVisible()


def test_when_named_unlocks_run_out_the_pad_says_who_can_still_unlock(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, services: KioskServices
) -> None:
    _lock(services)
    for _ in range(UNLOCK_TRIES):
        SignInLog(services.database).record_unlock_failure("Demo", GUESSED_AT)
    hold_corner(window, clock)
    pad = staff_mode(window).pin_screen
    assert pad.state is PinPadState.LOCKED
    assert pad.message.text() == t("staff.pin.locked_for_good")
    assert "kiosk staff unlock" in pad.message.text()
    assert not pad.unlock_button.isVisibleTo(pad)
    type_pin(window, DEMO_STAFF_PIN)  # no keypad, and typed keys are not taken either
    assert pad.digits == ""


def test_no_failed_pins_banner_when_there_were_none(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock
) -> None:
    hold_corner(window, clock)
    with qtbot.waitSignal(staff_mode(window).pin_checked, timeout=PIN_TIMEOUT_MS):
        type_pin(window, DEMO_STAFF_PIN)
        tap(staff_mode(window).pin_screen.ok_button)
    home = staff_mode(window).home
    assert home is not None
    assert home.failed_warning is None
