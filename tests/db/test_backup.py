"""Backups of real SQLite files while other processes write to them: the commits still in the
write-ahead log are in the backup and an open transaction is not, a backup taken while another
process commits all the time is whole, a damaged database is not backed up (and its old
backups stay), the files are private, and rotation removes what it should from a real folder."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from db.backup import BackupError, back_up
from db.backup_files import backups_of
from db.integrity import file_problem
from db.problems import DatabaseUnavailableError, Problem
from tests.db.faults import PATIENT, damage_a_page, make_database, patients_in, python

NIGHT = datetime(2026, 3, 2, 2, 15)

# Commits two patients with the checkpoint off (they stay in the -wal), then holds a third in
# an open transaction until told to commit it.
_WRITER_IN_THE_MIDDLE = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint=0")
for name, code in (("Tom", "716254"), ("Ann", "551937")):
    connection.execute("INSERT INTO patients (code, display_name, active, created_at) "
                       "VALUES (?, ?, 1, '2026-03-01 09:00:00')", (code, name))
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO patients (code, display_name, active, created_at) "
                   "VALUES ('305718', 'JK', 1, '2026-03-01 09:00:00')")
print("holding", flush=True)
sys.stdin.readline()
connection.execute("COMMIT")
print("committed", flush=True)
sys.stdin.readline()
"""

# Commits pairs of audit rows, one pair per transaction, until its stdin closes.
_WRITER_ALL_THE_TIME = """
import select, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
pairs = 0
while True:
    connection.execute("BEGIN IMMEDIATE")
    for half in ("first", "second"):
        connection.execute("INSERT INTO audit_log (at, actor, action, detail) "
                           "VALUES ('2026-03-02 09:00:00', 'test', ?, ?)", (half, str(pairs)))
    connection.execute("COMMIT")
    pairs += 1
    if pairs == 20:
        print("writing", flush=True)
    if select.select([sys.stdin], [], [], 0)[0] and not sys.stdin.read(1):
        break
print(pairs, flush=True)
"""


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return make_database(tmp_path / "clinic" / "kiosk.sqlite3")


@pytest.fixture
def writer_in_the_middle(database: Path) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        python(_WRITER_IN_THE_MIDDLE, str(database)),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "holding"
        yield child
        child.kill()


def test_a_backup_holds_the_commits_in_the_wal_and_not_an_open_transaction(
    database: Path, writer_in_the_middle: subprocess.Popen[str]
) -> None:
    # The two commits are only in the -wal: a copy of the database file would not have them.
    file_alone = database.with_name("file-alone.sqlite3")
    file_alone.write_bytes(database.read_bytes())
    assert patients_in(file_alone) == [PATIENT]

    done = back_up(database, now=NIGHT)  # while the other process holds the write lock

    assert done.written == database.parent / "backups" / "kiosk-2026-03-02T021500.sqlite3"
    assert patients_in(done.written) == [PATIENT, ("Tom", "716254"), ("Ann", "551937")]
    assert file_problem(done.written) is None
    assert done.size == done.written.stat().st_size
    assert done.removed == ()
    child = writer_in_the_middle
    assert child.stdin is not None
    assert child.stdout is not None
    child.stdin.write("\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "committed"  # the backup held nothing up
    assert len(patients_in(database)) == 4
    assert len(patients_in(done.written)) == 3
    # A file at rest: nothing beside it, and it opens in rollback mode.
    assert sorted(p.name for p in done.written.parent.iterdir()) == [done.written.name]
    connection = sqlite3.connect(f"file:{done.written}?mode=ro", uri=True)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    connection.close()


def test_backups_taken_while_another_process_commits_all_the_time_are_whole(
    database: Path,
) -> None:
    with subprocess.Popen(
        python(_WRITER_ALL_THE_TIME, str(database)),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        assert child.stdout is not None
        assert child.stdin is not None
        assert child.stdout.readline().strip() == "writing"
        # One a night (the same day's would rotate each other away).
        written = [back_up(database, now=NIGHT + timedelta(days=n)).written for n in range(5)]
        child.stdin.close()
        pairs = int(child.stdout.readline())
    counts = []
    for backup in written:
        assert file_problem(backup) is None
        connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        rows = connection.execute("SELECT action, detail FROM audit_log ORDER BY id").fetchall()
        connection.close()
        # Every transaction whole: pairs, in order, none half there.
        assert len(rows) % 2 == 0
        assert rows == [(half, str(n)) for n in range(len(rows) // 2)
                        for half in ("first", "second")]  # fmt: skip
        counts.append(len(rows) // 2)
    assert counts == sorted(counts)
    assert counts[0] >= 20
    assert counts[-1] <= pairs


def test_the_backup_and_its_folder_are_the_kiosk_users_alone(database: Path) -> None:
    old_umask = os.umask(0)  # whatever the umask, no one else may read clinical records
    try:
        done = back_up(database, now=NIGHT)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(done.written.stat().st_mode) == 0o600
    assert stat.S_IMODE(done.written.parent.stat().st_mode) == 0o700


def test_a_folder_that_exists_is_left_as_it_is(database: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb-stick"
    usb.mkdir(mode=0o755)
    os.chmod(usb, 0o755)
    done = back_up(database, usb, now=NIGHT)
    assert done.written.parent == usb
    assert stat.S_IMODE(usb.stat().st_mode) == 0o755
    assert stat.S_IMODE(done.written.stat().st_mode) == 0o600


def test_rotation_removes_only_old_backups_of_this_database(database: Path) -> None:
    folder = database.parent / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("the clinic's own file")
    (folder / "other-2026-01-01T021500.sqlite3").write_text("another database's backup")
    removed: list[Path] = []
    for night in range(30):
        removed += back_up(database, now=NIGHT + timedelta(days=night)).removed
    kept = {b.name for b in backups_of(database)}
    # 2–31 March: the last seven nights, and the Sundays of the two ISO weeks before theirs
    assert len(kept) == 7 + 2
    assert len(removed) == 30 - len(kept)
    assert not kept & {p.name for p in removed}
    assert {p.name for p in folder.iterdir()} == kept | {
        "notes.txt",
        "other-2026-01-01T021500.sqlite3",
    }


def test_a_damaged_database_is_not_backed_up_and_its_backups_stay(database: Path) -> None:
    for night in range(10):
        back_up(database, now=NIGHT + timedelta(days=night))
    folder = database.parent / "backups"
    before = sorted(p.name for p in folder.iterdir())
    damage_a_page(database)
    with pytest.raises(DatabaseUnavailableError) as caught:
        back_up(database, now=NIGHT + timedelta(days=10))
    assert caught.value.problem is Problem.DAMAGED
    assert str(caught.value).startswith(
        f"The database file {database} is damaged (integrity_check of a backup of it: "
    )
    assert str(caught.value).endswith(
        "Run `kiosk restore --latest` to bring back the last good backup "
        "(newest: 2026-03-11 02:15), or move it aside and start a new database with --create-db."
    )
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written or removed


def test_a_database_that_is_not_there_is_told_so(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailableError) as caught:
        back_up(tmp_path / "kiosk.sqlite3")
    assert caught.value.problem is Problem.NO_FILE
    assert not (tmp_path / "backups").exists()


def test_a_folder_that_cannot_be_made_is_the_folders_problem(
    database: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(BackupError) as caught:
        back_up(database, blocked / "backups")
    assert str(caught.value).startswith(
        f"The backup of {database} could not be written to {blocked / 'backups'} (Not a directory)"
    )
