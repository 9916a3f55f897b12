"""The voice in the kiosk window: hands-free sessions, captions, settings, flashes, progress.

The window runs on a fake clock (no sleeping); the voice has a fake synthesizer and an output
that records what it was asked to play, so each test checks what would have been heard.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.clock import FakeClock
from kiosk.core.events import CueDue, SessionState
from kiosk.core.timeline import StepKind
from kiosk.ui.runners.voice_bridge import QtVoiceBridge
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.theme import MIN_TOUCH_PX
from kiosk.ui.visit.player_screen import QtPlayerScreen
from tests.clinic import ANN
from tests.ui.conftest import (
    OpenWindow,
    VoiceParts,
    advance_to_next_moment,
    check_in,
    start_session,
    tap,
)
from tests.voice.fakes import FakeSynth
from voice.output import NullOutput
from voice.service import spoken_texts
from voice.settings import VoiceMode, VoiceSettings

WAIT_MS = 10_000


def bridge(window: QtKioskWindow) -> QtVoiceBridge:
    assert window.voice is not None
    return window.voice


def wait_prepared(qtbot: QtBot, window: QtKioskWindow) -> None:
    voice = bridge(window)
    qtbot.waitUntil(lambda: voice.progress[1] > 0 and voice.progress[0] == voice.progress[1],
                    timeout=WAIT_MS)  # fmt: skip


def test_a_whole_session_runs_hands_free_with_voice_and_word_for_word_captions(
    qtbot: QtBot, voice_window: QtKioskWindow, voice_parts: VoiceParts, clock: FakeClock
) -> None:
    check_in(voice_window, ANN)
    wait_prepared(qtbot, voice_window)
    program = voice_window.visit.program
    assert program is not None
    timeline = program.checkin.timeline
    tap(program.start_button)  # the last touch
    player = voice_window.visit.player
    assert player is not None
    captions: list[tuple[str, str]] = []

    def on_event(event: object) -> None:
        if isinstance(event, CueDue) and event.cue.text:
            captions.append((event.cue.text, player.caption.text()))

    player.driver.event_emitted.connect(on_event)
    with qtbot.waitSignal(
        voice_window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"
    ):
        for _ in range(10_000):
            if player.engine.state is not SessionState.RUNNING:
                break
            advance_to_next_moment(clock, player)
    assert voice_window.visit.summary is not None
    assert voice_window.visit.summary.summary.finished
    # Every spoken cue was heard, in order, and shown word for word as it was said.
    said = [c.text for c in timeline.cues() if c.text]
    heard = [path.name for path in voice_parts.output.spoken() if path is not None]
    assert len(heard) == len(said)
    assert all(text == shown for text, shown in captions)
    assert [t for t, _ in captions] == said[1:]  # the first was said as the player started
    tones = [c.tone for c in timeline.cues() if c.tone is not None]
    assert voice_parts.output.tones() == tones
    # The summary (pain now, totals, goodbye) goes back to the start by itself.
    voice_window.visit.summary.pain_timer.timeout.emit()
    voice_window.visit.summary.timer.timeout.emit()
    with qtbot.waitSignal(voice_window.screen_changed):
        voice_window.visit.summary.goodbye_timer.timeout.emit()
    assert voice_window.current_screen() is voice_window.attract


def test_the_sound_panel_changes_the_voice_at_once_for_this_visit_only(
    qtbot: QtBot, voice_window: QtKioskWindow, voice_parts: VoiceParts
) -> None:
    voice = bridge(voice_window)
    player = start_session(voice_window, ANN)
    assert player.sound_button.isVisible()
    assert player.sound_button.height() >= MIN_TOUCH_PX
    tap(player.sound_button)
    panel = player.sound_panel
    assert panel.isVisible()
    buttons = [*panel.mode_buttons.values(), panel.slower_button, panel.faster_button,
               panel.quieter_button, panel.louder_button, panel.done_button]  # fmt: skip
    assert all(b.height() >= MIN_TOUCH_PX for b in buttons)
    assert panel.mode_buttons[VoiceMode.VOICE].text().startswith("✓")
    tap(panel.mode_buttons[VoiceMode.TONES])
    assert voice.settings is not None
    assert voice.settings.mode is VoiceMode.TONES
    assert panel.mode_buttons[VoiceMode.TONES].text().startswith("✓")
    assert not panel.slower_button.isEnabled()  # no speech to slow down
    tap(panel.mode_buttons[VoiceMode.VOICE])
    tap(panel.slower_button)
    assert voice.settings.rate == VoiceSettings().rate - 20
    assert panel.speed_label.text() == "Speech: slower"
    tap(panel.louder_button)
    assert voice_parts.output.volume == pytest.approx(0.9)
    assert panel.volume_label.text() == "Volume: 9 of 10"
    tap(panel.done_button)
    assert not panel.isVisible()
    assert player.engine.state is SessionState.RUNNING  # the session never stopped
    tap(player.stop_button)
    with qtbot.waitSignal(voice_window.screen_changed):
        tap(player.stop_overlay.first_button)
    assert voice.settings.speaks  # the choice lasts for the visit...
    assert voice.settings.rate == VoiceSettings().rate - 20
    voice_window.go_to_attract()  # ...which ends at the goodbye (or an idle logout)
    assert voice.settings == voice.defaults  # the next patient starts from the staff's defaults


def test_without_a_sound_device_each_tone_flashes_and_the_session_goes_on(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, clock: FakeClock
) -> None:
    window = open_window(voice=VoiceParts(tmp_path, device=NullOutput()).build)
    assert not bridge(window).tones_audible
    player = start_session(window, ANN)
    while player.engine.current_step().kind is not StepKind.COUNTDOWN:
        advance_to_next_moment(clock, player)
    before = player.tone_flash.flashes
    while player.tone_flash.flashes == before:
        advance_to_next_moment(clock, player)
    assert player.tone_flash.isVisible()  # the first pip, seen instead of heard
    assert player.tone_flash.timer.isActive()
    assert player.caption.text() == "3"
    with qtbot.waitSignal(player.tone_flash.timer.timeout, timeout=WAIT_MS):
        pass
    assert not player.tone_flash.isVisible()
    for _ in range(10_000):
        if player.engine.state is not SessionState.RUNNING:
            break
        advance_to_next_moment(clock, player)
    assert player.engine.state is SessionState.FINISHED
    tones = [c for c in player.engine.timeline.cues() if c.tone is not None]
    assert player.tone_flash.flashes == len(tones)


def test_a_window_without_a_voice_flashes_too(
    qtbot: QtBot, window: QtKioskWindow, clock: FakeClock
) -> None:
    player = start_session(window, ANN)
    assert not player.sound_button.isVisible()
    while player.engine.current_step().kind is not StepKind.REP:
        advance_to_next_moment(clock, player)
    assert player.tone_flash.flashes == 4  # three pips and go


def test_progress_shows_while_the_voice_is_still_preparing(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, clock: FakeClock
) -> None:
    gate = threading.Event()

    class Held(FakeSynth):
        """A speech engine stuck on its first utterance (until the test lets it go)."""

        def render(self, text: str, path: Path, *, voice: str | None, rate: int) -> None:
            if not self.rendered:
                gate.wait(WAIT_MS / 1000)
            super().render(text, path, voice=voice, rate=rate)

    window = open_window(voice=VoiceParts(tmp_path, synth=Held()).build)
    try:
        player: QtPlayerScreen = start_session(window, ANN)
        advance_to_next_moment(clock, player)  # the session runs on without the voice
        qtbot.waitUntil(player.voice_status.isVisible, timeout=WAIT_MS)
        assert player.voice_status.text().startswith("Preparing the voice")
        gate.set()
        qtbot.waitUntil(lambda: not player.voice_status.isVisible(), timeout=WAIT_MS)
        texts = spoken_texts(player.engine.timeline)
        assert all(bridge(window).service.clip(t) is not None for t in texts)  # type: ignore[union-attr]
    finally:
        gate.set()


def test_the_safety_message_is_said_and_shown_when_it_hurts(
    qtbot: QtBot, voice_window: QtKioskWindow, voice_parts: VoiceParts, clock: FakeClock
) -> None:
    check_in(voice_window, ANN)
    wait_prepared(qtbot, voice_window)
    assert voice_window.visit.program is not None
    tap(voice_window.visit.program.start_button)
    player = voice_window.visit.player
    assert player is not None
    advance_to_next_moment(clock, player)
    spoken_before = len(voice_parts.output.spoken())
    tap(player.hurts_button)
    assert ("stop_speech", None) in voice_parts.output.events
    assert len(voice_parts.output.spoken()) == spoken_before + 1
    assert player.caption.text() == "Stop and rest. Don't push through pain."
    assert player.pain_overlay.isVisible()
