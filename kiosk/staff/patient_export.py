"""A patient's data export (the right of access): everything held about them, as JSON.

The document (docs/security.md, "Export for the patient", describes it)::

    {"schema": "clinic-gym-kiosk/patient-export", "version": 1,
     "exported_at": "2026-12-06T10:00:00+00:00", "patient_id": 12,
     "tables": {"patients": [{...}], "retired_codes": [...], ..., "audit_log": [...]}}

``tables`` holds every row of every table about the patient, each row with all its columns
by their names in ``docs/database.md`` (:mod:`db.repositories.patient_data`). The file is
written whole under a temporary name and renamed (a file that exists is complete), readable by
its owner only (0600): it holds health data and the patient's check-in code.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from db.repositories.patient_data import Rows, patient_data

SCHEMA = "clinic-gym-kiosk/patient-export"
VERSION = 1
FILE_MODE = 0o600


def export_document(database: Engine, patient_id: int, *, now: datetime) -> dict[str, Any]:
    """The export of one patient; raises ``PatientNotFoundError``."""
    tables: dict[str, Rows] = patient_data(database, patient_id)
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "patient_id": patient_id,
        "tables": tables,
    }


def write_private_json(path: Path, document: dict[str, Any]) -> None:
    """``document`` to ``path``, 0600, whole or not at all (``OSError`` if it cannot be)."""
    temporary = path.with_name(f".{path.name}.part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # an older .part file kept its own mode
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
