"""The staff side on two years of a busy clinic (:mod:`bench.clinic_history`), each figure
beside a raw-SQL baseline for the same rows, measured in the same run on the same file:

- ``history_board_ms``: the Today board for one day (what staff mode reads every 5 s);
- ``history_clinic_day_ms`` / ``history_clinic_30_days_ms``: the clinic's day rows;
- ``history_report_year_s`` / ``history_report_year_rss_mb``: ``kiosk report --csv`` over one
  year, in a child process (its own peak RSS, VmHWM); the baseline is one
  ``GROUP BY`` query written with the csv module, in a child process too;
- ``history_patient_90_days_ms``: one busy patient's adherence and pain trend over 90 days.

The baseline (:mod:`bench.raw_report`) is one ``GROUP BY`` over the period's sessions with
correlated counts of their sets and pain presses: the rows' counting columns, not the whole
row (no program, no pain ratings), so the ratio is what the rest costs.

The generated database is cached in ``bench/.cache`` (git-ignored), named by the generator's
version, seed, shape and schema revision: the first ``make bench`` spends about a minute
making it. ``make bench-history`` (``HISTORY_FULL=1``) adds the same figures on a throwaway
PostgreSQL server and how the figures grow from 6 months to 2 years to 5 years of history.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.clinic_history import TWO_YEARS, HistoryShape, generate
from bench.raw_report import raw_day_rows_sql, sqlite_moment, utc_bounds
from bench.report import Figure, median

CACHE = Path(__file__).with_name(".cache")
REPEATS = 7
FULL_ENV = "HISTORY_FULL"

#: Run first in a child: prints its own peak RSS (VmHWM) as it exits. ``ru_maxrss`` from
#: ``wait4`` would not do: Linux carries the forking parent's peak across ``exec``.
PEAK = (
    "import atexit\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            print('peak_rss_kb', line.split()[1])\n"
    "atexit.register(_peak)\n"
)


def history_file(shape: HistoryShape) -> Path:
    """The cached SQLite file of ``shape`` (made the first time: about a minute at 2 years)."""
    from db.connection import SCHEMA_REVISION, open_database

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"history-{shape.key()}-r{SCHEMA_REVISION}.sqlite3"
    if path.exists():
        return path
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    engine = open_database(f"sqlite:///{partial}", create=True)
    try:
        counts = generate(engine, shape)
    finally:
        engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.replace(path)
    print(f"  generated {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def _best_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median of ``repeats`` runs after one warm-up, in ms."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


def busiest_recent_day(
    end: date, run: Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]
) -> date:
    """The day of the last week with the most sessions (the clinic is closed some days)."""
    counts = []
    for back in range(7):
        day = end - timedelta(days=back)
        low, high = utc_bounds(day, day)
        sql = "SELECT count(*) FROM sessions WHERE started_at >= :low AND started_at < :high"
        counts.append((int(run(sql, {"low": low, "high": high})[0][0]), day))
    return max(counts)[1]


def _busy_patient(run: Callable[[str, dict[str, Any]], list[tuple[Any, ...]]], low: Any) -> int:
    rows = run(
        "SELECT patient_id FROM sessions WHERE started_at >= :low "
        "GROUP BY patient_id ORDER BY count(*) DESC, patient_id LIMIT 1",
        {"low": low},
    )
    return int(rows[0][0])


def _child(command: list[str]) -> tuple[float, float, str]:
    """Seconds and peak RSS (MB) of a child process, and its output."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {(done.stdout + done.stderr)[-500:]}")
    peak = next(line.split()[1] for line in done.stdout.splitlines() if line.startswith("peak"))
    return seconds, int(peak) / 1024, done.stdout


def quick_check_s(path: Path) -> float:
    """What the start-up integrity check (``PRAGMA quick_check``) costs on this file."""
    import sqlite3

    connection = sqlite3.connect(path)
    started = time.perf_counter()
    connection.execute("PRAGMA quick_check(10)").fetchall()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


@contextmanager
def _sqlite_runner(path: Path) -> Iterator[Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]]:
    import sqlite3

    connection = sqlite3.connect(path)

    def run(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        fixed = {k: sqlite_moment(v) if isinstance(v, datetime) else v for k, v in params.items()}
        return connection.execute(sql, fixed).fetchall()

    try:
        yield run
    finally:
        connection.close()


@contextmanager
def _psycopg_runner(dsn: str) -> Iterator[Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]]:
    import psycopg

    connection = psycopg.connect(dsn, autocommit=True)

    def run(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        for name in params:
            sql = sql.replace(f":{name}", f"%({name})s")
        return connection.execute(sql.encode(), params).fetchall()

    try:
        yield run
    finally:
        connection.close()


def measure(
    url: str,
    dialect: str,
    shape: HistoryShape,
    run: Callable[[str, dict[str, Any]], list[tuple[Any, ...]]],
    raw_target: str,
    label: str,
    *,
    with_report: bool = True,
) -> list[Figure]:
    """The figures on one database (``label`` names it in the figures: "" or "_postgres")."""
    from db.connection import open_database
    from db.repositories.progress import ProgressQueries

    day = busiest_recent_day(shape.end, run)
    month = day - timedelta(days=29)
    quarter = day - timedelta(days=89)
    sql = raw_day_rows_sql(dialect)
    engine = open_database(url)
    try:
        queries = ProgressQueries(engine, tz=UTC)
        board = _best_ms(lambda: queries.day_board(day))
        one_day = _best_ms(lambda: queries.day_rows(day, day))
        month_ms = _best_ms(lambda: queries.day_rows(month, day), 3)
        low, _ = utc_bounds(quarter, day)
        patient = _busy_patient(run, low)
        patient_ms = _best_ms(
            lambda: (
                queries.adherence(patient, quarter, day),
                queries.pain_trend(patient, quarter, day),
            )
        )
    finally:
        engine.dispose()

    def raw(start: date, end: date) -> Callable[[], object]:
        low, high = utc_bounds(start, end)
        return lambda: run(sql, {"low": low, "high": high})

    raw_day = _best_ms(raw(day, day))
    raw_month = _best_ms(raw(month, day), 3)
    low, high = utc_bounds(quarter, day)
    raw_patient = _best_ms(
        lambda: run(
            "SELECT s.id, s.started_at, s.state, f.kind, f.value FROM sessions s "
            "LEFT JOIN feedback_events f ON f.session_id = s.id "
            "WHERE s.patient_id = :patient AND s.started_at >= :low AND s.started_at < :high "
            "ORDER BY s.started_at, f.at",
            {"patient": patient, "low": low, "high": high},
        )
    )
    suffix = label
    figures = [
        Figure(f"history_board{suffix}_ms", board, "ms", raw_day, "raw GROUP BY of the day",
               "<= 50 ms"),
        Figure(f"history_clinic_day{suffix}_ms", one_day, "ms", raw_day,
               "raw GROUP BY of the day", "<= 50 ms"),
        Figure(f"history_clinic_30_days{suffix}_ms", month_ms, "ms", raw_month,
               "raw GROUP BY of 30 days", "<= 300 ms"),
        Figure(f"history_patient_90_days{suffix}_ms", patient_ms, "ms", raw_patient,
               "raw join of the patient's 90 days", "<= 20 ms"),
    ]  # fmt: skip
    if with_report:
        figures += _report_figures(url, dialect, shape, raw_target, suffix)
    return figures


def _report_figures(
    url: str, dialect: str, shape: HistoryShape, raw_target: str, suffix: str
) -> list[Figure]:
    start = (shape.end - timedelta(days=364)).isoformat()
    end = shape.end.isoformat()
    note = ""
    if dialect == "sqlite":
        # The report leaves the start-up quick_check out (docs/database.md): what it saves.
        note = f"quick_check, which it does not run: {quick_check_s(Path(raw_target)):.1f} s"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "year.csv"
        ours_s, ours_mb, output = _child([
            sys.executable, "-c", PEAK + "import sys\nfrom kiosk.cli import main\nsys.exit(main())",
            "report", "--from", start, "--to", end, "--csv", str(out), "--db", url,
        ])  # fmt: skip
        rows = output.split()[1] if output.startswith("wrote") else "?"
        raw_s, raw_mb, _ = _child([
            sys.executable, "-c", PEAK + "import runpy\nrunpy.run_module('bench.raw_report', "
            "run_name='__main__')",
            raw_target, dialect, start, end, str(Path(tmp) / "raw.csv"),
        ])  # fmt: skip
    return [
        Figure(f"history_report_year{suffix}_s", ours_s, "s", raw_s,
               f"one GROUP BY to csv, child process ({rows} rows)", "<= 3 s", note),
        Figure(f"history_report_year_rss{suffix}_mb", ours_mb, "MB", raw_mb,
               "the GROUP BY child's peak RSS", "<= 100 MB"),
    ]  # fmt: skip


def _sqlite_figures(shape: HistoryShape, label: str, *, with_report: bool = True) -> list[Figure]:
    cached = history_file(shape)
    with tempfile.TemporaryDirectory() as tmp:
        # A copy: the report's command adds the seed templates and an audit line.
        path = Path(tmp) / "history.sqlite3"
        shutil.copyfile(cached, path)
        with _sqlite_runner(path) as run:
            return measure(f"sqlite:///{path}", "sqlite", shape, run, str(path), label,
                           with_report=with_report)  # fmt: skip


#: PostgreSQL's own default shared_buffers, the least a clinic's server runs with (the tests'
#: throwaway clusters take 16 MB: many of them start and stop).
POSTGRES_SETTINGS = {"shared_buffers": "128MB"}


def postgres_history(shape: HistoryShape) -> Path:
    """The cached data directory of a PostgreSQL cluster holding ``shape``'s history in its
    database ``history`` (made the first time: about two minutes at 2 years), named like the
    SQLite file and by the server's major version."""
    from db.connection import SCHEMA_REVISION, open_database
    from tests.db.postgres_server import PostgresServer, find_bindir

    CACHE.mkdir(exist_ok=True)
    version = find_bindir().parent.name
    path = CACHE / f"history-{shape.key()}-r{SCHEMA_REVISION}-pg{version}"
    if path.exists():
        return path
    partial = path.with_name(path.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    # Little write-ahead log kept (checkpoints are cheap here, without fsync): the copy is the
    # database's 0.6 GB, not a gigabyte more of log.
    small_log = {"max_wal_size": "64MB", "min_wal_size": "32MB"}
    with PostgresServer.start(settings=POSTGRES_SETTINGS | small_log) as server:
        engine = open_database(server.create_database("history"))
        started = time.perf_counter()
        try:
            counts = generate(engine, shape)
        finally:
            engine.dispose()
        server.query("history", "CHECKPOINT")
        server.save_data(partial)
    partial.replace(path)
    print(f"  PostgreSQL: generated {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def _postgres_figures(shape: HistoryShape) -> list[Figure]:
    """The same figures on a throwaway PostgreSQL server started on a copy of the cached
    cluster (:func:`postgres_history`): the report's audit line goes to the copy."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.db.postgres_server import PostgresServer, unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        print(f"  PostgreSQL skipped: {reason}")
        return []
    data = postgres_history(shape)
    with PostgresServer.start(settings=POSTGRES_SETTINGS, data=data) as server:
        url = server.url("history")
        dsn = f"host={server.socket_dir} port={server.port} user=kiosk dbname=history"
        with _psycopg_runner(dsn) as run:
            return measure(url, "postgresql", shape, run, dsn, "_postgres")


def _growth(shape: HistoryShape) -> list[Figure]:
    """Day views stay flat and a whole-history report grows linearly with the history."""
    figures = []
    for days, label in ((182, "6_months"), (730, "2_years"), (1826, "5_years")):
        sized = HistoryShape(shape.patients, days, shape.visits_per_day, shape.seed, shape.end)
        for f in _sqlite_figures(sized, f"_{label}", with_report=False):
            if "board" in f.name or "30_days" in f.name:
                figures.append(f)
    return figures


def run() -> list[Figure]:
    figures = _sqlite_figures(TWO_YEARS, "")
    started = time.perf_counter()
    figures += _postgres_figures(TWO_YEARS)
    print(f"  PostgreSQL figures in {time.perf_counter() - started:.0f} s", flush=True)
    if os.environ.get(FULL_ENV):
        figures += _growth(TWO_YEARS)
    else:
        print(f"  6-month/5-year growth: make bench-history ({FULL_ENV}=1)")
    return figures


if __name__ == "__main__":
    from bench.report import print_and_save

    print_and_save(run())
