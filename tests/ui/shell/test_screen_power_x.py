"""Screen blanking against a real X server: each test starts its own Xvfb on a free display.

The tests in ``test_unattended.py`` fake ``xset``'s output; these run the real ``xset`` the
kiosk runs and read the server's answer back with ``xset q``. What the real server taught:

* An X server forgets ``xset``'s settings when its last client disconnects (it resets), and
  ``xset`` is a client that disconnects at once. The running kiosk is itself connected, so the
  fixture holds a connection open through Xlib for the whole test, as the kiosk's Qt does.
* Xvfb (21.1, Debian 12) has no DPMS extension, even when asked for with ``+extension DPMS``:
  there the kiosk switches only the screen saver off, and its log line says so.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.ui.shell.screen_power import Inhibitor, ScreenPower, run_command

XVFB = shutil.which("Xvfb")
pytestmark = pytest.mark.skipif(
    XVFB is None, reason="no Xvfb binary (Debian package xvfb; `make test` installs it)"
)

NO_DPMS = "Server does not have the DPMS Extension"
LOGGER = "kiosk.ui.shell.screen_power"


@contextmanager
def xvfb(log: Path, *options: str) -> Iterator[str]:
    """A fresh Xvfb on a display number it picks itself; yields the display name."""
    assert XVFB is not None
    assert shutil.which("xset"), "no xset (Debian package x11-xserver-utils; `make` installs it)"
    read_end, write_end = os.pipe()
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [XVFB, "-displayfd", str(write_end), "-nolisten", "tcp",
             "-screen", "0", "64x64x24", *options],
            pass_fds=(write_end,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=errors,
        )  # fmt: skip
    os.close(write_end)
    try:
        number = b""
        while not number.endswith(b"\n"):  # written once the server accepts connections
            chunk = os.read(read_end, 16)
            assert chunk, f"Xvfb exited before it was ready:\n{log.read_text()}"
            number += chunk
        yield f":{number.decode().strip()}"
    finally:
        os.close(read_end)
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def x_client(display: str) -> Iterator[None]:
    """An X connection held open, as the running kiosk holds one."""
    xlib = ctypes.CDLL("libX11.so.6")  # a dependency of xset and Xvfb
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = xlib.XOpenDisplay(display.encode())
    assert connection, f"could not connect to {display}"
    try:
        yield
    finally:
        xlib.XCloseDisplay(connection)


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    with xvfb(tmp_path / "xvfb.log") as display, x_client(display):
        yield display


def xset(display: str, *args: str) -> str:
    done = subprocess.run(
        ["xset", "-display", display, *args], capture_output=True, text=True, timeout=10,
        check=True,
    )  # fmt: skip
    return done.stdout


def blanking(display: str) -> dict[str, object]:
    """The server's screen saver and DPMS settings, read with ``xset q``."""
    text = xset(display, "q")
    times = re.search(r"timeout:\s*(\d+)\s+cycle:\s*(\d+)", text)
    prefer = re.search(r"prefer blanking:\s*(yes|no)", text)
    dpms = re.search(r"DPMS is (Enabled|Disabled)", text)
    assert times, text
    assert prefer, text
    assert dpms or NO_DPMS in text, text
    return {
        "timeout": int(times.group(1)),
        "cycle": int(times.group(2)),
        "blank": prefer.group(1) == "yes",
        "dpms": dpms.group(1) if dpms else None,
    }


def _no_dbus() -> Inhibitor:
    raise OSError("no D-Bus session bus (X only here)")


@pytest.mark.parametrize("told", ["display argument", "DISPLAY variable"])
def test_a_real_x_screen_stays_on_while_held_and_is_given_back(
    x_display: str, told: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    xset(x_display, "s", "321", "123")  # not the server's default (600 600)
    xset(x_display, "s", "blank")
    before = blanking(x_display)
    assert before["timeout"] == 321
    assert before["cycle"] == 123
    assert before["blank"]

    if told == "DISPLAY variable":  # how the kiosk runs: xset inherits Qt's $DISPLAY
        monkeypatch.setenv("DISPLAY", x_display)
        power = ScreenPower("xcb", dbus=_no_dbus)
    else:
        monkeypatch.delenv("DISPLAY", raising=False)
        power = ScreenPower("xcb", dbus=_no_dbus, display=x_display)

    assert power.inhibit() == "xset"
    held = blanking(x_display)
    assert held["timeout"] == 0
    assert not held["blank"]
    assert held["dpms"] == ("Disabled" if before["dpms"] else None)

    power.restore()
    assert blanking(x_display) == before
    power.restore()  # twice is harmless
    assert blanking(x_display) == before


def test_xvfb_has_no_dpms_so_only_its_screen_saver_is_switched_off(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    sent: list[list[str]] = []

    def run(command: Sequence[str]) -> str:
        sent.append(list(command))
        return run_command(command)

    # Asked for explicitly, DPMS is still missing: Xvfb has no monitor to power down.
    with xvfb(tmp_path / "xvfb.log", "+extension", "DPMS") as display, x_client(display):
        assert NO_DPMS in xset(display, "q")
        power = ScreenPower("xcb", run=run, dbus=_no_dbus, display=display)
        assert power.inhibit() == "xset"
        assert blanking(display) == {"timeout": 0, "cycle": 600, "blank": False, "dpms": None}
        power.restore()
        assert blanking(display) == {"timeout": 600, "cycle": 600, "blank": True, "dpms": None}

    assert not [command for command in sent if "-dpms" in command or "+dpms" in command]
    lines = [record.getMessage() for record in caplog.records if record.name == LOGGER]
    assert lines == [
        "screen blanking inhibited with xset (screen saver only: no DPMS on this X server)"
    ]


def test_the_server_forgets_xset_once_its_last_client_leaves(tmp_path: Path) -> None:
    """Why the kiosk inhibits from inside its own run, not from a launcher script."""
    with xvfb(tmp_path / "xvfb.log") as display:
        defaults = blanking(display)
        xset(display, "s", "321", "123")
        assert blanking(display) == defaults  # nobody stayed connected: the server reset


def test_a_display_that_is_gone_falls_back_and_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with xvfb(tmp_path / "xvfb.log") as display:
        pass  # the X server has stopped: a stale $DISPLAY
    power = ScreenPower("xcb", dbus=_no_dbus, display=display)
    assert power.inhibit() == "none"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "xset failed" in warnings[0]
    assert f'unable to open display "{display}"' in warnings[0]
    assert "no D-Bus session bus" in warnings[0]
    power.restore()  # nothing to give back
