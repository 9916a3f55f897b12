"""Nothing of the visit's screens, the balance check or the resume logic loads before the
attract screen's first frame (start-up is budgeted: docs/architecture.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO_ROOT

KIOSK = """
import sys
from kiosk.ui.shell.app import KioskOptions, run
MINE = ("kiosk.services", "kiosk.patient.checkin", "kiosk.ui.visit.flow",
        "kiosk.ui.visit.choices", "kiosk.ui.visit.rating", "kiosk.ui.visit.program_screen",
        "kiosk.ui.visit.player_screen", "kiosk.ui.visit.summary_screen",
        "kiosk.ui.visit.resume_screen", "kiosk.ui.visit.balance_screen",
        "db.repositories.assessments", "kiosk.core.resume", "kiosk.core.compiler")
seen = {}

def first_frame():
    seen["at_first_frame"] = sorted(m for m in MINE if m in sys.modules)

code = run(KioskOptions(db_url=sys.argv[1], fullscreen=False, size=(1280, 800),
                        first_frame_hook=first_frame, quit_after_first_frame=True))
print("AT_FIRST_FRAME", seen["at_first_frame"], flush=True)
sys.exit(code)
"""


def test_the_visit_loads_after_the_first_frame(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDL_AUDIODRIVER="dummy")
    child = subprocess.run(
        [sys.executable, "-c", KIOSK, f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr[-800:]
    assert "AT_FIRST_FRAME []" in child.stdout
