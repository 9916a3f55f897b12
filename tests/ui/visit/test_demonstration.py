"""The demonstration in the real player: the coach moves with the session; clinic videos play
looped and muted, and a broken one falls back to the coach with one warning."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from db.repositories.settings import SettingsRepository
from kiosk.core.clock import FakeClock
from kiosk.core.events import SessionState
from kiosk.core.timeline import StepKind
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit import demonstration as demonstration_module
from kiosk.ui.visit.player_screen import QtPlayerScreen
from media import videos
from media.demo.body import difference
from media.demo.catalog import demonstration
from media.demo.motion import end_of
from media.demo.scene import DemoPalette
from media.demo.solids import SHADE_RANGE, SHADE_STEPS, shade
from tests.clinic import ANN
from tests.paths import REPO_ROOT
from tests.ui.conftest import advance_to_next_moment, run_until, start_session

# Offscreen there is no GPU: Qt says it converts video frames on the CPU, as it should.
NO_RHI = pytest.mark.qt_log_ignore("No RHI backend")


@pytest.fixture(autouse=True)
def video_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty video folder of the test's own; nothing remembered from other tests."""
    folder = tmp_path / "videos"
    folder.mkdir()
    monkeypatch.setenv(videos.ENV_VAR, str(folder))
    monkeypatch.setattr(demonstration_module, "_failed_videos", set())
    monkeypatch.setattr(videos, "_warned_folders", set())
    return folder


def _kind(player: QtPlayerScreen) -> StepKind:
    return player.engine.current_step().kind


def _advance(clock: FakeClock, player: QtPlayerScreen, seconds: float) -> None:
    clock.advance(seconds)
    player.driver.update()


def test_the_coach_moves_in_step_with_the_phases(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    demo_area = player.demo_area
    assert not demo_area.showing_video
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    step = player.engine.current_step()
    raise_span = step.phases[0]
    _advance(clock, player, raise_span.end_s - player.engine.position_s() - 0.01)
    frame = demo_area.frame
    assert frame is not None
    assert frame.demo.exercise_id == "clamshell"
    assert difference(frame.pose, end_of(demonstration("clamshell"), "raise")) < 0.5
    top = frame.pose
    _advance(clock, player, 1.0)  # half-way through "lower"
    assert demo_area.frame is not None
    assert difference(demo_area.frame.pose, top) > 5.0
    # It is painted, with the working left leg in the left colour.
    image = demo_area.grab().toImage()
    pal = DemoPalette()
    shades = {shade(pal.left, k * SHADE_RANGE / SHADE_STEPS, pal) for k in range(-4, 5)}
    left = {QColor(c).rgb() for c in shades}
    assert any(
        image.pixel(x, y) in left
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
    )


def test_the_coach_freezes_while_paused(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    _advance(clock, player, 0.7)
    player.pause_button.click()
    before = player.demo_area.frame
    _advance(clock, player, 5.0)
    player.driver.refreshed.emit()
    assert player.demo_area.frame is not None
    assert before is not None
    assert player.demo_area.frame.pose == before.pose


def _make_clip(path: Path, frames: int = 5) -> Path:
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "make_test_clip.py"), str(path),
         "--frames", str(frames), "--fps", "10"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return path


@NO_RHI
def test_a_clinic_video_plays_looped_and_muted(
    window: QtKioskWindow, clock: FakeClock, qtbot: QtBot, video_folder: Path
) -> None:
    _make_clip(video_folder / "clamshell.mp4", frames=5)  # half a second
    player = start_session(window, ANN)
    demo_area = player.demo_area
    assert demo_area.showing_video
    video = demo_area.video
    assert video is not None
    # Frames come through the QVideoSink; more than the clip holds means it looped.
    qtbot.waitUntil(lambda: video.frames >= 8, timeout=15_000)
    assert video.player.audioOutput() is None  # muted: no audio output at all
    # The session carries on underneath, and the video keeps playing through the steps.
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    assert demo_area.video is video
    assert video.is_playing
    player.pause_button.click()
    assert not video.is_playing
    player.pause_button.click()
    assert video.is_playing


@NO_RHI
@pytest.mark.parametrize(
    ("name", "content"),
    [("clamshell.mp4", b"\x00\x01 not a video " * 300), ("clamshell.webm", b"hello\n")],
)
def test_a_broken_video_falls_back_with_one_warning(
    window: QtKioskWindow,
    clock: FakeClock,
    qtbot: QtBot,
    video_folder: Path,
    caplog: pytest.LogCaptureFixture,
    name: str,
    content: bytes,
) -> None:
    (video_folder / name).write_bytes(content)
    caplog.set_level(logging.WARNING)
    player = start_session(window, ANN)
    demo_area = player.demo_area
    qtbot.waitUntil(lambda: not demo_area.showing_video, timeout=15_000)
    # The session never stopped: the coach took over and the program runs to its end.
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    assert demo_area.frame is not None
    assert demo_area.frame.demo.exercise_id == "clamshell"
    for _ in range(200):
        if player.engine.state is not SessionState.RUNNING:
            break
        advance_to_next_moment(clock, player)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert name in warnings[0].getMessage()


def test_a_missing_video_folder_warns_once_and_shows_the_coach(
    window: QtKioskWindow,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(videos.ENV_VAR, str(tmp_path / "no-such-folder"))
    caplog.set_level(logging.WARNING)
    player = start_session(window, ANN)
    run_until(clock, player, lambda: _kind(player) is StepKind.REP)
    assert not player.demo_area.showing_video
    assert player.demo_area.frame is not None
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "does not exist" in warnings[0].getMessage()


@NO_RHI
def test_the_video_folder_staff_chose_wins_over_the_environments(
    window: QtKioskWindow, clock: FakeClock, qtbot: QtBot, video_folder: Path, tmp_path: Path
) -> None:
    """The settings screen's clinic video folder is where the player looks: a clip there
    plays, though ``$KIOSK_VIDEO_DIR`` (the test's own folder) has none."""
    chosen = tmp_path / "chosen-on-screen"
    chosen.mkdir()
    _make_clip(chosen / "clamshell.mp4", frames=5)
    assert window.services is not None
    SettingsRepository(window.services.database).update("Demo", clinic_video_folder=str(chosen))
    player = start_session(window, ANN)
    video = player.demo_area.video
    assert video is not None
    assert video.path == chosen / "clamshell.mp4"
    assert not (video_folder / "clamshell.mp4").exists()
