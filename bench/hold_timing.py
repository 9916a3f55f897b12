"""``hold_end_error_ms``: how far the end of a real 30 s hold lands from true 30 s, UI busy.

The real engine runs on the monotonic clock through the player's driver (one precise
single-shot timer armed at each deadline), while another timer keeps the Qt thread busy the
way painting does (8 ms of work every 16 ms). The baseline, in the same event loop at the same
time: a naive hold that counts thirty ticks of a 1 s coarse timer. The figure is the absolute
error of the observed hold length.
"""

from __future__ import annotations

import os
import time

from bench.report import Figure

HOLD_S = 30.0
BUSY_EVERY_MS = 16
BUSY_FOR_S = 0.008


def run() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.core.clock import monotonic_clock
    from kiosk.core.compiler import compile_prescription
    from kiosk.core.events import Event, StepStarted
    from kiosk.core.prescription import Prescription
    from kiosk.core.timeline import StepKind
    from kiosk.ui.runners.session_driver import QtSessionDriver
    from kiosk.ui.timers import TimerFactory
    from media.schema import SidePattern

    app = QApplication.instance() or QApplication([])
    prescription = Prescription(
        exercise_id="wall-press", name="Wall press", sets=1, reps=None, hold_s=HOLD_S, tempo=(),
        sides=SidePattern.NONE, rest_s=0.0,
    )  # fmt: skip
    timeline = compile_prescription(prescription)
    hold = next(s for s in timeline.steps if s.kind is StepKind.HOLD)
    from kiosk.core.engine import SessionEngine

    engine = SessionEngine(timeline, clock=monotonic_clock)
    owner = QObject()
    driver = QtSessionDriver(engine, monotonic_clock, TimerFactory(), owner)
    marks: dict[str, float] = {}

    def busy() -> None:
        until = time.perf_counter() + BUSY_FOR_S
        while time.perf_counter() < until:
            pass

    busy_timer = QTimer(owner)
    busy_timer.setInterval(BUSY_EVERY_MS)
    busy_timer.timeout.connect(busy)

    naive = QTimer(owner)
    naive.setTimerType(Qt.TimerType.CoarseTimer)
    naive.setInterval(1000)
    ticks = [0]

    def on_naive_tick() -> None:
        ticks[0] += 1
        if ticks[0] == int(HOLD_S):
            marks["naive_end"] = monotonic_clock()
            naive.stop()
            quit_when_both_ended()

    naive.timeout.connect(on_naive_tick)

    def quit_when_both_ended() -> None:
        if "hold_end" in marks and "naive_end" in marks:
            QCoreApplication.quit()

    def on_event(event: Event) -> None:
        if isinstance(event, StepStarted):
            now = monotonic_clock()
            if event.step.index == hold.index:
                marks["hold_start"] = now
                naive.start()
            elif event.step.index == hold.index + 1:
                marks["hold_end"] = now
                quit_when_both_ended()

    engine.subscribe(on_event)
    busy_timer.start()
    driver.start()
    app.exec()
    driver.shutdown()
    busy_timer.stop()
    ours = abs(marks["hold_end"] - marks["hold_start"] - HOLD_S) * 1000
    baseline = abs(marks["naive_end"] - marks["hold_start"] - HOLD_S) * 1000
    return [
        Figure(
            "hold_end_error_ms",
            ours,
            "ms",
            baseline,
            "30 ticks of a 1 s CoarseTimer, same loop, same time",
            "<= 5 ms",
        )
    ]
