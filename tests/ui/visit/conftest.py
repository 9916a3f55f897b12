"""Helpers for the patient's flow: what the database holds after each tap.

The window, the demo database, the fake clock and the timer check come from
``tests/ui/conftest.py``; these read back what the screens wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ExerciseSession, FeedbackEventRow, SessionStatus
from kiosk.core.clock import FakeClock
from kiosk.core.timeline import Side
from kiosk.services import KioskServices
from kiosk.ui.shell.app import KioskOptions, create_window
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.timers import TimerFactory
from kiosk.ui.visit.player_screen import QtPlayerScreen

if TYPE_CHECKING:
    from voice.service import VoiceService


@dataclass(frozen=True)
class Feedback:
    session_id: int
    kind: str
    value: str
    exercise_index: int | None
    exercise_id: str | None
    set_number: int | None
    side: Side | None
    rep: int | None


def feedback(services: KioskServices, kind: str | None = None) -> list[Feedback]:
    """Every feedback event, oldest first (of one kind if given)."""
    query = select(FeedbackEventRow).order_by(FeedbackEventRow.id)
    if kind is not None:
        query = query.where(FeedbackEventRow.kind == kind)
    with Session(services.database) as session:
        return [
            Feedback(
                r.session_id,
                r.kind,
                r.value,
                r.exercise_index,
                r.exercise_id,
                r.set_number,
                r.side,
                r.rep,
            )
            for r in session.scalars(query)
        ]


def sessions(services: KioskServices) -> list[tuple[int, SessionStatus]]:
    """(id, state) of every session row."""
    query = select(ExerciseSession.id, ExerciseSession.state).order_by(ExerciseSession.id)
    with Session(services.database) as session:
        return [(i, s) for i, s in session.execute(query)]


def player_of(window: QtKioskWindow) -> QtPlayerScreen:
    assert window.visit.player is not None
    return window.visit.player


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The clinic's day in UTC, so "today" means the fake wall clock's day on any machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class VoiceParts:
    """A voice with a fake synthesizer and an output that records what it was asked to play."""

    def __init__(self, tmp_path: Path) -> None:
        from tests.voice.fakes import FakeOutput, FakeSynth
        from voice.cache import WavCache

        self.output = FakeOutput()
        self.synth = FakeSynth()
        self.cache = WavCache(tmp_path / "gui-cache", max_bytes=10**8)

    def build(self) -> VoiceService:
        from voice.renderer import Renderer
        from voice.service import VoiceService
        from voice.settings import VoiceSettings

        renderer = Renderer(self.cache, [self.synth], clock=FakeClock())
        return VoiceService(VoiceSettings(), self.output, renderer)


@pytest.fixture
def voice_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> VoiceParts:
    monkeypatch.setenv("KIOSK_VOICE_CACHE_DIR", str(tmp_path / "voice-cache"))
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "no-such-kiosk.toml"))
    return VoiceParts(tmp_path)


@pytest.fixture
def voice_window(
    qtbot: QtBot,
    voice_parts: VoiceParts,
    timers: TimerFactory,
    services: KioskServices,
    clock: FakeClock,
    wall_clock: Callable[[], datetime],
) -> Iterator[QtKioskWindow]:
    """The kiosk window with a voice (fake synthesis, a recording output)."""
    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)),
        clock=clock,
        wall_clock=wall_clock,
        services=services,
        timers=timers,
        voice=voice_parts.build,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.started_up)
    qtbot.waitUntil(lambda: window.voice is not None and window.voice.service is not None)
    yield window
    window.close()
