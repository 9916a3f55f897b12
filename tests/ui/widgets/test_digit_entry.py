"""The digit entry both code pads share: the same rules for a digit tapped on the keypad and a
digit typed (a keyboard, or a scanner that types the digits then Enter) — the most digits a
code may have, Delete and Backspace, Clear, OK and Enter, Escape, and no input while the pad
does not accept it. Each rule is checked on the entry alone and on both real screens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QSize, Qt, SignalInstance
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from kiosk.text import t
from kiosk.ui.staff_mode.pin_pad import QtStaffPinScreen
from kiosk.ui.theme import Theme, theme_for
from kiosk.ui.timers import TimerFactory
from kiosk.ui.visit.checkin_screen import MAX_DIGITS, QtCheckInScreen
from kiosk.ui.widgets.code_screen import QtCodeScreen
from kiosk.ui.widgets.digit_entry import CodeRules, QtDigitEntry
from kiosk.ui.widgets.keypad import KeypadWords, QtKeypad
from tests.ui.conftest import tap

ENTER, BACKSPACE, ESCAPE = int(Qt.Key.Key_Return), int(Qt.Key.Key_Backspace), int(Qt.Key.Key_Escape)


@pytest.fixture
def theme() -> Theme:
    return theme_for(QSize(1280, 800))


def key(entry: QtDigitEntry | QtCodeScreen, digits: str) -> None:
    """Type ``digits`` on a keyboard (what a scanner does)."""
    for digit in digits:
        assert entry.handle_key(int(Qt.Key.Key_0) + int(digit), digit)


def recorder(signal: SignalInstance) -> list[object]:
    """What ``signal`` sends from now on: its argument, or None, per emission."""
    seen: list[object] = []
    signal.connect(lambda *args: seen.append(args[0] if args else None))
    return seen


# -- the entry alone ---------------------------------------------------------------------------


@pytest.fixture
def entry(qtbot: QtBot, theme: Theme) -> QtDigitEntry:
    pad = QtKeypad(theme, KeypadWords("Clear", "Delete", "OK"), name="TestPad")
    qtbot.addWidget(pad)
    display = QLabel(pad)
    return QtDigitEntry(pad, display, CodeRules(max_digits=4, min_digits=2), pad)


def test_tapped_and_typed_digits_are_one_code(entry: QtDigitEntry) -> None:
    typed = recorder(entry.typed)
    tap(entry.pad.digit_buttons["4"])
    key(entry, "7")
    tap(entry.pad.digit_buttons["1"])
    assert entry.digits == "471"
    assert typed == ["4", "7", "1"]
    assert entry.display.text() == "4 7 1"


def test_a_code_holds_at_most_max_digits(entry: QtDigitEntry) -> None:
    typed = recorder(entry.typed)
    pressed = recorder(entry.pressed)
    key(entry, "123456")
    tap(entry.pad.digit_buttons["7"])
    assert entry.digits == "1234"
    assert len(typed) == 4  # the rest were not taken...
    assert len(pressed) == 7  # ...but someone was at the pad for every one


def test_delete_and_backspace_take_one_digit_and_clear_takes_all(entry: QtDigitEntry) -> None:
    cleared = recorder(entry.cleared)
    key(entry, "1234")
    tap(entry.pad.back_button)
    assert entry.handle_key(BACKSPACE, "\b")
    assert entry.digits == "12"
    entry.clear()  # the screen's own reset says nothing
    assert cleared == []
    key(entry, "98")
    tap(entry.pad.clear_button)
    assert entry.digits == ""
    assert entry.display.text() == ""
    assert len(cleared) == 1
    entry.delete()  # nothing left to take: nothing happens
    assert entry.digits == ""


def test_ok_and_enter_submit_only_enough_digits(qtbot: QtBot, entry: QtDigitEntry) -> None:
    short = recorder(entry.fell_short)
    submitted = recorder(entry.submitted)
    key(entry, "5")
    assert not entry.pad.ok_button.isEnabled()
    assert entry.handle_key(ENTER, "\r")
    assert (short, submitted) == ([None], [])
    assert entry.digits == "5"  # nothing typed is lost
    key(entry, "8")
    assert entry.pad.ok_button.isEnabled()
    with qtbot.waitSignal(entry.submitted) as blocker:
        tap(entry.pad.ok_button)
    assert blocker.args == ["58"]
    assert entry.handle_key(int(Qt.Key.Key_Enter), "\r")  # the keypad's Enter too
    assert submitted == ["58", "58"]


def test_escape_is_the_screens_to_decide(qtbot: QtBot, entry: QtDigitEntry) -> None:
    pressed = recorder(entry.pressed)
    key(entry, "12")
    with qtbot.waitSignal(entry.escaped):
        assert entry.handle_key(ESCAPE, "\x1b")
    assert entry.digits == "12"
    assert len(pressed) == 2


def test_other_keys_are_left_to_the_window(entry: QtDigitEntry) -> None:
    assert not entry.handle_key(int(Qt.Key.Key_A), "a")
    assert not entry.handle_key(int(Qt.Key.Key_Space), " ")
    assert entry.digits == ""


def test_while_not_accepting_nothing_is_taken_and_a_note_may_show(entry: QtDigitEntry) -> None:
    key(entry, "12")
    entry.set_accepting(False, note="42 s")
    assert entry.display.text() == "42 s"
    pad = entry.pad
    assert not any(b.isEnabled() for b in (*pad.digit_buttons.values(), pad.clear_button))
    assert not pad.back_button.isEnabled()
    assert not pad.ok_button.isEnabled()
    submitted = recorder(entry.submitted)
    key(entry, "3")  # typed keys are still the pad's (used), but not taken
    assert entry.handle_key(BACKSPACE, "\b")
    assert entry.handle_key(ENTER, "\r")
    assert entry.digits == "12"
    assert submitted == []
    entry.set_accepting(True, note="ignored while accepting")
    assert entry.display.text() == "1 2"
    assert pad.ok_button.isEnabled()


def test_a_mask_hides_the_digits(qtbot: QtBot, theme: Theme) -> None:
    pad = QtKeypad(theme, KeypadWords("Clear", "Delete", "OK"), name="TestPad", prefix="Test")
    qtbot.addWidget(pad)
    entry = QtDigitEntry(pad, QLabel(pad), CodeRules(6, mask="●"), pad)
    tap(pad.digit_buttons["4"])
    key(entry, "7")
    assert entry.display.text() == "● ●"
    assert pad.digit_buttons["4"].objectName() == "TestDigit4"
    assert pad.clear_button.objectName() == "TestClearButton"


# -- both real pads ------------------------------------------------------------------------------


@dataclass
class Pad:
    """One of the two screens, and what its code looks like."""

    screen: QtCodeScreen
    max_digits: int
    min_digits: int
    submitted: SignalInstance
    shown: Callable[[str], str]


def _masked(digits: str) -> str:
    return " ".join("●" * len(digits))


@pytest.fixture(params=["checkin", "pin"])
def pad(
    request: pytest.FixtureRequest, qtbot: QtBot, theme: Theme, timers: TimerFactory
) -> Iterator[Pad]:
    if request.param == "checkin":
        checkin = QtCheckInScreen(theme)
        qtbot.addWidget(checkin)
        yield Pad(checkin, MAX_DIGITS, 1, checkin.code_entered, " ".join)
        checkin.left()  # the digits would hide in 3 s: the screen goes, as the window does
        return
    pin = QtStaffPinScreen(theme, timers)
    qtbot.addWidget(pin)
    yield Pad(pin, PIN_MAX_DIGITS, PIN_MIN_DIGITS, pin.pin_entered, _masked)
    pin.left()  # every key restarted its minute: the screen goes, as the window would do


def test_both_pads_take_tapped_and_typed_digits_alike(pad: Pad) -> None:
    screen = pad.screen
    tap(screen.digit_buttons["2"])
    assert screen.handle_key(int(Qt.Key.Key_5), "5")
    tap(screen.digit_buttons["9"])
    assert screen.digits == "259"
    assert screen.display.text() == pad.shown("259")


def test_both_pads_stop_at_their_longest_code(pad: Pad) -> None:
    key(pad.screen, "7" * (pad.max_digits + 3))
    assert pad.screen.digits == "7" * pad.max_digits


def test_both_pads_delete_one_digit_by_key_or_button(pad: Pad) -> None:
    screen = pad.screen
    key(screen, "123")
    assert screen.handle_key(BACKSPACE, "\b")
    tap(screen.back_button)
    assert screen.digits == "1"
    tap(screen.clear_button)
    assert screen.digits == ""


def test_both_pads_submit_with_enter_or_ok_once_the_code_is_long_enough(
    qtbot: QtBot, pad: Pad
) -> None:
    screen = pad.screen
    submitted = recorder(pad.submitted)
    key(screen, "3" * (pad.min_digits - 1))
    assert not screen.ok_button.isEnabled()
    assert screen.handle_key(ENTER, "\r")
    assert submitted == []
    key(screen, "4")
    code = "3" * (pad.min_digits - 1) + "4"
    with qtbot.waitSignal(pad.submitted) as blocker:
        assert screen.handle_key(ENTER, "\r")
    assert blocker.args == [code]


def test_escape_starts_check_in_again_but_leaves_the_pin_pad(qtbot: QtBot, pad: Pad) -> None:
    screen = pad.screen
    key(screen, "12")
    if isinstance(screen, QtCheckInScreen):
        screen.show_wait()  # a message on screen, the digits kept
        assert screen.handle_key(ESCAPE, "\x1b")
        assert screen.digits == ""
        assert not screen.message.isVisibleTo(screen)
    else:
        assert isinstance(screen, QtStaffPinScreen)
        with qtbot.waitSignal(screen.cancelled):
            assert screen.handle_key(ESCAPE, "\x1b")


def test_neither_pad_takes_digits_while_it_cannot(pad: Pad) -> None:
    screen = pad.screen
    if isinstance(screen, QtCheckInScreen):
        screen.set_paused(30)
        assert screen.display.text() == t("checkin.paused_count", seconds=30)
    else:
        assert isinstance(screen, QtStaffPinScreen)
        screen.show_wait(30)
    key(screen, "12")
    tap(screen.digit_buttons["3"])
    assert screen.digits == ""
    assert not screen.digit_buttons["3"].isEnabled()
    assert not screen.ok_button.isEnabled()
