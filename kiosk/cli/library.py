"""``kiosk library list|show``: the exercise library for staff and scripts."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import TYPE_CHECKING, Any

from kiosk.cli.common import find_exercise, load_library

if TYPE_CHECKING:
    from media.schema import Exercise


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    library = commands.add_parser("library", help="list or show the exercise library")
    sub = library.add_subparsers(dest="library_command", metavar="list|show", required=True)
    lib_list = sub.add_parser("list", help="list every exercise")
    lib_list.add_argument("--json", action="store_true", help="machine-readable output")
    lib_list.set_defaults(handler=list_exercises)
    lib_show = sub.add_parser("show", help="show one exercise")
    lib_show.add_argument("id", help="exercise id, e.g. clamshell")
    lib_show.add_argument("--json", action="store_true", help="machine-readable output")
    lib_show.set_defaults(handler=show_exercise)


def dosage_text(exercise: Exercise) -> str:
    from kiosk.core.describe import describe_dosage

    return describe_dosage(exercise.dosage)


def list_exercises(args: argparse.Namespace) -> int:
    library = load_library()
    if args.json:
        print(json.dumps([_summary(e) for e in library.exercises.values()], indent=2))
        return 0
    width = max(len(e) for e in library.exercises)
    for exercise in library.exercises.values():
        print(f"{exercise.id:<{width}}  {exercise.name}  ({dosage_text(exercise)})")
    return 0


def show_exercise(args: argparse.Namespace) -> int:
    exercise = find_exercise(load_library(), args.id)
    print(json.dumps(_as_json(exercise), indent=2) if args.json else _as_text(exercise))
    return 0


def _summary(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "name": exercise.name,
        "position": exercise.position.value,
        "equipment": list(exercise.equipment),
        "dosage": dosage_text(exercise),
        "sources": list(exercise.sources),
    }


def _as_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_as_json(v) for v in value]
    return value


def _as_text(exercise: Exercise) -> str:
    lines = [exercise.name, "=" * len(exercise.name), exercise.summary, ""]
    lines.append(f"Position: {exercise.position.value}")
    lines.append(f"Equipment: {', '.join(exercise.equipment) or 'none'}")
    lines.append(f"Works: {', '.join(exercise.target_muscles)}")
    lines.append(f"Dose: {dosage_text(exercise)}")
    sections = [
        ("Steps", exercise.steps),
        ("Key points", exercise.key_points),
        ("Breathing", exercise.breathing),
        ("Safety", exercise.safety),
    ]
    for title, items in sections:
        if items:
            lines += ["", f"{title}:"]
            lines += [f"  {n}. {text}" for n, text in enumerate(items, 1)]
    for title, variations in (
        ("Progressions", exercise.progressions),
        ("Regressions", exercise.regressions),
    ):
        if variations:
            lines += ["", f"{title}:"]
            lines += [f"  - {v.name}: {v.description}" for v in variations]
    lines += ["", f"Source: {', '.join(exercise.sources)}"]
    return "\n".join(lines)
