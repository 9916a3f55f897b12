"""``log_set_p99_ms``: committing one finished set through the repository (WAL + FULL).

Baseline: the raw ``sqlite3`` driver inserting an equivalent row and committing, on a file
with the same pragmas, in the same run. The ratio is the price of the ORM and the session.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.report import Figure, median, percentile

ROUNDS = 500


def _repository_times(path: Path) -> list[float]:
    from db.connection import open_database
    from db.repositories.patients import PatientRepository
    from db.repositories.programs import ProgramRepository
    from db.repositories.sessions import SessionLog
    from kiosk.core.prescription import ProgramItemSpec
    from kiosk.core.records import SetRecord, SetStatus
    from kiosk.core.timeline import Side

    engine = open_database(f"sqlite:///{path}", create=True)
    try:
        patient = PatientRepository(engine).add("Bench", "908172")
        programs = ProgramRepository(engine)
        program_id = programs.create("bench", [ProgramItemSpec("clamshell")])
        programs.assign(program_id, patient.id, date.today(), None)
        log = SessionLog(engine)
        now = datetime.now(UTC)
        session_id = log.start(patient.id, program_id, now)
        times = []
        for n in range(ROUNDS):
            record = SetRecord(
                exercise_index=0,
                exercise_id="clamshell",
                set_number=n + 1,
                side=Side.LEFT if n % 2 else Side.RIGHT,
                reps_target=10,
                reps_done=10,
                hold_target_s=None,
                hold_done_s=None,
                started_at=now + timedelta(seconds=n),
                ended_at=now + timedelta(seconds=n + 1),
                paused_s=0.0,
                status=SetStatus.COMPLETED,
            )
            started = time.perf_counter()
            log.log_set(session_id, record)
            times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        engine.dispose()


def _raw_times(path: Path) -> list[float]:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute(
            "CREATE TABLE set_records (id INTEGER PRIMARY KEY, session_id INTEGER, "
            "exercise_index INTEGER, exercise_id TEXT, set_number INTEGER, side TEXT, "
            "reps_target INTEGER, reps_done INTEGER, hold_target_s REAL, hold_done_s REAL, "
            "started_at TEXT, ended_at TEXT, paused_s REAL, status TEXT)"
        )
        now = datetime.now(UTC)
        times = []
        for n in range(ROUNDS):
            row = (1, 0, "clamshell", n + 1, "left", 10, 10, None, None,
                   now.isoformat(), now.isoformat(), 0.0, "completed")  # fmt: skip
            started = time.perf_counter()
            connection.execute("BEGIN")
            connection.execute(
                "INSERT INTO set_records (session_id, exercise_index, exercise_id, set_number, "
                "side, reps_target, reps_done, hold_target_s, hold_done_s, started_at, "
                "ended_at, paused_s, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                row,
            )
            connection.execute("COMMIT")
            times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        connection.close()


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        raw = _raw_times(Path(tmp) / "raw.sqlite3")
        ours = _repository_times(Path(tmp) / "kiosk.sqlite3")
    label = f"raw sqlite3 insert+commit, WAL+FULL, {ROUNDS} sets"
    return [
        Figure("log_set_p50_ms", median(ours), "ms", median(raw), label, "-"),
        Figure(
            "log_set_p99_ms", percentile(ours, 99), "ms", percentile(raw, 99), label, "p99 <= 5 ms"
        ),
    ]
