"""Writing a session to the database as it happens: each finished set the moment it ends.

:class:`SessionLogger` listens to the session engine and is subscribed before any screen, so a
set is durable before anything reacts to it. A write that fails (a locked or unreachable
database) never loses the set and never stops the coaching: the record waits in memory and is
retried with every later event; if the session ends with writes still failing, the waiting
records go to a JSON-lines journal (:func:`unsaved_journal_path`) and an error is logged.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from datetime import datetime
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from db.connection import APP_NAME
from db.models import SessionStatus
from db.repositories.sessions import SessionLog
from kiosk.core.clock import WallClock
from kiosk.core.events import Event, PainReported, SessionEnded, SetFinished
from kiosk.core.records import PainEvent, SetRecord

log = logging.getLogger(__name__)


class SessionLogger:
    """A listener of one session's engine that logs it set by set (see the module)."""

    def __init__(
        self,
        session_log: SessionLog,
        session_id: int,
        wall_clock: WallClock,
        unsaved_path: Path | None = None,
    ) -> None:
        self._log = session_log
        self.session_id = session_id
        self._wall_clock = wall_clock
        self._unsaved_path = unsaved_path
        self._pending: deque[SetRecord | PainEvent] = deque()

    @property
    def pending(self) -> tuple[SetRecord | PainEvent, ...]:
        return tuple(self._pending)

    def __call__(self, event: Event) -> None:
        if isinstance(event, SetFinished):
            self._pending.append(event.record)
        elif isinstance(event, PainReported):
            self._pending.append(event.event)
        self._flush()
        if isinstance(event, SessionEnded):
            self._end(event)

    def _flush(self) -> None:
        while self._pending:
            item = self._pending[0]
            try:
                if isinstance(item, PainEvent):
                    self._log.log_pain(self.session_id, item)
                else:
                    self._log.log_set(self.session_id, item)
            except Exception:
                log.warning(
                    "session %s: could not write to the database yet; %d record(s) waiting",
                    self.session_id,
                    len(self._pending),
                    exc_info=True,
                )
                return
            self._pending.popleft()

    def _end(self, event: SessionEnded) -> None:
        if self._pending:
            self._save_unsaved()
        self._log.finish(self.session_id, SessionStatus(event.state.value), self._wall_clock())

    def _save_unsaved(self) -> None:
        """Last resort: keep what the database would not take in a file staff can recover."""
        if self._unsaved_path is None:
            log.error("session %s: %d record(s) could not be saved and no journal is set: %r",
                      self.session_id, len(self._pending), list(self._pending))  # fmt: skip
            return
        self._unsaved_path.parent.mkdir(parents=True, exist_ok=True)
        with self._unsaved_path.open("a", encoding="utf-8") as journal:
            for item in self._pending:
                row = {"session_id": self.session_id, "kind": type(item).__name__}
                row.update({k: _jsonable(v) for k, v in vars(item).items()})
                journal.write(json.dumps(row) + "\n")
        log.error(
            "session %s: %d record(s) could not be written to the database; saved to %s",
            self.session_id,
            len(self._pending),
            self._unsaved_path,
        )
        self._pending.clear()


def unsaved_journal_path(database_url: str) -> Path:
    """Where records the database would not take are kept: beside a SQLite file, else in the
    user data directory (a shared PostgreSQL server that is down must not lose this kiosk's sets).
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_suffix(".unsaved.jsonl")
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "unsaved.jsonl"


def _jsonable(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value
