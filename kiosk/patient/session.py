"""A session ready to start: its engine, its row in the log, and the patient's answers.

:func:`begin_session` is the one way a session starts, fresh or carried on. A fresh session
supersedes any of the patient's sessions still marked running (left by a crash or a walk-away:
they become abandoned); a carried-on one reopens its own row and starts at its first set not
done. Either way the logger is subscribed to the engine first, so a set is in the database
before any screen reacts to it; the caller subscribes its own listeners, then calls
``engine.start(session.from_step)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from db.repositories.sessions import SessionLog
from kiosk.core.clock import Clock
from kiosk.core.engine import SessionEngine
from kiosk.core.records import FeedbackKind, SetRecord
from kiosk.patient.carry_on import ResumeOffer
from kiosk.patient.checkin import CheckIn
from kiosk.patient.feedback import FeedbackRecorder
from kiosk.patient.session_log import SessionLogger


@dataclass(frozen=True)
class RunningSession:
    """A session ready to start: ``engine.start(from_step)``; answers go to ``feedback``."""

    engine: SessionEngine
    session_id: int
    from_step: int
    feedback: FeedbackRecorder
    earlier: tuple[SetRecord, ...] = ()


def begin_session(
    database: Engine,
    checkin: CheckIn,
    clock: Clock,
    wall_clock: Callable[[], datetime],
    *,
    resume: ResumeOffer | None = None,
    unsaved_path: Path | None = None,
) -> RunningSession:
    """A session ready to start at ``from_step``, logged set by set, with its feedback."""
    session_log = SessionLog(database)
    if resume is None:
        session_log.abandon_running_for(checkin.patient.id, wall_clock())
        session_id = session_log.start(checkin.patient.id, checkin.program_id, wall_clock())
    else:
        session_id = resume.session_id
        session_log.reopen(session_id)
    feedback = FeedbackRecorder(session_log, session_id, wall_clock)
    if resume is not None:
        feedback.record(FeedbackKind.RESUMED, resume.state)
    engine = SessionEngine(checkin.timeline, clock=clock, wall_clock=wall_clock)
    engine.subscribe(SessionLogger(session_log, session_id, wall_clock, unsaved_path))
    return RunningSession(
        engine=engine,
        session_id=session_id,
        from_step=resume.point.step_index if resume is not None else 0,
        feedback=feedback,
        earlier=resume.earlier if resume is not None else (),
    )
