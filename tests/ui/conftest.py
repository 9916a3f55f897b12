"""Kiosk window fixtures, on the demo clinic of tests/clinic.py.

No test sleeps: the session runs on a :class:`FakeClock` that the tests advance, and the
player's update path is called directly (what the deadline timer would do). Every test fails
if it leaves a QTimer running once its window is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.services import KioskServices
from kiosk.ui.shell.app import KioskOptions, create_window
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.timers import TimerFactory, set_factory
from kiosk.ui.visit.player_screen import QtPlayerScreen
from tests.voice.fakes import FakeOutput, FakeSynth
from voice.cache import WavCache
from voice.output import AudioOutput
from voice.renderer import Renderer
from voice.service import VoiceService
from voice.settings import VoiceSettings

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def timers() -> Iterator[TimerFactory]:
    """A fresh timer factory; the test fails if any of its timers is still running at the end."""
    factory = TimerFactory()
    old = set_factory(factory)
    yield factory
    set_factory(old)
    running = [t.objectName() for t in factory.active()]
    assert not running, f"timers left running: {running}"


class VoiceParts:
    """A voice with a fake synthesizer and an output that records what it was asked to play.

    ``device`` stands in for the sound device (default: the recording output); a
    :class:`~voice.output.NullOutput` is a kiosk without one.
    """

    def __init__(
        self, tmp_path: Path, *, device: AudioOutput | None = None, synth: FakeSynth | None = None
    ) -> None:
        self.output = FakeOutput()
        self.device: AudioOutput = device if device is not None else self.output
        self.synth = synth if synth is not None else FakeSynth()
        self.cache = WavCache(tmp_path / "gui-cache", max_bytes=10**8)

    def build(self) -> VoiceService:
        renderer = Renderer(self.cache, [self.synth], clock=FakeClock())
        return VoiceService(VoiceSettings(), self.device, renderer)


OpenWindow = Callable[..., QtKioskWindow]


@pytest.fixture
def open_window(
    qtbot: QtBot,
    timers: TimerFactory,
    services: KioskServices,
    clock: FakeClock,
    wall_clock: Callable[[], datetime],
) -> Iterator[OpenWindow]:
    """Opens kiosk windows on the demo clinic, shown and started up; all close after the test.

    ``open_window(fullscreen=True)`` is a kiosk as installed (only staff mode may close it);
    ``size`` is the screen's; ``voice`` builds the voice (the window is returned once it runs);
    ``services`` replaces the demo clinic (a factory: opened after the first frame, as the
    kiosk opens its own; the window is returned once they have loaded or failed to).
    ``follow_clinic_language``: the clinic's language from Settings, as the installed kiosk
    started without ``--language`` (else the language the test set).
    """
    opened: list[QtKioskWindow] = []

    def open_(
        *,
        fullscreen: bool = False,
        size: tuple[int, int] = (1280, 800),
        voice: Callable[[], VoiceService] | None = None,
        services: KioskServices | Callable[[], KioskServices] = services,
        follow_clinic_language: bool = False,
    ) -> QtKioskWindow:
        window = create_window(
            KioskOptions(fullscreen=fullscreen, size=size),
            clock=clock,
            wall_clock=wall_clock,
            services=services,
            timers=timers,
            voice=voice,
            follow_clinic_language=follow_clinic_language,
        )
        opened.append(window)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.started_up)  # the work deferred past the first frame
        if voice is not None:
            qtbot.waitUntil(lambda: window.voice is not None and window.voice.service is not None)
        return window

    yield open_
    for window in opened:
        window.close_now()


@pytest.fixture
def window(open_window: OpenWindow) -> QtKioskWindow:
    """A development window (``--windowed``) on the demo clinic, without a voice."""
    return open_window()


@pytest.fixture
def voice_parts(tmp_path: Path) -> VoiceParts:
    return VoiceParts(tmp_path)


@pytest.fixture
def voice_window(open_window: OpenWindow, voice_parts: VoiceParts) -> QtKioskWindow:
    """The kiosk window with a voice (fake synthesis, a recording output)."""
    return open_window(voice=voice_parts.build)


def tap(widget: QWidget) -> None:
    """A touch (the touchscreen delivers taps as left-button clicks)."""
    QTest.mouseClick(widget, LEFT)


def check_in(window: QtKioskWindow, code: str) -> None:
    """Touch the attract screen and tap the code on the keypad, then OK; the answer shows."""
    tap(window.attract)
    for digit in code:
        tap(window.checkin.digit_buttons[digit])
    tap(window.checkin.ok_button)
    answer(window)


def answer(window: QtKioskWindow) -> None:
    """The check-in answer's floor passes on the fake clock and its timer fires (what the
    kiosk does 0.6 s after OK: kiosk/ui/runners/answer_floor.py)."""
    floor = window.answer
    if floor is None or not floor.pending:
        return
    clock = floor.clock
    assert isinstance(clock, FakeClock), "answer() needs the window on a FakeClock"
    clock.advance(floor.seconds_left())
    floor.update()


def start_session(window: QtKioskWindow, code: str) -> QtPlayerScreen:
    check_in(window, code)
    assert window.visit.program is not None
    tap(window.visit.program.start_button)
    assert window.visit.player is not None
    return window.visit.player


def advance_to_next_moment(clock: FakeClock, player: QtPlayerScreen) -> None:
    """Move the fake clock to the engine's next deadline and run the update path."""
    deadline = player.engine.next_deadline()
    assert deadline is not None, f"no deadline while {player.engine.state}"
    clock.advance(max(0.0, deadline - clock()))
    player.driver.update()


def state_of(player: QtPlayerScreen) -> SessionState:
    """The engine's state, read through a call so mypy does not carry narrowing across taps."""
    return player.engine.state


def run_until(
    clock: FakeClock, player: QtPlayerScreen, done: Callable[[], bool], limit: int = 10_000
) -> None:
    for _ in range(limit):
        if done() or player.engine.state is not SessionState.RUNNING:
            break
        advance_to_next_moment(clock, player)
    assert done(), "condition not reached"


def run_to_summary(qtbot: QtBot, window: QtKioskWindow, clock: FakeClock) -> None:
    """Run the session on the player to its end, until the summary shows."""
    player = window.visit.player
    assert player is not None
    with qtbot.waitSignal(window.screen_changed, check_params_cb=lambda n: n == "SummaryScreen"):
        run_until(clock, player, lambda: player.engine.state is not SessionState.RUNNING)
