"""``kiosk patients add|list|card|erase|export``: patients and their check-in codes, for the
clinic's IT; erasing a patient and exporting what is held about them are in modules of their
own (:mod:`kiosk.cli.patients_erase`, :mod:`kiosk.cli.patients_export`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli import patients_erase, patients_export
from kiosk.cli.common import UsageError, add_db_option
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor, open_staff_database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    patients = commands.add_parser(
        "patients", help="add and list patients, print check-in cards, erase, export"
    )
    sub = patients.add_subparsers(
        dest="patients_command", metavar="add|list|card|erase|export", required=True
    )
    add = sub.add_parser("add", help="add a patient; prints their new check-in code")
    add.add_argument("name", help="initials or a first name only, e.g. 'J.K.' or 'Maria'")
    add.add_argument("--json", action="store_true", help="machine-readable output")
    add_db_option(add)
    add.set_defaults(handler=add_patient)
    listing = sub.add_parser("list", help="list patients and their codes")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument("--all", action="store_true", help="include deactivated patients")
    listing.add_argument("--search", metavar="TEXT", default="", help="name or code prefix")
    add_db_option(listing)
    listing.set_defaults(handler=list_patients)
    card = sub.add_parser("card", help="save a check-in card (code and QR code) as PDF")
    card.add_argument("code", help="the patient's check-in code")
    card.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    add_db_option(card)
    card.set_defaults(handler=patient_card)
    patients_erase.register(sub)
    patients_export.register(sub)


def add_patient(args: argparse.Namespace) -> int:
    from db.repositories.patients import PatientRepository
    from db.validation import InvalidDisplayNameError

    database = open_staff_database(args)
    try:
        patient = PatientRepository(database).register(args.name, actor=cli_actor())
    except InvalidDisplayNameError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        database.dispose()
    if args.json:
        print(json.dumps({"code": patient.code, "display_name": patient.display_name}))
    else:
        print(patient.code)
    return 0


def list_patients(args: argparse.Namespace) -> int:
    from db.repositories.patients import PatientRepository

    database = open_staff_database(args)
    try:
        found = PatientRepository(database).search(args.search, include_inactive=args.all)
    finally:
        database.dispose()
    if args.json:
        rows = [{"code": p.code, "display_name": p.display_name, "active": p.active} for p in found]
        print(json.dumps(rows, indent=2))
        return 0
    for p in found:
        print(f"{p.code}  {p.display_name}{'' if p.active else '  (deactivated)'}")
    return 0


def patient_card(args: argparse.Namespace) -> int:
    from db.repositories.audit import Action, audit
    from kiosk.printing.card import CardError, content_for_patient, render_card

    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"--out must name a .pdf file, got {str(args.out)!r}")
    database = open_staff_database(args)
    try:
        try:
            content = content_for_patient(database, args.code)
        except CardError as error:
            print(f"kiosk: {error}", file=sys.stderr)
            return EXIT_REFUSED
        try:
            render_card(content, args.out)
        except OSError as error:
            print(f"kiosk: {error}", file=sys.stderr)
            return EXIT_REFUSED
        detail = f"check-in card for patient {content.patient_id} to {args.out.name}"
        audit(database, cli_actor(), Action.EXPORT, detail)
    finally:
        database.dispose()
    print(f"saved the check-in card to {args.out}")
    return 0
