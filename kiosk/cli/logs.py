"""The kiosk's log: one configuration, made by ``kiosk``'s ``main`` before anything else runs.

Where it goes: standard error by default, which is what a systemd service's journal records
(each line then starts with its syslog priority, ``<3>`` for an error, so ``journalctl -p
warning`` works); or, with ``--log-file PATH``, a file that rotates at 1 MB and keeps 5 old
ones, readable by the kiosk's user only (0600), for a kiosk that runs without a journal.

What never goes in it: a patient's name or check-in code, or a PIN. The code logs ids and
fingerprints only (``docs/architecture.md``, "Privacy"); the database's engines hide the
parameters of a failed statement (``hide_parameters`` in :func:`db.connection.make_engine`);
and SQLAlchemy's own loggers stay at WARNING whatever the kiosk's level, because at INFO and
DEBUG they write every statement's parameters and every row read (a patient's name among
them). ``tests/ui/test_private_log.py`` runs a whole visit, with database faults, at DEBUG and
looks for the patient in the log.

The kiosk logs at INFO (``KIOSK_LOG_LEVEL=DEBUG`` for more); the other commands at WARNING,
so their own output is not drowned in it.
"""

from __future__ import annotations

import logging
import os
import sys
from io import TextIOWrapper
from pathlib import Path
from typing import IO

LEVEL_ENV = "KIOSK_LOG_LEVEL"
FILE_MAX_BYTES = 1_000_000
FILE_BACKUPS = 5
FILE_MODE = 0o600
#: Loggers kept at WARNING whatever the kiosk's level: at INFO and DEBUG they log data.
QUIET_LOGGERS = ("sqlalchemy",)
#: The name of the handler this module installs (replaced, never doubled, when called again).
HANDLER_NAME = "kiosk"

_FORMAT = "%(levelname)s %(name)s: %(message)s"
_FILE_FORMAT = "%(asctime)s " + _FORMAT
# syslog priorities, which journald reads from the start of each line of a service's stderr.
_PRIORITY = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}


class _JournalFormatter(logging.Formatter):
    """Each line prefixed with its syslog priority (``<4>``); a traceback's lines too, so
    journald keeps the whole of it at the record's priority."""

    def format(self, record: logging.LogRecord) -> str:
        priority = _PRIORITY.get(record.levelno, 6 if record.levelno < logging.WARNING else 3)
        prefix = f"<{priority}>"
        return "\n".join(prefix + line for line in super().format(record).splitlines())


def _private_rotating_file(path: Path) -> logging.Handler:
    """A file rotated at :data:`FILE_MAX_BYTES`, created 0600 whatever the process's umask
    (``logging.handlers`` is imported only for it: the kiosk's first frame does not wait)."""
    from logging.handlers import RotatingFileHandler

    class PrivateRotatingFileHandler(RotatingFileHandler):
        def _open(self) -> TextIOWrapper:
            def opener(name: str, flags: int) -> int:
                return os.open(name, flags, FILE_MODE)

            stream = open(  # noqa: SIM115 (the handler owns and closes the stream)
                self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                opener=opener,
            )  # fmt: skip
            assert isinstance(stream, TextIOWrapper)
            return stream

    return PrivateRotatingFileHandler(
        path, maxBytes=FILE_MAX_BYTES, backupCount=FILE_BACKUPS, encoding="utf-8"
    )


def level_from_env(default: int) -> int:
    """``KIOSK_LOG_LEVEL`` (DEBUG, INFO, WARNING, ERROR) if set and known, else ``default``."""
    wanted = os.environ.get(LEVEL_ENV, "").strip().upper()
    level = logging.getLevelName(wanted) if wanted else None
    return level if isinstance(level, int) else default


def writes_to_journal(stream: IO[str]) -> bool:
    """Whether ``stream`` is the systemd journal's (``$JOURNAL_STREAM`` names its device and
    inode: systemd's documented way to tell)."""
    expected = os.environ.get("JOURNAL_STREAM", "")
    if not expected:
        return False
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return expected == f"{info.st_dev}:{info.st_ino}"


def configure(
    *, level: int = logging.INFO, log_file: Path | None = None, stream: IO[str] | None = None
) -> logging.Handler:
    """Send the kiosk's log to ``log_file`` (rotating, 0600) or ``stream`` (standard error),
    at ``level``; returns the handler. Calling it again replaces the handler it made."""
    handler: logging.Handler
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = _private_rotating_file(log_file)
        handler.setFormatter(logging.Formatter(_FILE_FORMAT))
    else:
        target = stream if stream is not None else sys.stderr
        handler = logging.StreamHandler(target)
        journal = writes_to_journal(target)
        handler.setFormatter(_JournalFormatter(_FORMAT) if journal else logging.Formatter(_FORMAT))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return handler
