"""The Staff tab: staff listed, added, deactivated, PINs changed (never shown), the sign-in lock
unlocked — on the real window and a real database, the hashing on its real worker thread."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from db.demo import DEMO_STAFF_PIN
from db.repositories.audit import Action, entries
from db.repositories.sign_in import SignInLog
from db.repositories.staff import StaffRepository
from kiosk.core.clock import utc_now
from kiosk.core.pin import ScryptParams
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.staff_page import QtStaffAccountsPage
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import PIN_TIMEOUT_MS, open_page, type_on_keyboard

CHEAP = ScryptParams(log2_n=4, r=8, p=1)
ANNA_PIN = "583920"


def staff_page(home: QtStaffHome) -> QtStaffAccountsPage:
    page = open_page(home, "staff")
    assert isinstance(page, QtStaffAccountsPage)
    return page


def choose(page: QtStaffAccountsPage, name: str) -> None:
    rows = [page.list.item(i).text() for i in range(page.list.count())]
    page.list.setCurrentRow(next(i for i, text in enumerate(rows) if text.startswith(name)))
    assert page.selected is not None
    assert page.selected.name == name


def last_pins(qtbot: QtBot, page: QtStaffAccountsPage, *pins: str) -> None:
    """Type ``pins`` on the PIN overlay, the last one starting the slow work: wait for it."""
    *first, last = pins
    for pin in first:
        page.pins.type_pin(pin)
    with qtbot.waitSignal(page.work.finished, timeout=PIN_TIMEOUT_MS):
        page.pins.type_pin(last)


def test_adding_a_staff_member_takes_their_pin_twice_and_never_shows_it(
    qtbot: QtBot, home: QtStaffHome, services: KioskServices, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    page = staff_page(home)
    assert [page.list.item(i).text() for i in range(page.list.count())] == ["Demo"]
    tap(page.add_button)
    type_on_keyboard(home.keyboard, "Anna")
    tap(home.keyboard.ok_button)
    assert page.pins.isVisible()
    page.pins.type_pin(ANNA_PIN)
    assert page.pins.display.text() == ""  # nothing of it left on screen
    page.pins.type_pin("583921")
    assert page.pins.message.text() == t("staff.accounts.pin_differ")
    assert page.pins.step == 0
    page.pins.type_pin("123456")
    page.pins.type_pin("123456")
    assert page.pins.message.text() == t("staff.accounts.pin_trivial")
    page.pins.type_pin(ANNA_PIN)
    page.pins.type_pin("58392")  # too short: OK is not even taken
    assert page.pins.step == 1
    page.pins.entry.type_digit("0")
    with qtbot.waitSignal(page.work.finished, timeout=PIN_TIMEOUT_MS):
        page.pins.entry.submit()
    assert not page.pins.isVisible()
    assert page.message.text() == t("staff.accounts.added", name="Anna")
    anna = StaffRepository(services.database).identify(ANNA_PIN)
    assert anna is not None
    assert page.selected == anna
    (added,) = entries(services.database, actions=(Action.STAFF_ADDED,))
    assert (added.actor, added.detail) == ("Demo", "Anna")
    shown = [label.text() for label in home.findChildren(QLabel)]
    assert not [text for text in shown if ANNA_PIN in text or "58392" in text]
    assert "58392" not in caplog.text  # logged at DEBUG: no PIN, not even in part


def test_changing_ones_own_pin_needs_the_old_one(
    qtbot: QtBot, home: QtStaffHome, services: KioskServices
) -> None:
    page = staff_page(home)
    choose(page, "Demo")
    assert page.pin_button.text() == t("staff.accounts.my_pin")
    assert not page.active_button.isEnabled()  # nobody deactivates themselves here
    tap(page.pin_button)
    last_pins(qtbot, page, "740261", "318276", "318276")
    assert page.pins.isVisible()
    assert page.pins.message.text() == t("staff.accounts.wrong_pin")
    assert page.pins.step == 0
    last_pins(qtbot, page, DEMO_STAFF_PIN, "318276", "318276")
    assert not page.pins.isVisible()
    staff = StaffRepository(services.database)
    assert staff.identify(DEMO_STAFF_PIN) is None
    demo = staff.identify("318276")
    assert demo is not None
    (changed,) = entries(services.database, actions=(Action.STAFF_PIN_CHANGED,))
    assert (changed.actor, changed.detail) == ("Demo", "Demo")


def test_another_staff_members_pin_after_confirming_ones_own(
    qtbot: QtBot, home: QtStaffHome, services: KioskServices
) -> None:
    StaffRepository(services.database, CHEAP).add("Anna", ANNA_PIN, actor="cli:it")
    page = staff_page(home)
    page.refresh()
    choose(page, "Anna")
    assert page.pin_button.text() == t("staff.accounts.set_pin")
    tap(page.pin_button)
    last_pins(qtbot, page, ANNA_PIN, "318276", "318276")  # Anna's own PIN is not Demo's
    assert page.pins.message.text() == t("staff.accounts.wrong_pin")
    (failed,) = entries(services.database, actions=(Action.PIN_FAILED,))
    assert failed.detail == "typed to confirm a change as Demo"
    last_pins(qtbot, page, DEMO_STAFF_PIN, "318276", "318276")
    assert page.message.text() == t("staff.accounts.pin_changed", name="Anna")
    staff = StaffRepository(services.database)
    assert staff.identify(ANNA_PIN) is None
    assert staff.identify("318276") is not None
    changed = entries(services.database, actions=(Action.STAFF_PIN_CHANGED,))
    assert [(e.actor, e.detail) for e in changed] == [("Demo", "Anna")]


def test_deactivating_asks_first_and_closes_the_account_at_once(
    qtbot: QtBot, home: QtStaffHome, services: KioskServices
) -> None:
    anna = StaffRepository(services.database, CHEAP).add("Anna", ANNA_PIN, actor="cli:it")
    page = staff_page(home)
    page.refresh()
    choose(page, "Anna")
    tap(page.active_button)
    tap(home.confirm.cancel_button)
    assert StaffRepository(services.database).is_active(anna.id)
    tap(page.active_button)
    tap(home.confirm.confirm_button)
    assert not StaffRepository(services.database).is_active(anna.id)
    assert "Anna  (deactivated)" in [page.list.item(i).text() for i in range(page.list.count())]
    assert page.active_button.text() == t("staff.accounts.reactivate")
    assert not page.pin_button.isEnabled()
    (closed,) = entries(services.database, actions=(Action.STAFF_DEACTIVATED,))
    assert (closed.actor, closed.detail) == ("Demo", "Anna")
    tap(page.active_button)  # back, with a new PIN, after Demo's own
    last_pins(qtbot, page, DEMO_STAFF_PIN, "318276", "318276")
    assert StaffRepository(services.database).is_active(anna.id)
    assert StaffRepository(services.database).identify("318276") == anna


def test_the_staff_page_shows_a_locked_sign_in_and_unlocks_it(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = staff_page(home)
    assert page.lock_text.text() == t("staff.accounts.unlocked")
    assert not page.unlock_button.isVisible()
    for _ in range(20):  # guessed at another kiosk
        SignInLog(services.database).record_failure(utc_now())
    open_page(home, "today")
    page = staff_page(home)
    assert page.lock_text.text() == t("staff.accounts.locked", failures=20)
    assert page.lock_text.kind == "error"
    tap(page.unlock_button)
    assert not SignInLog(services.database).state(utc_now()).locked
    assert page.message.text() == t("staff.accounts.unlocked_now")
    assert not page.unlock_button.isVisible()
    (unlocked,) = entries(services.database, actions=(Action.SIGN_IN_UNLOCKED,))
    assert (unlocked.actor, unlocked.detail) == ("Demo", "from staff mode")


def test_a_pin_can_be_typed_on_a_physical_keyboard_too(
    home: QtStaffHome, window: QtKioskWindow
) -> None:
    page = staff_page(home)
    choose(page, "Demo")
    tap(page.pin_button)
    QTest.keyClicks(window, "47")
    assert page.pins.entry.digits == "47"
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not page.pins.isVisible()
