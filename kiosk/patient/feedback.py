"""The patient's answers during one session: pain before and after, how hard an exercise was,
a call for staff, a session carried on.

Each answer is handed to the writer (``writer.py``) and kept in its journal at once; the
database gets it from the writer's thread, so a slow or locked database never holds up the
patient's tap.
"""

from __future__ import annotations

from kiosk.core.clock import WallClock
from kiosk.core.records import FeedbackKind
from kiosk.core.timeline import Side
from kiosk.patient.writer import SessionWriter
from kiosk.patient.writes import LogFeedback, SessionRef


class FeedbackRecorder:
    """The patient's answers for one session, recorded as they are given."""

    def __init__(self, writer: SessionWriter, session: SessionRef, wall_clock: WallClock) -> None:
        self._writer = writer
        self.session = session
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
    ) -> None:
        """Record one answer now (the writer saves it; see the module docstring)."""
        self._writer.submit(
            LogFeedback(
                self.session,
                kind,
                value,
                self._wall_clock(),
                exercise_index=exercise_index,
                exercise_id=exercise_id,
                set_number=set_number,
                side=side,
                rep=rep,
            )
        )
