"""The tables, as typed ``Mapped[...]`` models on one :class:`Base`.

Written so several kiosks can share one PostgreSQL server: only portable types and SQL, enums
stored as short strings with named CHECK constraints (no native enum types to migrate), and a
naming convention on the metadata so Alembic can find and alter every constraint later.
Exercises are not a table: they live in the library files, so rows keep the exercise id.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from db.types import UTCDateTime
from db.validation import validate_display_name, validate_language
from kiosk.core.clock import utc_now
from kiosk.core.codes import validate_code
from kiosk.core.records import SetStatus
from kiosk.core.timeline import Side
from media.schema import SidePattern

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

EXERCISE_ID_MAX = 64


class SessionStatus(StrEnum):
    """Where a stored session ended up; ``abandoned``: the kiosk stopped before it ended."""

    RUNNING = "running"
    FINISHED = "finished"
    STOPPED = "stopped"
    ABANDONED = "abandoned"


def _enum(cls: type[StrEnum], name: str) -> Enum:
    """A portable enum column: the values (not the names) in a VARCHAR with a CHECK."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every datetime column is an aware UTC datetime (see db.types).
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Patient(Base):
    """A patient who checks in with a code; ``display_name`` is initials or a first name."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    display_name: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    #: The language the patient chose at the kiosk or staff set ("es"); None: the clinic's.
    language: Mapped[str | None] = mapped_column(String(16), default=None)

    @validates("display_name")
    def _check_display_name(self, _key: str, value: str) -> str:
        return validate_display_name(value)

    @validates("language")
    def _check_language(self, _key: str, value: str | None) -> str | None:
        return validate_language(value)

    @validates("code")
    def _check_code(self, _key: str, value: str) -> str:
        return validate_code(value)


class Program(Base):
    """A named, ordered list of exercises; ``side_series``: all on one side, then the other.

    ``is_template``: offered in the builder as a starting point, never assigned itself (an
    assignment gets its own copy, so editing a template never changes a patient's program).
    ``import_batch_id``: the schedule file this program came from, if any.
    """

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    side_series: Mapped[bool] = mapped_column(Boolean, default=False)
    routine_id: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    is_template: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    items: Mapped[list[ProgramItem]] = relationship(
        back_populates="program",
        order_by="ProgramItem.position",
        cascade="all, delete-orphan",
    )


class ProgramItem(Base):
    """One exercise of a program; a NULL dose field means "the library's default".

    The columns are named as the fields of ``kiosk.core.program_builder.DraftItem`` (a
    program item's spec and its variation), and ``db.repositories.programs`` maps them by
    those names: a new field of the spec is a new column here and a migration, nothing more.
    """

    __tablename__ = "program_items"
    __table_args__ = (UniqueConstraint("program_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(EXERCISE_ID_MAX))
    sets: Mapped[int | None] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    hold_s: Mapped[float | None] = mapped_column(Float)
    sides: Mapped[SidePattern | None] = mapped_column(_enum(SidePattern, "side_pattern"))
    rest_s: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    # A progression or regression of the exercise, by its name in the library (None: the
    # exercise itself); see kiosk.core.program_builder.
    variation: Mapped[str | None] = mapped_column(String(100))
    # Seconds per tempo phase in the library's order, comma-separated ("2,1.5,2"); NULL: the
    # library's tempo. Read and written by db.repositories.programs (item_row/stored_item).
    tempo: Mapped[str | None] = mapped_column(String(100))

    program: Mapped[Program] = relationship(back_populates="items")


class Assignment(Base):
    """A program given to a patient from ``start_date`` to ``end_date`` (NULL: open-ended).

    ``weekdays`` is a bit mask over ``date.weekday()`` (bit 0 Monday ... bit 6 Sunday);
    NULL means every day.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        CheckConstraint("weekdays IS NULL OR (weekdays >= 1 AND weekdays <= 127)", name="weekdays"),
        Index(None, "patient_id", "start_date"),
        # The assignments still running on a day, without reading the ended ones (0009).
        Index(None, "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    weekdays: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ExerciseSession(Base):
    """One visit to the kiosk: a patient running a program."""

    __tablename__ = "sessions"
    # A day or period of the whole clinic, and one patient's period (migration 0009).
    __table_args__ = (Index(None, "started_at"), Index(None, "patient_id", "started_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made when the record happened; the writer inserts it once (migration 0005).
    uid: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    state: Mapped[SessionStatus] = mapped_column(
        _enum(SessionStatus, "state"), default=SessionStatus.RUNNING
    )


class SetRow(Base):
    """One finished (or skipped, or stopped) set, written the moment it ends."""

    __tablename__ = "set_records"
    # A session's sets counted by status, and when the last ended, from the index alone
    # (migration 0009).
    __table_args__ = (Index(None, "session_id", "status", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made when the record happened; the writer inserts it once (migration 0005).
    uid: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    exercise_index: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(EXERCISE_ID_MAX))
    set_number: Mapped[int] = mapped_column(Integer)
    side: Mapped[Side | None] = mapped_column(_enum(Side, "side"))
    reps_target: Mapped[int | None] = mapped_column(Integer)
    reps_done: Mapped[int | None] = mapped_column(Integer)
    hold_target_s: Mapped[float | None] = mapped_column(Float)
    hold_done_s: Mapped[float | None] = mapped_column(Float)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    paused_s: Mapped[float] = mapped_column(Float)
    status: Mapped[SetStatus] = mapped_column(_enum(SetStatus, "status"))


class PainEventRow(Base):
    """The patient pressed "It hurts"; where in the session it happened, as far as known."""

    __tablename__ = "pain_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made when the record happened; the writer inserts it once (migration 0005).
    uid: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    exercise_index: Mapped[int | None] = mapped_column(Integer)
    exercise_id: Mapped[str | None] = mapped_column(String(EXERCISE_ID_MAX))
    set_number: Mapped[int | None] = mapped_column(Integer)
    side: Mapped[Side | None] = mapped_column(_enum(Side, "side"))
    rep: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime]


class FeedbackEventRow(Base):
    """Other feedback from the patient (``kind`` e.g. "difficulty", ``value`` e.g. "easy")."""

    __tablename__ = "feedback_events"
    # A session's last rating of a kind, found without sorting (migration 0009).
    __table_args__ = (Index(None, "session_id", "kind", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made when the record happened; the writer inserts it once (migration 0005).
    uid: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    exercise_index: Mapped[int | None] = mapped_column(Integer)
    exercise_id: Mapped[str | None] = mapped_column(String(EXERCISE_ID_MAX))
    set_number: Mapped[int | None] = mapped_column(Integer)
    side: Mapped[Side | None] = mapped_column(_enum(Side, "side"))
    rep: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class AssessmentResult(Base):
    """One side of a self-check (the single-leg stance): how long it was held, and the
    patient's yes/no answers to what to watch for, as JSON text ``[{"question", "answer"}]``
    (the questions' words as asked, so a later change to the library cannot reword old
    answers). ``session_id`` links a check done after a session; NULL when done before one.
    """

    __tablename__ = "assessment_results"
    __table_args__ = (Index(None, "patient_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made when the record happened; the writer inserts it once (migration 0005).
    uid: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"))
    assessment_id: Mapped[str] = mapped_column(String(EXERCISE_ID_MAX))
    side: Mapped[Side | None] = mapped_column(_enum(Side, "side"))
    held_s: Mapped[float | None] = mapped_column(Float)
    target_s: Mapped[float | None] = mapped_column(Float)
    answers: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class StaffUser(Base):
    """A member of staff; only the scrypt hash of the PIN is stored (see kiosk.core.pin)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class AuditEntryRow(Base):
    """Who did what and when: staff actions and notable system events.

    Read newest first, by kind of action and period (the staff audit viewer, the sign-in
    lock's counts): the index on (action, at) answers those without reading a year of rows.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(Text)


class ClinicSetting(Base):
    """One clinic setting as JSON text; typed, with defaults, in db.repositories.settings.

    Key/value rather than one column per setting: a new setting needs no migration, and every
    kiosk sharing a server sees the same values.
    """

    __tablename__ = "clinic_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class ImportBatch(Base):
    """One imported schedule file: what it held and how many programs it actually wrote."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the file's parsed content, so re-saving it in another editor is still "the same".
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    actor: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    programs_written: Mapped[int] = mapped_column(Integer)


class RetiredCode(Base):
    """A check-in code taken out of use (regenerated, or its patient erased); kept so it is
    never given out again. ``patient_id`` NULL: the patient was erased (migration 0008)."""

    __tablename__ = "retired_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    retired_at: Mapped[datetime] = mapped_column(default=utc_now)


class CheckInLockoutRow(Base):
    """The check-in lockout of the whole clinic, one row (``id`` 1): the last pause, its step
    and the key wrong codes are fingerprinted with (``kiosk.core.lockout``). Kiosks take this
    row's lock before changing it, so two kiosks cannot both count the same moment alone."""

    __tablename__ = "checkin_lockout"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hex: Mapped[str] = mapped_column(String(64))
    paused_at: Mapped[datetime | None]
    paused_until: Mapped[datetime | None]
    pauses: Mapped[int] = mapped_column(Integer, default=0)
    paused_after: Mapped[int] = mapped_column(Integer, default=0)


class CheckInWrongCodeRow(Base):
    """A wrong check-in code counted towards the next pause: its keyed fingerprint, never the
    code. Deleted when a pause starts and when it leaves the window."""

    __tablename__ = "checkin_wrong_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    fingerprint: Mapped[str] = mapped_column(String(16))
