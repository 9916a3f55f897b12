"""The ``kiosk`` command.

With no subcommand it starts the kiosk; the subcommands are for staff and the clinic's IT.
Each subcommand lives in its own module with ``register(commands)``, which adds its parser
and sets ``handler``; :data:`COMMAND_MODULES` lists them. Heavy modules (Qt, SQLAlchemy) are
imported inside the handlers, so ``kiosk library list`` answers at once and the kiosk paints its
first frame early. Bad arguments print a clear message and exit with code 2; a database that
cannot be opened or used (:mod:`db.problems`) prints one sentence saying why and what to do,
and exits with code 3 (never a traceback: IT reads it at the kiosk).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from kiosk import text
from kiosk.cli import logs
from kiosk.cli.arguments import SIZE_RANGE, size_arg
from kiosk.cli.common import (
    EXIT_DATABASE,
    EXIT_USAGE,
    UsageError,
    add_create_db_option,
    database_problem_of,
)

#: Files the kiosk makes are its user's alone: 0600, folders 0700.
PRIVATE_UMASK = 0o077

#: Why ``--db`` may not hold a password. Refused rather than warned about: a command line is
#: readable by every user of the machine (``ps``, ``/proc/PID/cmdline``) for as long as the
#: process runs, which for the kiosk is all day; a warning would leave it there. The URL is
#: not repeated (it would print the password).
PASSWORD_ON_COMMAND_LINE = (
    "--db: the URL holds a password, which every user of this machine can read in the "
    "process list (ps). Give the URL without it and put the password in the kiosk user's "
    "pgpass file (~/.pgpass or PGPASSFILE, mode 0600) or a service file (PGSERVICEFILE, "
    "postgresql+psycopg://?service=NAME); see docs/security.md. Change that password: it has "
    "been shown."
)

#: One module per subcommand, each with ``register(commands)``.
COMMAND_MODULES = (
    "kiosk.cli.library",
    "kiosk.cli.timeline",
    "kiosk.cli.rehearse",
    "kiosk.cli.db",
    "kiosk.cli.staff",
    "kiosk.cli.patients",
    "kiosk.cli.today",
    "kiosk.cli.import_programs",
    "kiosk.cli.report",
    "kiosk.cli.handout",
    "kiosk.cli.demo",
    "kiosk.cli.backup",
    "kiosk.cli.restore",
    "kiosk.cli.out_of_order",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Clinic Gym Kiosk. With no command, starts the kiosk.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: KIOSK_DATABASE_URL or a SQLite file in the user data "
        "directory)",
    )
    add_create_db_option(parser)
    parser.add_argument(
        "--windowed",
        action="store_true",
        help="run in a normal window instead of fullscreen (development)",
    )
    parser.add_argument(
        "--size",
        type=size_arg,
        metavar="WxH",
        help=f"window size instead of the screen's size ({SIZE_RANGE})",
    )
    parser.add_argument(
        "--hide-cursor",
        action="store_true",
        help="hide the mouse pointer over the kiosk (touchscreens)",
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        help="the language of every screen, cue and handout (default: KIOSK_LANGUAGE or en; "
        "available: " + ", ".join(text.available()) + ")",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fill an empty database with the demo patients and the demo staff member, whose "
        "PIN is printed in the README (make run does; never on a clinic's kiosk)",
    )
    # The default since --demo came: kept so a service started with it still starts.
    parser.add_argument("--no-demo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="PATH",
        help="write the log to this file (rotated at 1 MB, 5 kept, readable by this user "
        "only) instead of standard error (the journal, for a service)",
    )
    parser.set_defaults(handler=run_kiosk)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything makes a file: the database and its -wal/-shm, the journal, exports and
    # the voice cache hold patients' records, for the kiosk's user alone (0600, folders 0700).
    os.umask(PRIVATE_UMASK)
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "db", None):
        from db.problems import has_password  # light: no SQLAlchemy

        if has_password(args.db):
            _usage_error(parser, PASSWORD_ON_COMMAND_LINE)
    try:
        _configure_logging(args)
        if args.language is not None:
            try:
                text.use(args.language)
            except text.UnknownLanguageError as error:
                raise UsageError(f"--language: {error}") from None
        code: int = args.handler(args)
    except UsageError as error:
        _usage_error(parser, str(error))
    except Exception as error:
        problem = database_problem_of(error, args)
        if problem is None:
            raise
        print(f"kiosk: {problem}", file=sys.stderr)
        return EXIT_DATABASE
    return code


def _configure_logging(args: argparse.Namespace) -> None:
    """The kiosk logs at INFO, the other commands at WARNING (their own output comes first)."""
    level = logging.INFO if args.handler is run_kiosk else logging.WARNING
    try:
        logs.configure(level=logs.level_from_env(level), log_file=args.log_file)
    except OSError as error:
        raise UsageError(f"--log-file: cannot write {args.log_file}: {error.strerror}") from None


def _usage_error(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    parser.print_usage(sys.stderr)
    print(f"kiosk: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def run_kiosk(args: argparse.Namespace) -> int:
    if args.db:
        from db.problems import check_url  # light: no SQLAlchemy before the first frame

        check_url(args.db)  # a --db that is not a URL is told here, not as an out-of-order screen
    from kiosk.ui.shell.app import KioskOptions, run

    return run(
        KioskOptions(
            db_url=args.db,
            create_db=args.create_db,
            fullscreen=not args.windowed,
            size=args.size,
            demo_data=args.demo,
            hide_cursor=args.hide_cursor,
            language_fixed=args.language is not None or bool(os.environ.get(text.ENV_LANGUAGE)),
        )
    )
