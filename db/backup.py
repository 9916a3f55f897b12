"""An online backup of a SQLite database, checked, and the old backups rotated away.

The database is copied with SQLite's backup API while the kiosk goes on using it, never as a
file copy: a copy of the file alone misses the commits still in its write-ahead log, and a
copy taken while a commit is checkpointed can hold half of it. The backup API reads one
consistent snapshot (a read transaction: in WAL mode the kiosk's writes go on meanwhile and
are simply not in this backup), through SQLite, so the ``-wal``'s commits are in it.

The copy is written to a hidden ``.partial`` name in the backup folder, switched to the
rollback journal (a backup is a file at rest: nothing should ever appear beside it), synced,
checked with ``PRAGMA integrity_check``, and only then renamed to its own name
(:mod:`db.backup_files`) and the folder synced: a backup under its own name is always whole and
checked. A copy that fails the check means the database itself is damaged: it is removed, the
old backups are left alone (they may be the last good ones), and the database's sentence says
so. Backups are readable by the kiosk's user only (0600); a backup folder made here is 0700 (one
that exists, say a mounted USB stick, is left as it is).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db.backup_files import (
    KEEP_DAILY,
    KEEP_WEEKLY,
    backup_folder,
    backup_name,
    database_stem,
    rotation,
)
from db.integrity import file_problem
from db.problems import (
    DatabaseUnavailableError,
    Problem,
    check_readable_sqlite_file,
    damaged,
    database_problem,
)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
BUSY_TIMEOUT_S = 5.0
# What SQLite says when the copy cannot be read from the database (rather than written to the
# backup folder): those are the database's problems, every other failure is the folder's.
_SOURCE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class BackupError(Exception):
    """The backup could not be written (the backup folder's disk, not the database); the
    message is one sentence for IT."""


@dataclass(frozen=True)
class BackupDone:
    """What :func:`back_up` wrote and what it removed (old backups rotated away)."""

    written: Path
    size: int
    removed: tuple[Path, ...]


def back_up(
    database: Path,
    folder: Path | None = None,
    *,
    keep_daily: int = KEEP_DAILY,
    keep_weekly: int = KEEP_WEEKLY,
    now: datetime | None = None,
) -> BackupDone:
    """Back up the SQLite file ``database`` into ``folder`` (default:
    :func:`~db.backup_files.backup_folder`), then remove the backups :func:`rotation` does not
    keep. ``now`` (naive local time) names the backup.

    Raises :class:`~db.problems.DatabaseUnavailableError` for a database that is missing,
    empty or damaged (nothing is written or removed), and :class:`BackupError` if the folder
    will not take the backup.
    """
    check_readable_sqlite_file(database)
    folder = backup_folder(database) if folder is None else folder
    taken = datetime.now() if now is None else now
    target = folder / backup_name(database, taken)
    try:
        _make_folder(folder)
        with scratch(folder / f".{target.name}.partial") as partial:
            _copy(database, partial)
            problem = file_problem(partial)
            if problem is not None:
                raise damaged(database, f"integrity_check of a backup of it: {problem}")
            os.replace(partial, target)
            sync_folder(folder)
    except OSError as error:
        raise BackupError(
            f"The backup of {database} could not be written to {folder} "
            f"({error.strerror or error}). Check that disk and the folder's permissions."
        ) from error
    removed = _rotate(database, folder, keep_daily=keep_daily, keep_weekly=keep_weekly)
    return BackupDone(target, target.stat().st_size, removed)


def _make_folder(folder: Path) -> None:
    if folder.is_dir():
        return
    folder.mkdir(parents=True, mode=FOLDER_MODE)
    os.chmod(folder, FOLDER_MODE)  # whatever the umask


def _copy(database: Path, target: Path) -> None:
    """The database's snapshot into the new file ``target`` (0600), synced to the disk."""
    with private_file(target):
        pass
    # Read-only: the backup never writes to the live database (SQLite may still make the
    # -wal and -shm it needs to read a WAL database, as any reader does).
    source_uri = f"{database.resolve().as_uri()}?mode=ro"
    try:
        source = sqlite3.connect(source_uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as error:
        raise _database_problem(error, database) from error
    try:
        try:  # what the database says opening it is its own problem, not the folder's
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            raise _database_problem(error, database) from error
        copy = sqlite3.connect(target, isolation_level=None)
        try:
            try:
                source.backup(copy)  # every page in one step: one consistent snapshot
            except sqlite3.Error as error:
                if str(getattr(error, "sqlite_errorname", "")).startswith(_SOURCE_ERRORS):
                    raise _database_problem(error, database) from error
                raise _folder_error(error) from error
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()
    fd = os.open(target, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _database_problem(error: sqlite3.Error, database: Path) -> DatabaseUnavailableError:
    problem = database_problem(error, f"sqlite:///{database}")
    if problem is not None:
        return problem
    return DatabaseUnavailableError(
        f"The database file {database} cannot be read for a backup ({error}).",
        Problem.CANNOT_OPEN,
    )


def _folder_error(error: sqlite3.Error) -> OSError:
    """SQLite's failure to write the copy, as the OSError it stands for (the disk is full,
    the folder read-only): told as the folder's problem."""
    name = str(getattr(error, "sqlite_errorname", ""))
    return OSError(0, f"{error} ({name})" if name else str(error))


def _rotate(database: Path, folder: Path, *, keep_daily: int, keep_weekly: int) -> tuple[Path, ...]:
    names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    _keep, remove = rotation(
        names, database_stem(database), keep_daily=keep_daily, keep_weekly=keep_weekly
    )
    removed = []
    for name in remove:
        with contextlib.suppress(FileNotFoundError):  # another backup's rotation was first
            (folder / name).unlink()
            removed.append(folder / name)
    if removed:
        sync_folder(folder)
    return tuple(removed)


@contextlib.contextmanager
def scratch(path: Path) -> Iterator[Path]:
    """``path``, for a file being made there under a name of its own until it is whole: what
    is still there at the end of the block (it was not renamed into place) is removed."""
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def private_file(path: Path) -> Iterator[int]:
    """A new (or emptied) file at ``path`` for the kiosk's user only (0600, whatever the
    umask), open for writing: its descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        yield fd
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make the names just given in ``folder`` (a rename, a removal) survive a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
