"""``kiosk staff add|list|remove``: staff members who may enter staff mode with a PIN.

There is no default PIN: the first staff member is made here. The PIN is asked twice and
not echoed; when standard input is not a terminal (a script, a test) two lines are read from
it instead, so the PIN never has to appear on a command line (or in shell history).
``remove`` deletes a staff member and their PIN (audited; the last one stays): it is how the
demo staff member, whose PIN the README prints, leaves a kiosk that was tried with ``--demo``.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.cli.common import add_db_option
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor, open_staff_database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = commands.add_parser("staff", help="staff members and their PINs")
    sub = staff.add_subparsers(dest="staff_command", metavar="add|list|remove", required=True)
    add = sub.add_parser("add", help="add a staff member (the PIN is asked twice)")
    add.add_argument("name", help="the staff member's name, e.g. 'Anna B.'")
    add_db_option(add)
    add.set_defaults(handler=add_staff)
    listing = sub.add_parser("list", help="list active staff members")
    add_db_option(listing)
    listing.set_defaults(handler=list_staff)
    remove = sub.add_parser("remove", help="remove a staff member and their PIN (audited)")
    remove.add_argument("name", help="the staff member's name, as `kiosk staff list` shows it")
    add_db_option(remove)
    remove.set_defaults(handler=remove_staff)


def read_pin_twice() -> tuple[str, str]:
    """Two PIN entries: hidden prompts on a terminal, else two lines of standard input."""
    if sys.stdin.isatty():
        return getpass.getpass("PIN (6 or more digits): "), getpass.getpass("PIN again: ")
    first = sys.stdin.readline().rstrip("\r\n")
    second = sys.stdin.readline().rstrip("\r\n")
    return first, second


def add_staff(args: argparse.Namespace) -> int:
    from db.repositories.staff import PinInUseError, StaffNameError, StaffRepository
    from kiosk.core.pin import InvalidPinError, validate_pin

    first, second = read_pin_twice()
    if first != second:
        print("kiosk: the two PINs differ; nothing saved", file=sys.stderr)
        return EXIT_REFUSED
    try:
        validate_pin(first)
    except InvalidPinError as error:
        print(f"kiosk: {error}; nothing saved", file=sys.stderr)
        return EXIT_REFUSED
    database = open_staff_database(args)
    try:
        staff = StaffRepository(database).add(args.name, first, actor=cli_actor())
    except (StaffNameError, PinInUseError, InvalidPinError) as error:
        print(f"kiosk: {error}; nothing saved", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        database.dispose()
    print(f"added staff member {staff.name!r}: they can now enter staff mode with their PIN")
    return 0


def list_staff(args: argparse.Namespace) -> int:
    from db.demo import holds_demo_staff
    from db.repositories.staff import DEMO_STAFF_NAME, DEMO_STAFF_PIN, StaffRepository

    database = open_staff_database(args)
    try:
        staff = StaffRepository(database).list()
        demo = holds_demo_staff(database)
    finally:
        database.dispose()
    if not staff:
        print("no staff members yet: add one with  kiosk staff add NAME")
    for member in staff:
        print(member.name)
    if demo:
        print(
            f"kiosk: the demo staff member's PIN {DEMO_STAFF_PIN} is printed in the README: "
            f"add your own staff members, then  kiosk staff remove {DEMO_STAFF_NAME}",
            file=sys.stderr,
        )
    return 0


def remove_staff(args: argparse.Namespace) -> int:
    from db.repositories.staff import LastStaffError, StaffNotFoundError, StaffRepository

    database = open_staff_database(args)
    try:
        removed = StaffRepository(database).remove(args.name, actor=cli_actor())
    except (StaffNotFoundError, LastStaffError) as error:
        print(f"kiosk: {error}; nothing removed", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        database.dispose()
    print(f"removed staff member {removed.name!r}: their PIN no longer opens staff mode")
    return 0
