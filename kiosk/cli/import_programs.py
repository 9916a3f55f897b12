"""``kiosk import-programs FILE [--dry-run]``: load a day's programs from CSV or JSON.

Exit codes: 0 imported (or, with ``--dry-run``, valid), 1 invalid (every problem printed with
its line and field, nothing written), 2 usage (no such file, bad options).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.common import UsageError, add_db_option, load_library
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor, open_staff_database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import-programs", help="import a day's programs from a CSV or JSON file"
    )
    parser.add_argument("file", type=Path, help="the schedule file (docs/importing-programs.md)")
    parser.add_argument(
        "--dry-run", action="store_true", help="check the file and show what it would do"
    )
    add_db_option(parser)
    parser.set_defaults(handler=import_programs)


def import_programs(args: argparse.Namespace) -> int:
    from db.repositories.imports import ImportConflictError
    from kiosk.staff.importing import import_schedule, preview_file

    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    library = load_library()
    database = open_staff_database(args, library)
    try:
        preview = preview_file(database, args.file, library)
        for notice in preview.notices:
            print(f"note: {notice}", file=sys.stderr)
        if not preview.ok:
            for problem in preview.problems:
                print(f"{args.file.name}: {problem}", file=sys.stderr)
            count = len(preview.problems)
            print(f"{count} problem{'s' if count != 1 else ''}: nothing imported", file=sys.stderr)
            return EXIT_REFUSED
        for group in preview.groups:
            exercises = ", ".join(row.exercise_id for row in group.rows)
            print(f"{group.day}  {group.code}  {group.display_name}: {exercises}")
        if args.dry_run:
            print(f"valid: {len(preview.rows)} rows, {len(preview.groups)} programs (dry run)")
            return 0
        try:
            outcome = import_schedule(database, preview, actor=cli_actor())
        except ImportConflictError as error:
            print(f"kiosk: {error}; nothing imported", file=sys.stderr)
            return EXIT_REFUSED
    finally:
        database.dispose()
    if outcome.programs_written == 0:
        print(f"already imported: all {outcome.unchanged} programs are in place, nothing changed")
    else:
        print(
            f"imported: {outcome.programs_written} programs written, "
            f"{outcome.unchanged} already in place"
        )
    return 0
