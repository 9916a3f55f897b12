"""``startup_first_frame_ms``: process start to the first painted frame of the attract screen.

Both the kiosk and the baseline (a bare PySide6 window) run as fresh processes, offscreen,
interleaved, so interpreter start-up and disk cache affect both alike. The time is taken in
the parent from just before the spawn to the moment the child reports its first paint.

The budgeted figure runs with Python's bytecode cache, as an installed kiosk always has it
(pip compiles an installed package, and ``make run`` byte-compiles ours before it starts the
kiosk, as ``make bench`` does before this) and as PySide6's own modules always have it. This
machine's environment sets ``PYTHONDONTWRITEBYTECODE``, which without that would make every
start compile our modules from source while the baseline's came precompiled; the children
also run without it. ``startup_first_frame_uncached_ms`` (no budget) is the other
extreme, for both sides alike: nothing cached, every Python module compiled from source, as
on the very first start after an install.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.report import Figure, median

ROUNDS = 7
CHILD_TIMEOUT_S = 60

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv)

class Bare(QLabel):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not Bare.painted:
            Bare.painted = True
            print("FRAME", flush=True)
            QTimer.singleShot(0, app.quit)

window = Bare("Touch to start")
window.resize(1280, 800)
window.show()
app.exec()
"""

KIOSK = """
import sys
from kiosk.ui.shell.app import KioskOptions, run

def first_frame():
    print("FRAME", flush=True)

sys.exit(run(KioskOptions(db_url=sys.argv[1], create_db=True,
                          fullscreen=False, size=(1280, 800),
                          first_frame_hook=first_frame, quit_after_first_frame=True)))
"""


def _time_to_frame(code: str, *args: str, uncached_in: str | None = None) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYGAME_HIDE_SUPPORT_PROMPT="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if uncached_in is not None:  # an empty cache folder that is never written: all compiled
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=uncached_in)
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    ) as child:
        assert child.stdout is not None
        # A child that never paints (or never quits) must fail the benchmark, not hang it.
        watchdog = threading.Timer(CHILD_TIMEOUT_S, child.kill)
        watchdog.start()
        for line in child.stdout:
            if line.strip() == "FRAME":
                elapsed = (time.perf_counter() - started) * 1000
                break
        else:
            watchdog.cancel()
            raise RuntimeError("the child exited (or was killed) without painting a frame")
        child.wait(timeout=CHILD_TIMEOUT_S)
        watchdog.cancel()
    return elapsed


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        # The first start migrates the new database and writes the bytecode: not counted.
        _time_to_frame(BARE)
        _time_to_frame(KIOSK, url)
        empty = Path(tmp) / "no-bytecode"
        empty.mkdir()
        bare, kiosk, bare_cold, kiosk_cold = [], [], [], []
        for _ in range(ROUNDS):
            bare.append(_time_to_frame(BARE))
            kiosk.append(_time_to_frame(KIOSK, url))
            bare_cold.append(_time_to_frame(BARE, uncached_in=str(empty)))
            kiosk_cold.append(_time_to_frame(KIOSK, url, uncached_in=str(empty)))
    return [
        Figure(
            name="startup_first_frame_ms",
            value=median(kiosk),
            unit="ms",
            baseline=median(bare),
            baseline_label=f"bare PySide6 window, median of {ROUNDS} runs each, bytecode cached",
            budget="ratio <= 1.3",
        ),
        Figure(
            name="startup_first_frame_uncached_ms",
            value=median(kiosk_cold),
            unit="ms",
            baseline=median(bare_cold),
            baseline_label=f"the same, every module compiled from source, {ROUNDS} runs each",
            budget="-",
        ),
    ]
