"""``start_quick_check_ms`` and ``backup_s``: what a large clinic's database costs at start and
at night.

The database: 100,000 patients (the check-in lookup's) and a year of sessions, 60 a day for
300 days, each with 12 sets, two feedback answers and now and then a pain event, with the
uid indexes; the file is about as large as a busy clinic's after a year.

``start_quick_check_ms``: ``open_database`` on it, which runs ``PRAGMA quick_check`` since the
database may be damaged: the median of a few cold starts, the file's pages dropped from the
page cache before each (``posix_fadvise``), as at the kiosk's first start after the machine is
switched on. Baseline: the same cold start without the check, in the same run. The first
frame is painted before the database opens, so this is time the attract screen spends getting
ready, not the first-frame figure.

``backup_s``: ``kiosk backup``'s work (the online copy, its ``integrity_check``, the rotation).
Baseline: a plain file copy of the same file (which would not be a safe backup of a live
database, but is the floor for moving that many bytes).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from bench.report import Figure, median

PATIENTS = 100_000
DAYS = 300
SESSIONS_A_DAY = 60
SETS = 12
STARTS = 5


def run() -> list[Figure]:
    from db import connection
    from db.backup import back_up

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clinic.sqlite3"
        build(path)
        size_mb = path.stat().st_size / 1e6
        url = f"sqlite:///{path}"
        checked = _starts(url, path)
        with mock.patch.object(connection, "check_at_start"):
            bare = _starts(url, path)
        started = time.perf_counter()
        back_up(path, Path(tmp) / "backups")
        backup_s = time.perf_counter() - started
        started = time.perf_counter()
        shutil.copyfile(path, Path(tmp) / "copy.sqlite3")
        copy_s = time.perf_counter() - started
    return [
        Figure(
            "start_quick_check_ms",
            median(checked),
            "ms",
            median(bare),
            f"open_database without quick_check, {size_mb:.0f} MB",
            "<= 1500 ms, after the first frame",
        ),
        Figure(
            "backup_s",
            backup_s,
            "s",
            copy_s,
            f"a file copy, {size_mb:.0f} MB",
            "nightly: minutes would do",
        ),
    ]


def _starts(url: str, path: Path) -> list[float]:
    from db.connection import open_database

    times = []
    for _ in range(STARTS):
        _drop_from_page_cache(path)
        started = time.perf_counter()
        open_database(url).dispose()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _drop_from_page_cache(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def build(path: Path) -> None:
    """A migrated database holding a large clinic's year (see the module docstring)."""
    from db.connection import open_database

    open_database(f"sqlite:///{path}", create=True).dispose()
    rng = random.Random(7)
    with sqlite3.connect(path) as db:
        now = datetime(2025, 1, 6, 8, tzinfo=UTC).replace(tzinfo=None)
        db.executemany(
            "INSERT INTO patients (code, display_name, active, created_at) VALUES (?, ?, 1, ?)",
            (
                (str(code), f"P{n}", now)
                for n, code in enumerate(rng.sample(range(100_000, 1_000_000), PATIENTS))
            ),
        )
        db.execute(
            "INSERT INTO programs (name, side_series, created_at, is_template) "
            "VALUES ('bench', 0, ?, 0)",
            (now,),
        )
        db.executemany(
            "INSERT INTO sessions (id, patient_id, program_id, started_at, ended_at, state, uid)"
            " VALUES (?, ?, 1, ?, ?, 'finished', ?)",
            _sessions(rng, now),
        )
        db.executemany(
            "INSERT INTO set_records (session_id, exercise_index, exercise_id, set_number, side,"
            " reps_target, reps_done, started_at, ended_at, paused_s, status, uid)"
            " VALUES (?, ?, 'clamshell', ?, ?, 10, 10, ?, ?, 0, 'completed', ?)",
            _sets(now),
        )
        db.executemany(
            "INSERT INTO feedback_events (session_id, exercise_index, kind, value, at, uid)"
            " VALUES (?, ?, 'rating', 'ok', ?, ?)",
            ((s, n, now, uuid.uuid4().hex) for s in range(1, _count() + 1) for n in range(2)),
        )
    sqlite3.connect(path).close()


def _count() -> int:
    return DAYS * SESSIONS_A_DAY


def _sessions(rng: random.Random, now: datetime) -> Iterator[tuple[object, ...]]:
    for n in range(1, _count() + 1):
        start = now + timedelta(days=n // SESSIONS_A_DAY, minutes=n % SESSIONS_A_DAY * 8)
        yield (n, rng.randint(1, PATIENTS), start, start + timedelta(minutes=7), _uid())


def _sets(now: datetime) -> Iterator[tuple[object, ...]]:
    for session in range(1, _count() + 1):
        for n in range(SETS):
            side = "left" if n % 2 else "right"
            yield (session, n // 4, n + 1, side, now, now + timedelta(seconds=40), _uid())


def _uid() -> str:
    return uuid.uuid4().hex
