"""A generated clinic history (bench/clinic_history.py) read by the staff side: the report's
rows equal one raw ``GROUP BY``'s, a streamed report equals the whole one, and on SQLite the
query plans read a bounded period through the indexes of migration 0010, never a whole table."""

from __future__ import annotations

import threading
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from bench.clinic_history import HistoryShape, count_rows, generate
from bench.raw_report import raw_day_rows_sql, utc_bounds
from db.connection import open_database
from db.repositories.progress import ProgressQueries

SMALL = HistoryShape(patients=120, days=45, visits_per_day=25)
BIG_TABLES = ("sessions", "set_records", "feedback_events", "pain_events")


def _counting_columns(rows: object) -> list[tuple[object, ...]]:
    return [
        (r.day, r.patient_id, r.sessions_started, r.sessions_finished, r.sets_completed,
         r.sets_skipped, r.sets_stopped, r.pain_events)
        for r in rows  # type: ignore[attr-defined]
        if r.sessions_started
    ]  # fmt: skip


def test_report_rows_equal_a_raw_group_by(engine: Engine) -> None:
    counts = generate(engine, SMALL)
    assert counts.sessions > 500
    assert counts.sets > 4 * counts.sessions
    start, end = SMALL.start, SMALL.end
    ours = ProgressQueries(engine, tz=UTC).day_rows(start, end)
    low, high = utc_bounds(start, end)
    with engine.connect() as connection:
        raw = connection.execute(
            text(raw_day_rows_sql(engine.dialect.name)), {"low": low, "high": high}
        ).all()
    baseline = [
        (r[0] if isinstance(r[0], date) else date.fromisoformat(r[0]), *map(int, r[1:]))
        for r in raw
    ]
    assert sorted(_counting_columns(ours)) == baseline
    # Days with a program and no visit have rows too (the no-shows), and nothing else does.
    assert len(ours) > len(baseline)
    assert all(r.scheduled for r in ours if not r.sessions_started)


def test_a_streamed_report_equals_the_whole_one(engine: Engine) -> None:
    generate(engine, SMALL)
    queries = ProgressQueries(engine, tz=UTC)
    start, end = SMALL.start + timedelta(days=3), SMALL.end
    whole = queries.day_rows(start, end)
    for window in (1, 4, 30):
        assert tuple(queries.iter_day_rows(start, end, window_days=window)) == whole
    code = whole[len(whole) // 2].code
    assert queries.day_rows(start, end, code=code) == tuple(r for r in whole if r.code == code)


def test_a_report_stopped_early_leaves_no_reader_and_no_connection(engine: Engine) -> None:
    """On PostgreSQL a report's sessions are read ahead on a thread and a second connection:
    a reader that stops half-way (the staff export cancelled) leaves neither behind."""
    generate(engine, SMALL)
    rows = ProgressQueries(engine, tz=UTC).iter_day_rows(SMALL.start, SMALL.end, window_days=2)
    assert len([next(rows) for _ in range(50)]) == 50
    rows.close()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert [t.name for t in threading.enumerate() if t.name.startswith("report-")] == []


@pytest.mark.sqlite_only
def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    dumps = []
    for name in ("a", "b"):
        engine = open_database(f"sqlite:///{tmp_path / name}.sqlite3", create=True)
        generate(engine, HistoryShape(patients=30, days=10, visits_per_day=8, seed=5))
        with engine.connect() as connection:
            dumps.append(
                [
                    connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
                    for table in (*BIG_TABLES, "assignments")
                ]
            )
        assert count_rows(engine)["sessions"] == len(dumps[-1][0])
        engine.dispose()
    assert dumps[0] == dumps[1]


@pytest.mark.sqlite_only
def test_staff_queries_read_a_period_through_the_indexes(tmp_path: Path) -> None:
    """Every statement the board, the clinic day, a report and a patient's pages run, as
    SQLite plans it on a history without statistics (as a clinic's file is): no ``SCAN`` of
    sessions, sets, feedback or pain presses."""
    engine = open_database(f"sqlite:///{tmp_path / 'history.sqlite3'}", create=True)
    generate(engine, SMALL)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
    statements: list[tuple[str, Any]] = []

    def seen(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    queries = ProgressQueries(engine, tz=UTC)
    day, month_ago = SMALL.end, SMALL.end - timedelta(days=29)
    queries.day_board(day)
    queries.day_rows(month_ago, day)
    for read in (queries.adherence, queries.pain_trend, queries.difficulty, queries.pain_events):
        read(7, month_ago, day)
    event.remove(engine, "before_cursor_execute", seen)
    plans = {}
    with engine.connect() as connection:
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith("SELECT"):
                rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans[statement] = [row[3] for row in rows]
    engine.dispose()
    touched = [s for s in plans if any(f" {t} " in f" {s} " for t in BIG_TABLES)]
    assert len(touched) >= 5
    scans = {
        " ".join(s.split())[:80]: detail
        for s, details in plans.items()
        for detail in details
        if any(detail.startswith(f"SCAN {t}") for t in BIG_TABLES)
    }
    assert scans == {}
    assert any("ix_sessions_started_at" in d for details in plans.values() for d in details)
    assert any(
        "ix_sessions_patient_id_started_at" in d for details in plans.values() for d in details
    )
