"""Erasing a patient wherever the kiosk keeps them: the database, and the journals of records
the database has not taken yet.

:func:`db.repositories.erasure.erase_patient` deletes the rows; this drops the patient's
records from the journal (``kiosk.pending.jsonl`` and its fallback) and from an earlier
version's ``*.unsaved.jsonl`` files (imported ones too), so a restart can never write them
back. A record is the patient's if it names them (a session's start, a balance check) or one
of their sessions (by uid; by row id in the earlier version's files).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from db.repositories.erasure import Erased
from db.repositories.erasure import erase_patient as erase_rows
from kiosk.patient.journal import Journal, legacy_unsaved_path

log = logging.getLogger(__name__)


def erase_patient(
    database: Engine, patient_id: int, *, actor: str, journal: Journal | None
) -> Erased:
    """Delete the patient and their records, saved or still waiting in ``journal``."""
    erased = erase_rows(database, patient_id, actor=actor)
    if journal is not None:
        dropped = forget_in_journal(journal, patient_id, erased.session_uids, erased.session_ids)
        if dropped:
            log.info("erasure: %d unsaved record(s) of %s dropped", dropped, erased.pseudonym)
    return erased


def unsaved_of(
    journal: Journal, patient_id: int, session_uids: Iterable[str], session_ids: Iterable[int]
) -> int:
    """How many of the patient's records the journal holds (none once all is saved)."""
    entries = journal.read()
    uids = _uids(entries, patient_id, session_uids)
    return sum(1 for e in entries if _theirs(e, patient_id, uids, set(session_ids)))


def forget_in_journal(
    journal: Journal, patient_id: int, session_uids: Iterable[str], session_ids: Iterable[int]
) -> int:
    """Drop the patient's records from the journal and the earlier version's files; returns
    how many went."""
    entries = journal.read()
    uids = _uids(entries, patient_id, session_uids)
    ids = set(session_ids)
    keep = [e for e in entries if not _theirs(e, patient_id, uids, ids)]
    dropped = len(entries) - len(keep)
    if dropped and not journal.rewrite(keep):
        raise OSError(f"the journal {journal.primary} could not be rewritten")
    legacy = legacy_unsaved_path(journal.primary)
    for path in (legacy, legacy.with_name(legacy.name + ".imported")):
        dropped += _forget_in_lines(path, ids)
    return dropped


def _uids(
    entries: list[dict[str, Any]], patient_id: int, session_uids: Iterable[str]
) -> set[str | None]:
    """The patient's sessions: in the database, and (started but not yet there) known by a
    record of the journal that names the patient."""
    return set(session_uids) | {
        _session_uid(e) for e in entries if e.get("patient_id") == patient_id
    }


def _session_uid(entry: dict[str, Any]) -> str | None:
    session = entry.get("session")
    return session.get("uid") if isinstance(session, dict) else None


def _theirs(entry: dict[str, Any], patient_id: int, uids: set[str | None], ids: set[int]) -> bool:
    if entry.get("patient_id") == patient_id:
        return True
    session = entry.get("session")
    if not isinstance(session, dict):
        return False
    return session.get("uid") in uids or session.get("id") in ids


def _forget_in_lines(path: Path, session_ids: set[int]) -> int:
    """An earlier version's file: one JSON object a line, each with its ``session_id``."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    except FileNotFoundError:
        return 0
    keep = [line for line in lines if _line_session(line) not in session_ids]
    if len(keep) == len(lines):
        return 0
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.writelines(keep)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return len(lines) - len(keep)


def _line_session(line: str) -> int | None:
    try:
        value = json.loads(line).get("session_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None
