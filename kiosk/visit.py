"""What one visit records besides the sets, and the two ways a visit can begin differently.

Qt-free, like :mod:`kiosk.services` (which builds these): the patient's answers (pain before
and after, how hard an exercise was, a call for staff) go to the session's feedback through a
:class:`FeedbackRecorder` that never raises, because a database hiccup must not freeze a
patient's screen; an interrupted session is offered back as a :class:`ResumeOffer`; and the
single-leg stance check is compiled into an ordinary timeline (:class:`StanceCheck`), so the
engine, the voice and the ring run it unchanged.

Resuming logs into the **same** session row, marked running again (see ``docs/ui.md``): staff
see one session with all its sets, and a ``resumed`` feedback event says when it was picked up
and what state it had been left in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from kiosk.core.records import FeedbackKind, SetRecord, SetStatus
from kiosk.core.resume import ResumePoint, SetKey
from kiosk.core.timeline import Side

if TYPE_CHECKING:
    from db.repositories.sessions import SessionLog
    from kiosk.core.engine import SessionEngine
    from kiosk.core.prescription import Prescription
    from kiosk.core.timeline import Timeline
    from media.schema import Assessment

log = logging.getLogger(__name__)

#: How long after its last set an unfinished session can be carried on (the clinic's day
#: permitting). A constant: the clinic settings have no such setting yet.
RESUME_WITHIN = timedelta(minutes=30)

#: The library's balance check.
STANCE_CHECK_ID = "single-leg-stance"

#: Sets that count as done when carrying on: a set stopped half-way is done again.
_DONE = frozenset({SetStatus.COMPLETED, SetStatus.SKIPPED})


def day_start(day: date) -> datetime:
    """Local midnight of ``day``, aware (the clinic's day, as the staff screens count it)."""
    return datetime.combine(day, time.min).astimezone()


def done_keys(records: Iterable[SetRecord]) -> set[SetKey]:
    """The sets a resumed session does not repeat: completed or skipped, not stopped."""
    return {(r.exercise_index, r.set_number, r.side) for r in records if r.status in _DONE}


@dataclass(frozen=True)
class ResumeOffer:
    """ "Continue with Clamshell, set 2?" — an unfinished session of today's program.

    ``state`` is what the session was left as ("running" after a crash, "stopped",
    "abandoned"); ``earlier`` every set it logged, for the summary's totals.
    """

    session_id: int
    state: str
    point: ResumePoint
    earlier: tuple[SetRecord, ...]

    @property
    def side(self) -> Side | None:
        return self.point.side


class FeedbackRecorder:
    """The patient's answers for one session; a write that fails is logged, never raised."""

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


@dataclass(frozen=True)
class RunningSession:
    """A session ready to start: ``engine.start(from_step)``; answers go to ``feedback``."""

    engine: SessionEngine
    session_id: int
    from_step: int
    feedback: FeedbackRecorder
    earlier: tuple[SetRecord, ...] = ()


@dataclass(frozen=True)
class StanceCheck:
    """The library's balance check as something the engine runs: one hold per side."""

    assessment: Assessment
    prescription: Prescription
    timeline: Timeline

    @property
    def questions(self) -> tuple[str, ...]:
        """What to watch for, asked as yes/no for each side, in the library's words."""
        return self.assessment.watch_for


def stance_check(assessment: Assessment) -> StanceCheck:
    """Compile ``assessment`` (a hold on each side) into a timeline."""
    from kiosk.core.compiler import compile_stance_check
    from kiosk.core.prescription import Prescription

    prescription = Prescription(
        exercise_id=assessment.id,
        name=assessment.name,
        sets=1,
        reps=None,
        hold_s=float(assessment.hold_s),
        tempo=(),
        sides=assessment.sides,
        rest_s=0.0,
        key_points=assessment.safety,  # said in the intro: support close, foot down any time
        position=assessment.position,
    )
    return StanceCheck(assessment, prescription, compile_stance_check(prescription))
