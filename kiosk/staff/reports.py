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


#: What a spreadsheet takes a cell starting with to be a formula.
_FORMULA_STARTS = frozenset("=+-@\t\r")


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a program named "=..." stays text)."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text


#: A cell's yes or no, by truth (``_YES_NO[True]``).
_YES_NO = ("no", "yes")

#: A cell as :func:`csv_row` gives it: text, or a number or None (nothing), which the csv
#: module writes as it would ``str()`` them and as an empty cell.
Cell = str | int | None


def csv_row(row: DayRow) -> tuple[Cell, ...]:
    """``adherent`` is empty on a day without a program (nothing was prescribed). Numbers
    are left to the csv module to write (a report's rows: a ten-year one makes millions)."""
    (day, patient_id, _code, name, program, started, finished, completed, skipped, stopped,
     pains, before, after, difficulty, called) = row  # fmt: skip
    return (
        day.isoformat(),
        patient_id,
        _cell(name),
        _YES_NO[program is not None],
        "" if program is None else _cell(program),
        started,
        finished,
        "" if program is None else _YES_NO[finished > 0],
        completed,
        skipped,
        stopped,
        pains,
        before,
        after,
        _cell("; ".join(difficulty)) if difficulty else "",
        _YES_NO[called],
    )


#: What starts the file, so Excel reads it as UTF-8 (and shows accents).
BOM = "\ufeff"

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
        # The BOM written by hand: "utf-8-sig" would run its Python encoder at every row.
        with temporary.open("w", encoding="utf-8", newline="") as f:
            f.write(BOM)
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
