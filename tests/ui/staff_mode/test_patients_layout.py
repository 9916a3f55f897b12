"""The Patients page's details card at the kiosk's two screen sizes, in English and Spanish,
under the demo-staff banner (the tightest case): no button overlaps another, none is
narrower than its words or shorter than a touch target, none sticks out of the card, and
the code is not cut. What does not fit in the card's height scrolls into view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea
from pytestqt.qtbot import QtBot

from db.repositories.patients import PatientRepository
from kiosk import text
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.ui.staff_mode.patients_page import QtPatientsPage
from tests.clinic import MARIA
from tests.ui.conftest import OpenWindow
from tests.ui.staff_mode.conftest import open_page, sign_in


def _buttons(page: QtPatientsPage) -> list[QPushButton]:
    return [b for b in page.details.findChildren(QPushButton) if b.isVisibleTo(page.details)]


def _check_card(page: QtPatientsPage, touch: int) -> None:
    QApplication.processEvents()  # the layouts' pending requests (a new text, a new button)
    details = page.details
    inside = QRect(0, 0, details.width(), details.height())
    placed: list[tuple[str, QRect]] = []
    for button in _buttons(page):
        where = QRect(button.mapTo(details, button.rect().topLeft()), button.size())
        assert inside.contains(where), f"{button.text()!r} sticks out of the card"
        assert button.width() >= button.sizeHint().width(), f"{button.text()!r} is cut"
        assert button.height() >= touch
        for other, there in placed:
            assert not where.intersects(there), f"{button.text()!r} overlaps {other!r}"
        placed.append((button.text(), where))
    assert len(placed) >= 7
    code = page.code
    assert code.width() >= code.sizeHint().width()  # every digit (or dot) of the code shows
    scroll = page.findChild(QScrollArea, "PatientCardScroll")
    assert scroll is not None
    assert details.width() <= scroll.viewport().width()  # never sideways


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_details_card_fits_without_overlap(
    qtbot: QtBot,
    open_window: OpenWindow,
    services: KioskServices,
    clock: FakeClock,
    size: tuple[int, int],
    language: str,
) -> None:
    text.use(language)
    window = open_window(size=size)
    home = sign_in(qtbot, window, clock)
    assert home.demo_warning is not None  # the banner that made it overlap
    page = open_page(home, "patients")
    assert isinstance(page, QtPatientsPage)
    maria = PatientRepository(services.database).find_by_code(MARIA)
    assert maria is not None
    page.refresh(select_id=maria.id)
    qtbot.waitUntil(lambda: page.details.height() > 0)
    touch = window.theme.metrics.touch
    _check_card(page, touch)
    # A deactivated patient: "Erase…" in place of the program, a longer status.
    PatientRepository(services.database).set_active(maria.id, False, actor="Demo")
    page.inactive_button.setChecked(True)
    page.refresh(select_id=maria.id)
    assert page.erase_button.isVisibleTo(page.details)
    _check_card(page, touch)
