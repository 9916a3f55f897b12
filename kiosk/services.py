"""The kiosk's services behind the screens: check-in, today's program, and the session log.

Qt-free, so the whole patient flow (code → program → timeline → engine → rows in the
database) can be driven from plain tests, and the UI stays a thin layer over it. Heavy modules
(SQLAlchemy via ``db``, the library loader, the compiler) are imported inside the methods: the
window paints its first frame before any of them load.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.clock import Clock
from kiosk.core.events import Event, PainReported, SessionEnded, SetFinished
from kiosk.core.records import PainEvent, SetRecord

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.repositories.assessments import SideResult
    from db.repositories.patients import PatientInfo
    from db.repositories.sessions import SessionLog
    from db.repositories.settings import ClinicSettings
    from kiosk.core.engine import SessionEngine
    from kiosk.core.prescription import Prescription, Program
    from kiosk.core.timeline import Timeline
    from kiosk.visit import ResumeOffer, RunningSession, StanceCheck
    from media.schema import Library
    from voice.settings import VoiceSettings

log = logging.getLogger(__name__)

WallClock = Callable[[], datetime]


@dataclass(frozen=True)
class CheckIn:
    """A patient who has a program today, with the program compiled and ready to run."""

    patient: PatientInfo
    program_id: int
    program: Program
    timeline: Timeline

    @property
    def display_name(self) -> str:
        return self.patient.display_name


class SessionLogger:
    """Writes a session to the database as it happens: each finished set the moment it ends.

    A listener of the session engine, subscribed before any screen so a set is durable before
    anything reacts to it. A write that fails (a locked or unreachable database) never loses the
    set and never stops the coaching: the record waits in memory and is retried with every
    later event; if the session ends with writes still failing, the waiting records go to a
    JSON-lines journal file beside the database (``unsaved_path``) and an error is logged.
    """

    def __init__(
        self,
        session_log: SessionLog,
        session_id: int,
        wall_clock: WallClock,
        unsaved_path: Path | None = None,
    ) -> None:
        self._log = session_log
        self.session_id = session_id
        self._wall_clock = wall_clock
        self._unsaved_path = unsaved_path
        self._pending: deque[SetRecord | PainEvent] = deque()

    @property
    def pending(self) -> tuple[SetRecord | PainEvent, ...]:
        return tuple(self._pending)

    def __call__(self, event: Event) -> None:
        if isinstance(event, SetFinished):
            self._pending.append(event.record)
        elif isinstance(event, PainReported):
            self._pending.append(event.event)
        self._flush()
        if isinstance(event, SessionEnded):
            self._end(event)

    def _flush(self) -> None:
        while self._pending:
            item = self._pending[0]
            try:
                if isinstance(item, PainEvent):
                    self._log.log_pain(self.session_id, item)
                else:
                    self._log.log_set(self.session_id, item)
            except Exception:
                log.warning(
                    "session %s: could not write to the database yet; %d record(s) waiting",
                    self.session_id,
                    len(self._pending),
                    exc_info=True,
                )
                return
            self._pending.popleft()

    def _end(self, event: SessionEnded) -> None:
        from db.models import SessionStatus

        if self._pending:
            self._save_unsaved()
        self._log.finish(self.session_id, SessionStatus(event.state.value), self._wall_clock())

    def _save_unsaved(self) -> None:
        """Last resort: keep what the database would not take in a file staff can recover."""
        if self._unsaved_path is None:
            log.error("session %s: %d record(s) could not be saved and no journal is set: %r",
                      self.session_id, len(self._pending), list(self._pending))  # fmt: skip
            return
        import json

        self._unsaved_path.parent.mkdir(parents=True, exist_ok=True)
        with self._unsaved_path.open("a", encoding="utf-8") as journal:
            for item in self._pending:
                row = {"session_id": self.session_id, "kind": type(item).__name__}
                row.update({k: _jsonable(v) for k, v in vars(item).items()})
                journal.write(json.dumps(row) + "\n")
        log.error(
            "session %s: %d record(s) could not be written to the database; saved to %s",
            self.session_id,
            len(self._pending),
            self._unsaved_path,
        )
        self._pending.clear()


def unsaved_journal_path(database_url: str) -> Path:
    """Where records the database would not take are kept: beside a SQLite file, else in the
    user data directory (a shared PostgreSQL server that is down must not lose this kiosk's sets).
    """
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_suffix(".unsaved.jsonl")
    from platformdirs import user_data_dir

    return Path(user_data_dir("clinic-gym-kiosk")) / "unsaved.jsonl"


def _jsonable(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


class KioskServices:
    """Check-in and sessions over one database and the exercise library.

    Build with :meth:`open` (resolves the URL, migrates, optionally adds the demo patients).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        library: Library | None = None,
        today: Callable[[], date] = date.today,
        unsaved_path: Path | None = None,
    ) -> None:
        self._engine = engine
        self._library = library
        self._today = today
        self._unsaved_path = unsaved_path

    @classmethod
    def open(
        cls,
        database_url: str | None = None,
        *,
        demo_data: bool = False,
        library: Library | None = None,
        today: Callable[[], date] = date.today,
    ) -> KioskServices:
        """Open (and migrate) the database; ``demo_data`` fills an empty one with demo patients."""
        from db.connection import open_database, resolve_database_url

        url = resolve_database_url(database_url)
        engine = open_database(url)
        if demo_data:
            from db.demo import ensure_demo_data

            ensure_demo_data(engine, today())
        return cls(engine, library=library, today=today, unsaved_path=unsaved_journal_path(url))

    @property
    def engine(self) -> Engine:
        """The database, for the staff screens' repositories (``kiosk/ui/staff_mode``)."""
        return self._engine

    def today(self) -> date:
        """The clinic's day, as check-in sees it (tests and tools pass their own)."""
        return self._today()

    @property
    def library(self) -> Library:
        if self._library is None:
            from media.loader import load_library

            self._library = load_library()
        return self._library

    def clinic_settings(self) -> ClinicSettings:
        """The clinic's settings as stored now (staff may change them at any time)."""
        from db.repositories.settings import SettingsRepository

        return SettingsRepository(self._engine).load()

    def audit(self, action: str, detail: str | None = None) -> None:
        """Record something the kiosk itself did (actor ``kiosk``), e.g. a wrong check-in
        code's fingerprint: never a code in clear."""
        from db.repositories.audit import audit

        audit(self._engine, "kiosk", action, detail)

    def warm_up(self) -> None:
        """Import and load what a check-in needs, so the first patient does not wait for it."""
        _ = self.library
        import kiosk.core.compiler
        import kiosk.core.engine  # noqa: F401

    def check_in(self, code: str) -> CheckIn | None:
        """The patient with ``code`` and today's program, or None.

        None both for an unknown code and for a patient with nothing today: the screen shows
        one neutral message either way, so the kiosk never tells anyone which codes exist.
        """
        from kiosk.core.codes import InvalidCheckInCodeError, validate_code

        try:
            code = validate_code(code)  # the one rule for what a code looks like
        except InvalidCheckInCodeError:
            return None
        from db.repositories.patients import PatientRepository
        from db.repositories.programs import ProgramRepository
        from kiosk.core.compiler import compile_program
        from kiosk.core.prescription import PrescriptionError, build_program

        patient = PatientRepository(self._engine).find_by_code(code)
        if patient is None:
            return None
        assigned = ProgramRepository(self._engine).program_for(patient.id, self._today())
        if assigned is None:
            return None
        try:
            program = build_program(
                assigned.name,
                assigned.items,
                self.library.exercises,
                side_series=assigned.side_series,
            )
        except PrescriptionError:
            # A staff configuration problem (an exercise removed from the library): the patient
            # sees the neutral message; staff find the reason in the log.
            log.exception("program %s for patient %s cannot be built", assigned.id, patient.id)
            return None
        return CheckIn(
            patient=patient,
            program_id=assigned.id,
            program=program,
            timeline=compile_program(program),
        )

    def estimate_minutes(self, prescription: Prescription) -> int:
        """Whole minutes for one exercise card, never less than 1."""
        from kiosk.core.compiler import estimate_duration_s

        return max(1, round(estimate_duration_s(prescription) / 60))

    def start_session(self, checkin: CheckIn, clock: Clock, wall_clock: WallClock) -> SessionEngine:
        """A session engine, not yet started, whose sets are logged as they finish.

        The logger is subscribed first, so a set is in the database before any screen reacts
        to it. The caller subscribes its own listeners, then calls ``start()``.
        """
        return self.begin_session(checkin, clock, wall_clock).engine

    # -- a visit: feedback, carrying on, the balance check (kiosk/visit.py) --------------------

    def begin_session(
        self,
        checkin: CheckIn,
        clock: Clock,
        wall_clock: WallClock,
        *,
        resume: ResumeOffer | None = None,
    ) -> RunningSession:
        """A session ready to start at ``from_step``, logged set by set, with its feedback.

        A fresh session supersedes any of the patient's sessions still marked running (left by
        a crash or a walk-away: they become abandoned). ``resume`` carries on an unfinished
        one instead: the same row, marked running again, starting at its first set not done.
        """
        from db.repositories.sessions import SessionLog
        from kiosk.core.engine import SessionEngine
        from kiosk.core.records import FeedbackKind
        from kiosk.visit import FeedbackRecorder, RunningSession

        session_log = SessionLog(self._engine)
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
        engine.subscribe(SessionLogger(session_log, session_id, wall_clock, self._unsaved_path))
        return RunningSession(
            engine=engine,
            session_id=session_id,
            from_step=resume.point.step_index if resume is not None else 0,
            feedback=feedback,
            earlier=resume.earlier if resume is not None else (),
        )

    def resume_offer(self, checkin: CheckIn, now: datetime) -> ResumeOffer | None:
        """Today's unfinished session of this program, active within ``RESUME_WITHIN`` of
        ``now``, with sets still to do; None when there is nothing to carry on."""
        from db.repositories.sessions import SessionLog
        from kiosk.core.resume import resume_point
        from kiosk.visit import RESUME_WITHIN, ResumeOffer, day_start, done_keys

        found = SessionLog(self._engine).resumable(
            checkin.patient.id,
            checkin.program_id,
            now,
            RESUME_WITHIN,
            since=day_start(now.astimezone().date()),  # the same (local) day as ``now``
        )
        if found is None:
            return None
        point = resume_point(checkin.timeline, done_keys(found.sets))
        if point is None:  # nothing done yet, or everything: start afresh
            return None
        return ResumeOffer(found.id, found.state.value, point, found.sets)

    def safety_reminder(self) -> str | None:
        """The library's one-line "stop if it hurts" note for the welcome screen."""
        for note in self.library.safety:
            text = note.text.lower()
            if "hurt" in text and "stop" in text:
                return note.text
        return None

    def stance_check(self) -> StanceCheck | None:
        """The library's balance check, compiled (None if the library has none)."""
        from kiosk.visit import STANCE_CHECK_ID, stance_check

        assessment = self.library.assessments.get(STANCE_CHECK_ID)
        return None if assessment is None else stance_check(assessment)

    def save_stance_check(
        self,
        patient_id: int,
        check: StanceCheck,
        results: Sequence[SideResult],
        at: datetime,
        *,
        session_id: int | None = None,
    ) -> None:
        """Store every side of one balance check (raises if the database refuses)."""
        from db.repositories.assessments import AssessmentLog

        AssessmentLog(self._engine).record(
            patient_id, check.assessment.id, results, at, session_id=session_id
        )

    def voice_defaults(self) -> VoiceSettings | None:
        """The voice defaults staff set on the settings screen (None if they cannot be read:
        the voice then starts from its built-in defaults)."""
        from db.repositories.settings import SettingsRepository
        from voice.settings import clinic_defaults

        try:
            clinic = SettingsRepository(self._engine).load()
        except Exception:
            log.exception("clinic settings unreadable; the voice uses its built-in defaults")
            return None
        return clinic_defaults(
            enabled=clinic.voice_enabled,
            volume_percent=clinic.voice_volume,
            rate_wpm=clinic.voice_rate_wpm,
            voice_name=clinic.voice_name,
        )

    def close(self) -> None:
        self._engine.dispose()
