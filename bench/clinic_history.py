"""A clinic's history, made up deterministically: patients, programs, assignments, sessions,
sets, pain presses and feedback over ``days`` days at about ``visits_per_day`` visits a day.

Written through the real schema (the models' tables, migrated by the real migrations) with
Core ``executemany`` in chunks, not the ORM one row at a time: two years of a busy clinic
(5,000 patients, ~245,000 sessions, ~1.2 million sets) take well under a minute on SQLite.
The same seed and shape make the same rows, on SQLite and on PostgreSQL, so tests use it at a
small size and ``bench.clinic_scale`` at the full ones.

How a clinic looks here: each patient comes in episodes of care (an assignment of a program,
three weekdays a week, for eight weeks); on a prescribed day they come with probability
:data:`SHOW_UP`, between 07:00 and 18:00 UTC; a visit logs ~5 sets, a pain rating before and
after, sometimes a difficulty rating, rarely an "It hurts" press or a call for staff.

``python -m bench.clinic_history FILE [--days D] [--patients N] [--visits V] [--seed S]``
writes a new SQLite file (or ``--url`` a PostgreSQL database).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text

# Bump when the rows a seed makes (or the schema they are written into) change, so a cached
# database is made again.
GENERATOR_VERSION = 3
SHOW_UP = 0.85
OVERLAP = 1.06
EPISODE_DAYS = 56
WEEKDAYS_MWF = 0b0010101  # Monday, Wednesday, Friday (bit 0 is Monday)
CHUNK = 20_000
EXERCISES = (
    "clamshell",
    "side-lying-lift-and-sweep",
    "lateral-band-walk",
    "four-point-hip-abduction",
    "functional-clamshell",
    "big-leg-lifts",
    "small-leg-raises",
    "prone-straddle-hold",
    "ball-squeeze-squat",
    "bicycle-to-sidekick",
)
DIFFICULTY = ("easy", "just right", "hard")


@dataclass(frozen=True)
class HistoryShape:
    """How big a history to make; ``end``: its last day (the bench's "today")."""

    patients: int
    days: int
    visits_per_day: int
    seed: int = 18
    end: date = date(2026, 6, 30)
    programs: int = 60

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.days - 1)

    def key(self) -> str:
        """Names a cached file: the generator's version, the seed and the shape."""
        return (
            f"v{GENERATOR_VERSION}-s{self.seed}-p{self.patients}-d{self.days}"
            f"-v{self.visits_per_day}-e{self.end.isoformat()}-g{self.programs}"
        )


TWO_YEARS = HistoryShape(patients=5_000, days=730, visits_per_day=339)


@dataclass(frozen=True)
class HistoryCounts:
    patients: int = 0
    programs: int = 0
    assignments: int = 0
    sessions: int = 0
    sets: int = 0
    pain_events: int = 0
    feedback: int = 0


def _tables() -> dict[str, Table]:
    from db.models import Base

    return dict(Base.metadata.tables)


def _episodes(shape: HistoryShape, rng: random.Random) -> list[tuple[int, int, int]]:
    """(patient, program, first day index) of every episode of care, so that the prescribed
    days, shown up to at :data:`SHOW_UP`, make about ``visits_per_day`` visits a day."""
    prescribed_per_episode = EPISODE_DAYS * 3 / 7
    # Episodes start up to EPISODE_DAYS before the first day, so some of each edge's fall
    # outside; and a patient's overlapping episodes make one visit a day, not two.
    total_days = OVERLAP * shape.visits_per_day * (shape.days + EPISODE_DAYS - 1) / SHOW_UP
    count = max(shape.patients, round(total_days / prescribed_per_episode))
    found = []
    for n in range(count):
        patient = n % shape.patients + 1 if n < shape.patients else rng.randint(1, shape.patients)
        first = rng.randint(-EPISODE_DAYS + 1, shape.days - 1)
        found.append((patient, rng.randint(1, shape.programs), first))
    return found


def _insert(connection: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            connection.execute(table.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count


def _uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def generate(engine: Engine, shape: HistoryShape) -> HistoryCounts:
    """Fill an empty, migrated database with ``shape``'s history (one transaction)."""
    rng = random.Random(shape.seed)
    tables = _tables()
    start = datetime.combine(shape.start, datetime.min.time(), tzinfo=UTC)
    made = datetime.combine(shape.start - timedelta(days=90), datetime.min.time(), tzinfo=UTC)

    program_items: dict[int, list[tuple[int, str, int]]] = {}  # index, exercise, sets
    for program in range(1, shape.programs + 1):
        chosen = rng.sample(EXERCISES, rng.randint(3, 5))
        program_items[program] = [(i, e, rng.choice((1, 1, 2))) for i, e in enumerate(chosen)]
    episodes = _episodes(shape, rng)
    by_day: dict[int, list[tuple[int, int]]] = {}
    for patient, program, first in episodes:
        for offset in range(EPISODE_DAYS):
            day = first + offset
            if 0 <= day < shape.days:
                weekday = (shape.start + timedelta(days=day)).weekday()
                if WEEKDAYS_MWF & (1 << weekday):
                    by_day.setdefault(day, []).append((patient, program))

    def patients() -> Iterator[dict[str, Any]]:
        for n in range(1, shape.patients + 1):
            yield {
                "id": n,
                "code": f"{100000 + n * 7919 % 900000:06d}",
                "display_name": f"P{n}",
                "active": True,
                "created_at": made,
            }

    def programs() -> Iterator[dict[str, Any]]:
        for n in range(1, shape.programs + 1):
            yield {
                "id": n,
                "name": f"Hip program {n}",
                "side_series": False,
                "created_at": made,
                "is_template": False,
            }

    def items() -> Iterator[dict[str, Any]]:
        for program, rows in program_items.items():
            for index, exercise, sets in rows:
                yield {"program_id": program, "position": index, "exercise_id": exercise,
                       "sets": sets}  # fmt: skip

    def assignments() -> Iterator[dict[str, Any]]:
        for patient, program, first in episodes:
            yield {
                "patient_id": patient,
                "program_id": program,
                "start_date": shape.start + timedelta(days=first),
                "end_date": shape.start + timedelta(days=first + EPISODE_DAYS - 1),
                "weekdays": WEEKDAYS_MWF,
                "created_at": made,
            }

    sets_rows: list[dict[str, Any]] = []
    pain_rows: list[dict[str, Any]] = []
    feedback_rows: list[dict[str, Any]] = []
    counts = {"sessions": 0, "sets": 0, "pain": 0, "feedback": 0}

    def sessions() -> Iterator[dict[str, Any]]:
        session_id = 0
        for day in range(shape.days):
            visits = [v for v in by_day.get(day, []) if rng.random() < SHOW_UP]
            seen: set[int] = set()
            for patient, program in visits:
                if patient in seen:  # two overlapping episodes: one visit
                    continue
                seen.add(patient)
                session_id += 1
                at = start + timedelta(days=day, seconds=rng.randint(7 * 3600, 18 * 3600))
                roll = rng.random()
                last_day = day == shape.days - 1
                state = (
                    "running" if last_day and roll < 0.1
                    else "stopped" if roll < 0.04
                    else "abandoned" if roll < 0.05
                    else "finished"
                )  # fmt: skip
                moment = at
                _feedback(session_id, "pain_before", str(rng.randint(0, 6)), None, moment)
                for index, exercise, set_count in program_items[program]:
                    for number in range(1, set_count + 1):
                        status_roll = rng.random()
                        status = "skipped" if status_roll < 0.05 else "completed"
                        ended = moment + timedelta(seconds=rng.randint(45, 120))
                        sets_rows.append({
                            "uid": _uid(rng), "session_id": session_id, "exercise_index": index,
                            "exercise_id": exercise, "set_number": number, "side": None,
                            "reps_target": 10, "reps_done": 10 if status == "completed" else 0,
                            "hold_target_s": None, "hold_done_s": None, "started_at": moment,
                            "ended_at": ended, "paused_s": 0.0, "status": status,
                        })  # fmt: skip
                        moment = ended + timedelta(seconds=30)
                    if rng.random() < 0.015:
                        pain_rows.append({
                            "uid": _uid(rng), "session_id": session_id, "exercise_index": index,
                            "exercise_id": exercise, "set_number": 1, "side": None, "rep": 3,
                            "at": moment,
                        })  # fmt: skip
                    if rng.random() < 0.06:
                        _feedback(
                            session_id, "difficulty", rng.choice(DIFFICULTY), exercise, moment
                        )
                if rng.random() < 0.01:
                    _feedback(session_id, "call_staff", "help", None, moment)
                if state == "finished":
                    _feedback(session_id, "pain_after", str(rng.randint(0, 5)), None, moment)
                yield {
                    "id": session_id, "uid": _uid(rng), "patient_id": patient,
                    "program_id": program, "started_at": at,
                    "ended_at": None if state == "running" else moment, "state": state,
                }  # fmt: skip

    def _feedback(
        session_id: int, kind: str, value: str, exercise: str | None, at: datetime
    ) -> None:
        feedback_rows.append({
            "uid": _uid(rng), "session_id": session_id, "exercise_index": None,
            "exercise_id": exercise, "set_number": None, "side": None, "rep": None,
            "kind": kind, "value": value, "at": at,
        })  # fmt: skip

    with engine.begin() as connection:
        n_patients = _insert(connection, tables["patients"], patients())
        n_programs = _insert(connection, tables["programs"], programs())
        _insert(connection, tables["program_items"], items())
        n_assignments = _insert(connection, tables["assignments"], assignments())
        batch: list[dict[str, Any]] = []
        for row in sessions():
            batch.append(row)
            if len(batch) >= CHUNK // 4:
                _flush(connection, tables, batch, sets_rows, pain_rows, feedback_rows, counts)
                batch = []
        _flush(connection, tables, batch, sets_rows, pain_rows, feedback_rows, counts)
        if connection.dialect.name == "postgresql":
            for name in ("patients", "programs", "program_items", "assignments", "sessions",
                         "set_records", "pain_events", "feedback_events"):  # fmt: skip
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
                )
    if engine.dialect.name == "postgresql":  # as autovacuum would have, long before
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return HistoryCounts(
        patients=n_patients,
        programs=n_programs,
        assignments=n_assignments,
        sessions=counts["sessions"],
        sets=counts["sets"],
        pain_events=counts["pain"],
        feedback=counts["feedback"],
    )


def _flush(
    connection: Connection,
    tables: dict[str, Table],
    sessions: list[dict[str, Any]],
    sets: list[dict[str, Any]],
    pains: list[dict[str, Any]],
    feedback: list[dict[str, Any]],
    counts: dict[str, int],
) -> None:
    """Sessions first (the others refer to them), then their rows; the lists are emptied."""
    for key, table, rows in (
        ("sessions", "sessions", sessions),
        ("sets", "set_records", sets),
        ("pain", "pain_events", pains),
        ("feedback", "feedback_events", feedback),
    ):
        if rows:
            connection.execute(tables[table].insert(), rows)
            counts[key] += len(rows)
            rows.clear()


def count_rows(engine: Engine) -> dict[str, int]:
    tables = _tables()
    with engine.connect() as connection:
        return {
            name: int(connection.scalar(select(func.count()).select_from(tables[name])) or 0)
            for name in (
                "patients",
                "assignments",
                "sessions",
                "set_records",
                "pain_events",
                "feedback_events",
            )
        }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.clinic_history")
    parser.add_argument("file", nargs="?", help="a new SQLite file")
    parser.add_argument("--url", help="a database URL instead (an empty database)")
    parser.add_argument("--days", type=int, default=TWO_YEARS.days)
    parser.add_argument("--patients", type=int, default=TWO_YEARS.patients)
    parser.add_argument("--visits", type=int, default=TWO_YEARS.visits_per_day)
    parser.add_argument("--seed", type=int, default=TWO_YEARS.seed)
    args = parser.parse_args(argv)
    if not args.file and not args.url:
        parser.error("give a FILE or --url")
    from db.connection import open_database

    url = args.url or f"sqlite:///{args.file}"
    engine = open_database(url, create=True)
    shape = HistoryShape(args.patients, args.days, args.visits, args.seed)
    started = time.perf_counter()
    try:
        counts = generate(engine, shape)
    finally:
        engine.dispose()
    print(f"{counts} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
