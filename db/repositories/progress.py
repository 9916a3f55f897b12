"""What staff read about progress: adherence, pain and difficulty over time, the day board.

Read-only and Qt-free, for the staff screens (charts, the live "today" board) and for
``kiosk report``. Days are the clinic's local days: a session at 00:30 local time belongs to
that day even though it is stored in UTC. The zone is the machine's unless one is passed.

Definitions (docs/staff.md repeats them for staff):

- *prescribed day*: a day on which the patient has a program (their assignments cover it);
- *done*: a prescribed day with at least one finished session; *adherence* = done / prescribed;
- *checked in*: a session was started and no set has ended yet; *in progress*: a running
  session with at least one set logged; *done*/*stopped*: the day's latest session ended so;
- pain before/after and difficulty come from ``feedback_events`` of the kinds in
  :class:`FeedbackKind` (pain on the 0-10 scale, as text digits); "It hurts" presses are
  ``pain_events``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import (
    AssessmentResult,
    Assignment,
    ExerciseSession,
    FeedbackEventRow,
    PainEventRow,
    Patient,
    Program,
    SessionStatus,
    SetRow,
)
from db.repositories.assessments import Answer, answers_from_json
from kiosk.core.records import FeedbackKind, SetStatus
from kiosk.core.timeline import Side


class DayStatus(StrEnum):
    SCHEDULED = "scheduled"
    CHECKED_IN = "checked in"
    IN_PROGRESS = "in progress"
    DONE = "done"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Adherence:
    patient_id: int
    start: date
    end: date
    prescribed_days: int
    days_done: int
    sessions_finished: int
    unscheduled_sessions: int  # sessions on days without a program (extra practice)

    @property
    def ratio(self) -> float | None:
        return None if self.prescribed_days == 0 else self.days_done / self.prescribed_days


@dataclass(frozen=True)
class PainPoint:
    """One session's pain before and after (either may be missing), for the chart."""

    session_id: int
    day: date
    started_at: datetime
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Rating:
    session_id: int
    at: datetime
    exercise_id: str | None
    value: str


@dataclass(frozen=True)
class PainReport:
    session_id: int
    at: datetime
    exercise_id: str | None
    set_number: int | None
    side: Side | None
    rep: int | None


@dataclass(frozen=True)
class AssessmentReport:
    """One side of a self-check: seconds held of the target, and what the patient noticed."""

    session_id: int | None
    at: datetime
    assessment_id: str
    side: Side | None
    held_s: float | None
    target_s: float | None
    answers: tuple[tuple[str, Answer | None], ...]

    @property
    def noticed(self) -> tuple[str, ...]:
        """The questions answered "yes" (what staff look at first)."""
        return tuple(q for q, a in self.answers if a is Answer.YES)


@dataclass(frozen=True)
class DayRow:
    """One patient on one day: the unit of ``kiosk report`` (docs/staff.md lists columns)."""

    day: date
    patient_id: int
    code: str
    display_name: str
    program_name: str | None  # None: nothing prescribed that day
    sessions_started: int
    sessions_finished: int
    sets_completed: int
    sets_skipped: int
    sets_stopped: int
    pain_events: int
    pain_before: int | None  # the first session's of the day
    pain_after: int | None  # the last session's of the day
    difficulty: tuple[str, ...]
    called_staff: bool

    @property
    def scheduled(self) -> bool:
        return self.program_name is not None

    @property
    def done(self) -> bool:
        return self.sessions_finished > 0


@dataclass(frozen=True)
class BoardEntry:
    """One line of the live "today" board."""

    patient_id: int
    code: str
    display_name: str
    program_name: str | None
    status: DayStatus
    hurt: bool
    called_staff: bool
    last_activity: datetime | None


@dataclass(frozen=True)
class _SessionFacts:
    id: int
    patient_id: int
    started_at: datetime
    day: date
    state: SessionStatus
    sets: dict[SetStatus, int]
    pains: int
    feedback: tuple[tuple[str, str, str | None, datetime], ...]  # kind, value, exercise, at
    last_at: datetime


def _pain_value(text: str) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if 0 <= value <= 10 else None


def covering_program(assignments: Iterable[Assignment], day: date) -> int | None:
    """The program id the patient does on ``day`` (the rule of ``ProgramRepository``)."""
    best: Assignment | None = None
    for a in assignments:
        if a.start_date > day or (a.end_date is not None and a.end_date < day):
            continue
        if a.weekdays is not None and not a.weekdays & (1 << day.weekday()):
            continue
        if best is None or (a.start_date, a.id) > (best.start_date, best.id):
            best = a
    return None if best is None else best.program_id


class ProgressQueries:
    """``tz``: the clinic's time zone for day boundaries (None: this machine's)."""

    def __init__(self, engine: Engine, *, tz: tzinfo | None = None) -> None:
        self._engine = engine
        self._tz = tz

    # -- time zones --------------------------------------------------------------------------

    def _day(self, moment: datetime) -> date:
        return moment.astimezone(self._tz).date()

    def _bounds(self, start: date, end: date) -> tuple[datetime, datetime]:
        first = datetime.combine(start, time.min, tzinfo=self._tz)
        after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=self._tz)
        if self._tz is None:
            return first.astimezone(), after.astimezone()
        return first, after

    # -- loading -----------------------------------------------------------------------------

    def _sessions(
        self, session: Session, start: date, end: date, patient_ids: set[int] | None
    ) -> list[_SessionFacts]:
        low, high = self._bounds(start, end)
        query = select(ExerciseSession).where(
            ExerciseSession.started_at >= low, ExerciseSession.started_at < high
        )
        if patient_ids is not None:
            query = query.where(ExerciseSession.patient_id.in_(sorted(patient_ids)))
        rows = list(session.scalars(query.order_by(ExerciseSession.started_at)))
        ids = [r.id for r in rows]
        sets: dict[int, dict[SetStatus, int]] = defaultdict(dict)
        last: dict[int, datetime] = {}
        pains: dict[int, int] = defaultdict(int)
        feedback: dict[int, list[tuple[str, str, str | None, datetime]]] = defaultdict(list)
        for chunk in _chunks(ids, 500):  # stay far below SQLite's limit on bound values
            set_query = (
                select(SetRow.session_id, SetRow.status, func.count(), func.max(SetRow.ended_at))
                .where(SetRow.session_id.in_(chunk))
                .group_by(SetRow.session_id, SetRow.status)
            )
            for session_id, status, count, ended in session.execute(set_query):
                sets[session_id][status] = int(count)
                last[session_id] = max(ended, last.get(session_id, ended))
            pain_query = select(PainEventRow.session_id, func.count()).where(
                PainEventRow.session_id.in_(chunk)
            )
            for session_id, count in session.execute(pain_query.group_by(PainEventRow.session_id)):
                pains[session_id] = int(count)
            fb_query = (
                select(FeedbackEventRow)
                .where(FeedbackEventRow.session_id.in_(chunk))
                .order_by(FeedbackEventRow.at, FeedbackEventRow.id)
            )
            for fb in session.scalars(fb_query):
                feedback[fb.session_id].append((fb.kind, fb.value, fb.exercise_id, fb.at))
        return [
            _SessionFacts(
                id=r.id,
                patient_id=r.patient_id,
                started_at=r.started_at,
                day=self._day(r.started_at),
                state=r.state,
                sets=sets[r.id],
                pains=pains[r.id],
                feedback=tuple(feedback[r.id]),
                last_at=max(
                    [
                        r.started_at,
                        *([last[r.id]] if r.id in last else []),
                        *[f[3] for f in feedback[r.id]],
                    ]
                    + ([r.ended_at] if r.ended_at else [])
                ),
            )
            for r in rows
        ]

    @staticmethod
    def _assignments(session: Session, patient_ids: set[int] | None) -> dict[int, list[Assignment]]:
        query = select(Assignment)
        if patient_ids is not None:
            query = query.where(Assignment.patient_id.in_(sorted(patient_ids)))
        found: dict[int, list[Assignment]] = defaultdict(list)
        for a in session.scalars(query):
            found[a.patient_id].append(a)
        return found

    # -- per patient -------------------------------------------------------------------------

    def adherence(self, patient_id: int, start: date, end: date) -> Adherence:
        """Prescribed days from ``start`` to ``end`` (inclusive) and how many were done."""
        with Session(self._engine) as session:
            assignments = self._assignments(session, {patient_id})[patient_id]
            facts = self._sessions(session, start, end, {patient_id})
        prescribed = {
            day for day in _days(start, end) if covering_program(assignments, day) is not None
        }
        finished = [f for f in facts if f.state is SessionStatus.FINISHED]
        return Adherence(
            patient_id=patient_id,
            start=start,
            end=end,
            prescribed_days=len(prescribed),
            days_done=len({f.day for f in finished} & prescribed),
            sessions_finished=len(finished),
            unscheduled_sessions=sum(1 for f in facts if f.day not in prescribed),
        )

    def pain_trend(self, patient_id: int, start: date, end: date) -> tuple[PainPoint, ...]:
        """Pain before and after each session that recorded either, oldest first."""
        with Session(self._engine) as session:
            facts = self._sessions(session, start, end, {patient_id})
        points = []
        for f in facts:
            before = _last_value(f.feedback, FeedbackKind.PAIN_BEFORE)
            after = _last_value(f.feedback, FeedbackKind.PAIN_AFTER)
            if before is not None or after is not None:
                points.append(PainPoint(f.id, f.day, f.started_at, before, after))
        return tuple(points)

    def difficulty(self, patient_id: int, start: date, end: date) -> tuple[Rating, ...]:
        with Session(self._engine) as session:
            facts = self._sessions(session, start, end, {patient_id})
        return tuple(
            Rating(f.id, at, exercise_id, value)
            for f in facts
            for kind, value, exercise_id, at in f.feedback
            if kind == FeedbackKind.DIFFICULTY
        )

    def pain_events(self, patient_id: int, start: date, end: date) -> tuple[PainReport, ...]:
        """Every "It hurts" press, oldest first, with where in the session it happened."""
        low, high = self._bounds(start, end)
        query = (
            select(PainEventRow)
            .join(ExerciseSession, ExerciseSession.id == PainEventRow.session_id)
            .where(
                ExerciseSession.patient_id == patient_id,
                PainEventRow.at >= low,
                PainEventRow.at < high,
            )
            .order_by(PainEventRow.at, PainEventRow.id)
        )
        with Session(self._engine) as session:
            return tuple(
                PainReport(p.session_id, p.at, p.exercise_id, p.set_number, p.side, p.rep)
                for p in session.scalars(query)
            )

    def assessments(self, patient_id: int, start: date, end: date) -> tuple[AssessmentReport, ...]:
        """Every self-check side in the period, oldest first (a check's sides together)."""
        low, high = self._bounds(start, end)
        query = (
            select(AssessmentResult)
            .where(
                AssessmentResult.patient_id == patient_id,
                AssessmentResult.at >= low,
                AssessmentResult.at < high,
            )
            .order_by(AssessmentResult.at, AssessmentResult.id)
        )
        with Session(self._engine) as session:
            return tuple(
                AssessmentReport(
                    session_id=row.session_id,
                    at=row.at,
                    assessment_id=row.assessment_id,
                    side=row.side,
                    held_s=row.held_s,
                    target_s=row.target_s,
                    answers=answers_from_json(row.answers),
                )
                for row in session.scalars(query)
            )

    # -- per day -----------------------------------------------------------------------------

    def day_rows(self, start: date, end: date, code: str | None = None) -> tuple[DayRow, ...]:
        """Every patient-day with a program or a session, by day then code."""
        with Session(self._engine) as session:
            patient_query = select(Patient)
            if code is not None:
                patient_query = patient_query.where(Patient.code == code.strip())
            patients = {p.id: p for p in session.scalars(patient_query)}
            ids = set(patients) if code is not None else None  # None: everyone, no huge IN
            assignments = self._assignments(session, ids)
            facts = self._sessions(session, start, end, ids)
            names = {pid: name for pid, name in session.execute(select(Program.id, Program.name))}
        by_day: dict[tuple[date, int], list[_SessionFacts]] = defaultdict(list)
        for f in facts:
            by_day[(f.day, f.patient_id)].append(f)
        # Only patients with an assignment or a session can have a row (not all 100k).
        involved = [
            (pid, patients[pid])
            for pid in sorted(set(assignments) | {f.patient_id for f in facts})
            if pid in patients
        ]
        rows = []
        for day in _days(start, end):
            for pid, patient in involved:
                program_id = covering_program(assignments[pid], day) if patient.active else None
                day_facts = by_day.get((day, pid), [])
                if program_id is None and not day_facts:
                    continue
                rows.append(_day_row(day, patient, names.get(program_id or -1), day_facts))
        return tuple(sorted(rows, key=lambda r: (r.day, r.code)))

    def day_board(self, day: date) -> tuple[BoardEntry, ...]:
        """The live board for ``day``: who is scheduled, checked in, in progress, done..."""
        board = []
        with Session(self._engine) as session:
            facts = self._sessions(session, day, day, None)
        by_patient: dict[int, list[_SessionFacts]] = defaultdict(list)
        for f in facts:
            by_patient[f.patient_id].append(f)
        for row in self.day_rows(day, day):
            sessions = by_patient.get(row.patient_id, [])
            latest = sessions[-1] if sessions else None
            board.append(
                BoardEntry(
                    patient_id=row.patient_id,
                    code=row.code,
                    display_name=row.display_name,
                    program_name=row.program_name,
                    status=_status(latest),
                    hurt=row.pain_events > 0,
                    called_staff=row.called_staff,
                    last_activity=max((s.last_at for s in sessions), default=None),
                )
            )
        return tuple(board)


def _status(latest: _SessionFacts | None) -> DayStatus:
    if latest is None:
        return DayStatus.SCHEDULED
    if latest.state is SessionStatus.RUNNING:
        return DayStatus.IN_PROGRESS if latest.sets else DayStatus.CHECKED_IN
    if latest.state is SessionStatus.FINISHED:
        return DayStatus.DONE
    return DayStatus.STOPPED


def _day_row(
    day: date, patient: Patient, program_name: str | None, facts: list[_SessionFacts]
) -> DayRow:
    def total(status: SetStatus) -> int:
        return sum(f.sets.get(status, 0) for f in facts)

    befores = [_last_value(f.feedback, FeedbackKind.PAIN_BEFORE) for f in facts]
    afters = [_last_value(f.feedback, FeedbackKind.PAIN_AFTER) for f in facts]
    return DayRow(
        day=day,
        patient_id=patient.id,
        code=patient.code,
        display_name=patient.display_name,
        program_name=program_name,
        sessions_started=len(facts),
        sessions_finished=sum(1 for f in facts if f.state is SessionStatus.FINISHED),
        sets_completed=total(SetStatus.COMPLETED),
        sets_skipped=total(SetStatus.SKIPPED),
        sets_stopped=total(SetStatus.STOPPED),
        pain_events=sum(f.pains for f in facts),
        pain_before=next((v for v in befores if v is not None), None),
        pain_after=next((v for v in reversed(afters) if v is not None), None),
        difficulty=tuple(
            value
            for f in facts
            for kind, value, _, _ in f.feedback
            if kind == FeedbackKind.DIFFICULTY
        ),
        called_staff=any(kind == FeedbackKind.CALL_STAFF for f in facts for kind, *_ in f.feedback),
    )


def _last_value(
    feedback: tuple[tuple[str, str, str | None, datetime], ...], kind: FeedbackKind
) -> int | None:
    values = [_pain_value(value) for k, value, _, _ in feedback if k == kind]
    values = [v for v in values if v is not None]
    return values[-1] if values else None


def _chunks(values: list[int], size: int) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
