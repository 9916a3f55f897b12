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

from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

from sqlalchemy import (
    Engine,
    String,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.types import ARRAY, DateTime, NullType

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

#: Days of sessions a streamed report holds in memory at once (``iter_day_rows``).
WINDOW_DAYS = 31

#: Windows whose sessions are read ahead of the one being made into rows (PostgreSQL).
READ_AHEAD = 2


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


class DayRow(NamedTuple):
    """One patient on one day: the unit of ``kiosk report`` (docs/staff.md lists columns).

    A named tuple rather than a frozen dataclass: a year's report makes ~140,000 of them, and
    a tuple is made several times faster (immutable all the same)."""

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


@dataclass
class _SessionFacts:
    """One session, summed up: what a patient's pages (adherence, the pain chart) read of it."""

    id: int
    patient_id: int
    started_at: datetime
    day: date
    state: SessionStatus
    completed: int = 0
    skipped: int = 0
    stopped: int = 0
    pains: int = 0
    pain_before: int | None = None  # the last valid rating of the session
    pain_after: int | None = None
    difficulty: tuple[str, ...] = ()
    called_staff: bool = False


_PAIN_KINDS = (FeedbackKind.PAIN_BEFORE.value, FeedbackKind.PAIN_AFTER.value)


def _pain_value(text: str, otherwise: int | None = None) -> int | None:
    """A 0-10 rating from its text; ``otherwise`` (the one before) when it is not one."""
    try:
        value = int(text.strip())
    except ValueError:
        return otherwise
    return value if 0 <= value <= 10 else otherwise


class Covering(Protocol):
    """What :func:`covering_program` reads of an assignment (a model or a row of columns)."""

    @property
    def id(self) -> int: ...
    @property
    def program_id(self) -> int: ...
    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date | None: ...
    @property
    def weekdays(self) -> int | None: ...


class _Cover(NamedTuple):
    id: int
    program_id: int
    start_date: date
    end_date: date | None
    weekdays: int | None


def covering_program(assignments: Iterable[Covering], day: date) -> int | None:
    """The program id the patient does on ``day`` (the rule of ``ProgramRepository``)."""
    best: Covering | None = None
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
        """The period's sessions, each summed up with its sets, pain presses and feedback
        (a patient's pages: adherence, the pain chart).

        One row per session (:func:`_summed_sessions`): the period is found through the index
        on ``sessions.started_at`` (or ``patient_id, started_at`` for one patient), and each
        session's counts and last pain ratings are correlated subqueries answered from the
        indexes on ``session_id`` (migration 0009): no table is read whole, whatever the size
        of the history, and no set or rating crosses into Python one row at a time.
        """
        low, high = self._bounds(start, end)
        s = ExerciseSession
        dialect = self._engine.dialect.name
        query = _summed_sessions(patient_ids, dialect).add_columns(s.started_at)
        connection = session.connection()  # Core rows: no ORM loading on the way
        facts: list[_SessionFacts] = []
        rows = connection.execute(query, {"low": low, "high": high}).all()
        pains = _SessionPains(connection, rows)
        for row in rows:
            f = _SessionFacts(row[_ID], row[_PATIENT], row[_STARTED], self._day(row[_STARTED]),
                              SessionStatus(row[_STATE]))  # fmt: skip
            f.completed, f.skipped, f.stopped, f.pains = row[_COMPLETED : _PAINS + 1]
            f.pain_before, f.pain_after = pains.of(row)
            f.difficulty = pains.difficulty.get(row[_ID], ())
            f.called_staff = bool(row[_CALLS])
            facts.append(f)
        return facts

    @staticmethod
    def _assignments(
        session: Session,
        patient_ids: set[int] | None,
        start: date,
        end: date,
        known: _Known | None = None,
    ) -> dict[int, list[_Cover]]:
        """The assignments that cover any day from ``start`` to ``end``, by patient;
        ``known``: their patients and programs' names are read with them (joined) into it."""
        a, p, program = Assignment, Patient, Program
        query = select(a.patient_id, a.id, a.program_id, a.start_date, a.end_date, a.weekdays)
        query = query.where(a.start_date <= end, or_(a.end_date.is_(None), a.end_date >= start))
        if patient_ids is not None:
            query = query.where(a.patient_id.in_(sorted(patient_ids)))
        if known is not None:
            query = (
                query.join(p, p.id == a.patient_id)
                .join(program, program.id == a.program_id)
                .add_columns(p.code, p.display_name, p.active, program.name)
            )
        found: dict[int, list[_Cover]] = defaultdict(list)
        rows: Any = session.connection().execute(query).all()  # six columns, or ten (``known``)
        for row in rows:
            patient_id = row[0]
            found[patient_id].append(_Cover(*row[1:6]))
            if known is not None:
                if patient_id not in known.patients:
                    known.patients[patient_id] = _PatientLine(patient_id, *row[6:9])
                known.programs[row[2]] = row[9]
        return found

    # -- per patient -------------------------------------------------------------------------

    def adherence(self, patient_id: int, start: date, end: date) -> Adherence:
        """Prescribed days from ``start`` to ``end`` (inclusive) and how many were done."""
        with Session(self._engine) as session:
            assignments = self._assignments(session, {patient_id}, start, end)[patient_id]
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
        return tuple(
            PainPoint(f.id, f.day, f.started_at, f.pain_before, f.pain_after)
            for f in facts
            if f.pain_before is not None or f.pain_after is not None
        )

    def difficulty(self, patient_id: int, start: date, end: date) -> tuple[Rating, ...]:
        """Every difficulty rating, by session (oldest first), then as given."""
        low, high = self._bounds(start, end)
        s, fb = ExerciseSession, FeedbackEventRow
        query = (
            select(fb.session_id, fb.at, fb.exercise_id, fb.value)
            .join(s, s.id == fb.session_id)
            .where(
                s.patient_id == patient_id,
                s.started_at >= low,
                s.started_at < high,
                fb.kind == FeedbackKind.DIFFICULTY.value,
            )
            .order_by(s.started_at, s.id, fb.at, fb.id)
        )
        with Session(self._engine) as session:
            return tuple(Rating(*row) for row in session.execute(query))

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
        return tuple(self.iter_day_rows(start, end, code))

    def iter_day_rows(
        self, start: date, end: date, code: str | None = None, *, window_days: int = WINDOW_DAYS
    ) -> Generator[DayRow, None, None]:
        """:meth:`day_rows` as they are read, ``window_days`` days at a time: a report of ten
        years holds a few windows in memory, not ten years (``kiosk report``, the staff
        export).

        On PostgreSQL the sessions of the next windows are read on a second connection while
        this one's rows are made and used (:meth:`_read_ahead`): a caller that stops early
        closes the generator (or drops it), which waits for that read and gives the
        connection back."""
        with Session(self._engine) as session:
            only: set[int] | None = None
            if code is not None:
                only = set(session.scalars(select(Patient.id).where(Patient.code == code.strip())))
                if not only:
                    return
            windows: list[tuple[date, date]] = []
            first = start
            while first <= end:
                last = min(end, first + timedelta(days=window_days - 1))
                windows.append((first, last))
                first = last + timedelta(days=1)
            known = _Known()
            if self._engine.dialect.name == "postgresql":
                _without_jit(session.connection())
                if len(windows) > 1:
                    yield from self._read_ahead(session, windows, only, known)
                    return
            for first, last in windows:
                yield from _rows_of(self._read_window(session, first, last, only, known), known)

    def _read_ahead(
        self,
        session: Session,
        windows: list[tuple[date, date]],
        only: set[int] | None,
        known: _Known,
    ) -> Iterator[DayRow]:
        """The rows of ``windows`` (PostgreSQL), their sessions read ahead: a thread reads the
        sessions of the next :data:`READ_AHEAD` windows on a connection of its own while this
        thread makes the rows of one and its caller uses them (writes them to a file). The
        thread mostly waits for the server, which answers on another core meanwhile: a year's
        report takes about the longer of the two, not their sum. The rest of a window (its
        programs, patients, the few pain ratings looked back at) is read here, on ``session``.

        Each statement of a PostgreSQL transaction at the default isolation (read committed)
        sees what was committed when it started, so two connections see the history as one
        does: a session finished meanwhile is counted in the window read after it.
        """
        query = _summed_sessions(only, "postgresql")
        with (
            self._engine.connect() as second,
            ThreadPoolExecutor(1, thread_name_prefix="report-sessions") as reader,
        ):
            _without_jit(second)

            def sessions_of(window: tuple[date, date]) -> list[Any]:
                return _sessions_postgres(second, query, self._midnights(*window), raw=True)

            ahead = deque(reader.submit(sessions_of, w) for w in windows[:READ_AHEAD])
            try:
                for i, (first, last) in enumerate(windows):
                    rows = ahead.popleft().result()
                    if i + READ_AHEAD < len(windows):
                        ahead.append(reader.submit(sessions_of, windows[i + READ_AHEAD]))
                    read = self._read_window(session, first, last, only, known, sessions=rows)
                    yield from _rows_of(read, known)
            finally:
                for waiting in ahead:  # (stopped early: the window being read is waited for)
                    waiting.cancel()

    def _midnights(self, start: date, end: date) -> list[datetime]:
        """The clinic's midnights from ``start`` to the one after ``end``: each day's bounds."""
        midnights = [self._bounds(day, day)[0] for day in _days(start, end)]
        midnights.append(self._bounds(end, end)[1])
        return midnights

    def _window(
        self,
        session: Session,
        start: date,
        end: date,
        only: set[int] | None,
        known: _Known,
        *,
        with_times: bool = False,
    ) -> tuple[list[DayRow], dict[int, list[Any]]]:
        """The rows of ``start``..``end`` by day then code, and the sessions by patient (rows
        of :func:`_summed_sessions`, with :data:`_TIMES` if ``with_times``)."""
        read = self._read_window(session, start, end, only, known, with_times=with_times)
        by_patient_all: dict[int, list[Any]] = defaultdict(list)
        if with_times:
            for visited in read.visits:
                for pid, sessions in visited.items():
                    by_patient_all[pid] += sessions
        return _rows_of(read, known), by_patient_all

    def _read_window(
        self,
        session: Session,
        start: date,
        end: date,
        only: set[int] | None,
        known: _Known,
        *,
        with_times: bool = False,
        sessions: list[Any] | None = None,
    ) -> _WindowRead:
        """What the rows of ``start``..``end`` are made of; ``sessions``: the window's, if
        they were read already (:func:`_sessions_postgres`).

        The sessions of each day are those between the clinic's midnights: each session's
        day is the bounds it was found between, so no time is read or converted, and the rows
        are plain tuples until they are made :class:`DayRow` tuples. On SQLite one query a
        day; on PostgreSQL one for the window (:func:`_sessions_postgres`).
        """
        assignments = self._assignments(session, only, start, end, known)
        days = _days(start, end)
        connection = session.connection()
        visits: list[dict[int, list[Any]]] = []
        every: list[Any] = []
        if sessions is not None:
            every = sessions
        elif self._engine.dialect.name == "postgresql":
            query = _summed_sessions(only, "postgresql")
            if with_times:
                query = query.add_columns(*_TIMES)
            midnights = self._midnights(start, end)
            every = _sessions_postgres(connection, query, midnights, raw=not with_times)
        else:
            query = _summed_sessions(only, "sqlite")
            if with_times:
                query = query.add_columns(*_TIMES)
            for day in days:
                low, high = self._bounds(day, day)
                rows = connection.execute(query, {"low": low, "high": high}).all()
                visits.append(_by_patient(rows))
                every += rows
        if not visits:
            visits = _by_day(every, len(days))
        pains = _SessionPains(connection, every)
        scheduled = _scheduled(assignments, days)
        known.load_patients(session, {pid for day in visits for pid in day})
        known.load_programs(session, {p for day in scheduled for p in day.values()})
        return _WindowRead(days, scheduled, visits, pains)

    def day_board(self, day: date) -> tuple[BoardEntry, ...]:
        """The live board for ``day``: who is scheduled, checked in, in progress, done..."""
        with Session(self._engine) as session:
            rows, by_patient = self._window(session, day, day, None, _Known(), with_times=True)
        board = []
        for row in rows:
            sessions = by_patient.get(row.patient_id, [])
            board.append(
                BoardEntry(
                    patient_id=row.patient_id,
                    code=row.code,
                    display_name=row.display_name,
                    program_name=row.program_name,
                    status=_status(sessions[-1] if sessions else None),
                    hurt=row.pain_events > 0,
                    called_staff=row.called_staff,
                    last_activity=max((_last_at(s) for s in sessions), default=None),
                )
            )
        return tuple(board)


#: The columns of :func:`_summed_sessions`, by position (its rows are read as tuples).
_ID, _PATIENT, _STATE, _COMPLETED, _SKIPPED, _STOPPED, _PAINS = range(7)
_BEFORE, _AFTER, _RATED, _CALLS = range(7, 11)
#: A session's pain rating of a kind on PostgreSQL when it has several: not a rating, so the
#: session's ratings are read again in order (:class:`_SessionPains`).
_SEVERAL = "several"
#: The first column a caller adds (``started_at``: a patient's pages; :data:`_TIMES`: the board).
_STARTED = 11


def _summed_sessions(patient_ids: set[int] | None, dialect: str) -> Any:
    """One row per session started from ``:low`` to before ``:high`` (bound when run), oldest
    first: its id, patient, state (as stored), the counts of its completed, skipped and
    stopped sets and of its pain presses, the text of its last pain rating before and after,
    its difficulty ratings and how many calls for staff it has. Each figure is a correlated
    subquery answered from an index on ``session_id`` (migrations 0009 and 0010).

    On PostgreSQL (:func:`_summed_sessions_postgres`) the difficulty column holds the
    session's words themselves (a list, None if it has none); elsewhere their count (the
    words are read after, :class:`_SessionPains`)."""
    if dialect == "postgresql":
        return _summed_sessions_postgres(patient_ids)
    s, fb = ExerciseSession, FeedbackEventRow

    def sets(status: SetStatus) -> Any:
        return (
            select(func.count())
            .where(SetRow.session_id == s.id, SetRow.status == status.value)
            .scalar_subquery()
        )

    def said(kind: FeedbackKind) -> Any:
        return (
            select(func.count())
            .where(fb.session_id == s.id, fb.kind == kind.value)
            .scalar_subquery()
        )

    def last_said(kind: FeedbackKind) -> Any:
        return (
            select(fb.value)
            .where(fb.session_id == s.id, fb.kind == kind.value)
            .order_by(fb.at.desc(), fb.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return (
        select(
            s.id,
            s.patient_id,
            type_coerce(s.state, String),  # the stored text: no enum made per row
            sets(SetStatus.COMPLETED),
            sets(SetStatus.SKIPPED),
            sets(SetStatus.STOPPED),
            _pain_presses(),
            last_said(FeedbackKind.PAIN_BEFORE),
            last_said(FeedbackKind.PAIN_AFTER),
            said(FeedbackKind.DIFFICULTY),
            said(FeedbackKind.CALL_STAFF),
        )
        .where(*_in_period(patient_ids))
        .order_by(s.started_at, s.id)
    )


def _summed_sessions_postgres(patient_ids: set[int] | None) -> Any:
    """:func:`_summed_sessions` as PostgreSQL answers it fastest: a session's sets counted
    by status in one pass over its index entries, and its feedback read once for the pain
    ratings, the difficulty words and the calls for staff (two ``LATERAL`` subqueries instead
    of seven correlated ones, each a SubPlan run per session).

    Nothing is sorted per session (an ordered aggregate sorts even one row: a quarter of the
    server's time): a session rates its pain once of each kind, and difficulty once or not at
    all, nearly always. A session with several ratings of a kind has :data:`_SEVERAL` for it,
    and several words come unordered: :class:`_SessionPains` reads those sessions' ratings
    again, in order (two in a hundred sessions)."""
    s, fb, r = ExerciseSession, FeedbackEventRow, SetRow

    def counted(status: SetStatus) -> Any:
        return func.count().filter(r.status == status.value)

    sets = (
        select(
            counted(SetStatus.COMPLETED).label("completed"),
            counted(SetStatus.SKIPPED).label("skipped"),
            counted(SetStatus.STOPPED).label("stopped"),
        )
        .where(r.session_id == s.id)
        .lateral("sets")
    )

    def last_said(kind: FeedbackKind) -> Any:
        of_kind = fb.kind == kind.value
        several = func.count().filter(of_kind) > 1
        return case((several, literal(_SEVERAL)), else_=func.max(fb.value).filter(of_kind))

    said = (
        select(
            last_said(FeedbackKind.PAIN_BEFORE).label("before"),
            last_said(FeedbackKind.PAIN_AFTER).label("after"),
            # As psycopg gives it (a list): no processing of an ARRAY per row by SQLAlchemy.
            type_coerce(
                func.array_agg(fb.value).filter(fb.kind == FeedbackKind.DIFFICULTY.value),
                NullType(),
            ).label("words"),
            func.count().filter(fb.kind == FeedbackKind.CALL_STAFF.value).label("calls"),
        )
        .where(fb.session_id == s.id)
        .lateral("said")
    )
    return (
        select(
            s.id,
            s.patient_id,
            type_coerce(s.state, String),
            sets.c.completed,
            sets.c.skipped,
            sets.c.stopped,
            _pain_presses(),
            said.c.before,
            said.c.after,
            said.c.words,
            said.c.calls,
        )
        .select_from(s)
        .join(sets, true())
        .join(said, true())
        .where(*_in_period(patient_ids))
        .order_by(s.started_at, s.id)
    )


class _WindowRead(NamedTuple):
    """A window's days, who has a program on each (:func:`_scheduled`), the sessions of
    each by patient, and their pain ratings and words: what its rows are made of."""

    days: list[date]
    scheduled: list[dict[int, int]]
    visits: list[dict[int, list[Any]]]
    pains: _SessionPains


def _rows_of(read: _WindowRead, known: _Known) -> list[DayRow]:
    """A window's rows, by day then code."""
    patients, names, pains = known.patients, known.programs, read.pains
    rows_out: list[DayRow] = []
    for day, on_day, visited in zip(read.days, read.scheduled, read.visits, strict=True):
        pids = on_day.keys() | visited.keys() if visited else on_day.keys()
        lines = [patients[pid] for pid in pids if pid in patients]
        lines.sort(key=_BY_CODE)
        for patient in lines:
            pid = patient.id
            program_id = on_day.get(pid) if patient.active else None
            sessions = visited.get(pid)
            if sessions is None:
                if program_id is not None:
                    rows_out.append(DayRow(
                        day, pid, patient.code, patient.display_name, names.get(program_id),
                        0, 0, 0, 0, 0, 0, None, None, (), False,
                    ))  # fmt: skip
                continue
            name = None if program_id is None else names.get(program_id)
            rows_out.append(_day_row(day, patient, name, sessions, pains))
    return rows_out


def _by_patient(rows: Iterable[Any]) -> dict[int, list[Any]]:
    """Sessions (rows of :func:`_summed_sessions`) by patient, in their order."""
    by_patient: dict[int, list[Any]] = {}
    for row in rows:
        found = by_patient.get(row[_PATIENT])
        if found is None:
            by_patient[row[_PATIENT]] = [row]
        else:
            found.append(row)
    return by_patient


#: The clinic's midnights of a window, as PostgreSQL reads them (``timestamptz[]``).
_MIDNIGHTS = ARRAY(DateTime(timezone=True))


def _sessions_postgres(
    connection: Connection, query: Any, midnights: list[datetime], *, raw: bool
) -> list[Any]:
    """The sessions of the days between ``midnights`` (the clinic's, in order: one more than
    the days), oldest first: one query for the window, each session's day found by the server
    among the same midnights (``width_bucket``), not by converting its time here. The rows
    end with that day's number (1: the first day), after any column the caller added.

    ``raw``: the rows are the driver's own tuples, as SQLAlchemy would give every column of
    :func:`_summed_sessions` (numbers, text, a list of words; not :data:`_TIMES`, whose
    moments the model's type makes): a year's 120,000 sessions are not made into rows twice.
    """
    day_of = func.width_bucket(ExerciseSession.started_at, bindparam("midnights", type_=_MIDNIGHTS))
    query = query.add_columns(day_of)
    bounds = {"low": midnights[0], "high": midnights[-1], "midnights": midnights}
    result = connection.execute(query, bounds)
    if not raw:
        return list(result.all())
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _by_day(rows: list[Any], days: int) -> list[dict[int, list[Any]]]:
    """:func:`_sessions_postgres` rows by day (their last column) and patient, in order."""
    per_day: list[list[Any]] = [[] for _ in range(days)]
    for row in rows:
        per_day[row[-1] - 1].append(row)
    return [_by_patient(day) for day in per_day]


def _without_jit(connection: Connection) -> None:
    """No JIT compiling for the rest of ``connection``'s transaction (PostgreSQL): a window's
    query is costed above ``jit_above_cost``, and compiling it costs more than it saves (its
    plan is a few index lookups per session)."""
    connection.exec_driver_sql("SET LOCAL jit = off")


def _pain_presses() -> Any:
    s = ExerciseSession
    return select(func.count()).where(PainEventRow.session_id == s.id).scalar_subquery()


def _in_period(patient_ids: set[int] | None) -> list[Any]:
    s = ExerciseSession
    in_period = [s.started_at >= bindparam("low"), s.started_at < bindparam("high")]
    if patient_ids is not None:
        in_period.append(s.patient_id.in_(sorted(patient_ids)))
    return in_period


def _times() -> tuple[Any, ...]:
    s, fb = ExerciseSession, FeedbackEventRow
    return (
        s.started_at,
        s.ended_at,
        select(func.max(SetRow.ended_at)).where(SetRow.session_id == s.id).scalar_subquery(),
        select(func.max(fb.at)).where(fb.session_id == s.id).scalar_subquery(),
    )


#: What the board adds to :func:`_summed_sessions`: when each session was last active.
_TIMES = _times()

#: A pain rating's usual text and its value: most ratings are read without ``int()``.
_PAIN_TEXT = {str(n): n for n in range(11)}


class _SessionPains:
    """The pain ratings and difficulty words of some :func:`_summed_sessions` rows.

    A session's pain before (after) is its last valid rating of the kind; when the last one is
    not a 0-10 figure (a few in a thousand), or PostgreSQL says there are several
    (:data:`_SEVERAL`), the session's ratings are read again, in order, to find it. The word of
    a session's one difficulty rating comes in its row on PostgreSQL; the words of a session
    with several (a few in a hundred), and every session's elsewhere, are read by session id
    in order, 500 sessions at a time, through the index.
    """

    def __init__(self, connection: Connection, rows: Iterable[Any]) -> None:
        self.difficulty: dict[int, tuple[str, ...]] = {}
        self._looked_back: dict[int, tuple[int | None, int | None]] = {}
        rated: list[int] = []
        unclear: list[int] = []
        text = _PAIN_TEXT
        given: dict[int, tuple[str, ...]] = {}
        for row in rows:
            said = row[_RATED]
            if said:
                if isinstance(said, list) and len(said) == 1:  # the word itself (PostgreSQL)
                    given[row[_ID]] = (said[0],)
                else:
                    rated.append(row[_ID])
            before, after = row[_BEFORE], row[_AFTER]
            if (before is not None and before not in text) or (
                after is not None and after not in text
            ):
                unclear.append(row[_ID])
        fb = FeedbackEventRow
        words: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(rated, 500):
            query: Any = (
                select(fb.session_id, fb.value)
                .where(fb.session_id.in_(chunk), fb.kind == FeedbackKind.DIFFICULTY.value)
                .order_by(fb.session_id, fb.at, fb.id)
            )
            for session_id, value in connection.execute(query).all():
                words[session_id].append(value)
        self.difficulty = {session_id: tuple(values) for session_id, values in words.items()}
        self.difficulty.update(given)
        for chunk in _chunks(unclear, 500):
            query = (
                select(fb.session_id, fb.kind, fb.value)
                .where(fb.session_id.in_(chunk), fb.kind.in_(_PAIN_KINDS))
                .order_by(fb.session_id, fb.at, fb.id)
            )
            found: dict[int, tuple[int | None, int | None]] = {}
            for session_id, kind, value in connection.execute(query).all():
                before, after = found.get(session_id, (None, None))
                if kind == FeedbackKind.PAIN_BEFORE:
                    before = _pain_value(value, before)
                else:
                    after = _pain_value(value, after)
                found[session_id] = (before, after)
            for session_id in chunk:
                self._looked_back[session_id] = found.get(session_id, (None, None))

    def of(self, row: Any) -> tuple[int | None, int | None]:
        """The session's pain before and after (None: not rated)."""
        looked_back = self._looked_back.get(row[_ID])
        if looked_back is not None:
            return looked_back
        return _PAIN_TEXT.get(row[_BEFORE]), _PAIN_TEXT.get(row[_AFTER])


def _scheduled(assignments: dict[int, list[_Cover]], days: list[date]) -> list[dict[int, int]]:
    """Who has a program on each of ``days`` (patient id: program id), day by day; most
    patients have one assignment in a window."""
    start = days[0]
    bits = [1 << day.weekday() for day in days]
    scheduled: list[dict[int, int]] = [{} for _ in days]
    on_days: dict[int | None, list[int]] = {}  # the days (indexes) of each set of weekdays
    for pid, covering in assignments.items():
        if len(covering) > 1:
            for i, day in enumerate(days):
                program = covering_program(covering, day)
                if program is not None:
                    scheduled[i][pid] = program
            continue
        a = covering[0]
        first = max(0, (a.start_date - start).days)
        last = len(days) - 1
        if a.end_date is not None:
            last = min(last, (a.end_date - start).days)
        program, weekdays = a.program_id, a.weekdays
        indexes = on_days.get(weekdays)
        if indexes is None:
            indexes = on_days[weekdays] = [
                i for i, bit in enumerate(bits) if weekdays is None or weekdays & bit
            ]
        for i in indexes[bisect_left(indexes, first) : bisect_right(indexes, last)]:
            scheduled[i][pid] = program
    return scheduled


def _last_at(row: Any) -> datetime:
    """When a session (a row with :data:`_TIMES`) was last active."""
    return max(m for m in row[_STARTED : _STARTED + 4] if m is not None)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _PatientLine:
    id: int
    code: str
    display_name: str
    active: bool


class _Known:
    """Patients and program names read so far in one report (read once, by the hundred):
    bounded by the clinic's size, not by the report's period."""

    def __init__(self) -> None:
        self.patients: dict[int, _PatientLine] = {}
        self.programs: dict[int, str] = {}

    def load_patients(self, session: Session, ids: set[int]) -> None:
        p = Patient
        for chunk in _chunks(sorted(ids - self.patients.keys()), 500):
            query = select(p.id, p.code, p.display_name, p.active).where(p.id.in_(chunk))
            for row in session.execute(query):
                self.patients[row.id] = _PatientLine(row.id, row.code, row.display_name, row.active)

    def load_programs(self, session: Session, ids: set[int]) -> None:
        for chunk in _chunks(sorted(ids - self.programs.keys()), 500):
            query = select(Program.id, Program.name).where(Program.id.in_(chunk))
            self.programs.update({pid: name for pid, name in session.execute(query)})


#: How a day's patients are ordered (by check-in code, as staff look them up).
_BY_CODE = attrgetter("code")


def _status(latest: Any | None) -> DayStatus:
    """The board's status from the day's latest session (a :func:`_summed_sessions` row)."""
    if latest is None:
        return DayStatus.SCHEDULED
    state = latest[_STATE]
    if state == SessionStatus.RUNNING:
        sets = latest[_COMPLETED] + latest[_SKIPPED] + latest[_STOPPED]
        return DayStatus.IN_PROGRESS if sets else DayStatus.CHECKED_IN
    if state == SessionStatus.FINISHED:
        return DayStatus.DONE
    return DayStatus.STOPPED


_FINISHED = SessionStatus.FINISHED.value


def _day_row(
    day: date, patient: _PatientLine, program_name: str | None, rows: list[Any],
    pains: _SessionPains,
) -> DayRow:  # fmt: skip
    """One patient's day from its sessions (:func:`_summed_sessions` rows, oldest first)."""
    if len(rows) == 1:  # most patient-days: one visit
        r = rows[0]
        before, after = pains.of(r)
        return DayRow(
            day, patient.id, patient.code, patient.display_name, program_name, 1,
            1 if r[_STATE] == _FINISHED else 0, r[_COMPLETED], r[_SKIPPED], r[_STOPPED],
            r[_PAINS], before, after, pains.difficulty.get(r[_ID], ()) if r[_RATED] else (),
            bool(r[_CALLS]),
        )  # fmt: skip
    rated = [pains.of(r) for r in rows]
    return DayRow(
        day=day,
        patient_id=patient.id,
        code=patient.code,
        display_name=patient.display_name,
        program_name=program_name,
        sessions_started=len(rows),
        sessions_finished=sum(1 for r in rows if r[_STATE] == _FINISHED),
        sets_completed=sum(r[_COMPLETED] for r in rows),
        sets_skipped=sum(r[_SKIPPED] for r in rows),
        sets_stopped=sum(r[_STOPPED] for r in rows),
        pain_events=sum(r[_PAINS] for r in rows),
        pain_before=next((b for b, _ in rated if b is not None), None),
        pain_after=next((a for _, a in reversed(rated) if a is not None), None),
        difficulty=tuple(w for r in rows for w in pains.difficulty.get(r[_ID], ())),
        called_staff=any(r[_CALLS] for r in rows),
    )


def _chunks(values: list[int], size: int) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
