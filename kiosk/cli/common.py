"""What the subcommands share: options (their types are in :mod:`kiosk.cli.arguments`), the
usage error, the library and database."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kiosk.cli.arguments import dose_count, dose_seconds

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.problems import DatabaseUnavailableError
    from kiosk.core.prescription import Prescription
    from media.schema import Exercise, Library

EXIT_USAGE = 2
#: The database cannot be opened or used: one sentence on stderr says why and what to do.
EXIT_DATABASE = 3


class UsageError(Exception):
    """Arguments that parse but make no sense (an unknown exercise id, zero sets...)."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db`` after the subcommand too; SUPPRESS keeps one given before it from being reset."""
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database URL")


CREATE_DB_HELP = (
    "make a new SQLite database if its file (or folder) is missing or empty; without it such "
    "a database is refused, so a mistyped path never becomes a new, empty clinic"
)


def add_create_db_option(parser: argparse.ArgumentParser, *, after_command: bool = False) -> None:
    """``--create-db``; after a subcommand SUPPRESS keeps one given before it, as for ``--db``."""
    default = argparse.SUPPRESS if after_command else False
    parser.add_argument("--create-db", action="store_true", default=default, help=CREATE_DB_HELP)


def add_prescription_options(parser: argparse.ArgumentParser) -> None:
    """Today's dose overrides, shared by ``timeline`` and ``rehearse``, within the builder's
    limits (:func:`kiosk.cli.arguments.dose_count`)."""
    parser.add_argument("--sets", type=dose_count("sets"), help="sets per side")
    parser.add_argument("--reps", type=dose_count("reps"), help="repetitions per set")
    parser.add_argument(
        "--hold",
        type=dose_seconds("hold_s"),
        metavar="S",
        help="hold seconds (a hold exercise's hold, or a hold in each rep)",
    )
    parser.add_argument(
        "--sides",
        choices=["alternate", "each", "none"],
        help="alternate: switch sides between sets; each: all sets on one side then the "
        "other; none: no sides",
    )
    parser.add_argument(
        "--rest", type=dose_seconds("rest_s"), metavar="S", help="rest between sets"
    )


def load_library() -> Library:
    from media.loader import load_library as load

    return load()


def find_exercise(library: Library, exercise_id: str) -> Exercise:
    exercise = library.exercises.get(exercise_id.strip().lower())
    if exercise is None:
        known = ", ".join(sorted(library.exercises))
        raise UsageError(f"no exercise with id {exercise_id!r}; known ids: {known}")
    return exercise


def prescription_from_args(exercise: Exercise, args: argparse.Namespace) -> Prescription:
    """The exercise's default dose with the command line's overrides, validated."""
    from kiosk.core.prescription import Prescription, PrescriptionError, ProgramItemSpec
    from media.schema import SidePattern

    if args.reps is not None and exercise.dosage.is_hold:
        raise UsageError(f"{exercise.id} is a hold exercise: use --hold, not --reps")
    spec = ProgramItemSpec(
        exercise.id,
        sets=args.sets,
        reps=args.reps,
        hold_s=args.hold,
        sides=SidePattern(args.sides) if args.sides else None,
        rest_s=args.rest,
    )
    try:
        return Prescription.from_spec(exercise, spec)
    except PrescriptionError as error:
        raise UsageError(str(error)) from None


def open_database_of(args: argparse.Namespace, *, check: bool = True) -> Engine:
    """The database named by ``--db`` (or the environment, or the default), migrated; a new
    one only with ``--create-db`` (or at the default location). ``check=False``: no start-up
    ``quick_check`` of an up-to-date SQLite file, for a command that only reads
    (:func:`db.connection.open_database`)."""
    from db.connection import open_database, resolve_database_url

    url = resolve_database_url(getattr(args, "db", None))
    return open_database(url, create=getattr(args, "create_db", False), check=check)


def database_problem_of(
    error: BaseException, args: argparse.Namespace
) -> DatabaseUnavailableError | None:
    """``error`` as one sentence about the command's database, if it is a database's bad day
    (:mod:`db.problems`); None for anything else, which is a bug to show in full."""
    from db.problems import DatabaseUnavailableError, database_problem

    if isinstance(error, DatabaseUnavailableError):
        return error
    if not any(name in sys.modules for name in ("sqlalchemy", "sqlite3", "psycopg")):
        return None  # no database was touched: not a database's problem
    from db.connection import resolve_database_url

    return database_problem(error, resolve_database_url(getattr(args, "db", None)))
