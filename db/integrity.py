"""Whether a SQLite file is whole: ``quick_check`` at every start, ``integrity_check`` on every
backup written or brought back.

The first queries at start-up read the schema and one small table, so a page damaged deep in a
table (a disk that wrote garbage, a power cut on a disk that lies about its cache) went unseen
until a patient's session or a staff report reached it, and the nightly backup copied the
damage. ``PRAGMA quick_check`` reads every page of the file and checks each b-tree's structure
(all but the indexes' agreement with their tables, which ``integrity_check`` adds), so a
damaged database is refused at start with the sentence that says to restore it
(:func:`db.problems.damaged`). What it costs on a large clinic is in ``docs/database.md``
("Backups").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from db.problems import damaged

#: How much of SQLite's first complaint a sentence quotes.
_DETAIL_CHARS = 160


def verdict(rows: Iterable[Any]) -> str | None:
    """None if a check's rows say ``ok``; else its first complaint, cut short, and whether
    there are more (SQLite's heading ``*** in database main ***`` left out)."""
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    complaints = [line for line in lines if line and not line.startswith("***")]
    if lines == ["ok"]:
        return None
    if not complaints:
        return "no answer" if not lines else " ".join(lines)[:_DETAIL_CHARS]
    first = complaints[0]
    if len(first) > _DETAIL_CHARS:
        first = first[: _DETAIL_CHARS - 1] + "…"
    return first + (", and more" if len(complaints) > 1 else "")


def check_at_start(engine: Engine, path: Path) -> None:
    """Raise :func:`~db.problems.damaged` if ``quick_check`` finds the database damaged.

    SQLite may also stop the check with an error of its own (``database disk image is
    malformed``); that propagates, and :mod:`db.problems` tells it as damage too.
    """
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA quick_check(10)").fetchall()
    problem = verdict(rows)
    if problem is not None:
        raise damaged(path, f"quick_check: {problem}")


def file_problem(path: Path, *, quick: bool = False) -> str | None:
    """What ``integrity_check`` (or ``quick_check``) finds wrong with a file at rest (a
    backup), or None if it is whole; SQLite's own error (not a database, malformed) is
    returned as the complaint.

    Opened read-only and ``immutable``: nothing is written beside the file (no ``-wal`` or
    ``-shm`` in the backup folder), and no lock is taken.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        return str(error)
    try:
        pragma = "quick_check" if quick else "integrity_check"
        return verdict(connection.execute(f"PRAGMA {pragma}(10)").fetchall())
    except sqlite3.Error as error:
        return str(error)
    finally:
        connection.close()
