"""Voice control per kiosk: staff switch it on (and choose the microphone) on the settings
screen; the patient may switch it off for their visit on the welcome screen."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.core.clock import FakeClock
from kiosk.text import t
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from tests.clinic import TOM
from tests.ui.conftest import OpenWindow, VoiceParts, check_in, start_session, tap
from tests.ui.staff_mode.conftest import open_page, sign_in
from voice.control_settings import ControlSettings, load_control, save_control


def test_staff_switch_voice_control_on_for_this_kiosk(
    qtbot: QtBot, open_window: OpenWindow, clock: FakeClock, tmp_path: Path
) -> None:
    window = open_window()
    page = open_page(sign_in(qtbot, window, clock), "settings")
    assert isinstance(page, QtSettingsPage)
    section = page.voice_control
    assert section.enabled_row.chosen == "off"  # off until staff switch it on
    assert section.microphone_row.chosen == "default"
    tap(section.enabled_row.buttons["on"])
    assert load_control() == ControlSettings(True, None)
    # The microphones SDL sees here (its test driver has one that hears silence).
    if not section.microphones:
        assert section.level.text() == t("staff.settings.microphone_none")
    else:
        name = section.microphones[0]
        tap(section.microphone_row.buttons[name])
        assert load_control() == ControlSettings(True, name)
        # The meter shows a level in dB (it reads the microphone while the page shows).
        assert section.level.text().startswith("Level: ")
    page.left()  # staff mode closing: the meter lets the microphone go
    assert (tmp_path / "voice-control.toml").stat().st_mode & 0o777 == 0o600
    tap(section.enabled_row.buttons["off"])
    assert load_control().enabled is False


def test_the_patient_switches_voice_control_off_for_their_visit_only(
    open_window: OpenWindow, voice_parts: VoiceParts
) -> None:
    save_control(ControlSettings(True, None))
    window = open_window(voice=voice_parts.build)
    control = window.voice_control
    assert control is not None
    check_in(window, TOM)
    program = window.visit.program
    assert program is not None
    toggle = program.toggles.listen_button
    assert toggle.isVisible()
    assert toggle.text() == t("display.on", label=t("display.voice_control"))
    tap(toggle)
    assert toggle.text() == t("display.off", label=t("display.voice_control"))
    assert control.enabled is False
    player = start_session(window, TOM)
    assert player.mic_status.text() == t("voice_control.off")
    assert control._thread is None  # never listened
    window.go_to_attract()
    assert control.enabled is True  # the next patient starts from the staff's choice


def test_without_staff_switching_it_on_there_is_no_voice_control(
    open_window: OpenWindow, voice_parts: VoiceParts
) -> None:
    window = open_window(voice=voice_parts.build)
    assert window.voice_control is None
    check_in(window, TOM)
    assert window.visit.program is not None
    assert not window.visit.program.toggles.listen_button.isVisible()
