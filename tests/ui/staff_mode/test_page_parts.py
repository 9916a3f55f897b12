"""The parts every staff page is laid out with: the footer (message line, then the buttons at
the right), the touch-scrolled card, and the host of a page's own overlays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QLayout, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.staff.auth import StaffGate
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.staff_mode.page import QtStaffPage, make_scrolled_card
from kiosk.ui.theme import theme_for
from kiosk.ui.timers import TimerFactory
from kiosk.ui.widgets.base import make_button
from tests.ui.staff_mode.conftest import laid_out, open_page


@pytest.fixture
def context(
    services: KioskServices,
    clock: FakeClock,
    wall_clock: Callable[[], datetime],
    timers: TimerFactory,
) -> StaffContext:
    return StaffContext(
        theme=theme_for(QSize(1280, 800)),
        database=services.database,
        library=services.library,
        gate=StaffGate(services.database, clock, wall_clock=wall_clock),
        today=services.today,
        clock=clock,
        wall_clock=wall_clock,
        timers=timers,
    )


def _page(qtbot: QtBot, context: StaffContext) -> tuple[QWidget, QtStaffPage]:
    """A page in a plain window of its own, as the staff home holds its pages."""
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(1000, 600)
    page = QtStaffPage(context, "TestPage", "A page")
    page.setParent(window)
    page.setGeometry(window.rect())
    return window, page


def test_the_footer_is_the_message_line_then_the_buttons_at_the_right(
    qtbot: QtBot, context: StaffContext
) -> None:
    window, page = _page(qtbot, context)
    undo = make_button("Undo", name="TestUndo")
    save = make_button("Save", "primary", name="TestSave")
    message = page.add_footer("TestMessage", undo, save)
    assert isinstance(message, QtMessage)
    assert message.objectName() == "TestMessage"
    assert page.root.count() == 3  # the title, the message, the row of buttons
    window.show()
    qtbot.waitExposed(window)
    assert not message.isVisible()  # an empty message keeps no room
    message.show_ok("Saved.")
    qtbot.waitUntil(lambda: message.geometry().bottom() < undo.geometry().top())
    assert undo.geometry().right() < save.geometry().left()  # in order, the main action last
    assert save.geometry().right() == page.width() - 1  # pushed to the right edge
    assert undo.geometry().left() > page.width() // 2


def test_a_footer_without_buttons_is_only_the_message_line(
    qtbot: QtBot, context: StaffContext
) -> None:
    _, page = _page(qtbot, context)
    message = page.add_footer("TestMessage")
    assert laid_out(page.root) == [page.title, message]
    assert not page.findChildren(QPushButton)


def test_a_scrolled_card_is_a_card_around_the_scroll_area(qtbot: QtBot) -> None:
    content = QLabel("a patient's figures")
    card = make_scrolled_card(content, "TestCard", "TestScroll")
    qtbot.addWidget(card)
    assert card.objectName() == "TestCard"
    assert card.property("card") is True
    scroll = card.findChild(QScrollArea, "TestScroll")
    assert scroll is not None
    assert scroll.widget() is content
    layout = card.layout()
    assert layout is not None
    assert layout.contentsMargins().left() == 0  # the card's frame, then the content


@pytest.mark.parametrize(
    ("key", "buttons"),
    [
        ("programs", ["ProgramSaveButton", "ProgramAssignButton"]),
        ("settings", ["SettingsUndoButton", "SettingsSaveButton"]),
        ("patients", []),
        ("progress", []),
    ],
)
def test_every_page_with_a_message_ends_with_its_footer(
    home: QtStaffHome, key: str, buttons: list[str]
) -> None:
    parts = laid_out(open_page(home, key).root)
    if buttons:
        row = parts.pop()
        assert isinstance(row, QLayout)
        assert [button.objectName() for button in laid_out(row)] == buttons
    assert isinstance(parts[-1], QtMessage)


@pytest.mark.parametrize("key", ["patients", "programs"])
def test_a_pages_own_overlays_cover_the_staff_home(home: QtStaffHome, key: str) -> None:
    assert open_page(home, key).overlay_host() is home
