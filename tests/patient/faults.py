"""The database's bad days, made real for tests: its write lock held by another process, a
writer that tries again quickly, and waiting until the writer says what went wrong."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.patient.writer import SessionWriter, WriterStatus
from tests.paths import REPO_ROOT

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


def run_on_tmpfs(
    script: str, sizes: dict[str, str], tmp_path: Path, *, timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """Run ``python -c script DIR...`` in a mount namespace of its own, with a fresh tmpfs of
    each size (e.g. ``{"db": "1m"}``) mounted at ``tmp_path/<name>``: a real filesystem a
    test can fill, gone with the child. Skips, saying why, where no namespace can be had."""
    folders = []
    for name in sizes:
        folder = tmp_path / name
        folder.mkdir()
        folders.append(folder)
    mounts = " && ".join(
        f"mount -t tmpfs -o size={size} tmpfs {folder}"
        for size, folder in zip(sizes.values(), folders, strict=True)
    )
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    shell = f'{mounts} && script="$1" && shift && exec "$0" -c "$script" "$@"'
    command = [*unshare, "sh", "-c", shell, sys.executable, script, *map(str, folders)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDL_AUDIODRIVER="dummy",
               PYTHONPATH=str(REPO_ROOT))  # fmt: skip
    try:
        child = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env,
                               timeout=timeout, check=False)  # fmt: skip
    except FileNotFoundError:
        pytest.skip("no unshare command: cannot mount a small filesystem for the test")
    if child.returncode != 0 and "mount:" in child.stderr and "Traceback" not in child.stderr:
        pytest.skip(f"cannot mount a small filesystem here: {child.stderr.strip()[:200]}")
    return child
