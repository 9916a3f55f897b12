"""``kiosk handout CODE --out FILE.pdf``: the patient's home-exercise handout as PDF."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kiosk.cli.arguments import iso_date
from kiosk.cli.common import UsageError, add_db_option, load_library
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor, open_staff_database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    handout = commands.add_parser("handout", help="print a patient's home-exercise handout")
    handout.add_argument("code", help="the patient's check-in code")
    handout.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    handout.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="the program of this day (today)"
    )
    add_db_option(handout)
    handout.set_defaults(handler=print_handout)


def print_handout(args: argparse.Namespace) -> int:
    from db.repositories.audit import Action, audit
    from kiosk.printing.handout import HandoutError, content_for_patient, render_handout

    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"--out must name a .pdf file, got {str(args.out)!r}")
    library = load_library()
    database = open_staff_database(args, library)
    day = args.date or date.today()
    try:
        try:
            content = content_for_patient(database, args.code, library, day)
        except HandoutError as error:
            print(f"kiosk: {error}", file=sys.stderr)
            return EXIT_REFUSED
        try:
            pages = render_handout(content, args.out)
        except OSError as error:
            print(f"kiosk: {error}", file=sys.stderr)
            return EXIT_REFUSED
        detail = f"handout for patient {content.patient_id}, {pages} pages, to {args.out.name}"
        audit(database, cli_actor(), Action.EXPORT, detail)
    finally:
        database.dispose()
    print(f"saved a {pages}-page handout to {args.out}")
    return 0
