"""Work too slow for the UI thread (a PIN hashed or checked: about 0.35 s per scrypt hash,
one per active staff member to keep PINs unique) on a worker, its answer back on Qt's thread.

One :class:`QtSlowWork` per page that needs it; one job at a time (a second is refused while
one runs, so a double tap cannot save twice). The job is a plain callable over the
repositories: it raises what they raise, and the page's ``done`` callback gets the result or
the exception, on the UI thread. An exception the page does not expect is logged by its class
only (a repository's message may hold a staff member's name, never a PIN: PINs are not put in
exceptions anywhere).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance

log = logging.getLogger(__name__)

#: A job's answer: its result, or the exception it raised.
Done = Callable[[object, BaseException | None], None]


class _Job(QRunnable):
    """The callable on a pool thread; deleted by the pool once run (it may hold a PIN)."""

    def __init__(self, work: Callable[[], object], finished: SignalInstance, number: int) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work: Callable[[], object] | None = work
        self._finished = finished
        self._number = number

    def run(self) -> None:
        work, self._work = self._work, None
        assert work is not None
        try:
            result: Any = work()
            error: BaseException | None = None
        except Exception as raised:  # handed to the page, which says it in words
            result, error = None, raised
        self._finished.emit(self._number, result, error)


class QtSlowWork(QObject):
    """Runs one slow job at a time off the UI thread.

    Signals:
        finished(object, object): a job ended (its result, and the exception or None); the
            ``done`` callback given to :meth:`start` has run by the time it is seen.
    """

    finished = Signal(object, object)
    _answered = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._done: Done | None = None
        self._number = 0  # the job whose answer is awaited (an older one's is dropped)
        self._answered.connect(self._on_self_answered)

    @property
    def busy(self) -> bool:
        return self._done is not None

    def start(self, work: Callable[[], object], done: Done) -> bool:
        """Run ``work``; ``done(result, error)`` follows on this thread. False if busy."""
        if self._done is not None:
            return False
        self._done = done
        self._number += 1
        self._pool.start(_Job(work, self._answered, self._number))
        return True

    def wait(self) -> None:
        """Staff mode is closing, or the page is left: let a job in flight end (its answer,
        even if it arrives after a newer job has started, is then dropped)."""
        self._done = None
        self._number += 1
        self._pool.waitForDone(10_000)

    def _on_self_answered(self, number: int, result: object, error: BaseException | None) -> None:
        if number != self._number:  # a job :meth:`wait` gave up on, answering late
            return
        done, self._done = self._done, None
        if done is not None:
            if error is not None and not isinstance(error, ValueError | LookupError):
                log.error("staff work failed: %s", error.__class__.__name__)
            done(result, error)
        self.finished.emit(result, error)
