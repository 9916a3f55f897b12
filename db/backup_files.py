"""Where a SQLite database's backups go, what they are called, and which of them to keep.

Backups of ``/var/lib/kiosk/kiosk.sqlite3`` go to ``$KIOSK_BACKUP_DIR`` if it is set, else to
``backups/`` beside the database, and are named for the database and the moment they were
taken, in the machine's local time (the clinic's: "last night's backup" is the one dated last
night): ``kiosk-2026-03-02T021500.sqlite3``. A name with the date alone
(``kiosk-2026-03-02.sqlite3``, one made by hand) counts as taken at midnight. The database's
name leads, so the backups of two databases sharing a folder never mix, and a file of any other
name in the folder is never counted, kept or removed.

:func:`rotation` decides which backups stay, from their names alone (a pure function, tested
over years of dates): the newest of each of the ``keep_daily`` most recent days that have a
backup, and the newest of each of the ``keep_weekly`` most recent ISO weeks that have one.
Days and weeks *that have a backup*, not calendar days: a kiosk switched off for a month still
has its last seven nightly backups when it comes back, rather than none.

Light on purpose (no SQLite, no SQLAlchemy): :mod:`db.problems` names the newest backup in its
sentence about a damaged database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

#: A folder for the backups instead of ``backups/`` beside the database.
BACKUP_DIR_ENV = "KIOSK_BACKUP_DIR"
BACKUP_FOLDER_NAME = "backups"
SUFFIX = ".sqlite3"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_STAMP = "%Y-%m-%dT%H%M%S"
_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2})(?:T(\d{6}))?" + re.escape(SUFFIX) + r"\Z")


@dataclass(frozen=True)
class Backup:
    """One backup file: its name and when it was taken (naive local time)."""

    name: str
    taken: datetime


def database_stem(database: Path) -> str:
    """What a backup's name starts with: the database's name without its last suffix."""
    return database.stem or database.name


def backup_folder(database: Path) -> Path:
    """The folder a database's backups go to when none is given (see the module docstring)."""
    configured = os.environ.get(BACKUP_DIR_ENV, "").strip()
    if configured:
        return Path(configured)
    return database.parent / BACKUP_FOLDER_NAME


def backup_name(database: Path, taken: datetime) -> str:
    """The file name of a backup of ``database`` taken at ``taken`` (to the second)."""
    return f"{database_stem(database)}-{taken.strftime(_STAMP)}{SUFFIX}"


def parse_backup_name(name: str, stem: str) -> Backup | None:
    """The backup a file name stands for, or None if it is not one of ``stem``'s."""
    if not name.startswith(stem):
        return None
    match = _DATED.fullmatch(name, len(stem))
    if match is None:
        return None
    day, time = match.groups()
    try:
        taken = datetime.strptime(f"{day}T{time or '000000'}", _STAMP)
    except ValueError:  # 2026-02-30, 25:00: not a moment
        return None
    return Backup(name, taken)


def newest_first(names: Iterable[str], stem: str) -> list[Backup]:
    """The names that are ``stem``'s backups, newest first (the same moment: by name)."""
    found = [b for b in (parse_backup_name(n, stem) for n in names) if b is not None]
    return sorted(found, key=lambda b: (b.taken, b.name), reverse=True)


def backups_of(database: Path, folder: Path | None = None) -> list[Backup]:
    """The backups of ``database`` in ``folder`` (default: :func:`backup_folder`), newest
    first; none if the folder is missing or cannot be read."""
    folder = backup_folder(database) if folder is None else folder
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return []
    return newest_first(names, database_stem(database))


def rotation(
    names: Iterable[str], stem: str, *, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY
) -> tuple[list[str], list[str]]:
    """Which of ``stem``'s backups to keep and which to remove, each newest first.

    Kept: the newest backup of each of the ``keep_daily`` most recent days that have one, and
    the newest of each of the ``keep_weekly`` most recent ISO weeks that have one (a backup
    may be kept for both). Names that are not ``stem``'s backups are in neither list. With
    ``keep_daily`` at least 1 the newest backup is always kept.
    """
    if keep_daily < 0 or keep_weekly < 0:
        raise ValueError("keep_daily and keep_weekly cannot be negative")
    backups = newest_first(names, stem)
    kept: set[str] = set()
    for count, period in ((keep_daily, _day), (keep_weekly, _iso_week)):
        seen: set[tuple[int, int, int] | tuple[int, int]] = set()
        for backup in backups:
            if len(seen) == count:
                break
            key = period(backup.taken)
            if key not in seen:
                seen.add(key)
                kept.add(backup.name)
    keep = [b.name for b in backups if b.name in kept]
    remove = [b.name for b in backups if b.name not in kept]
    return keep, remove


def _day(taken: datetime) -> tuple[int, int, int]:
    return (taken.year, taken.month, taken.day)


def _iso_week(taken: datetime) -> tuple[int, int]:
    year, week, _ = taken.isocalendar()
    return (year, week)
