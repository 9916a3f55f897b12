"""``kiosk demo ID --out FILE.png``: one still of an exercise's animated demonstration.

For the docs, handouts and a quick look at what the player will show. Renders offscreen (no
display needed). An unknown exercise id or phase is a usage error (exit code 2) that lists
what is known.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.arguments import SIZE_RANGE, fraction, size_arg
from kiosk.cli.common import UsageError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo",
        help="render one frame of an exercise's demonstration to a PNG",
        description="Render one frame of an exercise's animated demonstration to a PNG.",
    )
    demo.add_argument("id", help="exercise id, e.g. clamshell")
    demo.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="where to write")
    demo.add_argument(
        "--phase",
        metavar="NAME",
        help="start, a tempo phase of the exercise (raise, lower, ...) or hold "
        "(default: the exercise's key pose)",
    )
    demo.add_argument(
        "--side", choices=["left", "right"], default="left", help="the side being worked"
    )
    demo.add_argument(
        "--size",
        type=size_arg,
        default=(800, 600),
        metavar="WxH",
        help=f"the picture's size, {SIZE_RANGE} (default: 800x600)",
    )
    demo.add_argument(
        "--progress",
        type=fraction,
        metavar="0..1",
        help="how far through the phase (default: the phase's key moment)",
    )
    demo.set_defaults(handler=render_demo)


def render_demo(args: argparse.Namespace) -> int:
    from media.demo.catalog import demonstration, demonstration_ids
    from media.demo.motion import phase_names

    try:
        demo = demonstration(args.id.strip().lower())
    except KeyError:
        known = ", ".join(demonstration_ids())
        raise UsageError(f"no exercise with id {args.id!r}; known ids: {known}") from None
    names = phase_names(demo)
    if args.phase is not None and args.phase not in names:
        raise UsageError(
            f"{demo.exercise_id} has no phase {args.phase!r}; its phases: {', '.join(names)}"
        )
    if args.out.suffix.lower() != ".png":
        raise UsageError(f"--out must name a .png file, got {str(args.out)!r}")

    from media.demo.renderer import ensure_gui_application, render_image

    ensure_gui_application()  # offscreen: no display needed
    image = render_image(demo, args.size, phase=args.phase, progress=args.progress, side=args.side)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(args.out)):
        raise UsageError(f"cannot write {args.out}")
    phase = args.phase or "key pose"
    side = args.side if demo.sided else "both legs"
    print(f"{args.out}: {demo.exercise_id}, {phase}, {side}, {args.size[0]}x{args.size[1]}")
    return 0
