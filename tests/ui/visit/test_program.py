"""Today's program: greeting, one card per exercise with its dosage and minutes, Start, Back."""

from __future__ import annotations

from kiosk.core.prescription import Prescription
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.program_screen import dose_text
from media.schema import Phase, SidePattern
from tests.clinic import ANN, TOM
from tests.ui.conftest import check_in, tap

JK = "305718"


def _program(window: QtKioskWindow, code: str):  # type: ignore[no-untyped-def]
    check_in(window, code)
    assert window.visit.program is not None
    return window.visit.program


def test_the_program_shows_one_card_per_exercise(window: QtKioskWindow) -> None:
    program = _program(window, TOM)
    assert [card.name.text() for card in program.cards] == [
        "Standing side leg raise",
        "Standing wall press",
        "Standing clamshell with a band",
    ]
    first = program.cards[0].dose.text()
    assert first.startswith("3 sets of 8 reps on each side, switching sides after every set")
    assert "about 7 min" in first
    assert "3 holds of 30 s" in program.cards[1].dose.text()
    assert program.summary.text().startswith(t("program.title"))
    assert "3 exercises" in program.summary.text()


def test_a_one_exercise_program_says_so(window: QtKioskWindow) -> None:
    program = _program(window, ANN)
    assert "1 exercise ·" in program.summary.text()
    assert program.cards[0].dose.text().startswith("1 set of 3 reps")


def test_a_side_series_says_sides_once_for_the_whole_program(window: QtKioskWindow) -> None:
    program = _program(window, JK)
    assert len(program.cards) == 5
    assert all("side" not in card.dose.text() for card in program.cards)


def test_back_returns_to_an_empty_keypad(window: QtKioskWindow) -> None:
    program = _program(window, TOM)
    tap(program.back_button)
    assert window.current_screen() is window.checkin
    assert window.checkin.digits == ""


def test_dose_text_for_a_hold_and_for_reps() -> None:
    hold = Prescription("x", "X", 3, None, 30.0, (), SidePattern.ALTERNATE, 10.0)
    assert dose_text(hold) == "3 holds of 30 s on each side, switching sides after every set"
    reps = Prescription("y", "Y", 2, 8, None, (Phase("up", 2, "Up"),), SidePattern.NONE, 10.0)
    assert dose_text(reps) == "2 sets of 8 reps"
