"""The database's bad days, made real for tests: its write lock held by another process, a
writer that tries again quickly, and waiting until the writer says what went wrong."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from kiosk.patient.writer import SessionWriter, WriterStatus

LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


class Lock:
    """Another process holding the database's write lock until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self._child = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self._child.stdout is not None
        assert self._child.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self._child.communicate("\n", timeout=10)
        assert self._child.returncode == 0


def first_problem(writer: SessionWriter) -> WriterStatus:
    """The writer's status once it has tried and failed (it says why)."""
    failed = threading.Event()

    def listener(status: WriterStatus) -> None:
        if status.problem is not None:
            failed.set()

    writer.add_listener(listener)
    try:
        if writer.status().problem is None:
            assert failed.wait(10.0), "the writer never reported a problem"
    finally:
        writer.remove_listener(listener)
    return writer.status()
