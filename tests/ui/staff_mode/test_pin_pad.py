"""The PIN pad keeps what it is doing as a state (PinPadState), never by reading back the words
it shows: its message, whether it takes digits and whether the keypad shows follow from the
state, whatever the language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from kiosk import text
from kiosk.core.pin import PIN_MIN_DIGITS
from kiosk.text import t
from kiosk.ui.staff_mode.pin_pad import PinPadState, QtStaffPinScreen
from kiosk.ui.theme import theme_for
from kiosk.ui.timers import TimerFactory
from tests.ui.conftest import tap


@pytest.fixture
def pad(qtbot: QtBot, timers: TimerFactory) -> Iterator[QtStaffPinScreen]:
    screen = QtStaffPinScreen(theme_for(QSize(1280, 800)), timers)
    qtbot.addWidget(screen)
    yield screen
    screen.left()  # as the window does when the pad goes


def type_pin(pad: QtStaffPinScreen, digits: str) -> None:
    for digit in digits:
        tap(pad.digit_buttons[digit])


def state_of(pad: QtStaffPinScreen) -> PinPadState:
    """The pad's state, read through a call so mypy does not carry narrowing across taps."""
    return pad.state


def shows(pad: QtStaffPinScreen) -> tuple[str, bool, bool]:
    """(the message, whether digits are taken, whether the keypad shows)."""
    message = pad.message.text() if pad.message.isVisibleTo(pad) else ""
    return message, pad.accepting, pad.pad.isVisibleTo(pad)


@pytest.mark.parametrize(
    ("show", "state", "message", "accepting", "keypad"),
    [
        ("reset", PinPadState.READY, "", True, True),
        ("show_checking", PinPadState.CHECKING, "staff.pin.checking", False, True),
        ("show_error", PinPadState.ERROR, "staff.pin.error", True, True),
        ("show_no_staff", PinPadState.NO_STAFF, "staff.pin.no_staff", False, False),
        ("show_unavailable", PinPadState.UNAVAILABLE, "staff.pin.unavailable", False, False),
    ],
)
def test_each_state_decides_the_message_the_input_and_the_keypad(
    pad: QtStaffPinScreen,
    show: str,
    state: PinPadState,
    message: str,
    accepting: bool,
    keypad: bool,
) -> None:
    getattr(pad, show)()
    assert state_of(pad) is state
    assert shows(pad) == (t(message) if message else "", accepting, keypad)
    assert pad.hint.isVisibleTo(pad) is keypad
    assert pad.checking is (state is PinPadState.CHECKING)


def test_a_wrong_pin_with_or_without_a_wait(pad: QtStaffPinScreen) -> None:
    type_pin(pad, "123456")
    pad.show_wrong(0)
    assert state_of(pad) is PinPadState.WRONG
    assert shows(pad) == (t("staff.pin.wrong"), True, True)
    assert pad.digits == ""
    type_pin(pad, "1234")
    pad.show_wrong(3)
    assert state_of(pad) is PinPadState.WAITING
    assert shows(pad) == (t("staff.pin.wait", seconds=3), False, True)
    assert pad.digits == ""
    pad.show_ready()
    assert state_of(pad) is PinPadState.READY
    assert shows(pad) == ("", True, True)


def test_checking_keeps_the_masked_digits_and_takes_no_more(
    qtbot: QtBot, pad: QtStaffPinScreen
) -> None:
    type_pin(pad, "472915")
    with qtbot.waitSignal(pad.pin_entered) as blocker:
        tap(pad.ok_button)
    assert blocker.args == ["472915"]
    assert state_of(pad) is PinPadState.CHECKING
    assert pad.display.text() == "● ● ● ● ● ●"
    type_pin(pad, "7")
    assert pad.digits == "472915"


def test_a_short_pin_says_so_and_keeps_its_digits(pad: QtStaffPinScreen) -> None:
    type_pin(pad, "4729")
    assert pad.handle_key(int(Qt.Key.Key_Return), "\r")
    assert state_of(pad) is PinPadState.TOO_SHORT
    assert shows(pad) == (t("staff.pin.too_short", digits=PIN_MIN_DIGITS), True, True)
    type_pin(pad, "1")  # a digit more: the reason stays until the PIN is long enough
    assert state_of(pad) is PinPadState.TOO_SHORT
    assert pad.digits == "47291"


def test_typing_after_a_wrong_pin_hides_it_in_any_language(pad: QtStaffPinScreen) -> None:
    """The pad said "wrong" in English; the words changed since (the language did). The
    state, not the words, says the message no longer applies."""
    pad.show_wrong(0)
    text.use(text.PSEUDO)
    assert pad.message.text() != t("staff.pin.wrong")
    type_pin(pad, "4")
    assert state_of(pad) is PinPadState.READY
    assert shows(pad) == ("", True, True)


def test_a_message_that_reads_like_another_state_does_not_change_the_state(
    pad: QtStaffPinScreen,
) -> None:
    pad.show_error()
    pad.message.setText(t("staff.pin.checking"))  # only words: the pad is not checking
    assert not pad.checking
    assert pad.accepting


def test_every_key_gives_another_minute_and_a_quiet_minute_leaves(
    qtbot: QtBot, pad: QtStaffPinScreen
) -> None:
    pad.entered()
    assert pad.idle_timer.isActive()
    pad.left()
    tap(pad.digit_buttons["5"])
    assert pad.idle_timer.isActive()  # someone is at the pad
    pad.left()
    pad.show_wait(10)
    assert pad.handle_key(int(Qt.Key.Key_Backspace), "\b")  # not taken now, but someone is there
    assert pad.idle_timer.isActive()
    with qtbot.waitSignal(pad.cancelled):
        pad.idle_timer.timeout.emit()


def test_a_quiet_minute_while_checking_waits_for_the_answer(
    qtbot: QtBot, pad: QtStaffPinScreen
) -> None:
    pad.show_checking()
    with qtbot.assertNotEmitted(pad.cancelled):
        pad.idle_timer.timeout.emit()
    assert pad.idle_timer.isActive()  # the answer is on its way: another minute


def test_locked_then_unlocking_as_a_named_staff_member(qtbot: QtBot, pad: QtStaffPinScreen) -> None:
    type_pin(pad, "47")
    pad.show_locked(3)
    assert state_of(pad) is PinPadState.LOCKED
    assert shows(pad) == (t("staff.pin.locked"), False, False)
    assert pad.digits == ""
    assert pad.unlock_button.isVisibleTo(pad)
    with qtbot.waitSignal(pad.unlock_requested):
        tap(pad.unlock_button)
    pad.show_names([(7, "Anna B."), (9, "Sam")])
    assert pad.names.isVisibleTo(pad)
    assert pad.names.names is not None
    tap(pad.names.names.buttons["9"])
    assert not pad.names.isVisibleTo(pad)
    assert pad.unlocking_as == (9, "Sam")
    assert state_of(pad) is PinPadState.UNLOCKING
    assert shows(pad) == ("", True, True)
    assert pad.title.text() == t("staff.pin.unlock_title", name="Sam")
    assert not pad.unlock_button.isVisibleTo(pad)
    type_pin(pad, "472915")
    with qtbot.waitSignal(pad.pin_entered):
        tap(pad.ok_button)
    assert pad.unlocking_as == (9, "Sam")  # still Sam's, while it is checked
    pad.show_unlock_wrong(1)
    assert state_of(pad) is PinPadState.UNLOCK_WRONG
    assert shows(pad)[0] == "That PIN is not right. 1 more try, then only IT can unlock."
    type_pin(pad, "4")  # typing again: the message goes, Sam's PIN is still asked for
    assert state_of(pad) is PinPadState.UNLOCKING
    assert shows(pad) == ("", True, True)
    pad.show_locked(0)  # the last try used
    assert pad.unlocking_as is None
    assert pad.title.text() == t("staff.pin.title")
    assert shows(pad) == (t("staff.pin.locked_for_good"), False, False)
    assert not pad.unlock_button.isVisibleTo(pad)
