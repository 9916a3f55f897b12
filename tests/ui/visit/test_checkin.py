"""Check-in: the keypad, a barcode scanner typing digits and Enter, and wrong codes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from tests.clinic import ANN, TOM
from tests.ui.conftest import answer, check_in, tap


def test_the_window_opens_on_the_attract_screen(window: QtKioskWindow) -> None:
    assert window.current_screen() is window.attract
    assert window.attract.call_to_action.text() == t("attract.touch")


def test_touching_the_attract_screen_opens_an_empty_keypad(
    qtbot: QtBot, window: QtKioskWindow
) -> None:
    with qtbot.waitSignal(window.screen_changed) as blocker:
        tap(window.attract)
    assert blocker.args == ["CheckInScreen"]
    assert window.checkin.digits == ""
    assert not window.checkin.ok_button.isEnabled()


def test_a_demo_code_tapped_on_the_keypad_opens_the_program(window: QtKioskWindow) -> None:
    check_in(window, TOM)
    assert window.visit.program is not None
    assert window.current_screen() is window.visit.program
    assert window.visit.program.greeting.text() == "Hello, Tom"


def test_a_scanner_typing_digits_and_enter_checks_in(qtbot: QtBot, window: QtKioskWindow) -> None:
    """A barcode scanner is a keyboard: the digits arrive on the attract screen itself."""
    QTest.keyClicks(window, ANN)
    assert window.current_screen() is window.checkin
    assert window.checkin.digits == ANN
    QTest.keyClick(window, Qt.Key.Key_Return)
    with qtbot.waitSignal(window.screen_changed):
        answer(window)
    assert window.visit.program is not None
    assert window.visit.program.greeting.text() == "Hello, Ann"


def test_a_wrong_code_gets_a_kind_message_and_the_digits_are_cleared(window: QtKioskWindow) -> None:
    check_in(window, "123456")
    assert window.current_screen() is window.checkin
    assert window.checkin.message.isVisible()
    assert window.checkin.message.text() == t("checkin.not_found")
    assert window.checkin.digits == ""
    assert window.checkin.display.text() == ""


def test_a_patient_with_nothing_today_sees_the_same_message(window: QtKioskWindow) -> None:
    """The kiosk must not reveal that a code exists: same words as for an unknown code."""
    from db.repositories.patients import PatientRepository

    assert window.services is not None
    PatientRepository(window.services.database).add("Nobody today", "999111")
    check_in(window, "999111")
    assert window.checkin.message.text() == t("checkin.not_found")


def test_typing_again_hides_the_message(window: QtKioskWindow) -> None:
    check_in(window, "1234")
    tap(window.checkin.digit_buttons["7"])
    assert not window.checkin.message.isVisible()
    assert window.checkin.digits == "7"


def test_clear_and_back_edit_the_code(window: QtKioskWindow) -> None:
    tap(window.attract)
    for digit in "123":
        tap(window.checkin.digit_buttons[digit])
    tap(window.checkin.back_button)
    assert window.checkin.digits == "12"
    assert window.checkin.display.text() == "1 2"
    tap(window.checkin.clear_button)
    assert window.checkin.digits == ""


def test_cancel_returns_to_the_attract_screen(window: QtKioskWindow) -> None:
    tap(window.attract)
    tap(window.checkin.digit_buttons["5"])
    tap(window.checkin.cancel_button)
    assert window.current_screen() is window.attract
    assert window.checkin.digits == ""


def test_buttons_never_take_focus_so_enter_cannot_press_them(window: QtKioskWindow) -> None:
    from PySide6.QtWidgets import QPushButton

    buttons = window.findChildren(QPushButton)
    assert buttons
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in buttons)
