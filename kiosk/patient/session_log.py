"""A session's records, from its engine to the writer: each finished set the moment it ends.

:class:`SessionLogger` listens to the session engine and is subscribed before any screen, so
a set is in the journal (and queued for the database) before anything reacts to it. It never
touches the database itself: the writer does, off the engine's path (``writer.py``), so a
locked or full database can delay a record but never the clock, the voice or the screen.

The session is recorded as finished when its last set ends, not only when the "well done"
that follows it is over: a kiosk switched off during the goodbye has still seen every set done.
"""

from __future__ import annotations

from db.models import SessionStatus
from kiosk.core.clock import WallClock
from kiosk.core.events import Event, PainReported, SessionEnded, SetFinished
from kiosk.core.records import SetRecord
from kiosk.core.schedule import WORK_KINDS
from kiosk.core.timeline import Timeline
from kiosk.patient.writer import SessionWriter
from kiosk.patient.writes import FinishSession, LogPain, LogSet, SessionRef

SetKey = tuple[int | None, int | None, object]


def last_set_of(timeline: Timeline) -> SetKey | None:
    """The (exercise, set, side) of the timeline's last set of work, if it has one."""
    for step in reversed(timeline.steps):
        if step.kind in WORK_KINDS:
            return (step.exercise_index, step.set, step.side)
    return None


def _key(record: SetRecord) -> SetKey:
    return (record.exercise_index, record.set_number, record.side)


class SessionLogger:
    """A listener of one session's engine that hands each record to the writer."""

    def __init__(
        self,
        writer: SessionWriter,
        session: SessionRef,
        timeline: Timeline,
        wall_clock: WallClock,
    ) -> None:
        self._writer = writer
        self.session = session
        self._wall_clock = wall_clock
        self._last_set = last_set_of(timeline)
        self._finished = False

    def __call__(self, event: Event) -> None:
        if isinstance(event, SetFinished):
            logged = LogSet(self.session, event.record)
            if _key(event.record) == self._last_set and not self._finished:
                self._finished = True
                ended = FinishSession(self.session, SessionStatus.FINISHED, event.record.ended_at)
                self._writer.submit(logged, ended)  # kept together: never one without the other
            else:
                self._writer.submit(logged)
        elif isinstance(event, PainReported):
            self._writer.submit(LogPain(self.session, event.event))
        elif isinstance(event, SessionEnded) and not self._finished:
            self._finished = True
            state = SessionStatus(event.state.value)
            self._writer.submit(FinishSession(self.session, state, self._wall_clock()))
