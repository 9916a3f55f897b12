"""The kind of voice on the settings screen: natural or classic, a Listen sample in the voice
chosen, and the next visit spoken in it (real window, real database, fake synthesizers named
as the real backends, an output that records what it plays)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from db.repositories.settings import SettingsRepository
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from tests.clinic import ANN
from tests.ui.conftest import OpenWindow, check_in, tap
from tests.ui.staff_mode.conftest import open_page, sign_in
from tests.voice.fakes import FailingSynth, FakeOutput, FakeSynth
from voice.cache import WavCache
from voice.renderer import Renderer
from voice.service import VoiceService
from voice.settings import VoiceSettings
from voice.synth import Synthesizer

WAIT_MS = 20_000


def settings_page(home: QtStaffHome) -> QtSettingsPage:
    page = open_page(home, "settings")
    assert isinstance(page, QtSettingsPage)
    return page


def voice_of(
    natural: Synthesizer, classic: Synthesizer, output: FakeOutput, tmp_path: Path
) -> Callable[[], VoiceService]:
    """A voice whose backends are ``natural`` then ``classic``, playing into ``output``."""

    def build() -> VoiceService:
        cache = WavCache(tmp_path / "cache", max_bytes=10**8)
        renderer = Renderer(cache, [natural, classic], clock=FakeClock())
        return VoiceService(VoiceSettings(), output, renderer)

    return build


def test_staff_choose_the_natural_voice_listen_and_the_next_visit_speaks_in_it(
    qtbot: QtBot,
    open_window: OpenWindow,
    services: KioskServices,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    piper, classic = FakeSynth("piper/en_US-joe-medium"), FakeSynth("pyttsx3")
    output = FakeOutput()
    window = open_window(voice=voice_of(piper, classic, output, tmp_path))
    voice = window.voice
    assert voice is not None
    assert voice.service is not None
    page = settings_page(sign_in(qtbot, window, clock))
    assert page.style_row.chosen == "classic"

    tap(page.style_row.buttons["natural"])
    tap(page.listen_button)
    assert page.message.kind == "ok"
    assert page.message.text() == t("staff.settings.listen_playing", voice="natural")
    sample = (t("cue.listen_sample"), 150)
    qtbot.waitUntil(lambda: any(p is not None for p in output.spoken()), timeout=WAIT_MS)
    assert sample in piper.rendered
    assert sample not in classic.rendered
    qtbot.wait(0)  # a fallback, said before the sample plays, would have arrived: none
    assert page.message.text() == t("staff.settings.listen_playing", voice="natural")
    assert voice.service.settings.backend.value == "pyttsx3"  # only a sample: nothing saved

    tap(page.save_button)
    assert SettingsRepository(services.database).load().voice_style == "natural"
    assert window.staff is not None
    assert window.staff.home is not None
    tap(window.staff.home.lock_button)
    assert window.current_screen() is window.attract
    assert voice.service.settings.backend.value == "piper"

    piper.rendered.clear()
    check_in(window, ANN)
    qtbot.waitUntil(
        lambda: voice.progress[1] > 0 and voice.progress[0] == voice.progress[1],
        timeout=WAIT_MS,
    )
    spoken = {text for text, _ in piper.rendered}
    assert t("cue.pain_stop") in spoken  # the visit's cues, rendered in the natural voice
    assert "Clamshell" in " ".join(spoken)


def test_listen_says_when_the_natural_voice_cannot_start_and_the_classic_one_spoke(
    qtbot: QtBot, open_window: OpenWindow, clock: FakeClock, tmp_path: Path
) -> None:
    piper, classic = FailingSynth("piper/en_US-joe-medium"), FakeSynth("pyttsx3")
    output = FakeOutput()
    window = open_window(voice=voice_of(piper, classic, output, tmp_path))
    assert window.voice is not None
    page = settings_page(sign_in(qtbot, window, clock))
    tap(page.style_row.buttons["natural"])
    tap(page.listen_button)
    assert page.message.text() == t("staff.settings.listen_playing", voice="natural")
    fell_back = t("staff.settings.listen_fell_back")
    qtbot.waitUntil(lambda: page.message.text() == fell_back, timeout=WAIT_MS)
    assert page.message.kind == "error"
    assert piper.calls == 1
    assert (t("cue.listen_sample"), 150) in classic.rendered
    # The classic voice's own sample says nothing more.
    tap(page.style_row.buttons["classic"])
    tap(page.listen_button)
    qtbot.waitUntil(lambda: len(classic.rendered) >= 1 and len(output.spoken()) >= 2,
                    timeout=WAIT_MS)  # fmt: skip
    qtbot.wait(0)
    assert page.message.text() == t("staff.settings.listen_playing", voice="classic")


def test_listen_on_a_kiosk_without_sound_says_so(home: QtStaffHome) -> None:
    page = settings_page(home)
    tap(page.listen_button)
    assert page.message.kind == "error"
    assert page.message.text() == t("staff.settings.listen_no_sound")
