"""Bringing a backup back in place of a SQLite database, never under a running kiosk.

In order, each step before anything is changed for good:

1. The backup must be whole (``PRAGMA integrity_check``) and a kiosk database (it has the
   kiosk's schema history); else it is refused and nothing has changed.
2. The database's folder is locked exclusively (:mod:`db.in_use`): if a kiosk runs on it the
   restore is refused; a kiosk that starts meanwhile waits for the restore to end.
3. The backup is copied beside the database under a hidden name, synced and compared with
   the backup byte for byte; it takes the owner and mode of the file it replaces.
4. The database as it is (damaged or not) is kept aside, never deleted:
   ``kiosk.before-restore-2026-03-02T101500.sqlite3``, with its ``-wal`` (the commits not yet
   in the file) and ``-shm`` under the same name, so it opens as it was; a rollback
   ``-journal`` likewise. The file is first linked to that name, then its side files are moved
   there, then the copy is renamed over the database's name: the name always holds a whole
   database, and no ``-wal`` of the old file is ever left beside the restored one, where
   SQLite would replay it into the wrong database.
5. The folder is synced.

The session writer's journal (``kiosk.pending.jsonl``, what the database had not taken yet) is
left where it is: the next start replays it into the restored database, and each record's uid
makes that safe (a record the backup already holds changes nothing).
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db.backup import private_file, scratch, sync_folder
from db.backup_files import backup_folder, backups_of, database_stem
from db.in_use import DatabaseInUseError, FolderLock
from db.integrity import file_problem

#: The files SQLite may keep beside a database, which belong to it.
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` did: the backup now in place, and where the old files went."""

    backup: Path
    database: Path
    set_aside: tuple[Path, ...]
    skipped: tuple[tuple[Path, str], ...] = ()  # newer backups found damaged (--latest)


class RestoreRefusedError(Exception):
    """The restore was refused (nothing changed) or could not be finished; the message is one
    sentence for IT that says which."""


def restore(backup: Path, database: Path, *, now: datetime | None = None) -> Restored:
    """Put the backup ``backup`` in place of the SQLite file ``database`` (see the module
    docstring). ``now`` names the file set aside. Raises :class:`RestoreRefusedError`."""
    problem = backup_problem(backup)
    if problem is not None:
        raise RestoreRefusedError(problem)
    return _put_in_place(backup, database, now or datetime.now())


def restore_latest(
    database: Path, folder: Path | None = None, *, now: datetime | None = None
) -> Restored:
    """Restore the newest backup of ``database`` in ``folder`` (default: its backup folder)
    that is whole; newer ones that are not are skipped and named in the result."""
    folder = backup_folder(database) if folder is None else folder
    backups = backups_of(database, folder)
    if not backups:
        raise RestoreRefusedError(f"There is no backup of {database} in {folder}.")
    skipped: list[tuple[Path, str]] = []
    for found in backups:
        problem = backup_problem(folder / found.name)
        if problem is None:
            done = _put_in_place(folder / found.name, database, now or datetime.now())
            return Restored(done.backup, done.database, done.set_aside, tuple(skipped))
        skipped.append((folder / found.name, problem))
    raise RestoreRefusedError(
        f"None of the {len(backups)} backups of {database} in {folder} can be restored "
        f"(the newest: {skipped[0][1]})"
    )


def backup_problem(backup: Path) -> str | None:
    """Why ``backup`` cannot be restored, in one sentence; None if it can."""
    if not backup.is_file():
        return f"There is no backup file {backup}."
    if backup.with_name(backup.name + "-wal").exists():
        return (
            f"{backup} has a write-ahead log beside it: it is a copy of a database in use, "
            f"not a backup. Make backups with `kiosk backup`."
        )
    problem = file_problem(backup)
    if problem is not None:
        return f"The backup {backup} is damaged (integrity_check: {problem}). Choose another."
    if not _has_kiosk_schema(backup):
        return f"{backup} is not a backup of a kiosk database (it has no kiosk schema)."
    return None


def _has_kiosk_schema(path: Path) -> bool:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return len(rows) == 1


def _put_in_place(backup: Path, database: Path, now: datetime) -> Restored:
    if not database.parent.is_dir():
        raise RestoreRefusedError(f"The folder {database.parent} for {database} does not exist.")
    try:
        lock = FolderLock(database, exclusive=True)
    except DatabaseInUseError:
        raise RestoreRefusedError(
            f"A kiosk is running on the database {database}: quit it (staff mode, Quit kiosk; "
            f"or stop its service), then restore again. Nothing was changed."
        ) from None
    except OSError as error:
        raise RestoreRefusedError(
            f"The folder {database.parent} cannot be locked for the restore "
            f"({error.strerror or error}). Nothing was changed."
        ) from error
    moved: list[tuple[Path, Path]] = []
    replaced = False
    try:
        with scratch(database.with_name(f".{database.name}.restoring")) as copy:
            _copy(backup, copy, database)
            _set_aside(database, now, moved)
            os.replace(copy, database)
            replaced = True
        sync_folder(database.parent)
    except OSError as error:
        if replaced:  # only the sync failed: the backup is in place, the old file aside
            raise RestoreRefusedError(
                f"The backup is in place of {database}, but its folder could not be synced to "
                f"the disk ({error.strerror or error}): check the disk."
            ) from error
        _put_back(database, moved)
        raise RestoreRefusedError(
            f"The backup could not be put in place of {database} ({error.strerror or error}). "
            f"Nothing was changed."
        ) from error
    finally:
        lock.release()
    return Restored(backup, database, tuple(target for _, target in moved))


def _copy(backup: Path, copy: Path, database: Path) -> None:
    """``backup`` into the new file ``copy``, synced and compared with it, with the owner and
    mode of the file it will replace (else the folder's owner, 0600): root restoring the
    kiosk user's database must leave a file the kiosk can still open."""
    like = database if database.exists() else None
    owner = (like or database.parent).stat()
    with private_file(copy) as fd, open(backup, "rb") as source:
        while chunk := source.read(1 << 20):
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
        if os.geteuid() == 0:  # anyone else owns what they write, and may not give it away
            os.fchown(fd, owner.st_uid, owner.st_gid)
        if like is not None:
            os.fchmod(fd, stat.S_IMODE(owner.st_mode))
        os.fsync(fd)
    if not filecmp.cmp(backup, copy, shallow=False):
        raise OSError(0, "the copy of the backup differs from it")


def _set_aside(database: Path, now: datetime, moved: list[tuple[Path, Path]]) -> None:
    """Keep the database and its side files under a name of their own (step 4), noting each
    in ``moved`` as it goes (from, to)."""
    if not database.exists():
        return
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    stem, suffix = database_stem(database), database.suffix
    aside = database.with_name(f"{stem}.before-restore-{stamp}{suffix}")
    number = 1
    while aside.exists():
        number += 1
        aside = database.with_name(f"{stem}.before-restore-{stamp}-{number}{suffix}")
    os.link(database, aside)  # the database stays in place until the copy replaces it
    moved.append((database, aside))
    for side in SIDE_FILES:
        beside = database.with_name(database.name + side)
        if beside.exists():
            target = aside.with_name(aside.name + side)
            os.replace(beside, target)
            moved.append((beside, target))


def _put_back(database: Path, moved: list[tuple[Path, Path]]) -> None:
    """Undo :func:`_set_aside` after a failure: side files back beside the database, the
    extra name of the database itself removed."""
    for origin, target in reversed(moved):
        with contextlib.suppress(OSError):
            if origin == database:
                target.unlink()  # only a second name: the database never moved
            else:
                os.replace(target, origin)
