"""``kiosk staff add|list|deactivate|reactivate|pin|unlock|remove``: staff members who may
enter staff mode with a PIN, and staff sign-in's lock.

There is no default PIN: the first staff member is made here. A PIN is asked twice and never
echoed; when standard input is not a terminal (a script, a test) two lines are read from it
instead, so a PIN never has to appear on a command line (or in shell history), and none is
ever printed. ``deactivate`` closes an account at once (their PIN opens nothing on any kiosk;
what they did keeps their name); ``reactivate`` lets them back with a new PIN; ``pin`` sets a
staff member's PIN (IT acting for them: the audit log names the shell's user); ``unlock``
opens staff sign-in after too many wrong PINs. ``remove`` deletes a staff member and their
PIN (audited; the last one stays): it is how the demo staff member, whose PIN the README
prints, leaves a kiosk that was tried with ``--demo``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from kiosk.cli.common import add_db_option
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor, open_staff_database

if TYPE_CHECKING:
    from kiosk.core.sign_in_lock import SignInLockState


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = commands.add_parser("staff", help="staff members and their PINs")
    sub = staff.add_subparsers(
        dest="staff_command",
        metavar="add|list|deactivate|reactivate|pin|unlock|remove",
        required=True,
    )
    add = sub.add_parser("add", help="add a staff member (the PIN is asked twice)")
    add.add_argument("name", help="the staff member's name, e.g. 'Anna B.'")
    add_db_option(add)
    add.set_defaults(handler=add_staff)
    listing = sub.add_parser(
        "list", help="list active staff members, and whether sign-in is locked"
    )
    listing.add_argument("--all", action="store_true", help="deactivated staff members too")
    add_db_option(listing)
    listing.set_defaults(handler=list_staff)
    for name, handler, words in (
        ("deactivate", deactivate_staff, "close a staff member's account now (audited)"),
        ("reactivate", reactivate_staff, "let a deactivated staff member back, with a new PIN"),
        ("pin", set_staff_pin, "give a staff member a new PIN (asked twice; audited)"),
    ):
        command = sub.add_parser(name, help=words)
        command.add_argument("name", help="the staff member's name, as `kiosk staff list` shows it")
        add_db_option(command)
        command.set_defaults(handler=handler)
    unlock = sub.add_parser("unlock", help="open staff sign-in, locked after too many wrong PINs")
    add_db_option(unlock)
    unlock.set_defaults(handler=unlock_sign_in)
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


def read_new_pin() -> str | None:
    """A new PIN typed twice and valid, or None (the reason already on standard error)."""
    from kiosk.core.pin import InvalidPinError, validate_pin

    first, second = read_pin_twice()
    if first != second:
        print("kiosk: the two PINs differ; nothing saved", file=sys.stderr)
        return None
    try:
        return validate_pin(first)
    except InvalidPinError as error:
        print(f"kiosk: {error}; nothing saved", file=sys.stderr)
        return None


def add_staff(args: argparse.Namespace) -> int:
    from db.repositories.staff import PinInUseError, StaffNameError, StaffRepository
    from kiosk.core.pin import InvalidPinError

    first = read_new_pin()
    if first is None:
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
    from db.repositories.sign_in import SignInLog
    from db.repositories.staff import DEMO_STAFF_NAME, DEMO_STAFF_PIN, StaffRepository
    from kiosk.core.clock import utc_now

    database = open_staff_database(args)
    try:
        staff = StaffRepository(database).list(include_inactive=args.all)
        demo = holds_demo_staff(database)
        lock = SignInLog(database).state(utc_now())
    finally:
        database.dispose()
    if not staff:
        print("no staff members yet: add one with  kiosk staff add NAME")
    for member in staff:
        print(member.name if member.active else f"{member.name}  (deactivated)")
    if lock.locked:
        print(_locked_words(lock), file=sys.stderr)
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


def deactivate_staff(args: argparse.Namespace) -> int:
    from db.repositories.staff import LastStaffError, StaffNotFoundError, StaffRepository

    database = open_staff_database(args)
    try:
        repository = StaffRepository(database)
        member = repository.find_by_name(args.name)
        if not member.active:
            print(f"{member.name!r} was already deactivated; nothing changed")
            return 0
        repository.deactivate(member.id, actor=cli_actor())
    except (StaffNotFoundError, LastStaffError) as error:
        print(f"kiosk: {error}; nothing changed", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        database.dispose()
    print(
        f"deactivated {member.name!r}: their PIN opens nothing from now on, on every kiosk "
        "(a staff mode they have open closes at its next touch)"
    )
    return 0


def reactivate_staff(args: argparse.Namespace) -> int:
    from db.repositories.staff import PinInUseError, StaffNotFoundError, StaffRepository

    database = open_staff_database(args)
    try:
        repository = StaffRepository(database)
        member = repository.find_by_name(args.name)
        if member.active:
            print(f"{member.name!r} is active; to give them a new PIN: kiosk staff pin NAME")
            return 0
        pin = read_new_pin()
        if pin is None:
            return EXIT_REFUSED
        repository.reactivate(member.id, pin, actor=cli_actor())
    except (StaffNotFoundError, PinInUseError) as error:
        print(f"kiosk: {error}; nothing changed", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        database.dispose()
    print(f"reactivated {member.name!r}: they can enter staff mode with the new PIN")
    return 0


def set_staff_pin(args: argparse.Namespace) -> int:
    from db.repositories.staff import PinInUseError, StaffNotFoundError, StaffRepository

    database = open_staff_database(args)
    try:
        repository = StaffRepository(database)
        member = repository.find_by_name(args.name)
        if not member.active:
            print(
                f"kiosk: {member.name!r} is deactivated: kiosk staff reactivate NAME gives them "
                "a new PIN and lets them back; nothing changed",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        pin = read_new_pin()
        if pin is None:
            return EXIT_REFUSED
        repository.set_pin(member.id, pin, actor=cli_actor())
    except (StaffNotFoundError, PinInUseError) as error:
        print(f"kiosk: {error}; nothing changed", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        database.dispose()
    print(f"new PIN saved for {member.name!r}: their old PIN no longer opens staff mode")
    return 0


def unlock_sign_in(args: argparse.Namespace) -> int:
    from db.repositories.sign_in import SignInLog
    from kiosk.core.clock import utc_now

    database = open_staff_database(args)
    try:
        before = SignInLog(database).unlock(cli_actor(), "from a shell", utc_now())
    finally:
        database.dispose()
    if before is None:
        print("staff sign-in was not locked; nothing changed")
        return 0
    print(
        f"staff sign-in unlocked on every kiosk (it was locked after {before.failures} wrong "
        "PINs: see the audit log in staff mode for when)"
    )
    return 0


def _locked_words(lock: SignInLockState) -> str:
    return (
        f"kiosk: staff sign-in is locked after {lock.failures} wrong PINs: a staff member can "
        "unlock it on the PIN pad with their name and PIN, or run  kiosk staff unlock"
    )
