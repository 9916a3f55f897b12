"""The check-in keypad does not leave a code on the screen: the digits turn to ● a few seconds
after the last key and are gone a little later, and nothing the next person types brings them
back (docs/security.md, "Check-in codes")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.theme import theme_for
from kiosk.ui.visit.checkin_screen import CLEAR_AFTER_MS, HIDE_AFTER_MS, QtCheckInScreen
from tests.clinic import ANN
from tests.ui.conftest import answer, tap


def type_on(screen: QtCheckInScreen, digits: str) -> None:
    for digit in digits:
        tap(screen.digit_buttons[digit])


@pytest.fixture
def quick(qtbot: QtBot) -> QtCheckInScreen:
    """The keypad with delays short enough to wait for with real timers."""
    screen = QtCheckInScreen(theme_for(QSize(1280, 800)), hide_after_ms=30, clear_after_ms=120)
    qtbot.addWidget(screen)
    return screen


def test_the_digits_turn_to_dots_then_go(qtbot: QtBot, quick: QtCheckInScreen) -> None:
    type_on(quick, "5519")
    assert quick.display.text() == "5 5 1 9"
    qtbot.waitUntil(lambda: quick.display.text() == "● ● ● ●", timeout=2000)
    assert quick.digits == "5519"  # still there to send, if the patient taps OK now
    qtbot.waitUntil(lambda: quick.digits == "", timeout=2000)
    assert quick.display.text() == ""
    assert not quick.entry.hide_timer.isActive()


def test_each_key_starts_the_wait_again(qtbot: QtBot, quick: QtCheckInScreen) -> None:
    type_on(quick, "55")
    timer = quick.entry.hide_timer
    assert (timer.isActive(), timer.interval()) == (True, 30)
    timer.stop()
    type_on(quick, "1")
    assert timer.isActive()  # the slow typist's digits stay visible while they type
    assert quick.display.text() == "5 5 1"


def test_typing_or_deleting_never_brings_hidden_digits_back(quick: QtCheckInScreen) -> None:
    timer = quick.entry.hide_timer
    type_on(quick, "551")
    timer.timeout.emit()  # the wait is over (the injected timer fires)
    assert quick.display.text() == "● ● ●"
    type_on(quick, "93")  # the next person, or the same patient going on
    assert quick.display.text() == "● ● ● 9 3"
    assert quick.digits == "55193"
    tap(quick.back_button)
    tap(quick.back_button)
    tap(quick.back_button)
    assert quick.display.text() == "● ●"
    assert quick.entry.hidden == 2
    timer.timeout.emit()
    timer.timeout.emit()  # hidden long enough: gone
    assert (quick.digits, quick.display.text()) == ("", "")


def test_the_kiosk_keypad_hides_after_3_s_and_clears_after_30_s(
    window: QtKioskWindow,
) -> None:
    pad = window.checkin
    tap(window.attract)
    type_on(pad, ANN[:4])
    timer = pad.entry.hide_timer
    assert (HIDE_AFTER_MS, CLEAR_AFTER_MS) == (3_000, 30_000)
    assert (timer.isActive(), timer.interval()) == (True, HIDE_AFTER_MS)
    timer.timeout.emit()
    assert pad.display.text() == "● ● ● ●"
    assert timer.interval() == CLEAR_AFTER_MS - HIDE_AFTER_MS
    timer.timeout.emit()
    assert pad.digits == ""


def test_sending_the_code_stops_the_wait_and_a_new_screen_takes_the_code_away(
    window: QtKioskWindow,
) -> None:
    pad = window.checkin
    tap(window.attract)
    type_on(pad, ANN)
    tap(pad.ok_button)
    assert not pad.entry.hide_timer.isActive()
    answer(window)
    assert window.visit.program is not None
    assert pad.digits == ""  # not kept behind the patient's program
