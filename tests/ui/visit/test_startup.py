"""Nothing of the visit's screens, the balance check or the resume logic loads before the
attract screen's first frame (start-up is budgeted: docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

from tests.ui.child_kiosk import run_kiosk_script

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

code = run(KioskOptions(db_url=sys.argv[1], create_db=True,
                        fullscreen=False, size=(1280, 800),
                        first_frame_hook=first_frame, quit_after_first_frame=True))
print("AT_FIRST_FRAME", seen["at_first_frame"], flush=True)
sys.exit(code)
"""


def test_the_visit_loads_after_the_first_frame(tmp_path: Path) -> None:
    child = run_kiosk_script(KIOSK, tmp_path)
    assert "AT_FIRST_FRAME []" in child.stdout
