"""Keeps the kiosk's screen from blanking while it runs, and gives the setting back on quit.

A patient walking up to a black screen thinks the kiosk is broken, and a touch that only
wakes the screen is a touch lost. Two ways, tried in order:

1. **X11 with ``xset``** (the kiosk under X or Xvfb): the screen saver and DPMS are switched
   off (``xset s off -dpms``, ``xset s noblank``) after reading what they were (``xset q``),
   so quitting restores exactly that. ``xset`` talks to ``$DISPLAY`` (the display Qt's xcb
   platform opened) unless a ``display`` is given. An X server without the DPMS extension
   (Xvfb, some virtual machines) has no monitor power-down to switch off: only its screen
   saver is, and the log line says so. The X server keeps these settings only while some
   client is connected (it resets when its last client leaves), which the running kiosk is.
2. **The freedesktop ScreenSaver D-Bus service** (``org.freedesktop.ScreenSaver.Inhibit``, via
   QtDBus when the session bus has it): the inhibition is released on quit, and by the
   service itself if the kiosk dies.

When neither works (a kiosk compositor without either, the offscreen platform) the kiosk
says so in one log line and runs anyway. Done after the first frame (the window's
``first_painted``), because running ``xset`` costs a few milliseconds of start-up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject

from kiosk.ui.timers import TimerFactory

log = logging.getLogger(__name__)

APP_NAME = "clinic-gym-kiosk"
REASON = "Kiosk on display in the clinic gym"
TIMEOUT_S = 5.0

Runner = Callable[[Sequence[str]], str]
"""Runs a command and returns its output; raises ``OSError`` or ``subprocess`` errors."""


class Inhibitor(Protocol):
    """The D-Bus screen saver service, or a test's stand-in."""

    def inhibit(self, app: str, reason: str) -> int | None: ...

    def uninhibit(self, cookie: int) -> None: ...


def run_command(command: Sequence[str]) -> str:
    import subprocess

    done = subprocess.run(
        list(command), capture_output=True, text=True, timeout=TIMEOUT_S, check=True
    )
    return done.stdout


def _which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


class XsetState:
    """What ``xset q`` said about blanking, to put back on quit."""

    def __init__(self, text: str) -> None:
        blanking = re.search(r"prefer blanking:\s*(yes|no)", text)
        times = re.search(r"timeout:\s*(\d+)\s+cycle:\s*(\d+)", text)
        self.blanking = blanking.group(1) == "yes" if blanking else True
        self.timeout, self.cycle = (int(times.group(1)), int(times.group(2))) if times else (0, 0)
        self.has_dpms = "DPMS is" in text
        self.dpms_enabled = "DPMS is Enabled" in text

    def restore_commands(self, xset: Sequence[str] = ("xset",)) -> list[list[str]]:
        """The commands that put this state back; ``xset`` is the command and its display."""
        commands = [
            [*xset, "s", str(self.timeout), str(self.cycle)],
            [*xset, "s", "blank" if self.blanking else "noblank"],
        ]
        if self.has_dpms:
            commands.append([*xset, "+dpms" if self.dpms_enabled else "-dpms"])
        return commands


class QtDBusInhibitor:
    """``org.freedesktop.ScreenSaver`` on the session bus, through QtDBus."""

    def __init__(self) -> None:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            raise OSError("no D-Bus session bus")
        self._interface = QDBusInterface(
            "org.freedesktop.ScreenSaver",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            bus,
        )
        if not self._interface.isValid():
            raise OSError("no org.freedesktop.ScreenSaver service on the session bus")

    def inhibit(self, app: str, reason: str) -> int | None:
        reply = self._interface.call("Inhibit", app, reason)
        arguments = reply.arguments()
        if reply.errorName() or not arguments:
            return None
        return int(arguments[0])

    def uninhibit(self, cookie: int) -> None:
        self._interface.call("UnInhibit", cookie)


def _dbus_inhibitor() -> Inhibitor:
    return QtDBusInhibitor()


class ScreenPower:
    """Screen blanking, inhibited; :meth:`restore` gives it back (safe to call twice).

    ``method`` says how: ``"xset"``, ``"dbus"`` or ``"none"``. ``display`` is the X display
    ``xset`` works on (``xset -display``); ``None``: ``$DISPLAY``, the one Qt's xcb opened.
    """

    def __init__(
        self,
        platform: str,
        *,
        run: Runner = run_command,
        which: Callable[[str], str | None] = _which,
        dbus: Callable[[], Inhibitor] = _dbus_inhibitor,
        display: str | None = None,
    ) -> None:
        self.platform = platform
        self._xset = ["xset", "-display", display] if display else ["xset"]
        self._run = run
        self._which = which
        self._dbus = dbus
        self.method = "none"
        self._restore: list[list[str]] = []
        self._inhibitor: Inhibitor | None = None
        self._cookie: int | None = None

    def inhibit(self) -> str:
        """Switch blanking off by the first way that works; returns the way (or "none")."""
        reasons: list[str] = []
        if self.platform == "offscreen":
            log.info("screen blanking: nothing to keep on (offscreen platform)")
            return self.method
        if self.platform == "xcb":
            if self._with_xset(reasons):
                return self.method
        else:
            reasons.append(f"not X11 ({self.platform})")
        if self._with_dbus(reasons):
            return self.method
        log.warning(
            "screen blanking could not be inhibited (%s): the screen may blank while the "
            "kiosk waits",
            "; ".join(reasons),
        )
        return self.method

    def _with_xset(self, reasons: list[str]) -> bool:
        if self._which("xset") is None:
            reasons.append("no xset command (Debian: x11-xserver-utils)")
            return False
        try:
            xset = self._xset
            state = XsetState(self._run([*xset, "q"]))
            commands = [[*xset, "s", "off"], [*xset, "s", "noblank"]]
            if state.has_dpms:
                commands.append([*xset, "-dpms"])
            for command in commands:
                self._run(command)
        except Exception as error:  # OSError, CalledProcessError, TimeoutExpired
            said = getattr(error, "stderr", None)  # xset's own words: "unable to open display"
            detail = f" ({said.strip()})" if isinstance(said, str) and said.strip() else ""
            reasons.append(f"xset failed: {error}{detail}")
            return False
        self._restore = state.restore_commands(self._xset)
        self.method = "xset"
        if state.has_dpms:
            log.info("screen blanking inhibited with xset")
        else:
            log.info(
                "screen blanking inhibited with xset (screen saver only: no DPMS on this X server)"
            )
        return True

    def _with_dbus(self, reasons: list[str]) -> bool:
        try:
            inhibitor = self._dbus()
            cookie = inhibitor.inhibit(APP_NAME, REASON)
        except Exception as error:  # ImportError, OSError, a D-Bus error
            reasons.append(f"D-Bus: {error}")
            return False
        if cookie is None:
            reasons.append("D-Bus: Inhibit was refused")
            return False
        self._inhibitor, self._cookie = inhibitor, cookie
        self.method = "dbus"
        log.info("screen blanking inhibited through org.freedesktop.ScreenSaver")
        return True

    def restore(self) -> None:
        """Blanking as it was before :meth:`inhibit` (where that is possible)."""
        commands, self._restore = self._restore, []
        for command in commands:
            try:
                self._run(command)
            except Exception:
                log.warning("could not restore screen blanking: %s", " ".join(command))
        inhibitor, self._inhibitor = self._inhibitor, None
        if inhibitor is not None and self._cookie is not None:
            try:
                inhibitor.uninhibit(self._cookie)
            except Exception:
                log.warning("could not release the screen saver inhibition")
        self._cookie = None


class QtScreenKeeper(QObject):
    """Inhibits blanking once the window's first frame is up; restores it on :meth:`stop`.

    Connect the window's ``first_painted`` to :meth:`start` (emitted from inside the paint
    event: the work is deferred until the frame is out); call :meth:`stop` once the
    application has quit.
    """

    def __init__(self, power: ScreenPower, timers: TimerFactory, parent: QObject | None = None):
        super().__init__(parent)
        self.power = power
        self._timers = timers
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._timers.call_soon(self, "screen-power", self._on_frame_out)

    def _on_frame_out(self) -> None:
        self.power.inhibit()

    def stop(self) -> None:
        self.power.restore()
