"""The ``kiosk`` command.

With no subcommand it starts the kiosk; the subcommands are for staff and the clinic's IT.
Heavy modules (Qt, SQLAlchemy) are imported inside the commands that need them, so
``kiosk library list`` answers at once and the kiosk paints its first frame early.
Bad arguments print a clear message and exit with code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from media.schema import Exercise, Library

EXIT_USAGE = 2


class UsageError(Exception):
    """Arguments that parse but make no sense (an unknown exercise id, zero sets...)."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds, got {text}")
    return value


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        message = f"expected WIDTHxHEIGHT, e.g. 1280x800, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if width < 320 or height < 240:
        raise argparse.ArgumentTypeError(f"too small: {text}")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Clinic Gym Kiosk. With no command, starts the kiosk.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: KIOSK_DATABASE_URL "
        "or a SQLite file in the user data directory)",
    )
    parser.add_argument(
        "--windowed",
        action="store_true",
        help="run in a normal window instead of fullscreen (development)",
    )
    parser.add_argument(
        "--size", type=_size, metavar="WxH", help="window size instead of the screen's size"
    )
    parser.add_argument(
        "--no-demo",
        action="store_true",
        help="do not create the demo patients in an empty database",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    library = commands.add_parser("library", help="list or show the exercise library")
    library_commands = library.add_subparsers(
        dest="library_command", metavar="list|show", required=True
    )
    lib_list = library_commands.add_parser("list", help="list every exercise")
    lib_list.add_argument("--json", action="store_true", help="machine-readable output")
    lib_show = library_commands.add_parser("show", help="show one exercise")
    lib_show.add_argument("id", help="exercise id, e.g. clamshell")
    lib_show.add_argument("--json", action="store_true", help="machine-readable output")

    timeline = commands.add_parser("timeline", help="print the compiled timeline of an exercise")
    timeline.add_argument("id", help="exercise id, e.g. clamshell")
    timeline.add_argument("--sets", type=_positive_int, help="sets per side")
    timeline.add_argument("--reps", type=_positive_int, help="repetitions per set")
    timeline.add_argument(
        "--hold",
        type=_seconds,
        metavar="S",
        help="hold seconds (a hold exercise's hold, or a hold in each rep)",
    )
    timeline.add_argument(
        "--sides",
        choices=["alternate", "each", "none"],
        help="alternate: switch sides between sets; each: all sets on one "
        "side then the other; none: no sides",
    )
    timeline.add_argument("--rest", type=_seconds, metavar="S", help="rest between sets")
    timeline.add_argument("--json", action="store_true", help="machine-readable output")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="upgrade", required=True)
    db_upgrade = db_commands.add_parser("upgrade", help="migrate the database to the newest schema")
    # SUPPRESS keeps a --db given before the command from being reset by this one's default.
    db_upgrade.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database URL")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _run_kiosk(args)
        if args.command == "library":
            return _library(args)
        if args.command == "timeline":
            return _timeline(args)
        if args.command == "db":
            return _db_upgrade(args)
    except UsageError as error:
        _usage_error(parser, str(error))
    parser.error(f"unknown command {args.command!r}")


def _usage_error(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    parser.print_usage(sys.stderr)
    print(f"kiosk: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def _run_kiosk(args: argparse.Namespace) -> int:
    from kiosk.ui.app import KioskOptions, run

    return run(
        KioskOptions(
            db_url=args.db, fullscreen=not args.windowed, size=args.size, demo_data=not args.no_demo
        )
    )


def _load_library() -> Library:
    from media.loader import load_library

    return load_library()


def _find_exercise(library: Library, exercise_id: str) -> Exercise:
    exercise = library.exercises.get(exercise_id.strip().lower())
    if exercise is None:
        known = ", ".join(sorted(library.exercises))
        raise UsageError(f"no exercise with id {exercise_id!r}; known ids: {known}")
    return exercise


def _dosage_text(exercise: Exercise) -> str:
    from kiosk.core.describe import describe_dosage

    return describe_dosage(exercise.dosage)


def _library(args: argparse.Namespace) -> int:
    library = _load_library()
    if args.library_command == "list":
        if args.json:
            rows = [_exercise_summary(e) for e in library.exercises.values()]
            print(json.dumps(rows, indent=2))
        else:
            width = max(len(e) for e in library.exercises)
            for exercise in library.exercises.values():
                print(f"{exercise.id:<{width}}  {exercise.name}  ({_dosage_text(exercise)})")
        return 0
    exercise = _find_exercise(library, args.id)
    if args.json:
        print(json.dumps(_exercise_dict(exercise), indent=2))
    else:
        print(_exercise_text(exercise))
    return 0


def _exercise_summary(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "name": exercise.name,
        "position": exercise.position.value,
        "equipment": list(exercise.equipment),
        "dosage": _dosage_text(exercise),
        "sources": list(exercise.sources),
    }


def _exercise_dict(exercise: Exercise) -> dict[str, Any]:
    import dataclasses

    def convert(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, tuple | list):
            return [convert(v) for v in value]
        return value

    return dict(convert(exercise))


def _exercise_text(exercise: Exercise) -> str:
    lines = [exercise.name, "=" * len(exercise.name), exercise.summary, ""]
    lines.append(f"Position: {exercise.position.value}")
    lines.append(f"Equipment: {', '.join(exercise.equipment) or 'none'}")
    lines.append(f"Works: {', '.join(exercise.target_muscles)}")
    lines.append(f"Dose: {_dosage_text(exercise)}")
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


def _timeline(args: argparse.Namespace) -> int:
    from kiosk.core.compiler import compile_prescription, timeline_to_dict
    from kiosk.core.prescription import Prescription, PrescriptionError
    from media.schema import SidePattern

    exercise = _find_exercise(_load_library(), args.id)
    try:
        prescription = Prescription.from_exercise(
            exercise,
            sets=args.sets,
            reps=args.reps,
            hold_s=args.hold,
            sides=SidePattern(args.sides) if args.sides else None,
            rest_s=args.rest,
        )
    except PrescriptionError as error:
        raise UsageError(str(error)) from None
    if args.reps is not None and exercise.dosage.is_hold:
        raise UsageError(f"{exercise.id} is a hold exercise: use --hold, not --reps")
    timeline = compile_prescription(prescription)
    data = timeline_to_dict(timeline)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print(_timeline_table(data))
    return 0


def _timeline_table(data: dict[str, Any]) -> str:
    lines = [f"{data['exercise']} — {data['total_s']:.1f} s in all", ""]
    lines.append(f"{'start':>7} {'length':>7}  {'step':<12}{'set':>4} {'side':<6}{'rep':>4}  cues")
    for step in data["steps"]:
        cues = "; ".join(cue.get("text") or f"[{cue['tone']}]" for cue in step["cues"])
        lines.append(
            f"{step['start_s']:7.1f} {step['duration_s']:7.1f}  {step['kind']:<12}"
            f"{step['set'] or '':>4} {step['side'] or '':<6}{step['rep'] or '':>4}  {cues}"
        )
    return "\n".join(lines)


def _db_upgrade(args: argparse.Namespace) -> int:
    from db.engine import make_engine, resolve_database_url, upgrade

    url = resolve_database_url(args.db)
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    print(f"database is up to date: {_redact(url)}")
    return 0


def _redact(url: str) -> str:
    """Hide a password in a PostgreSQL URL before printing it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
