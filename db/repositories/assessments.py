"""Self-check results (the single-leg stance check): written by the patient screens, read by
staff through :meth:`db.repositories.progress.ProgressQueries.assessments`.

One row per side, all sides of one check in one transaction: a check is saved whole or not
at all, so staff never see a left side without the right one the patient also did.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import AssessmentResult
from db.types import new_uid
from kiosk.core.timeline import Side


class Answer(StrEnum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class SideResult:
    """One side of a check: seconds held (None: not timed), the target, and each question
    (in the words it was asked) with its answer (None: not answered)."""

    side: Side | None
    held_s: float | None
    target_s: float | None
    answers: tuple[tuple[str, Answer | None], ...]


def answers_json(answers: Sequence[tuple[str, Answer | None]]) -> str:
    return json.dumps(
        [{"question": q, "answer": None if a is None else a.value} for q, a in answers],
        ensure_ascii=False,
    )


def answers_from_json(text: str) -> tuple[tuple[str, Answer | None], ...]:
    """The stored answers; anything unreadable (edited by hand) reads as no answers."""
    try:
        rows = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(rows, list):
        return ()
    found: list[tuple[str, Answer | None]] = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            continue
        answer = row.get("answer")
        found.append((row["question"], Answer(answer) if answer in ("yes", "no") else None))
    return tuple(found)


class AssessmentLog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(
        self,
        patient_id: int,
        assessment_id: str,
        results: Sequence[SideResult],
        at: datetime,
        *,
        session_id: int | None = None,
        uids: Sequence[str] = (),
    ) -> tuple[int, ...]:
        """Store every side of one check and commit; returns the rows' ids.

        ``uids``, one per side, make a second write of the same check change nothing (the
        kiosk's writer may write it twice: ``kiosk/patient/writer.py``).
        """
        if uids:
            with Session(self._engine) as session:
                existing = session.scalars(
                    select(AssessmentResult.id).where(AssessmentResult.uid.in_(list(uids)))
                ).all()
            if existing:
                return tuple(existing)
        rows = [
            AssessmentResult(
                uid=uids[index] if uids else new_uid(),
                patient_id=patient_id,
                session_id=session_id,
                assessment_id=assessment_id,
                side=result.side,
                held_s=result.held_s,
                target_s=result.target_s,
                answers=answers_json(result.answers),
                at=at,
            )
            for index, result in enumerate(results)
        ]
        with Session(self._engine) as session:
            session.add_all(rows)
            session.commit()
            return tuple(row.id for row in rows)
