"""The CSV export: one row per patient per day (``kiosk report`` and the staff screen).

Columns are documented in docs/staff.md; they are fixed so a clinic's spreadsheet keeps
working across versions (new columns are only ever added at the end). The patient is named by
their id, never their check-in code: the code opens the kiosk as them (a bearer credential),
and a report travels on USB sticks and by e-mail.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from db.repositories.progress import DayRow

COLUMNS = (
    "date",
    "patient_id",
    "display_name",
    "scheduled",
    "program",
    "sessions_started",
    "sessions_finished",
    "adherent",
    "sets_completed",
    "sets_skipped",
    "sets_stopped",
    "pain_events",
    "pain_before",
    "pain_after",
    "difficulty",
    "called_staff",
)


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a program named "=..." stays text)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def csv_row(row: DayRow) -> list[str]:
    """``adherent`` is empty on a day without a program (nothing was prescribed)."""
    return [
        row.day.isoformat(),
        str(row.patient_id),
        _cell(row.display_name),
        _yes_no(row.scheduled),
        _cell(row.program_name or ""),
        str(row.sessions_started),
        str(row.sessions_finished),
        _yes_no(row.done) if row.scheduled else "",
        str(row.sets_completed),
        str(row.sets_skipped),
        str(row.sets_stopped),
        str(row.pain_events),
        "" if row.pain_before is None else str(row.pain_before),
        "" if row.pain_after is None else str(row.pain_after),
        _cell("; ".join(row.difficulty)),
        _yes_no(row.called_staff),
    ]


#: Rows between two calls of a report's ``progress`` callback.
PROGRESS_EVERY = 2_000


def write_report_csv(
    rows: Iterable[DayRow], path: Path, progress: Callable[[int], object] | None = None
) -> int:
    """Write the header and every row (UTF-8 with a BOM, so Excel shows accents); returns
    the number of data rows. Written to a temporary file first, so a failed export never
    leaves half a report where the old one was (nor the half-written file beside it).

    ``rows`` is read as it is written (``ProgressQueries.iter_day_rows``): a year of a busy
    clinic never sits in memory. ``progress(rows so far)`` every :data:`PROGRESS_EVERY` rows.
    """
    temporary = path.with_name(path.name + ".part")
    count = 0
    try:
        with temporary.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow(csv_row(row))
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count
