"""``kiosk report --from DATE --to DATE [--code CODE] --csv FILE``: progress as CSV.

One row per patient per day with a program or a session; the columns are in docs/staff.md.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from kiosk.cli.arguments import iso_date
from kiosk.cli.common import UsageError, add_db_option, open_database_of
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor

MAX_DAYS = 3660


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="export sessions, sets, pain and adherence")
    report.add_argument("--from", dest="start", required=True, type=iso_date, metavar="DATE")
    report.add_argument("--to", dest="end", required=True, type=iso_date, metavar="DATE")
    report.add_argument("--code", help="only this patient")
    report.add_argument("--csv", required=True, type=Path, metavar="FILE", help="output file")
    add_db_option(report)
    report.set_defaults(handler=write_report)


def write_report(args: argparse.Namespace) -> int:
    from db.repositories.audit import Action, audit
    from db.repositories.patients import PatientRepository
    from db.repositories.progress import ProgressQueries
    from kiosk.staff.reports import write_report_csv

    if args.end < args.start:
        raise UsageError(f"--to {args.end} is before --from {args.start}")
    if (args.end - args.start).days > MAX_DAYS:
        raise UsageError("a report covers at most ten years")
    # Read-only but for its audit line: no start-up quick_check of the whole file (a damaged
    # page the report reaches is told as damage all the same; docs/database.md), and no seed
    # templates (a report reads none).
    database = open_database_of(args, check=False)
    # What start-up made (SQLAlchemy, the models: some 60,000 objects) lives until the command
    # ends: left out of the collector's full passes, which a year's rows would otherwise make
    # walk it again and again (0.2-0.3 s of a year's report; a command, so nothing else here
    # is kept from being collected). Then no collecting at all while the rows are made: they
    # are tuples, freed as they are written, and no cycle is made per row; the collector's
    # passes over the windows in memory were 0.2 s of a year (back on at the end, for a caller
    # in the same process).
    gc.freeze()
    collecting = gc.isenabled()
    gc.disable()
    try:
        patient = None
        if args.code:
            patient = (
                PatientRepository(database).by_codes({args.code.strip()}).get(args.code.strip())
            )
            if patient is None:
                print(f"kiosk: no patient with check-in code {args.code}", file=sys.stderr)
                return EXIT_REFUSED
        # Streamed: written as read, a month at a time: ten years cost no more memory than a month.
        rows = ProgressQueries(database).iter_day_rows(args.start, args.end, code=args.code)
        try:
            count = write_report_csv(rows, args.csv)
        except OSError as error:
            print(f"kiosk: cannot write {args.csv}: {error.strerror or error}", file=sys.stderr)
            return EXIT_REFUSED
        who = f" for patient {patient.id}" if patient is not None else ""
        detail = f"report {args.start} to {args.end}{who}: {count} rows to {args.csv.name}"
        audit(database, cli_actor(), Action.EXPORT, detail)
    finally:
        database.dispose()
        if collecting:
            gc.enable()
    print(f"wrote {count} rows to {args.csv}")
    return 0
