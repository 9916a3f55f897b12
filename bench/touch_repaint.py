"""``touch_to_repaint_ms``: a press on the player's buttons to the repainted screen.

The real kiosk window at 1920×1080, offscreen, on a demo database, running Tom's standing
program on the real monotonic clock (so the ring and the animated coach repaint on their own
timers meanwhile, as on a kiosk). Each sample posts a mouse press and release to a player
button — Pause, then Resume, then Next, round and round — and stops the watch when the
window's next repaint has completed *after* the button's slot changed the state: the window's
``UpdateRequest`` (Qt's "paint the dirty widgets into the backing store and flush it") is run
inside an event filter and timed to its end.

Baseline, in the same run and measured the same way, interleaved press by press: a bare
1920×1080 window whose QPushButton changes a QLabel's text. Budget: within one frame (16.7 ms).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from bench.report import Figure, median, percentile

if TYPE_CHECKING:
    from kiosk.ui.shell.window import QtKioskWindow
    from kiosk.ui.visit.player_screen import QtPlayerScreen

WIDTH, HEIGHT = 1920, 1080
PRESSES = 300
WARM_UP = 15
FRAME_MS = 1000 / 60
TIMEOUT_S = 5.0
TOM = "716254"  # the demo's standing program: many steps, so Next rarely ends it


class Stopwatch(QObject):
    """Times one press: armed by the button's click (after the screen's own slot ran, being
    connected later), stopped at the end of the window's next repaint."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.target = window
        self.armed = False
        self.done_at: float | None = None
        window.installEventFilter(self)

    def on_clicked(self) -> None:
        self.armed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.armed and watched is self.target and event.type() == QEvent.Type.UpdateRequest:
            self.target.event(event)  # paint and flush now, then read the time
            self.done_at = time.perf_counter()
            self.armed = False
            return True
        return False

    def press(self, button: QPushButton) -> float:
        """Post a press and a release to ``button``; milliseconds until the repaint is done."""
        app = _app()
        self.done_at = None
        local = QPointF(button.rect().center())
        screen = QPointF(button.mapToGlobal(button.rect().center()))
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        mods = Qt.KeyboardModifier.NoModifier
        started = time.perf_counter()
        down = QMouseEvent(QEvent.Type.MouseButtonPress, local, screen, left, left, mods)
        up = QMouseEvent(QEvent.Type.MouseButtonRelease, local, screen, left, none, mods)
        app.postEvent(button, down)
        app.postEvent(button, up)
        while self.done_at is None:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if time.perf_counter() - started > TIMEOUT_S:
                raise RuntimeError(f"no repaint after pressing {button.objectName()}")
        return (self.done_at - started) * 1000


class BareWindow(QWidget):
    """The baseline: a button whose click changes a label's text."""

    def __init__(self) -> None:
        super().__init__()
        self.resize(WIDTH, HEIGHT)
        layout = QVBoxLayout(self)
        self.button = QPushButton("Pause")
        self.label = QLabel("0")
        layout.addWidget(self.button)
        layout.addWidget(self.label)
        self.button.clicked.connect(self._on_button_clicked)
        self.watch = Stopwatch(self)
        self.button.clicked.connect(self.watch.on_clicked)

    def _on_button_clicked(self) -> None:
        self.label.setText(str(int(self.label.text()) + 1))


def _app() -> QCoreApplication:
    app = QApplication.instance()
    assert app is not None
    return app


def loop_until(done: Callable[[], bool], limit_s: float = 30.0) -> None:
    """Run the event loop until ``done()`` (or for ``limit_s`` when it never is)."""
    end = time.perf_counter() + limit_s
    while not done() and time.perf_counter() < end:
        _app().processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def _start_player(window: QtKioskWindow, watch: Stopwatch) -> QtPlayerScreen:
    window.go_to_checkin()
    for digit in TOM:
        window.checkin.digit_buttons[digit].click()
    window.checkin.ok_button.click()
    loop_until(lambda: window.visit.program is not None, 5.0)  # the answer shows after 0.6 s
    if window.visit.program is None:
        raise RuntimeError("Tom's program did not open")
    window.visit.program.start_button.click()
    player = window.visit.player
    if player is None:
        raise RuntimeError("the player did not start")
    for button in (player.pause_button, player.next_button):
        button.clicked.connect(watch.on_clicked)
    loop_until(lambda: False, 0.2)  # the player's first frames
    return player


def _measure(folder: Path) -> tuple[list[float], list[float]]:
    from kiosk.services import KioskServices
    from kiosk.ui.shell.app import KioskOptions, create_window

    bare = BareWindow()
    bare.show()
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    services = KioskServices.open(url, create=True, demo_data=True, today=date.today)
    window = create_window(KioskOptions(fullscreen=False, size=(WIDTH, HEIGHT)), services=services)
    window.show()
    loop_until(lambda: window.started_up)
    watch = Stopwatch(window)
    ours: list[float] = []
    baseline: list[float] = []
    try:
        player = _start_player(window, watch)
        for n in range(PRESSES + WARM_UP):
            if window.visit.player is None or not player.next_button.isEnabled():
                player = _start_player(window, watch)  # the session ran out: a new one
            button = (player.pause_button, player.pause_button, player.next_button)[n % 3]
            taken = watch.press(button)
            base_taken = bare.watch.press(bare.button)
            if n >= WARM_UP:
                ours.append(taken)
                baseline.append(base_taken)
    finally:
        window.close_now()
        bare.close()
        services.close()
        loop_until(lambda: False, 0.05)
    return ours, baseline


def run() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    app = QApplication.instance() or QApplication(["bench"])
    with tempfile.TemporaryDirectory(prefix="bench-touch-") as tmp:
        ours, bare = _measure(Path(tmp))
    del app
    label = f"bare window, QPushButton → QLabel text, {PRESSES} presses each"
    budget = f"<= {FRAME_MS:.1f} ms (one frame)"
    p99 = percentile(ours, 99), percentile(bare, 99)
    return [
        Figure("touch_to_repaint_ms", median(ours), "ms", median(bare), label, budget),
        Figure("touch_to_repaint_p99_ms", p99[0], "ms", p99[1], label, budget),
    ]


if __name__ == "__main__":
    from bench.report import print_and_save

    print_and_save(run())
