"""Databases having bad days, made for real: the files, mounts, processes and ports the fault
tests (``test_problems.py``, ``tests/cli/test_database_faults.py``,
``tests/ui/shell/test_out_of_order.py``) break the kiosk's database with.

A read-only or full disk needs a mount of its own, and the test must not change the machine's:
:func:`run_in_mount_namespace` runs a child in a mount namespace of its own (``unshare -rm``, or
``unshare -m`` where user namespaces are refused), where it may bind a folder read-only or mount
a tiny tmpfs, and everything it mounted goes when it exits. Root ignores permission bits, so a
read-only file or folder is a read-only bind mount, never a ``chmod``. Without ``unshare`` the
tests that need it skip, saying why.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from db.connection import open_database
from db.problems import Problem
from db.repositories.patients import PatientRepository
from tests.paths import REPO_ROOT

#: A patient in every database made here, to show what the database holds afterwards.
PATIENT = ("Maria", "482913")
#: What a damaged file holds: bytes that are no SQLite database.
GARBAGE = b"This is a kiosk database, honestly.\n" * 300
#: The end of a line of a Python traceback, which no bad day may show IT.
TRACEBACK = "Traceback (most recent call last)"


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def make_database(path: Path) -> Path:
    """A real, migrated kiosk database at ``path`` holding :data:`PATIENT`, closed cleanly."""
    engine = open_database(url_of(path), create=True)
    try:
        PatientRepository(engine).add(*PATIENT)
    finally:
        engine.dispose()
    return path


def zero_byte_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated_database(path: Path, keep: int = 1024) -> Path:
    """The first ``keep`` bytes of a real database: a copy cut short."""
    whole = make_database(path.with_name("whole-" + path.name)).read_bytes()
    path.write_bytes(whole[:keep])
    return path


def garbage_file(path: Path) -> Path:
    path.write_bytes(GARBAGE)
    return path


def damaged_page(path: Path) -> Path:
    """A real database (:func:`make_database`) with a page damaged (:func:`damage_a_page`)."""
    return damage_a_page(make_database(path))


#: When :func:`damage_a_page` puts the sessions it fills ``sessions`` with: March 2026.
DAMAGED_SESSIONS_MONTH = ("2026-03-01", "2026-03-31")


def damage_a_page(path: Path, table: str = "audit_log") -> Path:
    """Half of one page deep in a table of the database at ``path`` overwritten with garbage
    (a disk that wrote the wrong data): the schema, the patients and everything read at start
    stay whole, so only a check of every page finds it. ``table``: ``audit_log`` (which no
    command reads) or ``sessions`` (filled with sessions of the first patient in
    :data:`DAMAGED_SESSIONS_MONTH`, which a report of that month reads)."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        with connection:
            _fill(connection, table)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
        leaves = [int(row[0]) for row in connection.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        )]  # fmt: skip
    finally:
        connection.close()
    assert len(leaves) > 10
    with path.open("r+b") as file:
        file.seek((leaves[len(leaves) // 2] - 1) * page_size + page_size // 4)
        file.write(GARBAGE[: page_size // 2])
    return path


def _fill(connection: sqlite3.Connection, table: str) -> None:
    """Enough rows in ``table`` for a page deep inside it (more than ten leaves)."""
    if table == "audit_log":
        connection.executemany(
            "INSERT INTO audit_log (at, actor, action, detail) "
            "VALUES ('2026-03-02 09:00:00', 'kiosk', 'note', ?)",
            [(f"note {n} " + "x" * 150,) for n in range(400)],
        )
        return
    assert table == "sessions", table
    patient = connection.execute("SELECT min(id) FROM patients").fetchone()[0]
    program = connection.execute(
        "INSERT INTO programs (name, side_series, created_at) "
        "VALUES ('Knee', 0, '2026-02-01 09:00:00.000000')"
    ).lastrowid
    connection.executemany(
        "INSERT INTO sessions (patient_id, program_id, started_at, ended_at, state, uid) "
        "VALUES (?, ?, ?, ?, 'finished', ?)",
        [
            (patient, program, f"2026-03-{2 + n // 100:02d} {8 + n % 100 // 10:02d}:{n % 10}"
             "0:00.000000", None, f"{n:032x}")
            for n in range(2500)
        ],
    )  # fmt: skip


def patients_in(path: Path) -> list[tuple[str, str]]:
    """The patients a database file holds, read with the sqlite3 module (not the kiosk)."""
    import sqlite3

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT display_name, code FROM patients ORDER BY id")
        return [(str(name), str(code)) for name, code in rows]
    finally:
        connection.close()


def _file(make: Callable[[Path], Path]) -> Callable[[Path], str]:
    return lambda folder: url_of(make(folder / "kiosk.sqlite3"))


# -- ports -----------------------------------------------------------------------------------


def closed_port() -> int:
    """A TCP port on this machine that nothing listens on (connecting is refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word: a server that hangs, or a
    firewall that swallows packets. Only a connect timeout ends the wait."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


#: The bad days one process can make without a mount of its own: each makes its database URL
#: in an empty folder, and names the problem the kiosk must recognise.
FAULTS: dict[str, tuple[Callable[[Path], str], Problem]] = {
    "zero-byte": (_file(zero_byte_file), Problem.EMPTY_FILE),
    "truncated": (_file(truncated_database), Problem.DAMAGED),
    "garbage": (_file(garbage_file), Problem.DAMAGED),
    "damaged-page": (_file(damaged_page), Problem.DAMAGED),
    "missing-file": (lambda folder: url_of(folder / "kiosk.sqlite3"), Problem.NO_FILE),
    "missing-folder": (lambda folder: url_of(folder / "no" / "k.db"), Problem.NO_FOLDER),
    "not-a-url": (lambda _folder: "notaurl", Problem.NOT_A_URL),
    "postgres-down": (
        lambda _folder: f"postgresql://kiosk@127.0.0.1:{closed_port()}/clinic",
        Problem.UNREACHABLE,
    ),
}


# -- a second program holding the lock -------------------------------------------------------

_HOLD_THE_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


@contextlib.contextmanager
def lock_held_by_another_process(path: Path) -> Iterator[None]:
    """Another program (a real process) holds the database's write lock until the block ends."""
    with subprocess.Popen(
        python(_HOLD_THE_LOCK, str(path)), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdin is not None
        assert holder.stdout.readline().strip() == "locked"
        try:
            yield
        finally:
            holder.stdin.close()


# -- mount namespaces ------------------------------------------------------------------------


@functools.cache
def _unshare() -> tuple[list[str] | None, str]:
    """The ``unshare`` command that works here, or None and why none does."""
    if shutil.which("unshare") is None:
        return None, "no unshare command (util-linux)"
    reasons = []
    for command in (["unshare", "-rm"], ["unshare", "-m"]):
        probe = subprocess.run(
            [*command, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0:
            return command, ""
        reasons.append(f"{' '.join(command)}: {probe.stderr.strip() or probe.returncode}")
    return None, "cannot mount in a mount namespace here (" + "; ".join(reasons) + ")"


def needs_mount_namespace() -> list[str]:
    """The ``unshare`` prefix for a child of its own mount namespace; skips the test if none."""
    command, reason = _unshare()
    if command is None:
        pytest.skip(reason)
    return command


def read_only(folder: Path) -> str:
    """Shell words that make ``folder`` (or a file) read-only inside the namespace."""
    return f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}'"


def tiny_disk(folder: Path, size_k: int = 512) -> str:
    """Shell words that mount a ``size_k`` KiB tmpfs on ``folder`` inside the namespace."""
    return f"mount -t tmpfs -o size={size_k}k tmpfs '{folder}'"


def fill(folder: Path) -> str:
    """Shell words that fill the disk under ``folder`` to the last byte (dd stops at ENOSPC)."""
    return f"(dd if=/dev/zero of='{folder}/filler' bs=4k 2>/dev/null; true)"


def run_in_mount_namespace(
    setup: str, argv: Sequence[str], *, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` after the shell words ``setup``, in a mount namespace of its own (from the
    repository root, this Python); everything mounted goes when it exits."""
    command = needs_mount_namespace()
    script = f'{setup} && cd "{REPO_ROOT}" && exec "$@"'
    return subprocess.run(
        [*command, "sh", "-c", script, "sh", *argv],
        capture_output=True,
        text=True,
        env=dict(os.environ, **(env or {})),
        timeout=120,
        check=False,
    )


def python(*code_and_args: str) -> list[str]:
    """``argv`` for this Python running ``code`` with ``args``."""
    return [sys.executable, "-c", *code_and_args]


def kiosk(*args: str) -> list[str]:
    """``argv`` for the ``kiosk`` command (``python main.py``, as ``make run`` starts it)."""
    return [sys.executable, str(REPO_ROOT / "main.py"), *args]
