"""``demo_paint_median_ms`` / ``demo_paint_p99_ms``: one demonstration frame at 1920×1080.

What is timed is everything the player does per frame: the pose for the moment (keyframe
interpolation), forward kinematics, the layout into shapes, and QPainter painting them
anti-aliased into a 1920×1080 image, offscreen. Frames go through every exercise (and the
balance check), both sides, along each phase, so no one easy pose flatters the figure.

They come in runs of one scene (one exercise on one side), as in the player, which shows one
for a whole set. Before a run, as the player does when a step starts, the scene is prepared:
its framing worked out and its still part (the mat, the props, the ghost, the parts of the body
that do not move) painted into the cache; ``demo_paint_scene_start_ms`` is the median of that
(once per exercise and side), timed on its own. A run is :data:`RUN` frames.

``demo_paint_changed_median_ms``: the same frames painted as the player's widget paints them,
only the rectangle where something moved since the frame before (``scene.changed_area``).

Baseline, in the same run: a bare QPainter fill of the same 1920×1080 image — the cost of
touching every pixel once, which any frame pays. Budget: median ≤ 4 ms, p99 ≤ 8 ms.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from bench.report import Figure, median, percentile

if TYPE_CHECKING:
    from media.demo.model import Demonstration

WIDTH, HEIGHT = 1920, 1080
RUN = 30
WARM_UP = 30


def run() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    from media.demo.catalog import demonstration, demonstration_ids
    from media.demo.motion import in_phase, setting_up
    from media.demo.renderer import paint_frame, prepare_frame
    from media.demo.scene import Frame, build_frame, changed_area, prepare

    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    backdrop = QColor("#1E252F")

    scenes = [
        (demonstration(exercise_id), side)
        for exercise_id in demonstration_ids()
        for side in ("left", "right")
    ]
    jobs = []
    for demo, side in scenes:
        names = list(demo.moves) or [""]
        per_phase = RUN / len(names)
        for k in range(RUN):
            jobs.append((demo, side, names[k % len(names)], (k // len(names)) / per_phase))
    rounds = len(jobs)

    last: list[Frame | None] = [None]

    def frame(n: int, *, changed_only: bool = False) -> None:
        demo, side, name, progress = jobs[n % len(jobs)]
        pose = in_phase(demo, name, progress) if name else setting_up(demo, progress)
        laid_out = build_frame(demo, pose, WIDTH, HEIGHT, side=side)
        painter = QPainter(image)
        if changed_only:  # as the player's widget repaints: only where something moved
            area = changed_area(last[0], laid_out)
            last[0] = laid_out
            if area is not None:
                x0, y0, x1, y1 = area
                painter.setClipRect(QRect(x0, y0, x1 - x0, y1 - y0))
        paint_frame(painter, laid_out)
        painter.end()

    def fill(_n: int) -> None:
        painter = QPainter(image)
        painter.fillRect(0, 0, WIDTH, HEIGHT, backdrop)
        painter.end()

    def start(demo: Demonstration, side: str) -> None:
        prepare(demo)
        prepare_frame(build_frame(demo, demo.start, WIDTH, HEIGHT, side=side))

    ours: list[float] = []
    bare: list[float] = []
    starts: list[float] = []
    for n in range(WARM_UP):
        frame(len(jobs) - 1 - n)  # the last scene's
        fill(n)
    for n in range(rounds):  # interleaved, so both see the same machine
        if n % RUN == 0:
            demo, side = scenes[n // RUN]
            started = time.perf_counter()
            start(demo, side)
            starts.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        frame(n)
        ours.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        fill(n)
        bare.append((time.perf_counter() - started) * 1000)
    # The same frames again, each painting only what changed since the one before.
    player: list[float] = []
    for n in range(rounds):
        if n % RUN == 0:
            start(*scenes[n // RUN])
        started = time.perf_counter()
        frame(n, changed_only=True)
        player.append((time.perf_counter() - started) * 1000)
    del app
    label = f"bare QPainter fill {WIDTH}x{HEIGHT}, {rounds} frames"
    return [
        Figure("demo_paint_median_ms", median(ours), "ms", median(bare), label, "median <= 4 ms"),
        Figure(
            "demo_paint_p99_ms",
            percentile(ours, 99),
            "ms",
            percentile(bare, 99),
            label,
            "p99 <= 8 ms",
        ),
        Figure(
            "demo_paint_scene_start_ms",
            median(starts),
            "ms",
            median(bare),
            f"bare QPainter fill, median; {len(starts)} scene starts (the player's step start)",
            "-",
        ),
        Figure(
            "demo_paint_changed_median_ms",
            median(player),
            "ms",
            median(bare),
            "bare QPainter fill, median; the player's widget repaints only what changed",
            "-",
        ),
    ]


if __name__ == "__main__":
    from bench.report import print_and_save

    print_and_save(run())
