"""``kiosk timeline ID``: the compiled timeline of one exercise, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.cli.common import (
    add_prescription_options,
    find_exercise,
    load_library,
    prescription_from_args,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    timeline = commands.add_parser("timeline", help="print the compiled timeline of an exercise")
    timeline.add_argument("id", help="exercise id, e.g. clamshell")
    add_prescription_options(timeline)
    timeline.add_argument("--json", action="store_true", help="machine-readable output")
    timeline.set_defaults(handler=print_timeline)


def print_timeline(args: argparse.Namespace) -> int:
    from kiosk.core.compiler import compile_prescription, timeline_to_dict

    exercise = find_exercise(load_library(), args.id)
    data = timeline_to_dict(compile_prescription(prescription_from_args(exercise, args)))
    print(json.dumps(data, indent=2) if args.json else table(data))
    return 0


def table(data: dict[str, Any]) -> str:
    lines = [f"{data['exercise']} — {data['total_s']:.1f} s in all", ""]
    lines.append(f"{'start':>7} {'length':>7}  {'step':<12}{'set':>4} {'side':<6}{'rep':>4}  cues")
    for step in data["steps"]:
        cues = "; ".join(cue.get("text") or f"[{cue['tone']}]" for cue in step["cues"])
        lines.append(
            f"{step['start_s']:7.1f} {step['duration_s']:7.1f}  {step['kind']:<12}"
            f"{step['set'] or '':>4} {step['side'] or '':<6}{step['rep'] or '':>4}  {cues}"
        )
    return "\n".join(lines)
