"""``memory_day_rss_growth_mb``: resident memory growth over a simulated clinic day.

The real window, on a temporary demo database and a fake clock, runs ``VISITS`` whole visits
(touch, keypad code, Start, the whole try-out program to the summary, Finish, back to attract).
RSS is read after a warm-up of ``WARM_UP`` visits and again at the end. Baseline, in the same
child process just before: the same number of visits that check in and cancel at the program
screen (no session), so the ratio shows what sessions themselves leave behind.
The child runs as its own process so nothing else in the benchmark run skews its memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.report import Figure

VISITS = 60
WARM_UP = 10
CODE = "551937"  # Ann, the demo try-out program


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _child(db_url: str) -> dict[str, float]:
    import gc
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.core.clock import FakeClock
    from kiosk.core.events import SessionState
    from kiosk.services import KioskServices
    from kiosk.ui.shell.app import KioskOptions, create_window

    app = QApplication([])
    clock = FakeClock()
    start = datetime.now(UTC)

    def wall() -> datetime:
        return start + timedelta(seconds=clock() - 1000.0)

    services = KioskServices.open(db_url, create=True, demo_data=True)
    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)),
        clock=clock,
        wall_clock=wall,
        services=services,
    )
    window.show()
    while not window.started_up:
        app.processEvents()

    def tap(widget: object) -> None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[call-overload]
        app.processEvents()

    def check_in() -> None:
        tap(window.attract)
        for digit in CODE:
            tap(window.checkin.digit_buttons[digit])
        tap(window.checkin.ok_button)
        floor = window.answer  # every answer shows 0.6 s after OK: pass it on the fake clock
        if floor is not None and floor.pending:
            clock.advance(floor.seconds_left())
            floor.update()
            app.processEvents()

    def visit(with_session: bool) -> None:
        check_in()
        assert window.visit.program is not None
        if not with_session:
            tap(window.visit.program.back_button)
            window.go_to_attract()
            return
        tap(window.visit.program.start_button)
        player = window.visit.player
        assert player is not None
        while player.engine.state is SessionState.RUNNING:
            deadline = player.engine.next_deadline()
            assert deadline is not None
            clock.advance(max(0.0, deadline - clock()))
            player.driver.update()
            app.processEvents()
        assert window.visit.summary is not None
        tap(window.visit.summary.done_button)

    def settle() -> None:
        # The real event loop deletes discarded screens (deleteLater); processEvents() called
        # from outside a loop does not, so do it here as app.exec() would.
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    def measure(with_session: bool) -> float:
        for _ in range(WARM_UP):
            visit(with_session)
            settle()
        gc.collect()
        before = _rss_mb()
        for _ in range(VISITS):
            visit(with_session)
            settle()
        gc.collect()
        app.processEvents()
        return _rss_mb() - before

    baseline = measure(with_session=False)
    sessions = measure(with_session=True)
    window.close()
    services.close()
    return {"baseline": baseline, "sessions": sessions}


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'day.sqlite3'}"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDL_AUDIODRIVER="dummy",
                   PYGAME_HIDE_SUPPORT_PROMPT="1")  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "bench.memory_day", url],
            capture_output=True, text=True, env=env, check=True, timeout=600,
            cwd=Path(__file__).resolve().parent.parent,
        )  # fmt: skip
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return [
        Figure(
            "memory_day_rss_growth_mb",
            data["sessions"],
            "MB",
            data["baseline"],
            f"{VISITS} visits that check in and cancel, no session",
            "<= 10 MB",
        )
    ]


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1])))
