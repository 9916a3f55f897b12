"""``kiosk backup`` and ``kiosk restore`` as IT and the nightly timer run them: the real command
in a child process on real files. A database with a page damaged deep in a table is refused by
every command (exit 3, one sentence naming the last backup), is not backed up over its good
backups, and ``kiosk restore --latest`` brings it back; a restore is refused while a kiosk
runs; the timer's backup can be restored; a backup disk that fills up is told in a sentence."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.cli.common import EXIT_DATABASE, EXIT_USAGE
from kiosk.cli.staff_common import EXIT_REFUSED
from kiosk.patient.journal import Journal, journal_paths
from tests.db import faults
from tests.db.faults import PATIENT, kiosk, make_database, patients_in, python, url_of
from tests.paths import REPO_ROOT

WROTE = re.compile(r"wrote (\S+) \(\d+\.\d MB, integrity_check ok\)")


def _kiosk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``env``: variables added to the child's environment."""
    return subprocess.run(
        kiosk(*args), capture_output=True, text=True, cwd=REPO_ROOT, timeout=60, check=False,
        env=dict(os.environ, **(env or {})),
    )  # fmt: skip


def one_sentence(child: subprocess.CompletedProcess[str], code: int) -> str:
    assert faults.TRACEBACK not in child.stderr
    assert child.returncode == code, child.stderr
    assert child.stderr.count("\n") == 1, child.stderr
    assert child.stdout == ""
    return child.stderr.removeprefix("kiosk: ").strip()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return make_database(tmp_path / "clinic" / "kiosk.sqlite3")


@pytest.mark.parametrize("where", ["--to DIR", "beside the database"])
def test_the_timers_backup_is_written_checked_and_restorable(
    database: Path, tmp_path: Path, where: str
) -> None:
    folder = tmp_path / "backups" if where == "--to DIR" else database.parent / "backups"
    to = ["--to", str(folder)] if where == "--to DIR" else []
    child = _kiosk("backup", "--db", url_of(database), *to)  # what the nightly timer runs
    assert child.returncode == 0, child.stderr
    match = WROTE.fullmatch(child.stdout.strip())
    assert match is not None, child.stdout
    backup = Path(match.group(1))
    assert backup.parent == folder
    assert re.fullmatch(r"kiosk-\d{4}-\d\d-\d\dT\d{6}\.sqlite3", backup.name)

    faults.damage_a_page(database)
    which = ["--latest", "--from", str(folder)] if to else [backup.as_posix()]
    child = _kiosk("restore", *which, "--db", url_of(database))
    assert child.returncode == 0, child.stderr
    lines = child.stdout.splitlines()
    assert lines[0] == f"restored {backup} to {database}"
    assert lines[1].startswith(f"the file it replaced is kept as {database.parent}/kiosk.before-")
    assert _kiosk("--db", url_of(database), "patients", "list").returncode == 0
    assert patients_in(database) == [PATIENT]


def test_backup_to_a_folder_prints_what_rotation_removed(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    first = _kiosk("backup", "--db", url_of(database), "--to", str(folder))
    written = Path(WROTE.fullmatch(first.stdout.strip()).group(1))  # type: ignore[union-attr]
    assert written.parent == folder
    old = [folder / f"kiosk-2026-01-0{day}T021500.sqlite3" for day in range(1, 4)]
    for path in old:
        shutil.copyfile(written, path)
    written.unlink()
    child = _kiosk("backup", "--db", url_of(database), "--to", str(folder), "--keep-daily", "2",
                   "--keep-weekly", "0")  # fmt: skip
    assert child.returncode == 0, child.stderr
    wrote, *removed = child.stdout.splitlines()
    newest = WROTE.fullmatch(wrote)
    assert newest is not None
    # Kept: today's and 3 January's; removed: 1 and 2 January's.
    assert removed == [f"removed {old[1]}", f"removed {old[0]}"]
    assert sorted(folder.iterdir()) == sorted([old[2], Path(newest.group(1))])


def test_a_damaged_page_is_refused_by_every_command_and_restore_latest_brings_it_back(
    database: Path,
) -> None:
    backed_up = _kiosk("backup", "--db", url_of(database))
    assert backed_up.returncode == 0, backed_up.stderr
    backups = sorted((database.parent / "backups").iterdir())
    faults.damage_a_page(database)
    damaged = database.read_bytes()

    for command in (["patients", "list"], ["db", "upgrade"], ["backup"]):
        sentence = one_sentence(_kiosk("--db", url_of(database), *command), EXIT_DATABASE)
        assert sentence.startswith(f"The database file {database} is damaged (")
        assert re.search(
            r"Run `kiosk restore --latest` to bring back the last good backup \(newest: "
            r"\d{4}-\d\d-\d\d \d\d:\d\d\), or move it aside and start a new database with "
            r"--create-db\.$",
            sentence,
        ), sentence
    assert sorted((database.parent / "backups").iterdir()) == backups  # none written over
    assert database.read_bytes() == damaged

    restored = _kiosk("restore", "--latest", "--db", url_of(database))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.splitlines()[0] == f"restored {backups[0]} to {database}"
    listed = _kiosk("--db", url_of(database), "patients", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Maria" in listed.stdout
    (aside,) = database.parent.glob("kiosk.before-restore-*.sqlite3")
    assert aside.read_bytes() == damaged


def test_a_report_that_reaches_a_damaged_page_says_so_and_writes_nothing(
    database: Path, tmp_path: Path
) -> None:
    # The report leaves out the start-up quick_check (it only reads): the damage is found by
    # reading the sessions, and told with the same sentence.
    assert _kiosk("backup", "--db", url_of(database)).returncode == 0
    faults.damage_a_page(database, table="sessions")
    out = tmp_path / "march.csv"
    start, end = faults.DAMAGED_SESSIONS_MONTH
    child = _kiosk("report", "--from", start, "--to", end, "--csv", str(out),
                   "--db", url_of(database))  # fmt: skip
    sentence = one_sentence(child, EXIT_DATABASE)
    assert sentence.startswith(f"The database file {database} is damaged (malformed)."), sentence
    assert "Run `kiosk restore --latest` to bring back the last good backup" in sentence
    assert list(tmp_path.iterdir()) == [database.parent]  # no report, no half of one


# A kiosk in another process, open until its stdin closes.
_KIOSK = """
import sys
from kiosk.services import KioskServices
services = KioskServices.open(sys.argv[1])
print("running", flush=True)
sys.stdin.read()
services.close()
"""


def test_restore_is_refused_while_a_kiosk_runs(database: Path) -> None:
    assert _kiosk("backup", "--db", url_of(database)).returncode == 0
    with subprocess.Popen(
        python(_KIOSK, url_of(database)), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, cwd=REPO_ROOT,
    ) as running:  # fmt: skip
        assert running.stdout is not None
        assert running.stdin is not None
        assert running.stdout.readline().strip() == "running"
        before = {p.name: p.read_bytes() for p in database.parent.iterdir() if p.is_file()}
        sentence = one_sentence(
            _kiosk("restore", "--latest", "--db", url_of(database)), EXIT_REFUSED
        )
        after = {p.name: p.read_bytes() for p in database.parent.iterdir() if p.is_file()}
        running.stdin.close()
    assert sentence == (
        f"A kiosk is running on the database {database}: quit it (staff mode, Quit kiosk; or "
        "stop its service), then restore again. Nothing was changed."
    )
    assert after == before


def test_restore_says_how_many_records_the_journal_will_write(database: Path) -> None:
    assert _kiosk("backup", "--db", url_of(database)).returncode == 0
    journal = Journal(*journal_paths(url_of(database), data_dir=database.parent))
    journal.append({"v": 1, "write": "audit", "uid": "a" * 32}, {"v": 1, "write": "audit"})
    child = _kiosk("restore", "--latest", "--db", url_of(database))
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[-1] == (
        "2 record(s) waiting in the journal will be written into it when the kiosk next starts"
    )
    assert len(journal.read()) == 2  # left for the next start


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["restore"], "give the backup FILE, or --latest (not both)"),
        (["restore", "x.sqlite3", "--latest"], "give the backup FILE, or --latest (not both)"),
        (["restore", "x.sqlite3", "--from", "/tmp"], "--from goes with --latest"),
        (["backup", "--keep-daily", "0"], "must be a whole number from 1 to 366, got 0"),
        (["backup", "--keep-weekly", "-1"], "must be a whole number from 0 to 520, got -1"),
    ],
)
def test_usage_errors(database: Path, args: list[str], says: str) -> None:
    child = _kiosk("--db", url_of(database), *args)
    assert child.returncode == EXIT_USAGE
    assert says in child.stderr


@pytest.mark.parametrize(("command", "tool"), [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_a_postgresql_database_is_left_to_its_own_tools(command: str, tool: str) -> None:
    url = "postgresql+psycopg://kiosk:secret@gym-server/clinic"
    args = [command, "--latest"] if command == "restore" else [command]
    # The password in the environment, as a command line may not hold it (kiosk.cli).
    sentence = one_sentence(_kiosk(*args, env={"KIOSK_DATABASE_URL": url}), EXIT_REFUSED)
    assert sentence.startswith(
        "postgresql+psycopg://kiosk:***@gym-server/clinic is not a SQLite database file: "
    )
    assert tool in sentence
    assert 'docs/database.md, "Backups"' in sentence


def test_a_backup_disk_that_is_full_is_told_and_keeps_nothing_half_written(
    database: Path, tmp_path: Path
) -> None:
    disk = tmp_path / "usb"
    disk.mkdir()
    child = faults.run_in_mount_namespace(
        f"{faults.tiny_disk(disk, 64)} && mkdir '{disk}/backups'",
        kiosk("--db", url_of(database), "backup", "--to", str(disk / "backups")),
    )
    sentence = one_sentence(child, EXIT_REFUSED)
    assert sentence.startswith(f"The backup of {database} could not be written to {disk}/backups")
    assert sentence.endswith("Check that disk and the folder's permissions.")
    assert "full" in sentence
