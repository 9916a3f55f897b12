"""``kiosk report`` imports what a report needs and nothing else: no Qt, no sound, no voice, no
migrations (Alembic) on an up-to-date database, no numpy, and no exercise library (its schema,
``media.schema``, comes with the models; its loader does not); and what it imported is frozen
out of the garbage collector's passes (the collector itself is off while the rows are made,
and on again after). In a child process, as IT runs it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.db.faults import make_database, url_of
from tests.paths import REPO_ROOT

HEAVY = ("PySide6", "pygame", "voice", "pyttsx3", "pocketsphinx", "alembic", "numpy",
         "media.loader", "media.demo")  # fmt: skip

CHILD = f"""
import gc, sys
from kiosk.cli import main
code = main(sys.argv[1:])
print("FROZEN", gc.get_freeze_count(), flush=True)
print("COLLECTING", gc.isenabled(), flush=True)
heavy = {HEAVY!r}
print("LOADED", sorted({{h for h in heavy for m in sys.modules
                         if m == h or m.startswith(h + ".")}}), flush=True)
sys.exit(code)
"""


def test_a_report_imports_no_qt_sound_voice_alembic_or_numpy(tmp_path: Path) -> None:
    database = make_database(tmp_path / "kiosk.sqlite3")
    out = tmp_path / "march.csv"
    child = subprocess.run(
        [sys.executable, "-c", CHILD, "report", "--from", "2026-03-01", "--to", "2026-03-31",
         "--csv", str(out), "--db", url_of(database)],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[0] == f"wrote 0 rows to {out}"
    (line,) = (line for line in child.stdout.splitlines() if line.startswith("LOADED "))
    assert ast.literal_eval(line.removeprefix("LOADED ")) == []
    # Start-up's objects are left out of the collector's passes while the rows are made.
    (line,) = (line for line in child.stdout.splitlines() if line.startswith("FROZEN "))
    assert int(line.removeprefix("FROZEN ")) > 50_000, line
    # The collector, off while the rows were made, is back on for whoever called the command.
    assert "COLLECTING True" in child.stdout.splitlines()
