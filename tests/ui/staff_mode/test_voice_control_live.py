"""Staff switch voice control on or off (or choose another microphone) and it applies at once,
without restarting the kiosk: the real settings screen, recogniser and player.

The microphone is the one thing replaced: each session's microphone plays what the test feeds
it through :class:`voice.listening.PcmSource` (Piper's voice, made at test time), and is silent
(blocking) in between, as a microphone in a quiet room would be."""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.text import t
from kiosk.ui.runners.voice_control import QtVoiceControl, SourceFactory
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from kiosk.ui.staff_mode.voice_control_settings import QtVoiceControlSettings
from kiosk.ui.visit.player_screen import QtPlayerScreen
from tests.clinic import TOM
from tests.ui.conftest import OpenWindow, VoiceParts, start_session, state_of, tap
from tests.ui.staff_mode.conftest import open_page, sign_in
from voice.control_settings import ControlSettings, load_control, save_control
from voice.listening import AudioSource, PcmSource, Utterance
from voice.microphone import NoMicrophoneError

pytest.importorskip("pocketsphinx")
from tests.voice.spoken import said

pytestmark = pytest.mark.slow


class FedMicrophone:
    """One opening of a microphone: plays each recording fed to it, silent in between."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self._fed: queue.Queue[PcmSource | None] = queue.Queue()
        self._playing: PcmSource | None = None
        self.closed = False

    def feed(self, pcm: bytes) -> None:
        self._fed.put(PcmSource(pcm))

    def read(self) -> bytes | None:
        while True:
            if self._playing is not None:
                chunk = self._playing.read()
                if chunk is not None:
                    return chunk
            self._playing = self._fed.get()
            if self._playing is None:
                return None

    def close(self) -> None:
        self.closed = True
        self._fed.put(None)


class Microphones:
    """What the kiosk opens for a session: a fresh :class:`FedMicrophone` each time."""

    def __init__(self) -> None:
        self.opened: list[FedMicrophone] = []

    def __call__(self, name: str | None) -> SourceFactory:
        def open_microphone() -> AudioSource:
            microphone = FedMicrophone(name)
            self.opened.append(microphone)
            return microphone

        return open_microphone


def listeners() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "voice-control"]


def settings_section(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock
) -> QtVoiceControlSettings:
    page = open_page(sign_in(qtbot, window, clock), "settings")
    assert isinstance(page, QtSettingsPage)
    return page.voice_control


def lock(window: QtKioskWindow) -> None:
    assert window.staff is not None
    assert window.staff.home is not None
    tap(window.staff.home.lock_button)
    assert window.current_screen() is window.attract


def listening(qtbot: QtBot, window: QtKioskWindow) -> tuple[QtPlayerScreen, QtVoiceControl]:
    control = window.voice_control
    assert control is not None
    player = start_session(window, TOM)
    qtbot.waitUntil(lambda: control.state == "listening", timeout=10_000)
    assert player.mic_status.text() == t("voice_control.listening")
    assert player.say_hint.isVisible()
    assert player.say_hint.text().startswith("You can say: “wait”")
    return player, control


def say(qtbot: QtBot, control: QtVoiceControl, microphone: FedMicrophone, phrase: str) -> None:
    with qtbot.waitSignal(control.heard, timeout=10_000) as blocker:
        microphone.feed(said(phrase))
    utterance = blocker.args[0]
    assert isinstance(utterance, Utterance)
    assert utterance.heard.text == phrase, utterance


@pytest.fixture
def microphones() -> Microphones:
    return Microphones()


@pytest.fixture
def kiosk(
    open_window: OpenWindow, voice_parts: VoiceParts, microphones: Microphones
) -> Callable[[], QtKioskWindow]:
    """The kiosk with a voice (voice control listens only on a kiosk that has one)."""

    def open_() -> QtKioskWindow:
        window = open_window(voice=voice_parts.build)
        window.use_microphones(microphones)
        return window

    return open_


def test_switched_on_in_staff_settings_the_next_session_obeys_the_voice(
    qtbot: QtBot, kiosk: Callable[[], QtKioskWindow], clock: FakeClock, microphones: Microphones
) -> None:
    window = kiosk()
    assert window.voice_control is None  # off when the kiosk started
    section = settings_section(qtbot, window, clock)
    tap(section.enabled_row.buttons["on"])
    control = window.voice_control
    assert control is not None  # at once, no restart
    assert control._thread is None
    assert microphones.opened == []
    lock(window)

    player, control = listening(qtbot, window)
    (microphone,) = microphones.opened
    assert microphone.name is None  # the system's default microphone
    say(qtbot, control, microphone, "pause")
    assert state_of(player) is SessionState.PAUSED
    assert player.mic_status.text() == t("voice_control.heard", what="pause")


def test_switched_off_the_listener_stops_and_a_command_no_longer_acts(
    qtbot: QtBot, kiosk: Callable[[], QtKioskWindow], clock: FakeClock, microphones: Microphones
) -> None:
    save_control(ControlSettings(True, None))
    window = kiosk()
    player, control = listening(qtbot, window)
    thread = control._thread
    assert thread is not None
    assert thread.is_alive()
    window.go_to_attract()  # the visit ends (its session as it was)
    assert not thread.is_alive()
    assert microphones.opened[0].closed

    section = settings_section(qtbot, window, clock)
    tap(section.enabled_row.buttons["off"])
    assert load_control().enabled is False
    assert window.voice_control is None  # at once
    assert control._thread is None
    assert not thread.is_alive()
    lock(window)

    player = start_session(window, TOM)
    assert player.spoken is None
    assert not player.mic_status.isVisible()
    tap(player.pause_button)  # by touch, as ever
    assert state_of(player) is SessionState.PAUSED
    tap(player.pause_button)
    microphones.opened[0].feed(said("pause"))  # nobody listens to it any more
    assert len(microphones.opened) == 1  # no microphone opened for this session
    assert listeners() == []
    assert state_of(player) is SessionState.RUNNING


def test_switching_on_twice_is_one_listener_and_another_microphone_reopens(
    qtbot: QtBot, kiosk: Callable[[], QtKioskWindow], clock: FakeClock, microphones: Microphones
) -> None:
    window = kiosk()
    section = settings_section(qtbot, window, clock)
    tap(section.enabled_row.buttons["on"])
    control = window.voice_control
    window.apply_voice_control()  # the same settings again: nothing changes
    tap(section.enabled_row.buttons["on"])
    assert window.voice_control is control
    # Another microphone (saved as the microphone row does; SDL's test driver may have none).
    save_control(ControlSettings(True, "USB desk microphone"))
    window.apply_voice_control()
    assert window.voice_control is control
    lock(window)

    before = len(listeners())
    player, control = listening(qtbot, window)
    assert len(listeners()) == before + 1
    (microphone,) = microphones.opened
    assert microphone.name == "USB desk microphone"
    say(qtbot, control, microphone, "pause")
    assert state_of(player) is SessionState.PAUSED


def test_a_change_during_a_visit_applies_when_it_ends(
    qtbot: QtBot, kiosk: Callable[[], QtKioskWindow], microphones: Microphones
) -> None:
    save_control(ControlSettings(True, None))
    window = kiosk()
    player, control = listening(qtbot, window)
    save_control(ControlSettings(False, None))
    window.apply_voice_control()  # (staff mode opens between visits; a tool might not)
    assert window.voice_control is control
    say(qtbot, control, microphones.opened[0], "pause")  # this session keeps listening
    assert state_of(player) is SessionState.PAUSED
    window.go_to_attract()
    assert window.voice_control is None
    assert listeners() == []


def test_the_environment_still_decides_over_the_staff_switch(
    qtbot: QtBot,
    kiosk: Callable[[], QtKioskWindow],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_VOICE_CONTROL", "off")
    window = kiosk()
    section = settings_section(qtbot, window, clock)
    assert not section.environment.isHidden()  # staff are told why the switch does nothing
    assert "KIOSK_VOICE_CONTROL" in section.environment.text()
    tap(section.enabled_row.buttons["on"])
    assert load_control({"KIOSK_CONFIG": os.environ["KIOSK_CONFIG"]}).enabled is True  # saved
    assert window.voice_control is None  # the environment says off
    monkeypatch.delenv("KIOSK_VOICE_CONTROL")
    window.apply_voice_control()  # the next change (or start) reads the file alone
    assert window.voice_control is not None


def test_without_the_environment_staff_are_not_told_about_it(
    qtbot: QtBot, kiosk: Callable[[], QtKioskWindow], clock: FakeClock
) -> None:
    section = settings_section(qtbot, kiosk(), clock)
    assert section.environment.isHidden()


def test_switched_on_without_a_microphone_the_session_goes_on_by_touch(
    qtbot: QtBot,
    open_window: OpenWindow,
    voice_parts: VoiceParts,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def no_microphone(name: str | None) -> SourceFactory:
        def open_microphone() -> AudioSource:
            raise NoMicrophoneError("no microphone found")

        return open_microphone

    window = open_window(voice=voice_parts.build)
    window.use_microphones(no_microphone)
    section = settings_section(qtbot, window, clock)
    tap(section.enabled_row.buttons["on"])
    lock(window)
    control = window.voice_control
    assert control is not None
    with caplog.at_level(logging.WARNING):
        player = start_session(window, TOM)
        qtbot.waitUntil(lambda: control._thread is not None and not control._thread.is_alive())
    qtbot.waitUntil(lambda: player.mic_status.text() == t("voice_control.off"))
    assert not player.say_hint.isVisible()
    control_log = "kiosk.ui.runners.voice_control"
    (line,) = [r.getMessage() for r in caplog.records if r.name == control_log]
    assert line == "voice control off: no microphone found"
    tap(player.pause_button)
    assert state_of(player) is SessionState.PAUSED
