"""Every check-in answer shows at the same moment after OK: a right code, a wrong code and a
fault while looking one up look alike to whoever is at the keypad (docs/security.md), and a
fault is not counted as a wrong code. On the fake clock: the answer's timer is stepped as it
would fire."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from db.repositories.audit import Action, entries
from kiosk.core.clock import FakeClock
from kiosk.core.lockout import ANSWER_FLOOR_S
from kiosk.patient.checkin import CheckIn
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.runners.answer_floor import QtAnswerFloor
from kiosk.ui.shell.window import QtKioskWindow
from tests.clinic import ANN, saved
from tests.ui.conftest import tap

WRONG = "900007"


def floor_of(window: QtKioskWindow) -> QtAnswerFloor:
    assert window.answer is not None
    return window.answer


def type_and_ok(window: QtKioskWindow, code: str) -> None:
    tap(window.attract)
    for digit in code:
        tap(window.checkin.digit_buttons[digit])
    tap(window.checkin.ok_button)


def step(clock: FakeClock, window: QtKioskWindow, seconds: float) -> None:
    clock.advance(seconds)
    floor_of(window).update()


def what_shows(window: QtKioskWindow) -> str:
    if window.current_screen() is not window.checkin:
        return window.current_screen().objectName()
    if window.checkin.checking:
        return "checking"
    return window.checkin.message.text()


def fault(services: KioskServices) -> Callable[[str], CheckIn | None]:
    def broken(code: str) -> CheckIn | None:
        raise RuntimeError("a bug, or the database, while looking it up")

    return broken


@pytest.mark.parametrize(
    ("code", "broken", "shows"),
    [
        (ANN, False, "ProgramScreen"),
        (WRONG, False, "not_found"),
        (ANN, True, "not_found"),
    ],
    ids=["right code", "wrong code", "fault"],
)
def test_each_answer_shows_exactly_at_the_floor(
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    broken: bool,
    shows: str,
) -> None:
    if broken:
        monkeypatch.setattr(services.patient, "check_in", fault(services))
    expected = t("checkin.not_found") if shows == "not_found" else shows
    type_and_ok(window, code)
    assert what_shows(window) == "checking"
    assert window.checkin.display.text() == t("checkin.checking")  # not the code
    assert not window.checkin.ok_button.isEnabled()
    assert floor_of(window).timer.isActive()
    step(clock, window, ANSWER_FLOOR_S - 0.01)
    assert what_shows(window) == "checking"
    step(clock, window, 0.01)
    assert what_shows(window) == expected
    assert not floor_of(window).timer.isActive()


def test_a_slow_lookup_is_not_answered_later_than_the_floor(
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    look_up = services.patient.check_in

    def slow(code: str) -> CheckIn | None:
        clock.advance(0.25)  # the database took a while
        return look_up(code)

    monkeypatch.setattr(services.patient, "check_in", slow)
    type_and_ok(window, WRONG)
    step(clock, window, ANSWER_FLOOR_S - 0.25 - 0.01)
    assert what_shows(window) == "checking"
    step(clock, window, 0.01)
    assert what_shows(window) == t("checkin.not_found")


def test_a_fault_is_not_counted_as_a_wrong_code(
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services.patient, "check_in", fault(services))
    for _ in range(12):
        type_and_ok(window, WRONG)
        step(clock, window, ANSWER_FLOOR_S)
        assert what_shows(window) == t("checkin.not_found")
    assert not window.checkin.paused
    assert services.patient.lockout.load().wrong == ()
    assert entries(saved(services), actions=(Action.CHECKIN_FAILED,)) == ()


def test_cancel_while_checking_drops_the_answer(window: QtKioskWindow, clock: FakeClock) -> None:
    type_and_ok(window, ANN)
    tap(window.checkin.cancel_button)
    assert window.current_screen() is window.attract
    assert not floor_of(window).timer.isActive()
    step(clock, window, ANSWER_FLOOR_S)
    assert window.current_screen() is window.attract  # the patient left: nothing follows
