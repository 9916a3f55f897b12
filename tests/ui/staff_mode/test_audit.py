"""The Audit log tab: entries newest first in staff's words, by kind and by days, 50 a page."""

from __future__ import annotations

from datetime import timedelta

from db.repositories.audit import Action, audit
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.staff_mode.audit_page import KINDS, QtAuditPage
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.staff_page import QtStaffAccountsPage
from kiosk.ui.staff_mode.tables import table_text
from tests.clinic import WALL_START
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import open_page


def audit_page(home: QtStaffHome) -> QtAuditPage:
    """Staff → Audit log… (the log has no tab of its own)."""
    staff = open_page(home, "staff")
    assert isinstance(staff, QtStaffAccountsPage)
    tap(staff.audit_button)
    assert home.current_page_key == "audit"
    page = home.pages["audit"]
    assert isinstance(page, QtAuditPage)
    assert page.kind is None  # all kinds, sign-in not locked
    return page


def show_kind(page: QtAuditPage, kind: str) -> None:
    """Tap ▶ until the kind shows (the kinds go round)."""
    for _ in KINDS:
        if page.kinds.chosen == kind:
            return
        tap(page.kinds.forward_button)
    raise AssertionError(f"no kind {kind!r}")


def column(page: QtAuditPage, index: int) -> list[str]:
    return [table_text(page.table, row, index) for row in range(page.table.rowCount())]


def test_failed_pins_and_check_in_pauses_are_there_to_be_seen(
    home: QtStaffHome, services: KioskServices
) -> None:
    database = services.database
    audit(database, "unknown", Action.PIN_FAILED, "4 in a row", at=WALL_START - timedelta(hours=2))
    audit(
        database, "kiosk", "check-in paused", "10 wrong codes", at=WALL_START - timedelta(hours=1)
    )
    audit(database, "unknown", Action.PIN_FAILED, "old", at=WALL_START - timedelta(days=30))
    page = audit_page(home)
    show_kind(page, "sign_in")
    assert column(page, 2)[-1] == t("staff.audit.action.pin_failed")  # oldest of the week last
    assert column(page, 3)[-1] == "4 in a row"
    assert "old" not in column(page, 3)  # a month ago: outside the 7 days shown
    assert column(page, 2)[0] == t("staff.audit.action.login")  # Demo, just now
    show_kind(page, "checkin")
    assert column(page, 2) == ["check-in paused"]  # another part's entry, as written
    for _ in range(30):
        tap(page.first_day.back_button)
    assert column(page, 3) == ["10 wrong codes"]
    show_kind(page, "sign_in")
    assert column(page, 3)[-1] == "old"
    tap(page.last_day.back_button)  # to yesterday: today's sign-in and PINs drop out
    assert column(page, 3) == ["old"]


def test_pages_of_fifty_newest_first(home: QtStaffHome, services: KioskServices) -> None:
    for minute in range(1, 121):
        at = WALL_START - timedelta(minutes=minute)
        audit(services.database, "Demo", Action.EXPORT, f"#{minute}", at=at)
    page = audit_page(home)
    show_kind(page, "exports")
    assert column(page, 3)[:2] == ["#1", "#2"]
    assert page.status.text() == t("staff.audit.showing", first=1, last=50)
    assert not page.newer_button.isEnabled()
    tap(page.older_button)
    tap(page.older_button)
    assert column(page, 3) == [f"#{m}" for m in range(101, 121)]
    assert page.status.text() == t("staff.audit.showing", first=101, last=120)
    assert not page.older_button.isEnabled()
    tap(page.kinds.back_button)  # another kind (exports ◀ programs) starts from the newest
    assert page.kinds.display.text() == t("staff.audit.kind_programs")
    assert page.page_number == 0
    assert page.status.text() == t("staff.audit.none")
