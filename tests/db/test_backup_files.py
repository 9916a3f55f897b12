"""The backups' names and which of them rotation keeps: a pure function of the names, run here
over years of nightly backups, missed nights, a kiosk switched off for weeks, several backups
a day, and any set of moments hypothesis can think of."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.backup_files import (
    BACKUP_DIR_ENV,
    backup_folder,
    backup_name,
    backups_of,
    newest_first,
    parse_backup_name,
    rotation,
)

DATABASE = Path("/var/lib/kiosk/kiosk.sqlite3")
NIGHT = timedelta(hours=2, minutes=15)


def name(moment: datetime) -> str:
    return backup_name(DATABASE, moment)


def nightly(first: date, days: int) -> list[datetime]:
    return [datetime.combine(first + timedelta(days=n), datetime.min.time()) + NIGHT
            for n in range(days)]  # fmt: skip


def timer(
    moments: list[datetime], *, keep_daily: int = 7, keep_weekly: int = 4
) -> Iterator[list[str]]:
    """The folder after a backup at each moment, each followed by its rotation (as the timer
    runs them): what is left each time, newest first."""
    folder: list[str] = []
    for moment in moments:
        folder.append(name(moment))
        keep, remove = rotation(folder, "kiosk", keep_daily=keep_daily, keep_weekly=keep_weekly)
        assert name(moment) in keep  # the backup just written is never removed
        folder = [n for n in folder if n not in remove]
        assert sorted(folder) == sorted(keep)
        yield sorted(folder, reverse=True)


def run_timer(moments: list[datetime], *, keep_daily: int = 7, keep_weekly: int = 4) -> list[str]:
    """What is left after the last of ``moments``."""
    *_, left = timer(moments, keep_daily=keep_daily, keep_weekly=keep_weekly)
    return left


def test_a_name_holds_the_database_and_the_moment_and_reads_back() -> None:
    moment = datetime(2026, 3, 2, 2, 15, 0)
    assert name(moment) == "kiosk-2026-03-02T021500.sqlite3"
    parsed = parse_backup_name(name(moment), "kiosk")
    assert parsed is not None
    assert parsed.taken == moment
    # One made by hand, with the date alone, counts as taken at midnight.
    by_hand = parse_backup_name("kiosk-2026-03-02.sqlite3", "kiosk")
    assert by_hand is not None
    assert by_hand.taken == datetime(2026, 3, 2)


@pytest.mark.parametrize(
    "other",
    [
        "kiosk-2026-02-30T021500.sqlite3",  # no such day
        "kiosk-2026-03-02T251500.sqlite3",  # no such hour
        "kiosk-2026-03-02T0215.sqlite3",
        "kiosk-2026-03-02T021500.sqlite3.partial",
        ".kiosk-2026-03-02T021500.sqlite3.partial",
        "clinic-2026-03-02T021500.sqlite3",  # another database's
        "kiosk.sqlite3",
        "kiosk-2026-03-02T021500.sqlite3-wal",
        "notes.txt",
    ],
)
def test_other_files_are_no_backups_of_this_database(other: str) -> None:
    assert parse_backup_name(other, "kiosk") is None
    assert rotation([other], "kiosk", keep_daily=1, keep_weekly=0) == ([], [])


def test_the_backups_go_beside_the_database_unless_a_folder_is_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(BACKUP_DIR_ENV, raising=False)
    assert backup_folder(DATABASE) == Path("/var/lib/kiosk/backups")
    monkeypatch.setenv(BACKUP_DIR_ENV, str(tmp_path))
    assert backup_folder(DATABASE) == tmp_path


def test_backups_of_lists_only_the_databases_own_newest_first(tmp_path: Path) -> None:
    for file in (
        "kiosk-2026-03-01T021500.sqlite3",
        "kiosk-2026-03-02T021500.sqlite3",
        "kiosk-2026-03-02.sqlite3",
        "other-2026-03-03T021500.sqlite3",
        "x.txt",
    ):
        (tmp_path / file).write_text("")
    found = [b.name for b in backups_of(tmp_path / "kiosk.sqlite3", tmp_path)]
    assert found == [
        "kiosk-2026-03-02T021500.sqlite3",
        "kiosk-2026-03-02.sqlite3",
        "kiosk-2026-03-01T021500.sqlite3",
    ]
    assert backups_of(tmp_path / "kiosk.sqlite3", tmp_path / "none") == []


def test_a_year_of_nightly_backups_keeps_seven_days_and_four_weeks() -> None:
    nights = nightly(date(2025, 1, 1), 365)
    left: list[str] = []
    for night, left in enumerate(timer(nights)):
        taken = [b.taken.date() for b in newest_first(left, "kiosk")]
        dailies = [nights[night].date() - timedelta(days=n) for n in range(min(night + 1, 7))]
        assert taken[: len(dailies)] == dailies
        # Beyond the dailies: the newest of each older ISO week (its Sunday), four weeks in
        # all counted with the dailies' own.
        assert all(day.isoweekday() == 7 for day in taken[len(dailies) :])
        weeks_so_far = {n.date().isocalendar()[:2] for n in nights[: night + 1]}
        assert len({day.isocalendar()[:2] for day in taken}) >= min(4, len(weeks_so_far))
        assert len(left) <= 7 + 4
    # 31 Dec 2025 is a Wednesday: the dailies span two ISO weeks, then two older Sundays.
    assert len(left) == 7 + 2


def test_the_weeks_are_iso_weeks_across_the_new_year() -> None:
    # 2026-01-01 is a Thursday: 29 Dec 2025 to 4 Jan 2026 is ISO week 1 of 2026.
    left = run_timer(nightly(date(2025, 12, 1), 40), keep_daily=1, keep_weekly=4)
    assert left == [
        name(datetime(2026, 1, 9) + NIGHT),  # the newest: day and week
        name(datetime(2026, 1, 4) + NIGHT),  # Sunday of 2026-W01
        name(datetime(2025, 12, 28) + NIGHT),  # 2025-W52
        name(datetime(2025, 12, 21) + NIGHT),  # 2025-W51
    ]


def test_a_kiosk_switched_off_for_weeks_keeps_its_last_backups() -> None:
    before = nightly(date(2026, 2, 1), 20)
    after_holiday = [datetime(2026, 4, 20) + NIGHT]  # back after seven weeks off
    left = run_timer(before + after_holiday)
    # Days and weeks that have a backup count, not calendar days: the seven newest nights
    # are still there, and the newest of the week before them.
    assert left == [
        name(after_holiday[0]),
        *(name(datetime(2026, 2, day) + NIGHT) for day in range(20, 14, -1)),
        name(datetime(2026, 2, 8) + NIGHT),
    ]


def test_several_backups_a_day_keep_the_newest_of_each_day() -> None:
    moments = [datetime(2026, 3, d, h) for d in range(1, 11) for h in (2, 11, 16)]
    left = run_timer(moments, keep_daily=7, keep_weekly=0)
    assert left == [name(datetime(2026, 3, d, 16)) for d in range(10, 3, -1)]


def test_keeping_nothing_weekly_keeps_only_the_dailies_and_negative_counts_are_refused() -> None:
    left = run_timer(nightly(date(2026, 1, 1), 60), keep_daily=3, keep_weekly=0)
    assert len(left) == 3
    with pytest.raises(ValueError, match="negative"):
        rotation([], "kiosk", keep_daily=-1)


moments = st.lists(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda m: m.replace(microsecond=0)
    ),
    max_size=60,
)


@given(moments, st.integers(1, 10), st.integers(0, 6))
def test_rotation_keeps_the_newest_at_most_the_counts_and_is_stable(
    taken: list[datetime], keep_daily: int, keep_weekly: int
) -> None:
    names = sorted({name(m) for m in taken})
    keep, remove = rotation(names, "kiosk", keep_daily=keep_daily, keep_weekly=keep_weekly)
    assert sorted(keep + remove) == names
    assert not set(keep) & set(remove)
    if names:
        assert keep[0] == newest_first(names, "kiosk")[0].name
    assert len(keep) <= keep_daily + keep_weekly
    backups = newest_first(names, "kiosk")
    newest_of_day = {b.taken.date(): b.name for b in reversed(backups)}
    newest_of_week = {b.taken.isocalendar()[:2]: b.name for b in reversed(backups)}
    assert set(keep) <= set(newest_of_day.values())
    for day in sorted(newest_of_day, reverse=True)[:keep_daily]:
        assert newest_of_day[day] in keep
    for week in sorted(newest_of_week, reverse=True)[:keep_weekly]:
        assert newest_of_week[week] in keep
    # Rotating what is left removes nothing more.
    assert rotation(keep, "kiosk", keep_daily=keep_daily, keep_weekly=keep_weekly)[1] == []
