"""The patient's answers during one session: pain before and after, how hard an exercise was,
a call for staff, a session carried on.

A write that fails is logged, never raised: a database hiccup must not freeze a patient's
screen in the middle of a tap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from db.repositories.sessions import SessionLog
from kiosk.core.records import FeedbackKind
from kiosk.core.timeline import Side

log = logging.getLogger(__name__)


class FeedbackRecorder:
    """The patient's answers for one session, written as they are given."""

    def __init__(
        self, session_log: SessionLog, session_id: int, wall_clock: Callable[[], datetime]
    ) -> None:
        self._log = session_log
        self.session_id = session_id
        self._wall_clock = wall_clock

    def record(
        self,
        kind: FeedbackKind,
        value: str,
        *,
        exercise_index: int | None = None,
        exercise_id: str | None = None,
        set_number: int | None = None,
        side: Side | None = None,
        rep: int | None = None,
    ) -> bool:
        """Write one answer now; False (and a log line) if the database would not take it."""
        try:
            self._log.log_feedback(
                self.session_id,
                kind,
                value,
                self._wall_clock(),
                exercise_index=exercise_index,
                exercise_id=exercise_id,
                set_number=set_number,
                side=side,
                rep=rep,
            )
        except Exception:
            log.exception("session %s: could not save feedback %s=%r", self.session_id, kind, value)
            return False
        return True
