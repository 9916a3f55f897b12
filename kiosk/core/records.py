"""What a session produces for the log: one record per set, and pain events.

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


@dataclass(frozen=True)
class PainEvent:
    exercise_index: int | None
    exercise_id: str | None
    set_number: int | None
    side: Side | None
    rep: int | None
    at: datetime
