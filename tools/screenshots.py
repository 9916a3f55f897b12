"""Screenshots of every kiosk screen, from the real app in a real X server (``make screenshots``).

For each screen size this starts its own ``Xvfb`` (no window manager, like a bare kiosk),
runs the kiosk in it against a temporary demo database, walks a patient's path with a fake
clock (so every state is reached exactly and instantly), and grabs the whole X screen — which
also shows whether the frameless window really covers it. Output:
``docs/screenshots/<W>x<H>/<NN>-<screen>.png``.

Usage: ``python tools/screenshots.py [--size 1920x1080 ...] [--out docs/screenshots]
[--language es]`` (``make screenshots LANGUAGE=es``): another language goes into
``docs/screenshots/<language>/<W>x<H>/``; for Spanish git keeps the patient screens only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402

from kiosk.core.clock import FakeClock  # noqa: E402
from kiosk.core.events import SessionState  # noqa: E402
from kiosk.core.timeline import StepKind, Tone  # noqa: E402
from kiosk.services import KioskServices  # noqa: E402
from kiosk.ui.shell.app import KioskOptions, create_window, ensure_application, show_window  # noqa: E402
from kiosk.ui.shell.window import QtKioskWindow  # noqa: E402
from kiosk.ui.visit.player_screen import QtPlayerScreen  # noqa: E402
from voice.service import VoiceService  # noqa: E402

SIZES = ((1920, 1080), (1280, 800))
SETTLE_MS = 120


# -- parent: one Xvfb per size ---------------------------------------------------------------


def _start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a free display; ``-displayfd`` reports which, so nothing is guessed."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        raise RuntimeError("Xvfb did not start (is the xvfb package installed?)")
    return xvfb, f":{number}"


def _shoot_size(width: int, height: int, out: Path, language: str) -> int:
    xvfb, display = _start_xvfb(width, height)
    try:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        command = [sys.executable, __file__, "--child", f"{width}x{height}", "--out", str(out)]
        command += ["--language", language]
        return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


# -- child: the kiosk itself, walked through its screens -----------------------------------


class _Session:
    """Moves a running session's fake clock to exact states of the player."""

    def __init__(self, clock: FakeClock, player: QtPlayerScreen) -> None:
        self.clock = clock
        self.player = player
        self.engine = player.engine

    def kind(self) -> StepKind:
        return self.engine.current_step().kind

    def until(self, done: Callable[[], bool]) -> None:
        """Jump from moment to moment (the engine's deadlines) until ``done()``."""
        for _ in range(5000):
            if done():
                return
            deadline = self.engine.next_deadline()
            if deadline is None:
                raise RuntimeError(f"stuck while {self.engine.state}")
            self.clock.advance(max(0.0, deadline - self.clock()))
            self.player.driver.update()
        raise RuntimeError("state not reached")

    def until_kind(self, kind: StepKind, rep: int | None = None) -> None:
        self.until(
            lambda: self.kind() is kind and (rep is None or self.engine.current_step().rep == rep)
        )

    def into_step(self, fraction: float) -> None:
        """Part-way through the current step, so the ring shows a partial arc."""
        step = self.engine.current_step()
        target = step.start_s + step.duration_s * fraction  # timeline time
        while True:
            target_clock = self.clock() + (target - self.engine.position_s())
            deadline = self.engine.next_deadline()
            if deadline is None or deadline > target_clock:
                self.clock.advance(max(0.0, target_clock - self.clock()))
                self.player.driver.update()
                return
            self.clock.advance(max(0.0, deadline - self.clock()))
            self.player.driver.update()


class Shooter(Protocol):
    """What a walk needs: ``shoot(name)`` at each state, and a way to wait for the kiosk."""

    def __call__(self, name: str) -> None: ...

    def settle(self) -> None: ...

    def wait_for(self, done: Callable[[], bool], limit_s: float = 30.0) -> None: ...


class _Shooter:
    """Grabs the whole X screen into numbered PNGs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []

    def settle(self) -> None:
        loop = QEventLoop()
        QTimer.singleShot(SETTLE_MS, loop.quit)
        loop.exec()

    def wait_for(self, done: Callable[[], bool], limit_s: float = 30.0) -> None:
        for _ in range(int(limit_s * 1000 / SETTLE_MS)):
            if done():
                return
            self.settle()
        raise RuntimeError("timed out waiting for the kiosk")

    def __call__(self, name: str) -> None:
        self.settle()
        screen = QGuiApplication.primaryScreen()
        path = self.folder / f"{len(self.names) + 1:02d}-{name}.png"
        screen.grabWindow(0).save(str(path))
        self.names.append(path.name)


def _check_in(window: QtKioskWindow, code: str) -> None:
    window.go_to_checkin()
    for digit in code:
        window.checkin.digit_buttons[digit].click()
    window.checkin.ok_button.click()
    from screenshots_patient import answer_now  # tools/: the answer's floor, on the fake clock

    answer_now(window)


def _start(window: QtKioskWindow, clock: FakeClock, code: str, shoot: Shooter) -> _Session:
    _check_in(window, code)
    assert window.visit.program is not None
    voice = window.voice
    if voice is not None:  # every cue rendered, as when a patient reads their program first
        shoot.wait_for(lambda: voice.progress[1] > 0 and voice.progress[0] == voice.progress[1])
    window.visit.program.start_button.click()
    assert window.visit.player is not None
    return _Session(clock, window.visit.player)


def _walk(window: QtKioskWindow, clock: FakeClock, shoot: Shooter) -> None:
    shoot("attract")
    window.attract.touched.emit()
    shoot("keypad-empty")
    for digit in "5519":
        window.checkin.digit_buttons[digit].click()
    shoot("keypad-digits")
    _check_in(window, "123456")
    shoot("keypad-wrong-code")
    for code, name in (("482913", "maria"), ("305718", "jk"), ("551937", "ann"), ("716254", "tom")):
        _check_in(window, code)
        shoot(f"program-{name}")
        assert window.visit.program is not None
        window.visit.program.back_button.click()

    # Tom's standing program has reps, a rest, a side switch and a 30 s hold.
    session = _start(window, clock, "716254", shoot)
    player = session.player
    session.into_step(0.3)
    shoot("player-intro")
    session.until_kind(StepKind.COUNTDOWN)
    session.into_step(0.75)
    shoot("player-countdown")
    session.until_kind(StepKind.REP, rep=3)
    session.into_step(0.3)
    shoot("player-rep")
    session.until_kind(StepKind.REST)
    session.into_step(0.4)
    shoot("player-rest")
    session.until_kind(StepKind.SWITCH_SIDE)
    session.into_step(0.3)
    shoot("player-switch-side")
    session.until_kind(StepKind.HOLD)
    session.into_step(0.4)
    shoot("player-hold")
    player.sound_button.click()
    shoot("player-sound-settings")
    player.sound_panel.done_button.click()
    player.tone_flash.flash(Tone.PIP)  # what a patient sees on each tone when nothing is heard
    player.tone_flash.timer.stop()  # held for the shot
    shoot("player-tone-flash")
    player.tone_flash.stop()
    player._on_voice_progress_changed(12, 40)  # a session started before its voice was ready
    shoot("player-voice-preparing")
    player._on_voice_progress_changed(40, 40)
    player.pause_button.click()
    shoot("player-paused")
    player.pause_button.click()
    player.hurts_button.click()
    shoot("player-pain")
    player.pain_overlay.resume_button.click()
    player.stop_button.click()
    shoot("player-stop-confirm")
    player.stop_overlay.first_button.click()
    assert window.visit.summary is not None
    window.visit.summary.skip_button.click()  # pain now: skipped (tools/screenshots_patient.py)
    shoot("summary-stopped")
    window.visit.summary.done_button.click()

    # Ann's short try-out, run to the end.
    session = _start(window, clock, "551937", shoot)
    session.until(lambda: session.engine.state is not SessionState.RUNNING)
    assert window.visit.summary is not None
    window.visit.summary.skip_button.click()
    shoot("summary-finished")
    window.visit.summary.done_button.click()  # the goodbye, then the attract screen
    window.go_to_attract()
    shoot("attract-again")


def walk_everything(
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    shoot: Shooter,
    folder: Path,
) -> None:
    """Every screen and state, patient then staff, calling ``shoot(name)`` at each."""
    _walk(window, clock, shoot)
    from screenshots_patient import walk_patient  # tools/: the visit, complete (issue 5)

    walk_patient(window, clock, shoot)
    from screenshots_shell import walk_shell  # tools/: idle logout and lockout (issue 5)

    walk_shell(window, clock, shoot)
    from screenshots_staff import walk_staff  # tools/: the staff screens (issue 6)

    walk_staff(window, services, shoot, folder)
    from screenshots_shell import walk_out_of_order  # tools/: the database's bad day (issue 11)

    walk_out_of_order(window, services, shoot)
    from screenshots_shell import walk_setup  # tools/: a kiosk with no staff member yet

    walk_setup(window, services, shoot)


def _screenshot_voice(folder: Path) -> Callable[[], VoiceService]:
    """The real voice (espeak-ng, a cache in the temporary folder) on SDL's dummy driver: the
    tones "play" silently, so a flash shows only where a shot asks for one."""

    def build() -> VoiceService:
        os.environ["SDL_AUDIODRIVER"] = "dummy"
        from voice.service import VoiceService
        from voice.settings import Backend, VoiceSettings

        settings = VoiceSettings(backend=Backend.ESPEAK_NG, cache_dir=folder / "voice")
        return VoiceService.open(settings)

    return build


def _child(size: str, out: Path, language: str) -> int:
    from kiosk import text

    text.use(language)
    width, height = (int(part) for part in size.split("x"))
    folder = out / size if language == text.REFERENCE else out / language / size
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()

    app = ensure_application()
    clock = FakeClock()
    wall_start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def wall_clock() -> datetime:
        return wall_start + timedelta(seconds=clock() - 1000.0)

    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as tmp:
        services = KioskServices.open(f"sqlite:///{tmp}/kiosk.sqlite3", create=True, demo_data=True)
        options = KioskOptions(fullscreen=True)
        window = create_window(
            options,
            clock=clock,
            wall_clock=wall_clock,
            services=services,
            voice=_screenshot_voice(Path(tmp)),
        )
        show_window(window, options)
        shoot = _Shooter(folder)
        shoot.settle()
        shoot.wait_for(lambda: window.voice is not None and window.voice.service is not None)
        geometry = window.geometry()
        if (geometry.width(), geometry.height()) != (width, height):
            print(f"window {geometry.width()}x{geometry.height()} on a {size} screen")
            return 1
        walk_everything(window, clock, services, shoot, Path(tmp))
        window.close_now()  # a fullscreen kiosk only closes from staff mode
        services.close()
        app.processEvents()
    print(f"{size}: {len(shoot.names)} screenshots in {folder.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", help="WIDTHxHEIGHT (repeatable)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--language",
        default="en",
        help="the catalog language (other than en: into OUT/LANGUAGE/WxH; try pseudo)",
    )
    parser.add_argument("--child", metavar="WxH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.out, args.language)
    sizes = [tuple(int(p) for p in s.split("x")) for s in args.size] if args.size else SIZES
    status = 0
    for width, height in sizes:
        status |= _shoot_size(width, height, args.out, args.language)
    if args.language != "en":
        return status  # the demonstrations have no words
    # Every exercise's demonstration, phase by phase and side by side (offscreen, no Xvfb).
    sheets = [
        sys.executable,
        str(ROOT / "tools" / "demo_sheets.py"),
        "--out",
        str(args.out / "demos"),
    ]
    status |= subprocess.run(sheets, cwd=ROOT, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
