"""Telling a service manager (systemd) how the kiosk is doing: ready, alive, stopping.

Under ``Type=notify`` the kiosk says ``READY=1`` once its first frame is on the screen, and,
when the unit sets ``WatchdogSec=``, ``WATCHDOG=1`` at half that interval from a timer on the
Qt main thread: a frozen event loop (a screen that no longer answers a touch) stops the pings
and systemd restarts the kiosk. The kiosk runs as a child of the ``cage`` compositor, the
unit's main process, so ``WATCHDOG_PID`` (cage's pid) is not checked: the unit's
``NotifyAccess=all`` lets a child speak for it. Nothing happens without ``NOTIFY_SOCKET``.

The protocol is one datagram per message to a unix socket (``@`` at the start of the path
means Linux's abstract namespace): ten lines, no library needed.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QObject

from kiosk.ui.timers import TimerFactory

log = logging.getLogger(__name__)

NOTIFY_SOCKET_ENV = "NOTIFY_SOCKET"
WATCHDOG_USEC_ENV = "WATCHDOG_USEC"


def notify(message: str) -> bool:
    """Send ``message`` (e.g. ``READY=1``) to the service manager; False if there is none or
    it could not be reached (logged once per failure, never raised: the kiosk runs on)."""
    address = os.environ.get(NOTIFY_SOCKET_ENV, "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        import socket  # only under a service manager: not on the way to the first frame

        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError as error:
        log.warning("could not tell the service manager %r: %s", message, error)
        return False
    return True


def watchdog_interval_ms() -> int | None:
    """Half the unit's watchdog interval, in ms; None when there is no watchdog."""
    try:
        usec = int(os.environ.get(WATCHDOG_USEC_ENV, ""))
    except ValueError:
        return None
    return max(1, usec // 2000) if usec > 0 else None


class QtServiceNotifier(QObject):
    """READY after the first frame, then the watchdog's pings, then STOPPING."""

    def __init__(self, timers: TimerFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval_ms = watchdog_interval_ms()
        self.watchdog = timers.create(self, "service-watchdog")
        self.watchdog.timeout.connect(self._on_watchdog_timeout)
        self.pings = 0

    def ready(self) -> None:
        """The first frame is on the screen (connect ``QtKioskWindow.first_painted``)."""
        if not notify("READY=1"):
            return
        if self._interval_ms is not None:
            self.watchdog.start(self._interval_ms)
            log.info("watchdog: a ping every %d ms", self._interval_ms)

    def stopping(self) -> None:
        self.watchdog.stop()
        notify("STOPPING=1")

    def _on_watchdog_timeout(self) -> None:
        if notify("WATCHDOG=1"):
            self.pings += 1
