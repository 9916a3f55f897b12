"""The clinic's language, chosen on the Settings screen: the attract screen, the keypad and
staff mode speak it between visits, every visit returns to it at logout, and a patient's own
language still wins for their visit. A bad stored value is said and reads as English.

The installed kiosk follows the setting unless it was started with ``--language`` or
``KIOSK_LANGUAGE`` (``follow_clinic_language`` here, as ``create_window`` decides there).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntryRow, ClinicSetting
from db.repositories.patients import PatientRepository
from db.repositories.settings import SettingsRepository
from kiosk import text
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import en, es
from kiosk.ui.shell.app import KioskOptions, follows_clinic_language
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from tests.clinic import ANN
from tests.ui.conftest import OpenWindow, answer, tap
from tests.ui.staff_mode.conftest import hold_corner, open_page, sign_in, staff_mode


def _check_in(window: QtKioskWindow, code: str) -> None:
    tap(window.attract)
    for digit in code:
        tap(window.checkin.digit_buttons[digit])
    tap(window.checkin.ok_button)
    answer(window)


def test_espanol_chosen_in_settings_is_the_kiosks_between_visits(
    qtbot: QtBot, open_window: OpenWindow, services: KioskServices, clock: FakeClock
) -> None:
    window = open_window(follow_clinic_language=True)
    assert text.current().code == "en"  # the default clinic language
    home = sign_in(qtbot, window, clock)
    page = open_page(home, "settings")
    assert isinstance(page, QtSettingsPage)
    row = page.language_row
    assert [b.text() for b in row.buttons.values()] == ["English", "Español"]  # own names
    assert row.chosen == "en"
    tap(row.buttons["es"])
    tap(page.save_button)
    assert page.message.text() == en.MESSAGES["staff.settings.saved_language"]
    assert SettingsRepository(services.database).load().clinic_language == "es"
    with Session(services.database) as session:  # saved like every other clinic setting
        assert session.scalar(select(AuditEntryRow.detail).order_by(AuditEntryRow.id.desc())) == (
            "clinic_language='es'"
        )

    tap(home.lock_button)
    # Locked: the attract screen and the keypad in Spanish.
    assert window.current_screen() is window.attract
    assert text.current().code == "es"
    assert window.attract.call_to_action.text() == es.MESSAGES["attract.touch"]
    tap(window.attract)
    assert window.checkin.title.text() == es.MESSAGES["checkin.title"]
    tap(window.checkin.cancel_button)

    # A patient whose language is English: their visit in English...
    ann = PatientRepository(services.database).find_by_code(ANN)
    assert ann is not None
    PatientRepository(services.database).set_language(ann.id, "en")
    _check_in(window, ANN)
    program = window.visit.program
    assert program is not None
    assert program.greeting.text() == "Hello, Ann"
    assert text.current().code == "en"
    # ... and logged out: the clinic's Spanish again for the next patient.
    window.abandon_visit()
    assert window.current_screen() is window.attract
    assert text.current().code == "es"
    assert window.attract.call_to_action.text() == es.MESSAGES["attract.touch"]
    tap(window.attract)
    assert window.checkin.title.text() == es.MESSAGES["checkin.title"]
    tap(window.checkin.cancel_button)

    # Staff mode again: its PIN pad, built in English the first time, now in Spanish.
    hold_corner(window, clock)
    assert staff_mode(window).pin_screen.title.text() == es.MESSAGES["staff.pin.title"]
    # ... and the program builder's exercise names from the Spanish library.
    assert services.staff.library.language == "es"


def test_a_stored_language_the_kiosk_has_no_catalog_for_reads_as_english_and_is_said(
    qtbot: QtBot, open_window: OpenWindow, services: KioskServices, clock: FakeClock
) -> None:
    with Session(services.database) as session:  # edited by hand
        session.add(
            ClinicSetting(
                key="clinic_language",
                value='"fr"',
                updated_at=datetime(2026, 3, 1, tzinfo=UTC),
                updated_by="someone",
            )
        )
        session.commit()
    repo = SettingsRepository(services.database)
    assert repo.load().clinic_language == "en"
    assert "clinic_language" in repo.unusable
    assert "'fr'" in repo.unusable["clinic_language"]

    window = open_window(follow_clinic_language=True)
    assert text.current().code == "en"
    assert window.attract.call_to_action.text() == en.MESSAGES["attract.touch"]
    home = sign_in(qtbot, window, clock)
    page = open_page(home, "settings")
    assert isinstance(page, QtSettingsPage)
    shown = page.message.text()
    assert "“Clinic language" in shown  # the setting by its label, not its key
    assert "'fr'" in shown
    assert "en, es" in shown
    assert page.language_row.chosen == "en"
    # Saving a good value clears it.
    tap(page.language_row.buttons["es"])
    tap(page.save_button)
    tap(page.language_row.buttons["en"])
    tap(page.save_button)
    assert SettingsRepository(services.database).load().clinic_language == "en"
    repo.load()
    assert repo.unusable == {}


def test_a_window_fixed_at_start_up_keeps_its_language_whatever_the_setting(
    open_window: OpenWindow, services: KioskServices
) -> None:
    SettingsRepository(services.database).update("Demo", clinic_language="en")
    text.use("es")  # as --language es does
    window = open_window()  # not following the setting
    assert text.current().code == "es"
    window.go_to_attract()
    assert text.current().code == "es"


def test_only_a_kiosk_on_its_own_database_without_a_start_up_language_follows_the_setting() -> None:
    assert follows_clinic_language(KioskOptions(), own_services=True)
    # --language es or KIOSK_LANGUAGE=es: the start-up choice overrides Settings.
    assert not follows_clinic_language(KioskOptions(language_fixed=True), own_services=True)
    # A tool or a test with its own services keeps the language it set.
    assert not follows_clinic_language(KioskOptions(), own_services=False)
