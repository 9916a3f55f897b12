"""Load today's programs: preview a schedule file against the database, then import it.

The two steps the "Load today's programs" screen and ``kiosk import-programs`` share:
:func:`preview_file` (read, check everything, write nothing) and :func:`import_schedule`
(write a clean preview in one transaction). Parsing lives in
:mod:`kiosk.staff.schedule_import`, writing in :mod:`db.repositories.imports`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.staff.schedule_import import MAX_BYTES, PatientRef, Preview, Problem, preview_bytes
from kiosk.text import t, tn
from kiosk.text.dates import day_short

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.repositories.imports import ImportOutcome
    from media.schema import Library


class ImportRefusedError(ValueError):
    """The preview has problems (or no rows): nothing may be written (text: staff's words)."""


def program_name_for(day: date) -> str:
    """What the patient sees as an imported program's title, e.g. "Program for Mon 3 Mar".

    In the kiosk's language at the time of the import: the name is stored with the program.
    """
    return t("import.program_name", day=day_short(day))


def _lookup(database: Engine) -> _Lookup:
    return _Lookup(database)


class _Lookup:
    def __init__(self, database: Engine) -> None:
        self._database = database

    def __call__(self, codes: set[str]) -> Mapping[str, PatientRef]:
        from db.repositories.patients import PatientRepository

        found = PatientRepository(self._database).by_codes(codes)
        return {c: PatientRef(p.id, p.display_name, p.active) for c, p in found.items()}


def preview_file(database: Engine, path: Path, library: Library) -> Preview:
    """Read and check ``path``; an unreadable file is a preview with one problem."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as error:
        return Preview(
            filename=path.name,
            file_format="csv",
            rows=(),
            problems=(
                Problem(0, "", t("problem.file.unreadable", reason=error.strerror or error)),
            ),
            groups=(),
            content_sha256="",
        )
    return preview_bytes(data, path.name, library, _lookup(database))


def import_schedule(database: Engine, preview: Preview, *, actor: str) -> ImportOutcome:
    """Write a clean preview; raises :class:`ImportRefusedError` if it has any problem.

    Raises ``db.repositories.imports.ImportConflictError`` if the database changed since the
    preview in a way that matters (nothing is written then either). The text of both errors
    is for staff, in the kiosk's language.
    """
    from db.repositories.imports import ImportConflictError, ImportedDay, apply_import

    if not preview.ok:
        count = len(preview.problems)
        if not count:
            raise ImportRefusedError(t("problem.file.no_rows"))
        raise ImportRefusedError(tn("problem.import.refused", count, count=count))
    days = [
        ImportedDay(
            day=g.day,
            patient_id=g.patient_id,
            items=tuple(r.spec() for r in g.rows),
            program_name=program_name_for(g.day),
        )
        for g in preview.groups
    ]
    try:
        outcome = apply_import(
            database,
            days,
            actor=actor,
            filename=preview.filename,
            file_format=preview.file_format,
            content_sha256=preview.content_sha256,
            row_count=len(preview.rows),
        )
    except ImportConflictError as error:
        names = {g.patient_id: g.display_name for g in preview.groups}
        gone = [names.get(pid, str(pid)) for pid in error.patient_ids]
        if not gone:
            raise
        text = tn("problem.import.inactive", len(gone), names=", ".join(gone))
        raise ImportConflictError(text, error.patient_ids) from error
    _keep_languages(database, preview)
    return outcome


def _keep_languages(database: Engine, preview: Preview) -> None:
    """The file's ``language`` column becomes each patient's preferred language (setting it
    again changes nothing, like the programs already in place)."""
    from db.repositories.patients import PatientRepository

    repo = PatientRepository(database)
    for group in preview.groups:
        if group.language is not None:
            repo.set_language(group.patient_id, group.language)
