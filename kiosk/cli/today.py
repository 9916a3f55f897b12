"""``kiosk today [--date DATE] [--json]``: every patient's program for a day, in order."""

from __future__ import annotations

import argparse
import json
from datetime import date

from kiosk.cli.arguments import iso_date
from kiosk.cli.common import add_db_option, load_library
from kiosk.cli.staff_common import open_staff_database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    today = commands.add_parser("today", help="each patient's program for a day")
    today.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="default: today")
    today.add_argument("--code", help="only this patient")
    today.add_argument("--json", action="store_true", help="machine-readable output")
    add_db_option(today)
    today.set_defaults(handler=show_today)


def show_today(args: argparse.Namespace) -> int:
    from kiosk.staff.today import programs_for_day

    day = args.date or date.today()
    library = load_library()
    database = open_staff_database(args, library)
    try:
        programs = programs_for_day(database, day, library, code=args.code)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps({"date": day.isoformat(), "patients": [p.as_json() for p in programs]},
                         indent=2))  # fmt: skip
        return 0
    if not programs:
        print(f"{day}: no programs")
    for program in programs:
        series = " (all on one side, then the other)" if program.side_series else ""
        print(f"{program.code}  {program.display_name}: {program.program_name}{series}")
        for n, item in enumerate(program.items, 1):
            variation = f" [{item.variation}]" if item.variation else ""
            detail = item.problem or f"{item.dose}; rest {item.rest_s:g} s"
            if item.tempo_changed and not item.problem:
                detail += f"; tempo {item.tempo_changed}"
            print(f"  {n}. {item.exercise_id}{variation}: {detail}")
    return 0
