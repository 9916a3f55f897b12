"""SIGTERM and SIGINT stop the kiosk cleanly, whatever its event loop is doing.

Python runs a signal handler only between bytecodes, and Qt's event loop sleeps in C, so on
its own a signal would wait for the next Qt event (a touch, a timer) before anything happened.
``signal.set_wakeup_fd`` makes the C-level handler also write the signal's number to a pipe
that the loop watches (a ``QSocketNotifier``): the loop wakes at once and the kiosk closes as
staff mode's Quit closes it — the running set saved as stopped, the voice's worker ended, the
database closed. (SDL, under pygame's mixer, would otherwise take these signals for an SDL
quit event nobody reads: ``voice.output.sdl_environment`` keeps it from installing its own.)
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
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
        # A pipe, not a socket pair: the same for Qt's notifier, without importing socket
        # (a few ms of the first frame).
        self._reader, self._writer = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._previous_fd = signal.set_wakeup_fd(self._writer, warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _note) for number in signals}
        self._notifier = QSocketNotifier(self._reader, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def close(self) -> None:
        """Give the signals back to whoever had them before."""
        self._notifier.setEnabled(False)
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        self._previous.clear()
        signal.set_wakeup_fd(self._previous_fd)
        os.close(self._reader)
        os.close(self._writer)

    def _on_notifier_activated(self) -> None:
        with contextlib.suppress(BlockingIOError):
            received = os.read(self._reader, 64)
            for number in received:
                if number in self._previous:
                    log.info("%s received: the kiosk closes", signal.Signals(number).name)
                    self.stop_requested.emit()
                    return


def _note(_number: int, _frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do here, the wakeup pipe carries the signal."""
