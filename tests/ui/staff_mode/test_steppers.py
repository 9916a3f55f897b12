"""The two staff steppers share one row: [back] value [forward], buttons that repeat while
held; a number snaps to its step grid within bounds, a day never goes before its minimum."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from kiosk.text import t
from kiosk.ui.staff_mode.steppers import REPEAT_DELAY_MS, QtDayStepper, QtStepper, format_number
from kiosk.ui.theme import Theme, theme_for
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import laid_out


@pytest.fixture
def theme() -> Theme:
    return theme_for(QSize(1280, 800))


def test_a_number_reads_as_staff_write_it() -> None:
    assert format_number(3.0) == "3"
    assert format_number(2.5) == "2.5"


def test_both_steppers_are_the_same_row_of_held_buttons(qtbot: QtBot, theme: Theme) -> None:
    number = QtStepper(theme, "Reps", minimum=1, maximum=30)
    day = QtDayStepper(theme, "Day", date(2026, 3, 2))
    for widget in (number, day):
        qtbot.addWidget(widget)
    rows = (
        (number, number.minus_button, number.display, number.plus_button, ("Minus", "Plus")),
        (day, day.back_button, day.display, day.forward_button, ("Back", "Forward")),
    )
    for stepper, back, display, forward, suffixes in rows:
        name = stepper.objectName()
        assert [back.objectName(), forward.objectName()] == [f"{name}{s}" for s in suffixes]
        assert display.objectName() == f"{name}Value"
        assert display.property("role") == "stepper"
        assert laid_out(stepper.layout()) == [back, display, forward]
        for button in (back, forward):
            assert button.property("role") == "step"
            assert button.autoRepeat()
            assert button.autoRepeatDelay() == REPEAT_DELAY_MS
    assert number.plus_button.autoRepeatInterval() == 120
    assert day.forward_button.autoRepeatInterval() == 150
    assert number.display.wordWrap()  # "3 (library)" wraps rather than push "+" out
    assert not day.display.wordWrap()


def test_a_step_snaps_to_the_grid_and_stays_within_bounds(qtbot: QtBot, theme: Theme) -> None:
    stepper = QtStepper(theme, "Rest", minimum=5, maximum=20, step=5)
    qtbot.addWidget(stepper)
    chosen: list[float] = []
    stepper.value_chosen.connect(chosen.append)
    stepper.set_value(None, default=12)  # the library's 12 s, not on the 5 s grid
    assert stepper.display.text() == t("staff.default.mark", value="12")
    tap(stepper.plus_button)
    tap(stepper.minus_button)
    assert chosen == [15, 10]
    assert stepper.value is None  # the owner applies what was chosen, not the stepper
    stepper.set_value(20)
    assert not stepper.plus_button.isEnabled()
    assert stepper.minus_button.isEnabled()


def test_a_day_moves_one_day_a_tap_and_not_before_its_minimum(qtbot: QtBot, theme: Theme) -> None:
    stepper = QtDayStepper(theme, "Day", date(2026, 3, 2))
    qtbot.addWidget(stepper)
    with qtbot.waitSignal(stepper.day_changed) as blocker:
        tap(stepper.forward_button)
    assert blocker.args == [date(2026, 3, 3)]
    stepper.minimum = date(2026, 3, 3)
    stepper.set_day(date(2026, 3, 1))
    assert stepper.day == date(2026, 3, 3)
    assert not stepper.back_button.isEnabled()
