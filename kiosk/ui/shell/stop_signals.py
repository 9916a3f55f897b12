"""SIGTERM and SIGINT stop the kiosk cleanly, whatever its event loop is doing.

Python runs a signal handler only between bytecodes, and Qt's event loop sleeps in C, so on
its own a signal would wait for the next Qt event (a touch, a timer) before anything happened.
``signal.set_wakeup_fd`` makes the C-level handler also write the signal's number to a socket
that the loop watches (a ``QSocketNotifier``): the loop wakes at once and the kiosk closes as
staff mode's Quit closes it — the running set saved as stopped, the voice's worker ended, the
database closed. (SDL, under pygame's mixer, would otherwise take these signals for an SDL
quit event nobody reads: ``voice.output.sdl_environment`` keeps it from installing its own.)
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Iterable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QtStopSignals(QObject):
    """Turns the stop signals into a Qt signal on the main thread.

    Signals:
        stop_requested(): SIGTERM or SIGINT arrived (logged with its name).
    """

    stop_requested = Signal()

    def __init__(
        self, parent: QObject | None = None, signals: Iterable[signal.Signals] = STOP_SIGNALS
    ) -> None:
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _note) for number in signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def close(self) -> None:
        """Give the signals back to whoever had them before."""
        self._notifier.setEnabled(False)
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        self._previous.clear()
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()

    def _on_notifier_activated(self) -> None:
        with contextlib.suppress(BlockingIOError):
            received = self._reader.recv(64)
            for number in received:
                if number in self._previous:
                    log.info("%s received: the kiosk closes", signal.Signals(number).name)
                    self.stop_requested.emit()
                    return


def _note(_number: int, _frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do here, the wakeup socket carries the signal."""
