"""Contact sheets of every exercise's demonstration, to look at (``make screenshots``).

One PNG per exercise: a row per side (one row for two-legged exercises), a column for the
starting position, the ready position, each tempo phase half-way and at its end, and the hold.
Each cell is labelled with the phase and side, so a physiotherapist can check at a glance that
a clamshell opens with the feet together and that "left" moves the left leg.

Usage: ``python tools/demo_sheets.py [--out docs/screenshots/demos] [--cell 480x360]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402

from media.demo.body import Pose  # noqa: E402
from media.demo.catalog import demonstration, demonstration_ids  # noqa: E402
from media.demo.model import Demonstration  # noqa: E402
from media.demo.motion import HOLD, START, end_of, in_phase, phase_names, setting_up  # noqa: E402
from media.demo.renderer import paint_frame  # noqa: E402
from media.demo.scene import build_frame  # noqa: E402

GAP = 8
LABEL_H = 32  # the label strip above each frame, so a label never hides the figure


def _columns(demo: Demonstration) -> list[tuple[str, Pose]]:
    columns: list[tuple[str, Pose]] = [(START, demo.start)]
    if demo.setup:
        columns.append(("ready", setting_up(demo, 1.0)))
    for name in demo.moves:
        columns.append((f"{name} ½", in_phase(demo, name, 0.5)))
        columns.append((f"{name} end", end_of(demo, name)))
    if HOLD in phase_names(demo):
        columns.append((HOLD, end_of(demo, HOLD)))
    return columns


def sheet(exercise_id: str, cell_w: int = 480, cell_h: int = 360) -> QImage:
    """The contact sheet of one exercise."""
    demo = demonstration(exercise_id)
    columns = _columns(demo)
    sides = ["left", "right"] if demo.sided else [None]
    title_h = 56
    width = len(columns) * (cell_w + GAP) + GAP
    height = title_h + len(sides) * (cell_h + LABEL_H + GAP) + GAP
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#0E1116"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont()
        font.setPixelSize(30)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(QRectF(GAP, 0, width, title_h), Qt.AlignmentFlag.AlignVCenter, exercise_id)
        font.setPixelSize(22)
        painter.setFont(font)
        for row, side in enumerate(sides):
            for col, (label, pose) in enumerate(columns):
                x = GAP + col * (cell_w + GAP)
                y = title_h + row * (cell_h + LABEL_H + GAP)
                frame = build_frame(demo, pose, cell_w, cell_h, side=side)
                paint_frame(painter, frame, QPointF(x, y + LABEL_H))
                painter.setPen(QColor("#FFFFFF"))
                text = f"{label} · {side}" if side else label
                painter.drawText(
                    QRectF(x + 4, y, cell_w, LABEL_H), Qt.AlignmentFlag.AlignVCenter, text
                )
    finally:
        painter.end()
    return image


def write_sheets(out: Path, cell_w: int = 480, cell_h: int = 360) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise_id in demonstration_ids():
        path = out / f"{exercise_id}.png"
        sheet(exercise_id, cell_w, cell_h).save(str(path))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "demos")
    parser.add_argument("--cell", default="480x360", help="WIDTHxHEIGHT of one frame")
    parser.add_argument("ids", nargs="*", help="exercise ids (default: all)")
    args = parser.parse_args(argv)
    cell_w, cell_h = (int(p) for p in args.cell.split("x"))
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.ids:
        args.out.mkdir(parents=True, exist_ok=True)
        for exercise_id in args.ids:
            sheet(exercise_id, cell_w, cell_h).save(str(args.out / f"{exercise_id}.png"))
    else:
        write_sheets(args.out, cell_w, cell_h)
    print(f"contact sheets in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
