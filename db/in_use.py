"""Knowing that a kiosk runs on a SQLite database: a lock on the database's folder.

A restore must not swap the file under a running kiosk: its pooled connections would go on
writing to the file set aside, and a write-ahead log left beside the restored file would be
replayed into it. SQLite's own locks cannot tell: a kiosk waiting for its next patient holds no
lock at all between transactions. So every kiosk holds a *shared* ``flock`` on the folder
that holds its database (:class:`RunningKiosk`, from before
:class:`~kiosk.services.KioskServices` opens the database until it closes), and
:func:`~db.restore.restore` takes it *exclusively*, without waiting: if any kiosk holds it
the restore is refused, and a kiosk that starts while a restore runs waits for it to finish.

Why ``flock`` on the folder, not a ``kiosk.sqlite3.lock`` file: a lock file would have to be
created before the database is opened, and a kiosk that finds its database damaged must leave
the folder as it found it. An ``flock`` is dropped by the kernel when its process ends, however
it ends (a kiosk killed by power loss or SIGKILL leaves no stale lock, unlike a pid file), it
does not touch SQLite's own POSIX locks on the database file (``flock`` and ``fcntl`` locks are
separate on Linux, and closing a descriptor of the database file itself would drop SQLite's
locks), and two descriptors conflict even within one process, so a test's kiosk and its restore
see each other. A kiosk whose database would not open (out of order) holds nothing. A folder
holds one kiosk database in practice; were there two, restoring one would be refused while a
kiosk ran on either.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path

from db.problems import busy, sqlite_path

log = logging.getLogger(__name__)

#: How long a starting kiosk waits for a restore under way (copying a large database and
#: syncing it to the disk takes seconds).
RESTORE_WAIT_S = 30.0
_POLL_S = 0.05


class DatabaseInUseError(Exception):
    """The folder's lock is held the other way (a kiosk runs; or a restore is under way)."""


class FolderLock:
    """An ``flock`` on the folder holding a database, held until :meth:`release`."""

    def __init__(self, database: Path, *, exclusive: bool, wait_s: float = 0.0) -> None:
        """Take the lock on ``database``'s folder, waiting up to ``wait_s`` seconds for it.

        Raises :class:`DatabaseInUseError` if it is still held the other way, and ``OSError``
        if the folder cannot be opened (it does not exist).
        """
        self.folder = database.parent
        self._fd: int | None = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(self._fd, mode)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.release()
                    raise DatabaseInUseError(str(self.folder)) from None
                time.sleep(_POLL_S)
            except OSError:
                self.release()
                raise

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let go (closing the descriptor drops the lock); a second call does nothing."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class RunningKiosk:
    """The lock that says a kiosk runs on a SQLite database, held by
    :class:`~kiosk.services.KioskServices` from before it opens the database (a restore under
    way is waited for, up to :data:`RESTORE_WAIT_S`) until it closes; nothing for a server."""

    def __init__(self, url: str) -> None:
        """Take the lock for the database at ``url`` if its folder exists; raises
        :class:`~db.problems.DatabaseUnavailableError` (busy) if a restore still runs."""
        try:
            self._path = sqlite_path(url)
        except Exception:  # not a URL: opening the database says so
            self._path = None
        self._lock: FolderLock | None = None
        self._take()

    def hold(self) -> None:
        """Once the database is open: take the lock if its folder did not exist before (a new
        database). A folder that cannot be locked at all is logged and run without it."""
        if self._take() is None and self._path is not None:
            log.warning("the folder of %s cannot be locked: kiosk restore will not know that "
                        "a kiosk runs on it", self._path)  # fmt: skip

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _take(self) -> FolderLock | None:
        if self._path is None or self._lock is not None:
            return self._lock
        try:
            self._lock = FolderLock(self._path, exclusive=False, wait_s=RESTORE_WAIT_S)
        except DatabaseInUseError as error:
            raise busy(self._path, "a restore is under way") from error
        except OSError:  # no folder yet (opening makes it), or one that cannot be opened
            pass
        return self._lock
