"""The session writer's status on the Qt thread: how many records wait for the database.

The writer (``kiosk/patient/writer.py``) tells its listeners from whichever thread changed
it, often its own; this bridge re-emits each status on the Qt thread through a queued signal,
so the attract screen and the staff board can show "2 sets waiting to be saved" until the
database has them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.patient.journal import Journal
from kiosk.patient.writer import SessionWriter, WriterStatus
from kiosk.text import tn


class QtWriterStatus(QObject):
    """Signals:
    changed(object): a :class:`~kiosk.patient.writer.WriterStatus`, on the Qt thread.
    """

    changed = Signal(object)
    _arrived = Signal(object)  # from any thread; delivered queued to this object's thread

    def __init__(self, writer: SessionWriter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = writer
        self.status = writer.status()
        self._arrived.connect(self._on_self_arrived, Qt.ConnectionType.QueuedConnection)
        writer.add_listener(self._on_writer_changed)

    @property
    def journal(self) -> Journal | None:
        """Where the writer keeps what the database lacks (an erasure drops a patient's)."""
        return self._writer.journal

    def close(self) -> None:
        self._writer.remove_listener(self._on_writer_changed)

    def _on_writer_changed(self, status: WriterStatus) -> None:
        self._arrived.emit(status)

    def _on_self_arrived(self, status: WriterStatus) -> None:
        # The latest word: a status queued earlier may arrive after a newer one was read.
        self.status = self._writer.status()
        self.changed.emit(self.status)


def waiting_text(status: WriterStatus) -> str:
    """ "2 sets waiting to be saved" (or records, when no set waits); "" when all is saved."""
    if status.sets_waiting:
        return tn("writer.sets_waiting", status.sets_waiting, count=status.sets_waiting)
    if status.waiting:
        return tn("writer.records_waiting", status.waiting, count=status.waiting)
    return ""
