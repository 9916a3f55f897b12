"""The journal: what the kiosk has recorded and the database has not yet taken, on disk.

Every record of a session goes here before it is queued for the database (``writer.py``),
so a kiosk killed at any moment loses nothing: the next start replays the journal, and each
record's uid makes a second write of it change nothing. Once the database has taken everything
the journal is emptied.

Two places, tried in order:

* the **primary** file, beside a SQLite database (``kiosk.pending.jsonl``) or in the user
  data directory for a server: durable through a power cut (each line is fsynced);
* the **fallback**, ``$KIOSK_JOURNAL_DIR`` or, by default, a folder in memory (``/dev/shm``
  or ``$XDG_RUNTIME_DIR``): when the primary's disk is full or read-only, a record still
  survives the kiosk's own crash there, if not a power cut.

If neither takes it, the record is kept in memory only, and said so: the writer counts it as
waiting and staff see it on screen until the database has it. Files are readable by the kiosk's
user only (0600): they hold clinical records.

A line that cannot be read back (a write torn by a power cut) is skipped with a warning; each
line is one whole record, so nothing else is lost with it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

JOURNAL_DIR_ENV = "KIOSK_JOURNAL_DIR"
FILE_MODE = 0o600

Entry = dict[str, Any]


class Journal:
    """Records not yet in the database, one JSON object per line, in the order they happened.

    Thread-safe: the session's listeners append on the Qt thread while the writer rewrites
    from its own. Never raises for a disk that will not take a line: :meth:`append` answers
    where the record was kept (None: nowhere but memory).
    """

    def __init__(self, primary: Path, fallback: Path | None = None) -> None:
        self.primary = primary
        self.fallback = fallback
        self._lock = threading.Lock()
        self._failed: set[Path] = set()  # where the last write failed (logged once a streak)

    @property
    def paths(self) -> tuple[Path, ...]:
        return (self.primary,) if self.fallback is None else (self.primary, self.fallback)

    def append(self, *entries: Entry) -> Path | None:
        """Keep records, all in one write (a kill cannot keep one without the others);
        returns the file they went to, or None if no file would take them."""
        line = "".join(json.dumps(entry, separators=(",", ":")) + "\n" for entry in entries)
        with self._lock:
            for path in self.paths:
                try:
                    _append_line(path, line)
                except OSError as error:
                    self._note_failure(path, error)
                    continue
                self._failed.discard(path)
                return path
        return None

    def rewrite(self, entries: Sequence[Entry]) -> bool:
        """Keep exactly ``entries`` (what the database still lacks), in the primary file.

        Written whole to a temporary file and renamed over the old one, so a crash leaves
        the old journal or the new, never half of one. On success the fallback is emptied;
        on failure both stay as they are (replaying them again is harmless). Returns whether
        the journal now holds exactly ``entries``.
        """
        with self._lock:
            try:
                if entries:
                    _replace(self.primary, "".join(json.dumps(e, separators=(",", ":")) + "\n"
                                                   for e in entries))  # fmt: skip
                else:
                    _remove(self.primary)
            except OSError as error:
                self._note_failure(self.primary, error)
                return False
            if self.fallback is not None:
                try:
                    _remove(self.fallback)
                except OSError as error:
                    self._note_failure(self.fallback, error)
                    return False
            return True

    def read(self) -> list[Entry]:
        """Every record kept, primary first, each uid once (a record can be in both)."""
        seen: set[str] = set()
        found: list[Entry] = []
        with self._lock:
            for path in self.paths:
                for entry in _read_lines(path):
                    uid = entry.get("uid")
                    if isinstance(uid, str) and uid in seen:
                        continue
                    if isinstance(uid, str):
                        seen.add(uid)
                    found.append(entry)
        return found

    def _note_failure(self, path: Path, error: OSError) -> None:
        if path not in self._failed:
            log.error("the journal could not be written at %s: %s", path, error)
            self._failed.add(path)


def journal_paths(database_url: str, *, data_dir: Path) -> tuple[Path, Path | None]:
    """The primary and fallback journal for one database (see the module docstring).

    ``data_dir`` is the kiosk's user data directory, for a database that is not a file.
    """
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        primary = Path(url.database).with_suffix(".pending.jsonl")
    else:
        primary = data_dir / "pending.jsonl"
    # One fallback file per database, so two kiosks' journals (or a test's) never mix.
    name = f"pending-{hashlib.sha256(str(primary).encode()).hexdigest()[:16]}.jsonl"
    configured = os.environ.get(JOURNAL_DIR_ENV, "").strip()
    if configured:
        return primary, Path(configured) / name
    for memory in (os.environ.get("XDG_RUNTIME_DIR", ""), "/dev/shm"):
        if memory and Path(memory).is_dir():
            return primary, Path(memory) / "clinic-gym-kiosk" / name
    return primary, None


def legacy_unsaved_path(primary: Path) -> Path:
    """Where an earlier version kept records it could not save: ``kiosk.unsaved.jsonl`` beside
    a SQLite file, ``unsaved.jsonl`` in the user data folder for a server."""
    suffix = ".pending.jsonl"
    if primary.name.endswith(suffix):
        return primary.with_name(primary.name[: -len(suffix)] + ".unsaved.jsonl")
    return primary.with_name("unsaved.jsonl")


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        data = line.encode("utf-8")
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(f"short write to {path} ({written} of {len(data)} bytes)")
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _remove(path: Path) -> None:
    if path.exists():
        path.unlink()
        _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_lines(path: Path) -> Iterable[Entry]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    except OSError as error:
        log.error("the journal at %s could not be read: %s", path, error)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            log.warning("journal %s line %d is not a whole record (cut short?): skipped",
                        path, number)  # fmt: skip
            continue
        if isinstance(entry, dict):
            yield entry
