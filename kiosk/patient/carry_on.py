"""Carrying on an interrupted session: "Continue with Clamshell, set 2?".

A patient who checks in again within :data:`RESUME_WITHIN` of an unfinished session of today's
program is offered to carry on where it stopped. Carrying on logs into the **same** session
row, marked running again (see ``docs/ui.md``): staff see one session with all its sets, and a
``resumed`` feedback event says when it was picked up and in what state it had been left.
Where in the timeline it picks up is :mod:`kiosk.core.resume`'s rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine

from db.repositories.sessions import SessionLog
from kiosk.core.records import SetRecord, SetStatus
from kiosk.core.resume import ResumePoint, SetKey, resume_point
from kiosk.core.timeline import Side, Timeline

#: How long after its last set an unfinished session can be carried on (the clinic's day
#: permitting). A constant: the clinic settings have no such setting yet.
RESUME_WITHIN = timedelta(minutes=30)

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
    """An unfinished session of today's program that the patient may carry on.

    ``session_uid`` names the session for the writes that carry it on (its row id could
    belong to another session by the time they reach a restored database); ``state`` is what
    the session was left as ("running" after a crash, "stopped", "abandoned"); ``earlier``
    every set it logged, for the summary's totals.
    """

    session_uid: str
    state: str
    point: ResumePoint
    earlier: tuple[SetRecord, ...]

    @property
    def side(self) -> Side | None:
        return self.point.side


def find_resume_offer(
    database: Engine, patient_id: int, program_id: int, timeline: Timeline, now: datetime
) -> ResumeOffer | None:
    """Today's unfinished session of this program, active within :data:`RESUME_WITHIN` of
    ``now``, with sets still to do; None when there is nothing to carry on."""
    found = SessionLog(database).resumable(
        patient_id,
        program_id,
        now,
        RESUME_WITHIN,
        since=day_start(now.astimezone().date()),  # the same (local) day as ``now``
    )
    if found is None:
        return None
    point = resume_point(timeline, done_keys(found.sets))
    if point is None:  # nothing done yet, or everything: start afresh
        return None
    return ResumeOffer(found.uid, found.state.value, point, found.sets)
