"""An installed kiosk cannot be closed or escaped from any patient screen; the screen does not
blank; the cursor can be hidden."""

from __future__ import annotations

import argparse
import logging
import subprocess
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.cli import build_parser
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.ui.shell.app import KioskOptions, create_window, show_window
from kiosk.ui.shell.screen_power import ScreenPower, XsetState
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.timers import TimerFactory
from tests.clinic import ANN, MARIA
from tests.ui.child_kiosk import run_kiosk_script
from tests.ui.conftest import check_in, run_until, start_session, tap
from tests.ui.shell.conftest import idle_of, wait_idle

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
ESCAPES = [
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, ALT),
    (Qt.Key.Key_Q, CTRL),
    (Qt.Key.Key_W, CTRL),
    (Qt.Key.Key_Tab, ALT),
]


@pytest.fixture
def installed(
    qtbot: QtBot,
    timers: TimerFactory,
    services: KioskServices,
    clock: FakeClock,
    wall_clock: Callable[[], datetime],
) -> Iterator[QtKioskWindow]:
    """Fullscreen and frameless, as ``make run`` starts it."""
    options = KioskOptions(fullscreen=True, size=(1280, 800))
    window = create_window(
        options, clock=clock, wall_clock=wall_clock, services=services, timers=timers
    )
    qtbot.addWidget(window)
    show_window(window, options)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.started_up)
    yield window
    window.close_now()


def _keypad(window: QtKioskWindow, clock: FakeClock) -> None:
    tap(window.attract)
    tap(window.checkin.digit_buttons["4"])


def _program(window: QtKioskWindow, clock: FakeClock) -> None:
    check_in(window, MARIA)


def _player(window: QtKioskWindow, clock: FakeClock) -> None:
    start_session(window, ANN)


def _paused_in_pain(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    tap(player.hurts_button)


def _summary(window: QtKioskWindow, clock: FakeClock) -> None:
    player = start_session(window, ANN)
    run_until(clock, player, lambda: window.visit.summary is not None)


def _still_there(window: QtKioskWindow, clock: FakeClock) -> None:
    check_in(window, MARIA)
    wait_idle(clock, window, 90)


SCREENS: dict[str, Callable[[QtKioskWindow, FakeClock], None]] = {
    "keypad": _keypad,
    "program": _program,
    "player": _player,
    "pain": _paused_in_pain,
    "summary": _summary,
    "still-there": _still_there,
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_patient_screen_can_close_or_escape_the_kiosk(
    installed: QtKioskWindow, clock: FakeClock, screen: str
) -> None:
    window = installed
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    SCREENS[screen](window, clock)
    showing = window.current_screen()

    event = QCloseEvent()
    QApplication.sendEvent(window, event)  # the window manager's close, Alt+F4 under a WM
    assert not event.isAccepted()
    assert not window.close()
    for key, modifiers in ESCAPES:
        QTest.keyClick(window, key, modifiers)
    assert window.isVisible()
    assert window.isFullScreen()
    assert window.current_screen() is showing


def test_staff_quit_still_closes_it(installed: QtKioskWindow) -> None:
    installed.close_now()
    assert not installed.isVisible()


# -- screen blanking ---------------------------------------------------------------------------

XSET_Q = """Screen Saver:
  prefer blanking:  yes    allow exposures:  yes
  timeout:  600    cycle:  600
DPMS (Energy Star):
  Standby: 600    Suspend: 600    Off: 600
  DPMS is Enabled
  Monitor is On
"""


class FakeXset:
    def __init__(self, query: str = XSET_Q, fail: bool = False) -> None:
        self.query = query
        self.fail = fail
        self.commands: list[list[str]] = []

    def __call__(self, command: Sequence[str]) -> str:
        self.commands.append(list(command))
        if self.fail:
            raise subprocess.CalledProcessError(1, list(command))
        return self.query if list(command) == ["xset", "q"] else ""


class FakeInhibitor:
    def __init__(self, cookie: int | None = 42) -> None:
        self.cookie = cookie
        self.calls: list[tuple[str, object]] = []

    def inhibit(self, app: str, reason: str) -> int | None:
        self.calls.append(("inhibit", app))
        return self.cookie

    def uninhibit(self, cookie: int) -> None:
        self.calls.append(("uninhibit", cookie))


def _no_dbus() -> FakeInhibitor:
    raise OSError("no D-Bus session bus")


def test_on_x11_xset_switches_blanking_off_and_restores_it() -> None:
    xset = FakeXset()
    power = ScreenPower("xcb", run=xset, which=lambda name: f"/usr/bin/{name}", dbus=_no_dbus)
    assert power.inhibit() == "xset"
    assert xset.commands == [
        ["xset", "q"],
        ["xset", "s", "off"],
        ["xset", "s", "noblank"],
        ["xset", "-dpms"],
    ]
    xset.commands.clear()
    power.restore()
    assert xset.commands == [["xset", "s", "600", "600"], ["xset", "s", "blank"], ["xset", "+dpms"]]
    power.restore()  # twice is harmless
    assert len(xset.commands) == 3


def test_an_x_server_without_dpms_only_loses_its_screen_saver() -> None:
    query = (
        XSET_Q.split("DPMS")[0] + "DPMS (Energy Star):\n  Server does not have the DPMS Extension\n"
    )
    state = XsetState(query)
    assert not state.has_dpms
    xset = FakeXset(query)
    ScreenPower("xcb", run=xset, which=lambda name: "/usr/bin/xset", dbus=_no_dbus).inhibit()
    assert ["xset", "-dpms"] not in xset.commands


def test_without_xset_the_dbus_screensaver_is_inhibited_and_released() -> None:
    inhibitor = FakeInhibitor()
    power = ScreenPower("xcb", run=FakeXset(), which=lambda name: None, dbus=lambda: inhibitor)
    assert power.inhibit() == "dbus"
    power.restore()
    assert inhibitor.calls == [("inhibit", "clinic-gym-kiosk"), ("uninhibit", 42)]


def test_wayland_goes_straight_to_dbus() -> None:
    xset = FakeXset()
    inhibitor = FakeInhibitor()
    power = ScreenPower(
        "wayland", run=xset, which=lambda name: "/usr/bin/xset", dbus=lambda: inhibitor
    )
    assert power.inhibit() == "dbus"
    assert xset.commands == []


def test_when_nothing_works_one_log_line_says_so(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.ui.shell.screen_power")
    power = ScreenPower("xcb", run=FakeXset(fail=True), which=lambda name: "/x", dbus=_no_dbus)
    assert power.inhibit() == "none"
    lines = [r for r in caplog.records if r.name == "kiosk.ui.shell.screen_power"]
    assert len(lines) == 1
    assert lines[0].levelno == logging.WARNING
    assert "xset failed" in lines[0].getMessage()
    assert "no D-Bus" in lines[0].getMessage()
    power.restore()  # nothing to restore: no error


def test_a_refused_dbus_inhibit_is_not_a_success(caplog: pytest.LogCaptureFixture) -> None:
    power = ScreenPower("wayland", dbus=lambda: FakeInhibitor(cookie=None))
    assert power.inhibit() == "none"
    assert "refused" in caplog.text


# -- the command line and the cursor ---------------------------------------------------------


def test_hide_cursor_is_a_command_line_option(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[KioskOptions] = []

    def fake_run(options: KioskOptions) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr("kiosk.ui.shell.app.run", fake_run)
    args = build_parser().parse_args(["--hide-cursor", "--windowed"])
    assert isinstance(args, argparse.Namespace)
    assert args.hide_cursor
    assert args.handler(args) == 0
    assert seen[0].hide_cursor
    assert not seen[0].fullscreen
    assert not build_parser().parse_args([]).hide_cursor


RUN = """
import logging, sys
logging.basicConfig(level=logging.INFO, format="LOG %(name)s %(message)s")
from PySide6.QtGui import QGuiApplication
from kiosk.ui.shell.app import KioskOptions, run
shapes = []

def first_frame():
    cursor = QGuiApplication.overrideCursor()
    shapes.append(cursor.shape().name if cursor is not None else None)

code = run(KioskOptions(db_url=sys.argv[1], create_db=True,
                        fullscreen=True, size=(1280, 800), hide_cursor=True,
                        first_frame_hook=first_frame, quit_after_first_frame=True))
after = QGuiApplication.overrideCursor()
print("CURSOR", shapes, "AFTER", after, flush=True)
sys.exit(code)
"""


def test_an_installed_kiosk_hides_the_cursor_and_keeps_the_screen_on(tmp_path: Path) -> None:
    child = run_kiosk_script(RUN, tmp_path)
    assert "CURSOR ['BlankCursor'] AFTER None" in child.stdout
    # Offscreen there is no screen to keep on: one line says so, after the first frame.
    power_lines = [
        line for line in child.stderr.splitlines() if "kiosk.ui.shell.screen_power" in line
    ]
    assert power_lines == [
        "LOG kiosk.ui.shell.screen_power screen blanking: nothing to keep on (offscreen platform)"
    ]


def test_idle_watch_does_not_filter_events_while_suspended(installed: QtKioskWindow) -> None:
    """A running session pays nothing for the idle watch (no application event filter)."""
    watch = idle_of(installed)
    assert not watch._filtering
    player = start_session(installed, ANN)
    assert not watch._filtering
    tap(player.pause_button)
    assert watch._filtering
