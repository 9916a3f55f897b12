"""The baseline's child for ``bench.staff_history``: one ``GROUP BY`` over a period's sessions,
written with the csv module as it is read; only the driver and the standard library, so its
peak RSS is the baseline's own.

``python -m bench.raw_report TARGET DIALECT START END OUT`` (TARGET: a SQLite file or a
PostgreSQL connection string).
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, date, datetime, time, timedelta

#: One row per patient-day with a session: the counting columns of ``kiosk report``. ``{day}``
#: is the dialect's "UTC date of started_at"; :low and :high bound started_at.
RAW_DAY_ROWS = """
SELECT {day} AS day, s.patient_id, count(*),
       sum(CASE WHEN s.state = 'finished' THEN 1 ELSE 0 END),
       sum((SELECT count(*) FROM set_records r WHERE r.session_id = s.id
            AND r.status = 'completed')),
       sum((SELECT count(*) FROM set_records r WHERE r.session_id = s.id
            AND r.status = 'skipped')),
       sum((SELECT count(*) FROM set_records r WHERE r.session_id = s.id
            AND r.status = 'stopped')),
       sum((SELECT count(*) FROM pain_events p WHERE p.session_id = s.id))
FROM sessions s
WHERE s.started_at >= :low AND s.started_at < :high
GROUP BY 1, 2
ORDER BY 1, 2
"""
DAY_EXPRESSION = {
    "sqlite": "date(s.started_at)",
    "postgresql": "CAST(s.started_at AT TIME ZONE 'UTC' AS date)",
}


def raw_day_rows_sql(dialect: str) -> str:
    return RAW_DAY_ROWS.format(day=DAY_EXPRESSION[dialect])


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    low = datetime.combine(start, time.min, tzinfo=UTC)
    return low, datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)


def sqlite_moment(moment: datetime) -> str:
    """How a UTC moment is stored in SQLite (SQLAlchemy's format), for the raw driver."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def write(target: str, dialect: str, start: str, end: str, out: str) -> int:
    low, high = utc_bounds(date.fromisoformat(start), date.fromisoformat(end))
    sql = raw_day_rows_sql(dialect)
    count = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if dialect == "sqlite":
            import sqlite3

            lite = sqlite3.connect(target)
            for row in lite.execute(sql, {"low": sqlite_moment(low), "high": sqlite_moment(high)}):
                writer.writerow(row)
                count += 1
            lite.close()
        else:
            import psycopg

            query = sql.replace(":low", "%(low)s").replace(":high", "%(high)s")
            with psycopg.connect(target) as pg, pg.cursor("raw") as cursor:  # server-side
                cursor.execute(query.encode(), {"low": low, "high": high})
                for row in cursor:
                    writer.writerow(row)
                    count += 1
    return count


if __name__ == "__main__":
    print(f"wrote {write(*sys.argv[1:6])} rows")
