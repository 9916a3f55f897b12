"""A kiosk that still has the demo staff member (its PIN is printed in the README) says so on
the staff home, whoever signs in, until the member is removed (``kiosk staff remove Demo``)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from db.demo import DEMO_STAFF_NAME, DEMO_STAFF_PIN
from db.repositories.staff import StaffRepository
from kiosk.cli import main
from kiosk.core.clock import FakeClock
from kiosk.core.pin import ScryptParams
from kiosk.services import KioskServices
from kiosk.staff.auth import LoginOutcome
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import hold_corner, open_page, staff_mode, submit_pin

ANNA_PIN = "583920"
CHEAP = ScryptParams(log2_n=4, r=8, p=1)


def _signed_in(qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, pin: str) -> QtStaffHome:
    hold_corner(window, clock)
    submit_pin(qtbot, window, pin)
    home = staff_mode(window).home
    assert home is not None
    return home


def test_the_demo_staff_member_is_warned_about_on_every_staff_page(home: QtStaffHome) -> None:
    warning = home.demo_warning
    assert warning is not None
    assert warning.isVisible()
    assert warning.text() == t("staff.home.demo_staff", pin=DEMO_STAFF_PIN, name=DEMO_STAFF_NAME)
    assert warning.text().startswith(
        "This kiosk still has the demo staff member (PIN 472915, printed in the README). "
        "Create your own staff members and remove it"
    )
    assert "kiosk staff remove Demo" in warning.text()
    open_page(home, "settings")
    assert warning.isVisible()


def test_it_stays_whoever_signs_in_until_the_demo_staff_member_is_removed(
    qtbot: QtBot,
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    StaffRepository(services.database, CHEAP).add("Anna", ANNA_PIN, actor="cli:it")
    home = _signed_in(qtbot, window, clock, ANNA_PIN)
    assert home.who.text() == t("staff.home.who", name="Anna")
    assert home.demo_warning is not None
    assert home.demo_warning.isVisible()
    tap(home.lock_button)
    url = services.database.url.render_as_string(hide_password=False)
    assert main(["--db", url, "staff", "remove", DEMO_STAFF_NAME]) == 0
    home = _signed_in(qtbot, window, clock, ANNA_PIN)
    assert home.demo_warning is None
    tap(home.lock_button)
    hold_corner(window, clock)
    result = submit_pin(qtbot, window, DEMO_STAFF_PIN)  # the published PIN opens nothing now
    assert getattr(result, "outcome", None) is LoginOutcome.WRONG
    assert staff_mode(window).home is None
