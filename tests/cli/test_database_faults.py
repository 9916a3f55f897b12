"""The ``kiosk`` command on a database having a bad day, as IT meets it: the real command in
a child process (``python main.py``, what ``make run`` starts) on real broken files, read-only
mounts, a full disk and PostgreSQL ports that refuse or never answer. Each prints one sentence on
stderr — no traceback — exits with code 3, and leaves the database as it was."""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import db.connection
from kiosk.cli.common import EXIT_DATABASE
from tests.cli.test_cli import run
from tests.db import faults
from tests.db.faults import PATIENT, kiosk, make_database, patients_in, url_of
from tests.paths import REPO_ROOT


def _kiosk(
    *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``env``: variables added to the child's environment."""
    return subprocess.run(
        kiosk(*args), capture_output=True, text=True, cwd=REPO_ROOT, timeout=timeout,
        check=False, env=dict(os.environ, **(env or {})),
    )  # fmt: skip


def one_sentence(child: subprocess.CompletedProcess[str]) -> str:
    """What IT reads: exit code 3 and one line on stderr (``kiosk: <sentence>``)."""
    assert faults.TRACEBACK not in child.stderr
    assert child.returncode == EXIT_DATABASE, child.stderr
    assert child.stderr.count("\n") == 1, child.stderr
    assert child.stderr.startswith("kiosk: ")
    return child.stderr.removeprefix("kiosk: ").strip()


# -- files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "command", "starts"),
    [
        (
            faults.zero_byte_file,
            ["patients", "list"],
            "The database file {path} is empty (0 bytes)",
        ),
        (faults.truncated_database, ["today"], "The database file {path} is damaged (malformed)."),
        (
            faults.garbage_file,
            ["staff", "list"],
            "The database file {path} is damaged (not a SQLite",
        ),
    ],
    ids=["zero-byte", "truncated", "garbage"],
)
def test_a_broken_file_is_one_sentence_and_stays_as_it_was(
    tmp_path: Path, make: Callable[[Path], Path], command: list[str], starts: str
) -> None:
    path = make(tmp_path / "kiosk.sqlite3")
    before = path.read_bytes()
    sentence = one_sentence(_kiosk("--db", url_of(path), *command))
    assert sentence.startswith(starts.format(path=path))
    assert path.read_bytes() == before


def test_a_mistyped_folder_makes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "k.db"
    sentence = one_sentence(_kiosk("--db", url_of(path), "db", "upgrade"))
    assert sentence == (
        f"The folder {path.parent} for the database file {path} does not exist. "
        "Check the path, or start a new database there with --create-db."
    )
    assert list(tmp_path.iterdir()) == []


def test_create_db_makes_it(tmp_path: Path) -> None:
    path = tmp_path / "new" / "k.db"
    child = _kiosk("db", "upgrade", "--db", url_of(path), "--create-db")
    assert child.returncode == 0, child.stderr
    assert child.stdout == f"database is up to date: {url_of(path)}\n"
    assert patients_in(path) == []


def test_not_a_url_is_told_with_an_example_by_every_command() -> None:
    expected = (
        "'notaurl' is not a database URL: give one such as "
        "sqlite:////var/lib/kiosk/kiosk.sqlite3 or postgresql+psycopg://kiosk@gym-server/clinic."
    )
    assert one_sentence(_kiosk("--db", "notaurl", "patients", "list")) == expected
    # The kiosk itself, before it opens a window.
    assert one_sentence(_kiosk("--db", "notaurl", "--windowed")) == expected


# -- read-only and full disks ----------------------------------------------------------------


def test_a_read_only_file_refuses_a_new_patient(tmp_path: Path) -> None:
    path = make_database(tmp_path / "kiosk.sqlite3")
    before = path.read_bytes()
    child = faults.run_in_mount_namespace(
        faults.read_only(path), kiosk("--db", url_of(path), "patients", "add", "Tom")
    )
    assert one_sentence(child) == (
        f"The database file {path} is read-only. Let the kiosk's user write to it "
        "(or mount its disk read-write)."
    )
    assert path.read_bytes() == before
    assert patients_in(path) == [PATIENT]


def test_a_read_only_folder_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    path = make_database(folder / "kiosk.sqlite3")
    child = faults.run_in_mount_namespace(
        faults.read_only(folder), kiosk("--db", url_of(path), "patients", "list")
    )
    assert one_sentence(child).startswith(f"The folder {folder} holding the database file {path}")
    assert patients_in(path) == [PATIENT]


# On a tiny disk: a database with Maria, the disk filled, ``kiosk patients add Tom``, then
# the filler removed and what the database holds reported (all inside the namespace).
FULL_DISK = """
import json, os, sqlite3, subprocess, sys
folder, main = sys.argv[1], sys.argv[2]
url = f"sqlite:///{folder}/kiosk.sqlite3"
kiosk = lambda *args: subprocess.run([sys.executable, main, "--db", url, *args],
                                     capture_output=True, text=True)
made = kiosk("--create-db", "db", "upgrade")
assert made.returncode == 0, made.stderr
maria = kiosk("patients", "add", "Maria")
assert maria.returncode == 0, maria.stderr
os.system(f"dd if=/dev/zero of={folder}/filler bs=4k 2>/dev/null")
tom = kiosk("patients", "add", "Tom")
os.unlink(f"{folder}/filler")
connection = sqlite3.connect(f"{folder}/kiosk.sqlite3")
names = [row[0] for row in connection.execute("SELECT display_name FROM patients")]
print(json.dumps({"code": tom.returncode, "stderr": tom.stderr, "names": names}))
"""


def test_a_full_disk_is_one_sentence_and_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "disk"
    folder.mkdir()
    child = faults.run_in_mount_namespace(
        faults.tiny_disk(folder), faults.python(FULL_DISK, str(folder), str(REPO_ROOT / "main.py"))
    )
    assert child.returncode == 0, child.stderr[-2000:]
    report = json.loads(child.stdout)
    assert report["code"] == EXIT_DATABASE
    assert report["stderr"] == (
        f"kiosk: The disk holding the database file {folder / 'kiosk.sqlite3'} is full. "
        "Free some space on it, then try again.\n"
    )
    assert report["names"] == ["Maria"]


def test_a_database_another_program_keeps_locked_is_one_sentence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = make_database(tmp_path / "kiosk.sqlite3")
    monkeypatch.setattr(db.connection, "SQLITE_BUSY_TIMEOUT_MS", 200)  # not 5 s in a test
    with faults.lock_held_by_another_process(path):
        code, out, err = run(capsys, "--db", url_of(path), "patients", "add", "Tom")
    assert (code, out) == (EXIT_DATABASE, "")
    assert err == (
        f"kiosk: The database file {path} is locked by another program. Close that program or "
        "wait for it, then try again.\n"
    )
    assert patients_in(path) == [PATIENT]


# -- PostgreSQL ------------------------------------------------------------------------------


def test_a_postgresql_server_that_is_down_is_one_sentence_without_the_password() -> None:
    url = f"postgresql+psycopg://kiosk:secret@127.0.0.1:{faults.closed_port()}/clinic"
    # The password in the environment, as a command line may not hold it (kiosk.cli).
    sentence = one_sentence(_kiosk("patients", "list", env={"KIOSK_DATABASE_URL": url}))
    assert sentence.startswith("The PostgreSQL server of postgresql+psycopg://kiosk:***@127.0.0.1:")
    assert "cannot be reached (Connection refused)" in sentence
    assert "secret" not in sentence


@pytest.mark.slow
def test_a_postgresql_server_that_never_answers_fails_within_five_seconds() -> None:
    with faults.silent_port() as port:
        started = time.monotonic()
        child = _kiosk("--db", f"postgresql://kiosk@127.0.0.1:{port}/clinic", "today", timeout=30)
        waited = time.monotonic() - started
    assert "(no answer before the connect timeout)" in one_sentence(child)
    assert 4.5 < waited < 10  # the 5 s connect timeout, and the command's own start-up


# -- every command that opens the database ---------------------------------------------------


COMMANDS = [
    ["db", "upgrade"],
    ["staff", "list"],
    ["staff", "add", "Ben"],
    ["patients", "list"],
    ["patients", "add", "Tom"],
    ["patients", "card", "482913", "--out", "{tmp}/card.pdf"],
    ["today"],
    ["import-programs", str(REPO_ROOT / "docs" / "examples" / "today.csv"), "--dry-run"],
    ["report", "--from", "2025-03-01", "--to", "2025-03-31", "--csv", "{tmp}/r.csv"],
    ["handout", "482913", "--out", "{tmp}/h.pdf"],
    ["rehearse", "clamshell", "--code", "482913"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_that_opens_the_database_says_why_it_cannot(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: list[str],
) -> None:
    path = faults.zero_byte_file(tmp_path / "kiosk.sqlite3")
    monkeypatch.setattr("sys.stdin", io.StringIO("583920\n583920\n"))  # staff add's PIN
    argv = [part.format(tmp=tmp_path) for part in command]
    code, out, err = run(capsys, "--db", url_of(path), *argv)
    assert (code, out) == (EXIT_DATABASE, "")
    assert err.startswith(f"kiosk: The database file {path} is empty (0 bytes)")
    assert path.stat().st_size == 0


def test_create_db_before_any_command_makes_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "kiosk.sqlite3"
    code, out, _ = run(capsys, "--db", url_of(path), "--create-db", "patients", "add", "Tom")
    assert code == 0
    assert patients_in(path) == [("Tom", out.strip())]  # it prints the new code


def test_garbage_is_left_for_a_backup_to_replace(tmp_path: Path) -> None:
    path = faults.garbage_file(tmp_path / "kiosk.sqlite3")
    sentence = one_sentence(_kiosk("--db", url_of(path), "--create-db", "db", "upgrade"))
    assert "move it aside and start a new database with --create-db" in sentence
    assert path.read_bytes() == faults.GARBAGE
