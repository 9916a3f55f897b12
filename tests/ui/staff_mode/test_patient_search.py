"""The patient list of the Patients and Progress pages: the page searches and hands over
whom it found; the list keeps the chosen patient while they are still found, and says when
the choice changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from db.repositories.patients import PatientInfo
from kiosk.ui.staff_mode.patient_search import QtPatientList
from kiosk.ui.theme import theme_for

ANN, MARIA, TOM = (
    PatientInfo(1, "551937", "Ann"),
    PatientInfo(2, "482913", "Maria"),
    PatientInfo(3, "716254", "Tom", active=False),
)


def _no_keyboard(title: str, text: str, handler: Callable[[str], str | None]) -> None:
    raise AssertionError("nobody tapped the search field")


@pytest.fixture
def found(qtbot: QtBot) -> QtPatientList:
    widget = QtPatientList(
        theme_for(QSize(1280, 800)),
        _no_keyboard,
        ("TestSearch", "TestList"),
        lambda patient: f"{patient.display_name} {patient.code}",
    )
    qtbot.addWidget(widget)
    return widget


def test_the_parts_are_named_for_the_page(found: QtPatientList) -> None:
    assert found.search_button.objectName() == "TestSearch"
    assert found.list.objectName() == "TestList"
    assert found.selected is None


def test_a_tap_chooses_a_patient_and_says_so(qtbot: QtBot, found: QtPatientList) -> None:
    found.show_patients((ANN, MARIA, TOM))
    assert found.row_texts() == ["Ann 551937", "Maria 482913", "Tom 716254"]
    assert found.selected is None
    with qtbot.waitSignal(found.patient_chosen) as blocker:
        found.list.setCurrentRow(1)  # what a tap on Maria's row does
    assert blocker.args == [MARIA]
    assert found.selected == MARIA


def test_the_chosen_patient_stays_chosen_while_still_found(
    qtbot: QtBot, found: QtPatientList
) -> None:
    found.show_patients((ANN, MARIA, TOM))
    found.list.setCurrentRow(1)
    found.show_patients((MARIA, TOM))  # a search that still finds Maria
    assert found.selected == MARIA
    assert found.list.currentRow() == 0
    with qtbot.assertNotEmitted(found.patient_chosen):
        found.show_patients((ANN,))  # Maria is not found: nobody is chosen
    assert found.selected is None


def test_a_page_can_choose_a_patient_by_id(qtbot: QtBot, found: QtPatientList) -> None:
    with qtbot.waitSignal(found.patient_chosen) as blocker:
        found.show_patients((ANN, MARIA, TOM), select_id=3)
    assert blocker.args == [TOM]
    assert found.selected == TOM
