"""``checkin_lookup_p99_ms``: finding a patient by code among 100,000, through the repository.

Baseline: the same lookup with the raw sqlite3 driver on the same file, in the same run.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.report import Figure, percentile

PATIENTS = 100_000
LOOKUPS = 2_000


def run() -> list[Figure]:
    from db.connection import open_database
    from db.repositories.patients import PatientRepository

    rng = random.Random(7)
    codes = rng.sample(range(100_000, 1_000_000), PATIENTS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lookup.sqlite3"
        engine = open_database(f"sqlite:///{path}", create=True)
        engine.dispose()
        now = datetime.now(UTC).isoformat()
        with sqlite3.connect(path) as connection:
            connection.executemany(
                "INSERT INTO patients (code, display_name, active, created_at) VALUES (?, ?, 1, ?)",
                ((str(code), f"P{n}", now) for n, code in enumerate(codes)),
            )
        connection.close()
        probes = [str(rng.choice(codes)) for _ in range(LOOKUPS)]
        engine = open_database(f"sqlite:///{path}")
        try:
            patients = PatientRepository(engine)
            ours = []
            for code in probes:
                started = time.perf_counter()
                found = patients.find_by_code(code)
                ours.append((time.perf_counter() - started) * 1000)
                assert found is not None
        finally:
            engine.dispose()
        raw_connection = sqlite3.connect(path)
        raw = []
        for code in probes:
            started = time.perf_counter()
            row = raw_connection.execute(
                "SELECT id, code, display_name FROM patients WHERE code = ? AND active = 1",
                (code,),
            ).fetchone()
            raw.append((time.perf_counter() - started) * 1000)
            assert row is not None
        raw_connection.close()
    return [
        Figure(
            "checkin_lookup_p99_ms",
            percentile(ours, 99),
            "ms",
            percentile(raw, 99),
            f"raw sqlite3 SELECT by code, {PATIENTS:,} patients",
            "p99 <= 2 ms",
        )
    ]
