"""What can go wrong with the database, each turned into one sentence for the clinic's IT.

A database has bad days: a file that is missing, empty, damaged or read-only, a full disk, a
PostgreSQL server that is down or refuses the login, a URL that is not one. SQLAlchemy and the
drivers report each with a traceback that means nothing to the person standing at the kiosk.
This module is the one place that recognises them (:func:`database_problem`) and says, in one
sentence that names the database (any password hidden, :func:`redact`), what is wrong and what
to do. The command line prints that sentence; the kiosk logs it and shows patients that it is
out of order. The original exception is always kept as the new one's ``__cause__``.

It also holds the checks made before a SQLite file is opened (:func:`check_sqlite_file`):
SQLite itself would create a missing file, and its folders were made for it, so a mistyped path
quietly became a new, empty clinic. Now a new database is only made when asked for.

Imports nothing heavy (SQLAlchemy only inside functions): the kiosk checks a URL before its
first frame.
"""

from __future__ import annotations

import enum
import logging
import os
import re
from pathlib import Path

_log = logging.getLogger(__name__)

#: What a person asks for to make a new database (the kiosk and ``kiosk db upgrade``).
CREATE_OPTION = "--create-db"
#: Example URLs, for the sentence about a URL that is not one.
EXAMPLE_URLS = (
    "sqlite:////var/lib/kiosk/kiosk.sqlite3 or postgresql+psycopg://kiosk@gym-server/clinic"
)
# Less free space than this beside a SQLite file that failed to write: the disk is full.
_FULL_BELOW_BYTES = 1 << 20
# libpq's words for a login the server refused, or could not make without a password.
_LOGIN_REFUSED = (
    r'authentication failed|role ".*" does not exist|pg_hba\.conf|no password supplied|'
    r"permission denied for database"
)
# ... and for a server whose certificate it could not verify (sslmode=verify-ca/verify-full).
_NOT_VERIFIED = (
    r"certificate verify failed|does not match host name|root certificate file|"
    r"certificate present, but not private key|SSL error"
)
# A password given as a parameter (``?password=...``, or in libpq's ``key=value`` words).
_QUERY_PASSWORD = re.compile(r"(?i)((?:ssl)?password=)[^&\s]+")
# SQLAlchemy's own test of a URL (sqlalchemy.engine.url._parse_url): a name, then "://".
_URL_SHAPE = re.compile(r"^[\w+]+://")


class Problem(enum.Enum):
    """The kinds of bad day, for code that reacts differently to some (tests, mostly)."""

    NOT_A_URL = "not a URL"
    UNKNOWN_KIND = "unknown kind of database"
    NO_DRIVER = "driver not installed"
    NO_FILE = "no file"
    NO_FOLDER = "no folder"
    EMPTY_FILE = "empty file"
    NOT_A_FILE = "not a file"
    READ_ONLY_FILE = "read-only file"
    READ_ONLY_FOLDER = "read-only folder"
    DAMAGED = "damaged"
    DISK_FULL = "disk full"
    BUSY = "locked by another program"
    CANNOT_OPEN = "cannot open"
    UNREACHABLE = "server unreachable"
    LOGIN_REFUSED = "login refused"
    NOT_VERIFIED = "server certificate not verified"
    NO_SUCH_DATABASE = "no such database"
    SCHEMA = "schema"


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be opened or used; ``str(error)`` is one sentence for IT.

    Raised from the original error (``raise ... from error``), which stays the ``__cause__``.
    """

    def __init__(self, sentence: str, problem: Problem) -> None:
        super().__init__(sentence)
        self.problem = problem


# -- naming the database ---------------------------------------------------------------------


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``: the one after the user name, and a
    ``password=`` (or ``sslpassword=``) in the query, which libpq takes too; also for text
    that is not a URL."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        password = None
    if password:
        netloc = parts.netloc.replace(f":{password}@", ":***@")
        url = urlunsplit(parts._replace(netloc=netloc))
    return _QUERY_PASSWORD.sub(r"\1***", url)


def has_password(url: str) -> bool:
    """Whether ``url`` holds a password (after the user name, or ``password=`` in it)."""
    return redact(url) != url


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names, or None (another database, memory, a ``file:`` URI)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(database)


def database_name(url: str) -> str:
    """How a sentence names the database: its file, or its URL without the password."""
    try:
        path = sqlite_path(url)
    except Exception:  # not a URL at all: named as given
        return redact(url)
    return f"file {path}" if path is not None else redact(url)


def looks_like_a_url(url: str) -> bool:
    """Whether SQLAlchemy could parse ``url`` at all (checked without importing it)."""
    return bool(_URL_SHAPE.match(url.strip()))


def not_a_url(url: str) -> DatabaseUnavailableError:
    return DatabaseUnavailableError(
        f"{redact(url)!r} is not a database URL: give one such as {EXAMPLE_URLS}.",
        Problem.NOT_A_URL,
    )


def check_url(url: str) -> None:
    """Refuse text that cannot be a database URL (cheap: before the kiosk's first frame)."""
    if not looks_like_a_url(url):
        raise not_a_url(url)


# -- before a SQLite file is opened ----------------------------------------------------------


def check_sqlite_file(path: Path, *, create: bool) -> None:
    """Refuse a SQLite file the kiosk should not open, before SQLite creates or opens it.

    Without ``create``: a missing file, a missing folder and an empty (0-byte) file are
    refused (SQLite would take each as a new, empty clinic). With it, the missing folders are
    made. Either way a folder or a file the kiosk cannot write is refused: a kiosk that cannot
    log a set is no use, and in WAL mode SQLite must write its ``-wal`` and ``-shm`` files
    beside the database even to read it.
    """
    folder = path.parent
    if path.is_dir():
        raise _sentence(path, Problem.NOT_A_FILE)
    if not path.exists():
        if not create:
            problem = Problem.NO_FILE if folder.is_dir() else Problem.NO_FOLDER
            raise _sentence(path, problem)
        _make_folder(path)
    elif _is_empty(path) and not create:
        raise _sentence(path, Problem.EMPTY_FILE)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _sentence(path, Problem.READ_ONLY_FOLDER)
    if path.exists() and not os.access(path, os.W_OK):
        raise _sentence(path, Problem.READ_ONLY_FILE)


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if _disk_full(path):
            raise _sentence(path, Problem.DISK_FULL) from error
        detail = f"its folder cannot be made: {error.strerror or error}"
        raise _sentence(path, Problem.CANNOT_OPEN, detail) from error


def damaged(path: Path, detail: str) -> DatabaseUnavailableError:
    """The sentence for a SQLite file found damaged (``detail``: what found it, in a few
    words), which names its newest backup (``kiosk restore --latest``)."""
    return _sentence(path, Problem.DAMAGED, detail)


def busy(path: Path, detail: str) -> DatabaseUnavailableError:
    """The sentence for a SQLite file another program holds (``detail``: which, or why)."""
    return _sentence(path, Problem.BUSY, detail)


def check_readable_sqlite_file(path: Path) -> None:
    """Refuse a SQLite file that is not there to be read (a backup's source): missing, in a
    missing folder, a folder, or empty. Unlike :func:`check_sqlite_file`, it need not be
    writable."""
    if path.is_dir():
        raise _sentence(path, Problem.NOT_A_FILE)
    if not path.exists():
        raise _sentence(path, Problem.NO_FILE if path.parent.is_dir() else Problem.NO_FOLDER)
    if _is_empty(path):
        raise _sentence(path, Problem.EMPTY_FILE)


def _restore_advice(path: Path) -> str:
    """What to do about a damaged file: bring back its newest backup, if it has one."""
    from db.backup_files import backup_folder, backups_of

    new = f"move it aside and start a new database with {CREATE_OPTION}"
    backups = backups_of(path)
    if not backups:
        return (
            f"There is no backup of it in {backup_folder(path)}: restore one with "
            f"`kiosk restore FILE`, or {new}."
        )
    newest = backups[0].taken.strftime("%Y-%m-%d %H:%M")
    return (
        f"Run `kiosk restore --latest` to bring back the last good backup (newest: {newest}), "
        f"or {new}."
    )


def _is_empty(path: Path) -> bool:
    """0 bytes, and no write-ahead log beside it that might hold its pages."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0)


def _sentence(path: Path, problem: Problem, detail: str = "") -> DatabaseUnavailableError:
    """The sentence for a SQLite file's ``problem`` (``detail``: SQLite's own words)."""
    folder = path.parent
    because = f" ({detail})" if detail else ""
    new = f"start a new database there with {CREATE_OPTION}"
    sentences = {
        Problem.NO_FILE: f"There is no database file {path}. Check the path, or {new}.",
        Problem.NO_FOLDER: (
            f"The folder {folder} for the database file {path} does not exist. "
            f"Check the path, or {new}."
        ),
        Problem.EMPTY_FILE: (
            f"The database file {path} is empty (0 bytes): it holds no clinic. "
            f"Restore it from a backup, or {new}."
        ),
        Problem.NOT_A_FILE: f"{path} is a folder, not a database file. Check the path.",
        Problem.READ_ONLY_FILE: (
            f"The database file {path} is read-only{because}. "
            f"Let the kiosk's user write to it (or mount its disk read-write)."
        ),
        Problem.READ_ONLY_FOLDER: (
            f"The folder {folder} holding the database file {path} is read-only{because}: "
            f"the kiosk writes its journal beside the database. "
            f"Let the kiosk's user write to the folder (or mount its disk read-write)."
        ),
        Problem.DAMAGED: f"The database file {path} is damaged{because}. {_restore_advice(path)}",
        Problem.DISK_FULL: (
            f"The disk holding the database file {path} is full{because}. "
            f"Free some space on it, then try again."
        ),
        Problem.BUSY: (
            f"The database file {path} is locked by another program{because}. "
            f"Close that program or wait for it, then try again."
        ),
        Problem.CANNOT_OPEN: (
            f"The database file {path} cannot be opened{because}. "
            f"Check the disk and the file's permissions."
        ),
    }
    return DatabaseUnavailableError(sentences[problem], problem)


# -- turning an error into a sentence --------------------------------------------------------


def database_problem(error: BaseException, url: str) -> DatabaseUnavailableError | None:
    """The sentence for ``error`` met opening or using the database at ``url``, or None if it
    is not a known bad day (a bug, or a problem the caller handles itself).

    The result is raised ``from error`` by the caller; the traceback is logged here at DEBUG.
    """
    if isinstance(error, DatabaseUnavailableError):
        return error
    problem = _classify(error, url)
    if problem is not None:
        _log.debug("%s: %s", database_name(url), problem, exc_info=error)
    return problem


def _classify(error: BaseException, url: str) -> DatabaseUnavailableError | None:
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    if isinstance(error, NoSuchModuleError):
        return DatabaseUnavailableError(
            f"{redact(url)!r} names a kind of database the kiosk does not know: "
            f"use SQLite or PostgreSQL, e.g. {EXAMPLE_URLS}.",
            Problem.UNKNOWN_KIND,
        )
    if isinstance(error, ArgumentError):
        return not_a_url(url)
    if isinstance(error, ImportError):
        return DatabaseUnavailableError(
            f"The driver for {redact(url)} is not installed ({error}): for PostgreSQL, "
            f"install the kiosk with its postgres extra (pip install '.[postgres]').",
            Problem.NO_DRIVER,
        )
    original = error.orig if isinstance(error, DBAPIError) else error
    if original is None:
        return None
    if type(original).__module__.split(".")[0] in ("sqlite3", "_sqlite3"):
        path = sqlite_path(url)
        return _sqlite_problem(original, path) if path is not None else None
    if type(original).__module__.split(".")[0] == "psycopg":
        return _postgres_problem(original, url)
    return None


def _sqlite_problem(error: BaseException, path: Path) -> DatabaseUnavailableError | None:
    """SQLite says what went wrong in its error name (``sqlite_errorname``, Python 3.11)."""
    name = str(getattr(error, "sqlite_errorname", ""))
    words = str(error)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        what = "not a SQLite database" if name.startswith("SQLITE_NOTADB") else "malformed"
        return _sentence(path, Problem.DAMAGED, what)
    if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and _disk_full(path)):
        return _sentence(path, Problem.DISK_FULL)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return _sentence(path, Problem.BUSY)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        try:
            check_sqlite_file(path, create=False)
        except DatabaseUnavailableError as diagnosed:
            return diagnosed
        return _sentence(path, Problem.CANNOT_OPEN, words)
    return None


def _disk_full(path: Path) -> bool:
    """Whether the disk that holds ``path`` (or the nearest folder that exists) is full."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        stat = os.statvfs(folder)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < _FULL_BELOW_BYTES


def _postgres_problem(error: BaseException, url: str) -> DatabaseUnavailableError | None:
    """psycopg's errors: a server error has a SQLSTATE; one met connecting has none, and the
    server's refusal (FATAL: ...) is in its message."""
    name = redact(url)
    sqlstate = getattr(error, "sqlstate", None)
    reason = _postgres_reason(str(error))
    if sqlstate == "53100":
        return DatabaseUnavailableError(
            f"The PostgreSQL server of {name} has a full disk ({reason}). "
            f"Ask its administrator to free some space.",
            Problem.DISK_FULL,
        )
    if sqlstate is not None or type(error).__name__ not in (
        "OperationalError",
        "ConnectionTimeout",
    ):
        return None  # a statement the server refused: not a bad day, a bug or handled above
    if re.search(r'database ".*" does not exist', reason):
        return DatabaseUnavailableError(
            f"The PostgreSQL server has no such database: {name} ({reason}). "
            f"Check the name in the URL, or create the database (docs/database.md).",
            Problem.NO_SUCH_DATABASE,
        )
    if re.search(_LOGIN_REFUSED, reason):
        return DatabaseUnavailableError(
            f"The PostgreSQL server refused the kiosk's login to {name} ({reason}). "
            f"Check the user, the password in the kiosk user's pgpass file (PGPASSFILE, "
            f"~/.pgpass), the server's pg_hba.conf and the user's rights "
            f"(deploy/postgresql/roles.sql).",
            Problem.LOGIN_REFUSED,
        )
    if re.search(_NOT_VERIFIED, reason):
        return DatabaseUnavailableError(
            f"The PostgreSQL server of {name} could not be verified ({reason}). Check "
            f"sslrootcert (the certificate of the authority that signed the server's) and "
            f"that the host in the URL is a name in the server's certificate.",
            Problem.NOT_VERIFIED,
        )
    if type(error).__name__ == "ConnectionTimeout":
        reason = "no answer before the connect timeout"
    return DatabaseUnavailableError(
        f"The PostgreSQL server of {name} cannot be reached ({reason}). "
        f"Check that it is running and that this machine can reach it.",
        Problem.UNREACHABLE,
    )


def _postgres_reason(message: str) -> str:
    """The driver's reason, without its "connection to server at ... failed:" preamble."""
    first = message.strip().splitlines()[0] if message.strip() else "no reason given"
    reason = first.rsplit(" failed: ", 1)[-1]
    return reason.removeprefix("FATAL:").strip().rstrip(".")
