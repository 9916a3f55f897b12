"""The voice never delays the attract screen: nothing of it is imported before the first frame."""

from __future__ import annotations

from pathlib import Path

from tests.ui.child_kiosk import run_kiosk_script

KIOSK = """
import sys
from kiosk.ui.shell.app import KioskOptions, run

def first_frame():
    heavy = ("pygame", "pyttsx3", "voice.service", "voice.output", "voice.renderer")
    print("LOADED", [m for m in heavy if m in sys.modules], flush=True)

sys.exit(run(KioskOptions(db_url=sys.argv[1], create_db=True,
                          fullscreen=False, size=(800, 600),
                          first_frame_hook=first_frame, quit_after_first_frame=True)))
"""


def test_pygame_and_the_voice_load_after_the_first_frame(tmp_path: Path) -> None:
    child = run_kiosk_script(KIOSK, tmp_path)
    assert "LOADED []" in child.stdout
