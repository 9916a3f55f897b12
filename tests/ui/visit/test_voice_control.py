"""A session controlled by speech alone: fed-in audio, the real recogniser, the real player.

The microphone is the one thing replaced: a source the test speaks into (Piper's voice, made
at test time, through the same listener and recogniser as a microphone's sound)."""

from __future__ import annotations

import logging
import queue
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from db.models import SessionStatus
from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.records import SetStatus
from kiosk.core.timeline import StepKind
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.runners.voice_control import QtVoiceControl
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.player_screen import QtPlayerScreen
from tests.clinic import TOM, saved
from tests.ui.conftest import run_until, start_session, state_of, tap
from tests.ui.visit.conftest import sessions
from voice.commands import Vocabulary
from voice.listening import Utterance
from voice.microphone import NoMicrophoneError

pytest.importorskip("pocketsphinx")
from tests.voice.spoken import said

pytestmark = pytest.mark.slow


class SpokenInto:
    """A microphone the test speaks into; silent (blocking) between phrases."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[bytes | None] = queue.Queue()

    def say(self, pcm: bytes) -> None:
        self.chunks.put(pcm)

    def read(self) -> bytes | None:
        return self.chunks.get()

    def close(self) -> None:
        self.chunks.put(None)


@pytest.fixture
def mic() -> SpokenInto:
    return SpokenInto()


@pytest.fixture
def control(window: QtKioskWindow, mic: SpokenInto) -> Iterator[QtVoiceControl]:
    control = QtVoiceControl(Vocabulary.from_catalog(t), lambda: mic, parent=window)
    window.use_voice_control(control)
    yield control
    control.stop()


def listening(qtbot: QtBot, window: QtKioskWindow, control: QtVoiceControl) -> QtPlayerScreen:
    player = start_session(window, TOM)
    qtbot.waitUntil(lambda: control.state == "listening", timeout=10_000)
    assert player.mic_status.text() == t("voice_control.listening")
    assert player.say_hint.isVisible()
    assert player.say_hint.text().startswith("You can say: “wait”, “carry on”")
    return player


def say(qtbot: QtBot, control: QtVoiceControl, mic: SpokenInto, phrase: str) -> Utterance:
    with qtbot.waitSignal(control.heard, timeout=10_000) as blocker:
        mic.say(said(phrase))
    utterance = blocker.args[0]
    assert isinstance(utterance, Utterance)
    return utterance


def test_a_whole_session_by_voice_records_what_touches_would(
    qtbot: QtBot,
    window: QtKioskWindow,
    services: KioskServices,
    clock: FakeClock,
    control: QtVoiceControl,
    mic: SpokenInto,
) -> None:
    player = listening(qtbot, window, control)
    run_until(clock, player, lambda: player.engine.current_step().rep == 2)

    heard = say(qtbot, control, mic, "pause")
    assert state_of(player) is SessionState.PAUSED, heard
    assert player.mic_status.text() == t("voice_control.heard", what="pause")
    assert player.pause_button.text() == t("player.resume")

    say(qtbot, control, mic, "carry on")
    assert state_of(player) is SessionState.RUNNING

    player.caption.setText("")
    say(qtbot, control, mic, "say again")
    assert player.caption.text()  # the latest instruction, shown (and said) again

    say(qtbot, control, mic, "it hurts")
    assert state_of(player) is SessionState.PAIN
    assert player.pain_overlay.isVisible()  # exactly what the It hurts button does
    say(qtbot, control, mic, "carry on")
    assert state_of(player) is SessionState.RUNNING

    before = player.engine.current_step()
    assert before.kind is StepKind.REP
    say(qtbot, control, mic, "next exercise")
    after = player.engine.current_step()
    assert after.index > before.index
    assert after.kind is not StepKind.REP

    say(qtbot, control, mic, "stop session")
    assert player.stop_overlay.isVisible()  # it only asks
    assert state_of(player) is SessionState.PAUSED
    assert player.stop_overlay.body.text() == t("voice_control.confirm_stop", yes="yes")
    with qtbot.waitSignal(window.screen_changed):
        say(qtbot, control, mic, "yes")
    assert window.visit.summary is not None

    assert sessions(services) == [(1, SessionStatus.STOPPED)]
    log = SessionLog(saved(services))
    assert len(log.pains_for(1)) == 1
    # "next exercise" left the set as the Next button does; stopped between sets, none open.
    assert [(r.status, r.reps_done) for r in log.sets_for(1)] == [(SetStatus.SKIPPED, 1)]


def test_a_stop_heard_by_mistake_never_ends_the_session(
    qtbot: QtBot,
    window: QtKioskWindow,
    services: KioskServices,
    control: QtVoiceControl,
    mic: SpokenInto,
) -> None:
    player = listening(qtbot, window, control)
    say(qtbot, control, mic, "yes")  # a stray "yes": there is no question to answer
    assert state_of(player) is SessionState.RUNNING
    assert not player.stop_overlay.isVisible()
    say(qtbot, control, mic, "stop session")
    assert player.stop_overlay.isVisible()
    say(qtbot, control, mic, "carry on")  # anything but yes keeps going
    assert not player.stop_overlay.isVisible()
    assert state_of(player) is SessionState.RUNNING
    assert sessions(services) == [(1, SessionStatus.RUNNING)]


def test_speech_that_is_not_a_command_says_not_understood(
    qtbot: QtBot, window: QtKioskWindow, control: QtVoiceControl, mic: SpokenInto
) -> None:
    player = listening(qtbot, window, control)
    utterance = say(qtbot, control, mic, "text me when you get home")
    assert utterance.heard.command is None
    assert player.mic_status.text() == t("voice_control.not_understood")
    assert state_of(player) is SessionState.RUNNING


def test_without_a_microphone_the_session_goes_on_by_touch(
    qtbot: QtBot, window: QtKioskWindow, caplog: pytest.LogCaptureFixture
) -> None:
    def no_microphone() -> SpokenInto:
        raise NoMicrophoneError("no microphone found")

    control = QtVoiceControl(Vocabulary.from_catalog(t), no_microphone, parent=window)
    window.use_voice_control(control)
    with caplog.at_level(logging.WARNING):
        player = start_session(window, TOM)
        qtbot.waitUntil(lambda: control._thread is not None and not control._thread.is_alive())
    qtbot.waitUntil(lambda: player.mic_status.text() == t("voice_control.off"))
    assert not player.say_hint.isVisible()
    (line,) = [r.getMessage() for r in caplog.records if "voice control" in r.getMessage()]
    assert line == "voice control off: no microphone found"
    tap(player.pause_button)
    assert state_of(player) is SessionState.PAUSED
    control.stop()
