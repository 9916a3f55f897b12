"""A session ready to start: its engine, its place in the log, and the patient's answers.

:func:`begin_session` is the one way a session starts, fresh or carried on. It writes nothing
itself: the start (which supersedes any of the patient's sessions left "running" by a crash or
a walk-away) or the carry-on (the same row, running again) goes to the writer like every
record after it, so a database that is slow or away cannot keep the patient waiting at Start.
The logger is subscribed to the engine first, so a set is kept before any screen reacts to it;
the caller subscribes its own listeners, then calls ``engine.start(session.from_step)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.types import new_uid
from kiosk.core.clock import Clock, WallClock
from kiosk.core.engine import ANNOUNCE_AHEAD_S, SessionEngine
from kiosk.core.records import FeedbackKind, SetRecord
from kiosk.patient.carry_on import ResumeOffer
from kiosk.patient.checkin import CheckIn
from kiosk.patient.feedback import FeedbackRecorder
from kiosk.patient.session_log import SessionLogger
from kiosk.patient.writer import SessionWriter
from kiosk.patient.writes import ReopenSession, SessionRef, StartSession


class TooMuchWaitingError(RuntimeError):
    """So many records wait for the database that no new session should start."""


@dataclass(frozen=True)
class RunningSession:
    """A session ready to start: ``engine.start(from_step)``; answers go to ``feedback``."""

    engine: SessionEngine
    session: SessionRef
    from_step: int
    feedback: FeedbackRecorder
    earlier: tuple[SetRecord, ...] = ()


def begin_session(
    writer: SessionWriter,
    checkin: CheckIn,
    clock: Clock,
    wall_clock: WallClock,
    *,
    resume: ResumeOffer | None = None,
) -> RunningSession:
    """A session ready to start at ``from_step``, logged set by set, with its feedback.

    Raises :class:`TooMuchWaitingError` when the writer already holds so much that the
    database has plainly been away for hours (staff see why on screen).
    """
    if not writer.accepting_sessions:
        raise TooMuchWaitingError(f"{writer.status().waiting} records wait for the database")
    if resume is None:
        session = SessionRef(new_uid())
        writer.submit(StartSession(session, checkin.patient.id, checkin.program_id, wall_clock()))
    else:
        session = SessionRef(resume.session_uid)
        writer.submit(ReopenSession(session))
    feedback = FeedbackRecorder(writer, session, wall_clock)
    if resume is not None:
        feedback.record(FeedbackKind.RESUMED, resume.state)
    engine = SessionEngine(
        checkin.timeline, clock=clock, wall_clock=wall_clock, lead_s=ANNOUNCE_AHEAD_S
    )
    engine.subscribe(SessionLogger(writer, session, checkin.timeline, wall_clock))
    return RunningSession(
        engine=engine,
        session=session,
        from_step=resume.point.step_index if resume is not None else 0,
        feedback=feedback,
        earlier=resume.earlier if resume is not None else (),
    )
