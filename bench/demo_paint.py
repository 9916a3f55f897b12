"""``demo_paint_median_ms`` / ``demo_paint_p99_ms``: one demonstration frame at 1920×1080.

What is timed is everything the player does per frame: the pose for the moment (keyframe
interpolation), forward kinematics, the layout into shapes, and QPainter painting them
anti-aliased into a 1920×1080 image, offscreen. Frames cycle through every exercise, both
sides, along each phase, so no one easy pose flatters the figure.

Baseline, in the same run: a bare QPainter fill of the same 1920×1080 image — the cost of
touching every pixel once, which any frame pays. Budget: median ≤ 4 ms, p99 ≤ 8 ms.
"""

from __future__ import annotations

import os
import time

from bench.report import Figure, median, percentile

WIDTH, HEIGHT = 1920, 1080
ROUNDS = 600
WARM_UP = 30


def run() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    from media.demo.catalog import demonstration, demonstration_ids
    from media.demo.motion import in_phase, setting_up
    from media.demo.renderer import paint_frame
    from media.demo.scene import build_frame, prepare

    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    backdrop = QColor("#1E252F")

    # The player shows one exercise on one side for a whole set: frames come in runs of one
    # scene, whose first frame paints the scene's still part (the mat, the props, the parts of
    # the body that do not move) and the rest reuse it. Runs of BLOCK frames through every
    # phase, every exercise and both sides: the first of each run is in the p99.
    scenes = [
        (demonstration(exercise_id), side)
        for exercise_id in demonstration_ids()
        for side in ("left", "right")
    ]
    for demo, _side in scenes:
        prepare(demo)  # as the player does when a step starts
    block = max(4, ROUNDS // len(scenes))
    jobs = []
    for demo, side in scenes:
        names = list(demo.moves) or [""]
        for k in range(block):
            jobs.append(
                (demo, side, names[k % len(names)], (k // len(names)) / (block / len(names)))
            )

    def frame(n: int) -> None:
        demo, side, name, progress = jobs[n % len(jobs)]
        pose = in_phase(demo, name, progress) if name else setting_up(demo, progress)
        painter = QPainter(image)
        paint_frame(painter, build_frame(demo, pose, WIDTH, HEIGHT, side=side))
        painter.end()

    def fill(_n: int) -> None:
        painter = QPainter(image)
        painter.fillRect(0, 0, WIDTH, HEIGHT, backdrop)
        painter.end()

    ours: list[float] = []
    bare: list[float] = []
    for n in range(WARM_UP):
        frame(n)
        fill(n)
    for n in range(ROUNDS):  # interleaved, so both see the same machine
        started = time.perf_counter()
        frame(n)
        ours.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        fill(n)
        bare.append((time.perf_counter() - started) * 1000)
    del app
    label = f"bare QPainter fill {WIDTH}x{HEIGHT}, {ROUNDS} frames"
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
    ]


if __name__ == "__main__":
    from bench.report import print_and_save

    print_and_save(run())
