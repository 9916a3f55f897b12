"""The writes a visit asks of the database, as values: queued, journalled, replayed.

Each write is made the moment it happens, with a ``uid`` of its own, and refers to its
session by a :class:`SessionRef`: the session's own uid, never its row id (a session carried
on, whose records are replayed into a database restored from a backup, would otherwise land
in whichever session that backup gave the same row number). Writes turn into JSON lines for
the journal and back (:func:`to_entry`, :func:`from_entry`), and :func:`apply` performs one
against the database.
Applying a write twice changes nothing: that is what lets the writer retry, and the journal
replay after a crash, without ever logging a set twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from db.models import SessionStatus
from db.repositories.assessments import Answer, AssessmentLog, SideResult
from db.repositories.audit import audit
from db.repositories.patients import PatientNotFoundError, PatientRepository
from db.repositories.sessions import SessionAlreadyEndedError, SessionLog
from db.types import new_uid
from kiosk.core.records import FeedbackKind, PainEvent, SetRecord, SetStatus
from kiosk.core.timeline import Side

VERSION = 1


@dataclass(frozen=True)
class SessionRef:
    """Which session a write belongs to: its uid. ``id`` only for the lines of an older
    kiosk's ``*.unsaved.jsonl`` files, which knew nothing else (:func:`from_unsaved_line`)."""

    uid: str
    id: int | None = None


@dataclass(frozen=True)
class StartSession:
    """A new session (superseding the patient's sessions left running from before it)."""

    session: SessionRef
    patient_id: int
    program_id: int
    started_at: datetime
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class ReopenSession:
    """An unfinished session carried on: running again, into the same row."""

    session: SessionRef
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class LogSet:
    session: SessionRef
    record: SetRecord
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class LogPain:
    session: SessionRef
    event: PainEvent
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class LogFeedback:
    session: SessionRef
    kind: FeedbackKind
    value: str
    at: datetime
    exercise_index: int | None = None
    exercise_id: str | None = None
    set_number: int | None = None
    side: Side | None = None
    rep: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class FinishSession:
    """The session ended (finished, stopped); a second end changes nothing."""

    session: SessionRef
    state: SessionStatus
    ended_at: datetime
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class SaveCheck:
    """A balance check's sides, linked to the session it followed (if any)."""

    patient_id: int
    assessment_id: str
    results: tuple[SideResult, ...]
    at: datetime
    session: SessionRef | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class AuditNote:
    """Something the kiosk itself did, for the audit log (a wrong check-in code's
    fingerprint, never the code)."""

    actor: str
    action: str
    detail: str | None
    at: datetime
    uid: str = field(default_factory=new_uid)


@dataclass(frozen=True)
class SaveLanguage:
    """The language a patient chose at the kiosk, remembered for their next visit (None:
    the clinic's). Setting a value twice changes nothing, so a replay is harmless."""

    patient_id: int
    language: str | None
    uid: str = field(default_factory=new_uid)


Write = (
    StartSession
    | ReopenSession
    | LogSet
    | LogPain
    | LogFeedback
    | FinishSession
    | SaveCheck
    | AuditNote
    | SaveLanguage
)

_KINDS: dict[str, type[Any]] = {
    "start": StartSession,
    "reopen": ReopenSession,
    "set": LogSet,
    "pain": LogPain,
    "feedback": LogFeedback,
    "finish": FinishSession,
    "check": SaveCheck,
    "audit": AuditNote,
    "language": SaveLanguage,
}
_KIND_OF = {cls: kind for kind, cls in _KINDS.items()}


def is_set(write: Write) -> bool:
    return isinstance(write, LogSet)


# -- the journal's lines ---------------------------------------------------------------------


def to_entry(write: Write) -> dict[str, Any]:
    """One journal line: which write it is (``write``: its own fields may use any other name,
    a feedback's ``kind`` for one), its uid, and its fields in plain JSON."""
    body = {f.name: _plain(getattr(write, f.name)) for f in fields(write)}
    return {"v": VERSION, "write": _KIND_OF[type(write)], **body}


def from_entry(entry: dict[str, Any]) -> Write:
    """The write a journal line holds; ``ValueError`` for a line this version cannot read."""
    if entry.get("v") != VERSION or entry.get("write") not in _KINDS:
        raise ValueError(f"not a journal record of version {VERSION}: {entry.get('write')!r}")
    kind = entry["write"]
    values = {k: v for k, v in entry.items() if k not in ("v", "write")}
    try:
        if kind not in ("audit", "language"):
            values["session"] = _session(values.get("session"))
        for name in ("started_at", "at", "ended_at"):
            if name in values:
                values[name] = datetime.fromisoformat(values[name])
        if kind == "set":
            values["record"] = _set_record(values["record"])
        elif kind == "pain":
            values["event"] = _pain_event(values["event"])
        elif kind == "feedback":
            values["kind"] = FeedbackKind(values["kind"])
            values["side"] = None if values["side"] is None else Side(values["side"])
        elif kind == "finish":
            values["state"] = SessionStatus(values["state"])
        elif kind == "check":
            values["results"] = tuple(_side_result(r) for r in values["results"])
        return _KINDS[kind](**values)  # type: ignore[no-any-return]
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"a {kind} record that cannot be read: {error}") from error


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, SessionRef | SetRecord | PainEvent | SideResult):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value  # str (StrEnum too), int, float, bool, None


def _session(value: Any) -> SessionRef | None:
    return None if value is None else SessionRef(value["uid"], value.get("id"))


def _set_record(value: dict[str, Any]) -> SetRecord:
    return SetRecord(**{
        **value,
        "side": None if value["side"] is None else Side(value["side"]),
        "started_at": datetime.fromisoformat(value["started_at"]),
        "ended_at": datetime.fromisoformat(value["ended_at"]),
        "status": SetStatus(value["status"]),
    })  # fmt: skip


def _pain_event(value: dict[str, Any]) -> PainEvent:
    return PainEvent(**{
        **value,
        "side": None if value["side"] is None else Side(value["side"]),
        "at": datetime.fromisoformat(value["at"]),
    })  # fmt: skip


def _side_result(value: dict[str, Any]) -> SideResult:
    return SideResult(
        side=None if value["side"] is None else Side(value["side"]),
        held_s=value["held_s"],
        target_s=value["target_s"],
        answers=tuple(
            (question, None if answer is None else Answer(answer))
            for question, answer in value["answers"]
        ),
    )


# -- performing a write ---------------------------------------------------------------------


SessionIds = Callable[[SessionRef], int]


def apply(database: Engine, write: Write, session_id: SessionIds) -> int | None:
    """Perform ``write`` once; returns the session's row id when the write made or found it.

    ``session_id`` resolves a session reference to its row (the writer caches them). A
    session already ended answers a second end, or a carry-on, with nothing to do.
    """
    log = SessionLog(database)
    if isinstance(write, AuditNote):
        audit(database, write.actor, write.action, write.detail, at=write.at)
        return None
    if isinstance(write, SaveLanguage):
        with contextlib.suppress(PatientNotFoundError):  # erased meanwhile: nothing to keep
            PatientRepository(database).set_language(write.patient_id, write.language)
        return None
    if isinstance(write, StartSession):
        log.abandon_running_for(write.patient_id, write.started_at)
        return log.start(
            write.patient_id, write.program_id, write.started_at, uid=write.session.uid
        )
    if isinstance(write, SaveCheck):
        session = None if write.session is None else session_id(write.session)
        uids = tuple(f"{write.uid[:30]}{index:02d}" for index in range(len(write.results)))
        AssessmentLog(database).record(
            write.patient_id, write.assessment_id, write.results, write.at,
            session_id=session, uids=uids,
        )  # fmt: skip
        return None
    target = session_id(write.session)
    if isinstance(write, ReopenSession):
        with contextlib.suppress(SessionAlreadyEndedError):  # finished meanwhile (a replay)
            log.reopen(target)
    elif isinstance(write, LogSet):
        log.log_set(target, write.record, uid=write.uid)
    elif isinstance(write, LogPain):
        log.log_pain(target, write.event, uid=write.uid)
    elif isinstance(write, LogFeedback):
        log.log_feedback(
            target, write.kind, write.value, write.at,
            exercise_index=write.exercise_index, exercise_id=write.exercise_id,
            set_number=write.set_number, side=write.side, rep=write.rep, uid=write.uid,
        )  # fmt: skip
    else:
        with contextlib.suppress(SessionAlreadyEndedError):  # it ended once: that stays
            log.finish(target, write.state, write.ended_at)
    return target


# -- records an earlier version could not save --------------------------------------------------


def from_unsaved_line(line: str) -> Write | None:
    """A line of an earlier version's ``*.unsaved.jsonl`` (a set or a pain event the database
    would not take, with its session's id) as a write; None for a line that is not one.

    Its uid comes from the line itself, so importing the same file twice writes it once.
    """
    import hashlib
    import json

    try:
        row = json.loads(line)
        session = SessionRef("unsaved", int(row.pop("session_id")))
        kind = row.pop("kind")
        uid = hashlib.sha256(line.strip().encode()).hexdigest()[:32]
        if kind == "SetRecord":
            return LogSet(session, _set_record(row), uid=uid)
        if kind == "PainEvent":
            return LogPain(session, _pain_event(row), uid=uid)
    except (KeyError, TypeError, ValueError):
        return None
    return None
