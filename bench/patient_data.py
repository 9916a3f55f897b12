"""``retention_start_ms``, ``erase_patient_ms`` and ``retention_half_year_s``: what keeping
patients' data in bounds costs on a large clinic's year (``bench.start_check``'s database:
100,000 patients, 18,000 sessions, 216,000 sets, 52 MB).

``retention_start_ms``: the retention job when nothing is due, as at every start and night (a
day's sessions at most are due then); the median of five. Baseline: counting the sessions it
would delete, the least such a job can do.

``erase_patient_ms``: erasing the patient with the most sessions (secure delete, the audit log
searched, the WAL checkpointed). ``retention_half_year_s``: the job when half the year is due
(a clinic that lowered its setting). Baseline of both: the same deletes with ``secure_delete``
off and no checkpoint, on a copy of the same file: what secure deletion costs.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.report import Figure, median
from bench.start_check import build


@contextmanager
def _plain_session(engine: Engine) -> Iterator[Session]:
    with engine.connect() as connection:
        connection.connection.driver_connection.execute(  # type: ignore[union-attr]
            "PRAGMA secure_delete=OFF"
        )
        with Session(bind=connection) as session:
            yield session


def _timed(path: Path, plain: bool) -> tuple[float, float]:
    """(erase_patient s, half a year of retention s) on the database at ``path``."""
    from db.connection import open_database
    from db.repositories import erasure, retention

    with sqlite3.connect(path) as db:
        first = datetime.fromisoformat(db.execute("SELECT min(started_at) FROM sessions")
                                       .fetchone()[0]).replace(tzinfo=UTC)  # fmt: skip
        busiest = db.execute(
            "SELECT patient_id FROM sessions GROUP BY patient_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    engine = open_database(f"sqlite:///{path}")
    patches = (
        [mock.patch.object(m, "deleting_session", _plain_session) for m in (erasure, retention)]
        if plain
        else []
    )
    for patch in patches:
        patch.start()
    try:
        started = time.perf_counter()
        erasure.erase_patient(engine, busiest, actor="bench")
        erase_s = time.perf_counter() - started
        half = first + timedelta(days=150)
        started = time.perf_counter()
        retention.apply_retention(engine, now=half.replace(year=half.year + 1), years=1)
        retention_s = time.perf_counter() - started
    finally:
        for patch in patches:
            patch.stop()
        engine.dispose()
    return erase_s, retention_s


def run() -> list[Figure]:
    from db.connection import open_database
    from db.repositories.retention import apply_retention

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clinic.sqlite3"
        build(path)
        copy = Path(tmp) / "copy.sqlite3"
        shutil.copyfile(path, copy)
        size_mb = path.stat().st_size / 1e6
        with sqlite3.connect(path) as db:
            last = db.execute("SELECT max(started_at) FROM sessions").fetchone()[0]
        now = datetime.fromisoformat(last).replace(tzinfo=UTC) + timedelta(days=1)
        engine = open_database(f"sqlite:///{path}")
        idle, counted = [], []
        for _ in range(5):
            started = time.perf_counter()
            apply_retention(engine, now=now)
            idle.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            with sqlite3.connect(path) as db:
                db.execute("SELECT count(*) FROM sessions WHERE started_at < ?",
                           (str(now - timedelta(days=3650)),)).fetchone()  # fmt: skip
            counted.append((time.perf_counter() - started) * 1000)
        engine.dispose()
        erase_s, retention_s = _timed(path, plain=False)
        plain_erase_s, plain_retention_s = _timed(copy, plain=True)
    note = f"{size_mb:.0f} MB"
    return [
        Figure("retention_start_ms", median(idle), "ms", median(counted),
               f"counting what is due, {note}", "a few ms: it runs at every start"),
        Figure("erase_patient_ms", erase_s * 1000, "ms", plain_erase_s * 1000,
               f"plain DELETEs, no checkpoint, {note}", "under a second: staff wait for it"),
        Figure("retention_half_year_s", retention_s, "s", plain_retention_s,
               f"plain DELETEs, no checkpoint, {note}", "seconds, once: the setting lowered"),
    ]  # fmt: skip
