"""Settings: changed on screen, validated and audited by the repository, applied at once
where they can be (the staff idle time); a refused save keeps the form as it was typed."""

from __future__ import annotations

from pathlib import Path

from db.repositories.audit import Action, entries
from db.repositories.settings import DEFAULTS, SettingsRepository
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from kiosk.ui.timers import TimerFactory
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import open_page, staff_mode, timer_named, type_on_keyboard


def settings_page(home: QtStaffHome) -> QtSettingsPage:
    page = open_page(home, "settings")
    assert isinstance(page, QtSettingsPage)
    return page


def test_the_form_shows_the_stored_settings(home: QtStaffHome) -> None:
    page = settings_page(home)
    assert page.text_buttons["clinic_name"].text() == DEFAULTS.clinic_name
    assert page.steppers["staff_idle_timeout_s"].display.text() == "180"
    assert page.voice_row.chosen == "on"
    assert page.folder.text() == t("staff.settings.video_none")
    assert not page.undo_button.isEnabled()


def test_saving_settings_stores_audits_and_applies_them(
    home: QtStaffHome, services: KioskServices, timers: TimerFactory, stick: Path
) -> None:
    page = settings_page(home)
    tap(page.text_buttons["clinic_name"])
    type_on_keyboard(home.keyboard, "Sunny Side Physio")
    tap(home.keyboard.ok_button)
    tap(page.steppers["staff_idle_timeout_s"].plus_button)
    tap(page.steppers["voice_volume"].minus_button)
    tap(page.voice_row.buttons["off"])
    tap(page.folder_button)
    videos = stick / "videos"
    videos.mkdir()
    home.files.choose(videos)
    assert page.folder.text() == str(videos)
    assert SettingsRepository(services.database).load() == DEFAULTS  # nothing stored yet
    assert page.undo_button.isEnabled()

    tap(page.save_button)
    assert page.message.kind == "ok"
    assert page.message.text() == t("staff.settings.saved")
    stored = SettingsRepository(services.database).load()
    assert stored.clinic_name == "Sunny Side Physio"
    assert stored.staff_idle_timeout_s == 210
    assert stored.voice_volume == 75
    assert stored.voice_enabled is False
    assert stored.clinic_video_folder == str(videos)
    changed = entries(services.database, actions=(Action.SETTINGS_CHANGED,))
    assert [e.actor for e in changed] == ["Demo"]
    gate = staff_mode(home.window()).gate  # type: ignore[arg-type]
    assert gate is not None
    assert gate.idle.timeout_s == 210
    assert 209_000 <= timer_named(timers, "staff-idle-lock").interval() <= 210_001


def test_a_refused_save_keeps_the_form_and_stores_nothing(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = settings_page(home)
    page.set_value("pin_backoff_base_s", 60.0)
    page.set_value("pin_backoff_max_s", 30.0)  # below the first wait
    tap(page.save_button)
    assert page.message.kind == "error"
    assert "“Longest wait (s)” cannot be below “First wait (s)”" in page.message.text()
    assert page.steppers["pin_backoff_max_s"].display.text() == "30"  # kept as typed
    assert SettingsRepository(services.database).load() == DEFAULTS
    assert entries(services.database, actions=(Action.SETTINGS_CHANGED,)) == ()
    tap(page.undo_button)
    assert page.steppers["pin_backoff_max_s"].display.text() == "300"
    assert not page.message.isVisible()


def test_an_empty_clinic_name_is_refused_on_the_keyboard(home: QtStaffHome) -> None:
    page = settings_page(home)
    tap(page.text_buttons["clinic_name"])
    home.keyboard.editor.clear()
    tap(home.keyboard.ok_button)
    assert home.keyboard.isVisible()
    assert home.keyboard.problem.isVisible()
    assert home.keyboard.problem.text() == "Clinic name: 1 to 60 characters"
    tap(home.keyboard.cancel_button)
    assert page.text_buttons["clinic_name"].text() == DEFAULTS.clinic_name


def test_the_lockout_steppers_stop_at_the_bounds_and_say_why_outside_them(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = settings_page(home)
    failures = page.steppers["checkin_lockout_failures"]
    for _ in range(12):
        tap(failures.plus_button)
    assert failures.display.text() == "10"  # no more than ten different wrong codes
    window = page.steppers["checkin_lockout_window_s"]
    tap(window.minus_button)
    assert window.display.text() == "86400"  # at least a day
    page.set_value("checkin_lockout_window_s", 3600)  # as if typed past the stepper
    tap(page.save_button)
    assert page.message.kind == "error"
    assert "“…counted over (s; 86400 is a day)” must be 86400 to 604800" in page.message.text()
    assert "guess patients' check-in codes" in page.message.text()
    assert SettingsRepository(services.database).load() == DEFAULTS


def test_staff_mode_cannot_be_set_to_stay_open_more_than_five_minutes(
    home: QtStaffHome, services: KioskServices, window: QtKioskWindow
) -> None:
    page = settings_page(home)
    idle = page.steppers["staff_idle_timeout_s"]
    for _ in range(10):
        if idle.plus_button.isEnabled():
            tap(idle.plus_button)
    assert idle.display.text() == "300"
    assert not idle.plus_button.isEnabled()
    tap(page.save_button)
    assert SettingsRepository(services.database).load().staff_idle_timeout_s == 300
    gate = staff_mode(window).gate
    assert gate is not None
    assert gate.idle.timeout_s == 300
