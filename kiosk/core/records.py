"""What a session produces for the log: one record per set, pain events, and the kinds of
answer a patient gives along the way.

Times are wall-clock datetimes (UTC) from the engine's injected wall clock, so they can be
stored as they are; ``paused_s`` is measured on the monotonic clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.core.timeline import Side


class SetStatus(StrEnum):
    COMPLETED = "completed"
    SKIPPED = "skipped"  # the patient pressed Next, or skipped the exercise after pain
    STOPPED = "stopped"  # the session was stopped during this set


@dataclass(frozen=True)
class SetRecord:
    exercise_index: int
    exercise_id: str
    set_number: int
    side: Side | None
    reps_target: int | None
    reps_done: int | None
    hold_target_s: float | None
    hold_done_s: float | None
    started_at: datetime
    ended_at: datetime
    paused_s: float
    status: SetStatus


class FeedbackKind(StrEnum):
    """What a patient told the kiosk during a visit (``feedback_events.kind``): the patient
    screens write them, the staff's progress screens and reports read them."""

    PAIN_BEFORE = "pain_before"  # value "0".."10", asked before the session
    PAIN_AFTER = "pain_after"  # value "0".."10", asked on the summary
    DIFFICULTY = "difficulty"  # value e.g. "easy", "just right", "hard"
    CALL_STAFF = "call_staff"  # the patient asked for help; value free
    RESUMED = "resumed"  # an unfinished session was carried on; value: the state it was in


@dataclass(frozen=True)
class PainEvent:
    exercise_index: int | None
    exercise_id: str | None
    set_number: int | None
    side: Side | None
    rep: int | None
    at: datetime
