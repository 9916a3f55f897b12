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


ONE_CLOCK = """
import sys, time
from kiosk.ui.shell.app import KioskOptions, create_window, ensure_application
from voice.sound_clock import SoundClock

app = ensure_application()
window = create_window(KioskOptions(db_url=sys.argv[1], create_db=True, fullscreen=False,
                                    size=(800, 600)))
clock = window._clock
print("CLOCK", type(clock).__name__, flush=True)
voice = window._voice_factory()  # what the window's voice thread does after the first frame
deadline = time.monotonic() + 30
while not clock.following_device() and time.monotonic() < deadline:
    clock()  # the device's first buffers: a polling wait on the device, not a duration
    time.sleep(0.01)
print("FOLLOWING", clock.following_device(), flush=True)
voice.close()
"""


def test_the_kiosk_runs_its_sessions_on_the_sound_devices_clock(tmp_path: Path) -> None:
    """The engine (and so the screen) and the voice share one time base: the window's clock
    is the sound device's once the real voice has opened it (SDL's dummy driver here)."""
    child = run_kiosk_script(ONE_CLOCK, tmp_path)
    assert "CLOCK SoundClock" in child.stdout
    assert "FOLLOWING True" in child.stdout
