"""Restoring real backups over real databases: the data comes back, the file it replaces is
kept aside with its write-ahead log (none is left beside the restored file), a damaged
database opens again, a backup that is damaged or no kiosk's is refused with nothing changed,
``--latest`` passes over a damaged newest backup, and the restored file keeps its owner.

That a restore is refused while a kiosk runs is tested with the kiosk (``tests/test_services.py``)
and the command (``tests/cli/test_backup_and_restore.py``)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from db.backup import back_up
from db.connection import open_database
from db.in_use import FolderLock
from db.problems import DatabaseUnavailableError, Problem
from db.repositories.patients import PatientRepository
from db.restore import RestoreRefusedError, restore, restore_latest
from tests.db.faults import (
    GARBAGE,
    PATIENT,
    damage_a_page,
    make_database,
    patients_in,
    python,
    url_of,
)

NIGHT = datetime(2026, 3, 2, 2, 15)
MORNING = datetime(2026, 3, 2, 10, 15)
TOM = ("Tom", "716254")

# A kiosk that commits a patient and dies before its write-ahead log is checkpointed (a power
# cut, SIGKILL): the commit is only in the -wal beside the database.
_COMMIT_AND_DIE = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint=0")
connection.execute("INSERT INTO patients (code, display_name, active, created_at) "
                   "VALUES ('716254', 'Tom', 1, '2026-03-02 09:00:00')")
os._exit(0)
"""


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return make_database(tmp_path / "clinic" / "kiosk.sqlite3")


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_restore_brings_the_backup_back_and_keeps_the_file_it_replaced_with_its_wal(
    database: Path,
) -> None:
    backup = back_up(database, now=NIGHT).written
    subprocess.run(python(_COMMIT_AND_DIE, str(database)), check=True)
    wal = database.with_name("kiosk.sqlite3-wal")
    assert wal.stat().st_size > 0  # Tom is only there

    done = restore(backup, database, now=MORNING)

    assert patients_in(database) == [PATIENT]  # as the backup had it
    aside = database.with_name("kiosk.before-restore-2026-03-02T101500.sqlite3")
    assert done.set_aside[0] == aside
    assert set(done.set_aside) == {aside, aside.with_name(aside.name + "-wal"),
                                   aside.with_name(aside.name + "-shm")}  # fmt: skip
    # Nothing of the old file is left beside the restored one, where SQLite would replay it.
    assert not wal.exists()
    assert not database.with_name("kiosk.sqlite3-shm").exists()
    # The file set aside opens as it was, its last commit with it.
    assert patients_in(aside) == [PATIENT, TOM]
    # The restored file opens as the kiosk opens it, and takes new patients.
    engine = open_database(url_of(database))
    try:
        PatientRepository(engine).add("Ann", "551937")
    finally:
        engine.dispose()
    assert patients_in(database) == [PATIENT, ("Ann", "551937")]
    assert not [p for p in database.parent.iterdir() if p.name.endswith(".restoring")]


def test_a_damaged_database_opens_again_once_its_last_good_backup_is_back(
    database: Path,
) -> None:
    back_up(database, now=NIGHT - timedelta(days=1))
    back_up(database, now=NIGHT)
    damage_a_page(database)
    damaged = database.read_bytes()
    with pytest.raises(DatabaseUnavailableError) as caught:
        open_database(url_of(database)).dispose()
    assert caught.value.problem is Problem.DAMAGED
    assert "quick_check: " in str(caught.value)

    done = restore_latest(database, now=MORNING)

    assert done.backup.name == "kiosk-2026-03-02T021500.sqlite3"
    assert done.skipped == ()
    open_database(url_of(database)).dispose()
    assert patients_in(database) == [PATIENT]
    assert done.set_aside[0].read_bytes() == damaged  # kept, never deleted


def test_latest_passes_over_a_damaged_newest_backup(database: Path) -> None:
    back_up(database, now=NIGHT - timedelta(days=1))
    newest = back_up(database, now=NIGHT).written
    newest.write_bytes(GARBAGE)  # a backup disk that failed since
    done = restore_latest(database, now=MORNING)
    assert done.backup.name == "kiosk-2026-03-01T021500.sqlite3"
    ((skipped, why),) = done.skipped
    assert skipped == newest
    assert why.startswith(f"The backup {newest} is damaged (integrity_check: ")


def test_latest_without_any_backup_is_refused(database: Path) -> None:
    before = listing(database.parent)
    with pytest.raises(RestoreRefusedError) as caught:
        restore_latest(database)
    folder = database.parent / "backups"
    assert str(caught.value) == f"There is no backup of {database} in {folder}."
    assert listing(database.parent) == before


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda path: path.write_bytes(GARBAGE), "The backup {path} is damaged (integrity_check: "),
        (lambda path: damage_a_page(make_database(path)), "The backup {path} is damaged"),
        (
            lambda path: sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close(),
            "{path} is not a backup of a kiosk database",
        ),
        (lambda _path: None, "There is no backup file {path}."),
    ],
    ids=["garbage", "damaged-page", "not-the-kiosks", "missing"],
)
def test_a_backup_that_cannot_be_restored_is_refused_and_nothing_changes(
    database: Path, tmp_path: Path, make: object, says: str
) -> None:
    path = tmp_path / "elsewhere" / "kiosk-2026-03-01T021500.sqlite3"
    path.parent.mkdir()
    make(path)  # type: ignore[operator]
    before = listing(database.parent)
    with pytest.raises(RestoreRefusedError) as caught:
        restore(path, database)
    assert str(caught.value).startswith(says.format(path=path))
    assert listing(database.parent) == before


def test_a_restore_waits_for_no_one_and_says_a_kiosk_runs(database: Path) -> None:
    backup = back_up(database, now=NIGHT).written
    before = listing(database.parent)
    kiosk = FolderLock(database, exclusive=False)  # what every running kiosk holds
    try:
        with pytest.raises(RestoreRefusedError) as caught:
            restore(backup, database)
    finally:
        kiosk.release()
    assert str(caught.value) == (
        f"A kiosk is running on the database {database}: quit it (staff mode, Quit kiosk; or "
        "stop its service), then restore again. Nothing was changed."
    )
    assert listing(database.parent) == before
    restore(backup, database)  # once it has quit


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_root_restoring_leaves_the_file_to_the_kiosks_user(database: Path) -> None:
    backup = back_up(database, now=NIGHT).written
    os.chown(database, 65534, 65534)
    os.chmod(database, 0o640)
    restore(backup, database)
    restored = database.stat()
    assert (restored.st_uid, restored.st_gid) == (65534, 65534)
    assert stat.S_IMODE(restored.st_mode) == 0o640


def test_a_restore_onto_a_missing_file_puts_the_backup_there(database: Path) -> None:
    backup = back_up(database, now=NIGHT).written
    database.unlink()
    done = restore(backup, database)
    assert done.set_aside == ()
    assert patients_in(database) == [PATIENT]
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_a_copy_that_cannot_be_renamed_into_place_changes_nothing(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = back_up(database, now=NIGHT).written
    subprocess.run(python(_COMMIT_AND_DIE, str(database)), check=True)  # a -wal to move aside
    before = listing(database.parent)
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target) == database:  # the last step: the disk fails just then
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(RestoreRefusedError) as caught:
        restore(backup, database, now=MORNING)
    assert str(caught.value) == (
        f"The backup could not be put in place of {database} (Input/output error). "
        "Nothing was changed."
    )
    assert listing(database.parent) == before  # the -wal back beside it, no extra name, no copy
    assert patients_in(database) == [PATIENT, TOM]
